@capability:single-post-upload @check:check.integration.oci.extended @severity:info
Feature: Single-request blob upload
  POST /v2/<repository>/blobs/uploads/?digest=<digest> with the blob as the
  body stores a small blob in one request (201 Created), instead of POST
  then PUT. Optional in the OCI spec; registries that do not support it open
  a session instead (202). The probe stores a small fixed blob in
  mountRepository and deletes it again; the verify scenario stores random
  bytes in the scratch repository and reads them back. A 201 without a
  Location header is a deviation from the spec ("Single POST": it MUST
  carry one), not a missing capability.

  Common causes when missing:
  - The registry ignores the digest parameter of POST and always opens an upload session.

  How to fix:
  - Nothing to fix on the registry: clients fall back to POST then PUT. Know it costs one extra round trip per blob.

  Scenario: A blob is stored by one POST
    Given the request body is "ocicaps single-POST upload probe"
    And the request header "Content-Type" is "application/octet-stream"
    When I send a POST request to "/v2/{mountRepository}/blobs/uploads/?digest={bodyDigest}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{mountRepository}/blobs/{bodyDigest}" when the scenario ends, if the status is 201
    Then the registry deviates from "Single POST" when the status is 201 and the response header "Location" is absent because "the 201 Created of a single-POST upload MUST carry Location: <blob-location>; the registry answered {answer} without it"
    And the capability is supported when the status is 201

  @verify
  Scenario: A blob stored by one POST reads back the same
    Given I save 600 random bytes as "blob"
    And the request body is the saved body "blob"
    And the request header "Content-Type" is "application/octet-stream"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/?digest={blob.digest}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "POST with ?digest= answered {answer}: the registry does not store a blob in one request"
    And the registry deviates from "Single POST" unless the response header "Location" is present because "the 201 Created of a single-POST upload MUST carry Location: <blob-location>; the registry answered {answer} without it"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is unsupported unless the status is 200 because "the blob stored by one POST cannot be read back: {answer}"
    And the registry corrupts content unless the response body is the saved body "blob" and the response header "Docker-Content-Digest" is absent or is "{blob.digest}" because "GET of the blob stored by one POST in {scratch} read back other bytes than were sent (or a Docker-Content-Digest naming other content)"
    And the capability is supported when the status is 200
