@capability:chunked-out-of-order @check:check.oci.spec.push @severity:warn
Feature: Out-of-order chunks are refused with 416
  Spec: OCI Distribution Spec v1.1, "Pushing a blob in chunks" (end-5):
  chunks MUST be uploaded in order, and a chunk that does not start right
  after the last one MUST be answered 416 Requested Range Not Satisfiable.
  A client that lost track of a chunk (a retry after a timeout) learns so
  and asks for the session's offset, instead of storing a blob with a hole;
  a MUST, so missing it is a warning.

  The verify scenario sends bytes 0-9 of 30 random bytes to a session in
  {scratch}, then bytes 20-29, and cancels the session. No probe: it would
  send content bytes to the test repository.

  Common causes when missing:
  - The registry appends every chunk whatever its Content-Range.
  - A proxy drops the Content-Range header of PATCH requests.

  How to fix:
  - Compare Content-Range with the session's offset and answer 416 (with the current Range) when they differ.
  - Let the proxy pass Content-Range through.

  @verify
  Scenario: A chunk after a gap is refused
    Given I save 30 random bytes as "blob"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "POST /v2/{scratch}/blobs/uploads/ answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "0-9"
    And the request body is bytes 0 to 9 of the saved body "blob"
    When I send a PATCH request to "{session}"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "the first chunk (0-9) answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "20-29"
    And the request body is bytes 20 to 29 of the saved body "blob"
    When I send a PATCH request to "{session}"
    And I delete what the response created when the scenario ends
    Then the capability is supported when the status is 416
    And otherwise the capability is unsupported because "a chunk 20-29 after 0-9 (bytes 10-19 never sent) answered {answer}, not 416 Requested Range Not Satisfiable"
