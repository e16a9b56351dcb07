@capability:single-post-upload @check:check.integration.oci.extended @severity:info
Feature: Single-request blob upload
  POST /v2/<repository>/blobs/uploads/?digest=<digest> with the blob as the
  body stores a small blob in one request (201 Created), instead of POST
  then PUT. Optional in the OCI spec; registries that do not support it open
  a session instead (202). The probe stores a small fixed blob in
  mountRepository and deletes it again.

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
    Then the capability is supported when the status is 201
