@capability:chunked-out-of-order @check:check.oci.spec.push @severity:warn
Feature: Out-of-order chunks are refused with 416
  Spec: OCI Distribution Spec v1.1, "Pushing a blob in chunks" (end-5):
  chunks MUST be uploaded in order, and a chunk that does not start right
  after the last one MUST be answered 416 Requested Range Not Satisfiable.
  A client that lost track of a chunk (a retry after a timeout) learns so
  and asks for the session's offset, instead of storing a blob with a hole;
  a MUST, so missing it is a warning.

  The same section: "The final chunk MAY be uploaded using a PATCH request
  or it MAY be uploaded in the closing PUT request": a registry MUST take
  either, so a closing PUT with a body that is refused is a deviation (it
  does not change this capability's verdict, the 416).

  The verify scenario sends bytes 0-9 of 30 random bytes to a session in
  {scratch}, then bytes 20-29, which must be refused with 416; then it
  closes the session, still at 0-9, with a PUT ?digest= carrying bytes
  10-29 (as the official suite's "chunked out-of-order and put chunk"
  does), deletes the blob when the scenario ends and cancels the session
  if it is still open. No probe: it would send content bytes to the test
  repository.

  Common causes when missing:
  - The registry appends every chunk whatever its Content-Range.
  - A proxy drops the Content-Range header of PATCH requests.

  How to fix:
  - Compare Content-Range with the session's offset and answer 416 (with the current Range) when they differ.
  - Let the proxy pass Content-Range through.

  # For maintainers, not shown to users (observed on the zoo registries):
  # Seen with curl (POST, PATCH 0-9, PATCH 20-29, PUT 10-29 with ?digest=):
  # 416 on the second PATCH, then 201 on the PUT, on all five zoo registries;
  # the blob then reads back the 30 bytes everywhere (GET 200). A PUT carrying
  # the final 1500 of 3000 bytes after one PATCH is also 201 on all five, with
  # or without its Content-Range.
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
    Then the capability is unsupported unless the status is 416 because "a chunk 20-29 after 0-9 (bytes 10-19 never sent) answered {answer}, not 416 Requested Range Not Satisfiable"
    # The session still holds 0-9: the rest, 10-29, is the final chunk, sent
    # in the closing PUT (the spec's MAY); the verdict stays the 416's.
    Given the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "10-29"
    And the request body is bytes 10 to 29 of the saved body "blob"
    And the request query parameter "digest" is "{blob.digest}"
    When I send a PUT request to "{session}"
    And I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the registry deviates from "Pushing a blob in chunks" unless the status is 201 because "the final chunk MAY be uploaded in the closing PUT, so a PUT ?digest= carrying bytes 10-29 MUST close the session holding 0-9 with 201 Created; the registry answered {answer}"
