@capability:chunked-upload @check:check.integration.oci.capabilities @severity:info
@fallback:monolithic-upload @fallback:single-post-upload
Feature: Chunked upload
  POST /v2/<repository>/blobs/uploads/ opens an upload session (202 Accepted)
  into which a large blob, such as an SBOM, can be sent in chunks. The probe
  cancels the session at once. In verify mode a closing 201 without a
  Location header is a deviation from the spec ("Pushing a blob in chunks":
  it MUST carry one); the upload still works, so the capability is supported.
  So is a PATCH answered 201 Created instead of 202 Accepted (ECR): the
  chunks are taken, but clients that require 202 stop there.

  Common causes when missing:
  - Chunked upload is disabled in the registry configuration.
  - The credentials may pull but not push to the test repository.

  How to fix:
  - Test chunked upload: curl -X POST https://registry.example.com/v2/test/blobs/uploads/
  - Enable uploads in the registry's configuration, or grant push on the test repository.
  - A PATCH answered 201 (ECR): use a client that accepts any 2xx for a chunk, or push blobs in one request (monolithic-upload).

  Scenario: The registry opens an upload session
    When I send a POST request to "/v2/{repository}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    # Refusals of us or of the test repository say nothing about uploads.
    Then the scenario is an error when the status is 401 or 403 because "POST /v2/{repository}/blobs/uploads/ answered {answer}: the credentials may not push to the test repository {repository}; grant push there, or set testRepository to one they may push to"
    And the scenario is an error when the response error code is "NAME_UNKNOWN" because "the registry does not know the test repository {repository} for an upload ({answer}); check testRepository and the credentials' access to it"
    And the capability is supported when the status is 202

  @verify
  Scenario: A blob uploaded in two chunks reads back the same
    Given I save 3000 random bytes as "blob"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 because "POST answered {answer} instead of opening an upload session"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "0-1499"
    And the request body is bytes 0 to 1499 of the saved body "blob"
    When I send a PATCH request to "{session}"
    Then the registry deviates from "Pushing a blob in chunks" when the status is 201 because "a PATCH that takes a chunk MUST answer 202 Accepted; the registry answered {answer} (as ECR does): clients that require 202 stop the push there, and only those that take any 2xx go on"
    And the capability is unsupported unless the status is 202 or 201 because "the first chunk was refused: {answer}"
    And the registry deviates from "Pushing a blob in chunks" unless the response header "Range" is "0-1499" because "the 202 Accepted of a PATCH MUST carry Range: 0-<last byte held>, here 0-1499; the registry answered {answer} with another or none"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "1500-2999"
    And the request body is bytes 1500 to 2999 of the saved body "blob"
    When I send a PATCH request to "{session}"
    Then the registry deviates from "Pushing a blob in chunks" when the status is 201 because "a PATCH that takes a chunk MUST answer 202 Accepted; the registry answered {answer} (as ECR does): clients that require 202 stop the push there, and only those that take any 2xx go on"
    And the capability is unsupported unless the status is 202 or 201 because "the second chunk was refused: {answer}"
    And the registry deviates from "Pushing a blob in chunks" unless the response header "Range" is "0-2999" because "the 202 Accepted of a PATCH MUST carry Range: 0-<last byte held>, here 0-2999; the registry answered {answer} with another or none"
    And I save the response header "Location" as "session"
    Given the request query parameter "digest" is "{blob.digest}"
    When I send a PUT request to "{session}"
    And I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "closing the upload with its digest was refused: {answer}"
    And the registry deviates from "Pushing a blob in chunks" unless the response header "Location" is present because "the 201 Created closing an upload session MUST carry Location: <blob-location>; the registry answered {answer} without it"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is unsupported unless the status is 200 because "the uploaded blob cannot be read back: {answer}"
    And the registry corrupts content unless the response body is the saved body "blob" and the response header "Docker-Content-Digest" is absent or is "{blob.digest}" because "GET of the blob uploaded in two chunks to {scratch} read back other bytes than were uploaded (or a Docker-Content-Digest naming other content)"
    And the capability is supported when the status is 200
