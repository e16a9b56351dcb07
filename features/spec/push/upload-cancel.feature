@capability:upload-cancel @check:check.oci.spec.push @severity:info
Feature: Cancelling an upload session
  Spec: OCI Distribution Spec v1.1, "Cancel a blob upload" (end-14): a
  DELETE of the <blob-push-location> from the latest POST or PATCH cancels
  the upload; the answer SHOULD be 204 No Content. Afterwards the session is
  unknown: a GET of it fails with 404 (end-13), code BLOB_UPLOAD_UNKNOWN.
  A session that is gone but answered 400 BLOB_UPLOAD_UNKNOWN is
  cancelled all the same: a deviation from the endpoint table's 404, not a
  missing capability. A DELETE answered 202 instead of the SHOULD's 204 is
  accepted without a deviation. Clients cancel an aborted upload to release what the registry holds for
  it; the spec makes cancelling a SHOULD (registries SHOULD also time
  unfinished uploads out), so missing it is information.

  The probe opens an empty session in the test repository, cancels it and
  asks for it again, like the chunked-upload probe; nothing is stored. The
  verify scenario first sends 10 bytes to a session in {scratch} and
  cancels through the Location of that PATCH.

  Common causes when missing:
  - The registry does not implement DELETE on upload sessions.
  - The registry keeps the session after the DELETE.

  How to fix:
  - Implement DELETE /v2/<name>/blobs/uploads/<id> (204, then 404 BLOB_UPLOAD_UNKNOWN for the session).
  - Meanwhile nothing for clients to do: the registry must time unfinished uploads out.

  # For maintainers, not shown to users (observed on the zoo registries):
  # olareg answers a cancelled session 400 BLOB_UPLOAD_UNKNOWN; crane answers DELETE of a session 400 NAME_INVALID.
  Scenario: A cancelled empty session is gone
    When I send a POST request to "/v2/{repository}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the scenario is an error when the status is 401 or 403 because "POST /v2/{repository}/blobs/uploads/ answered {answer}: the credentials may not push to the test repository {repository}; grant push there, or set testRepository to one they may push to"
    And the scenario is an error when the response error code is "NAME_UNKNOWN" because "the registry does not know the test repository {repository} for an upload ({answer}); check testRepository and the credentials' access to it"
    And the capability is unsupported unless the status is 202 and the response header "Location" is present because "POST /v2/{repository}/blobs/uploads/ answered {answer}: there is no upload session to cancel"
    And I save the response header "Location" as "session"
    When I send a DELETE request to "{session}"
    Then the capability is unsupported unless the status is 200, 202 or 204 because "DELETE of the upload session answered {answer}, not 204 No Content"
    When I send a GET request to "{session}"
    Then the capability is supported when the status is 404
    And the registry deviates from "Endpoints" when the status is 400 and the response error code is "BLOB_UPLOAD_UNKNOWN" because "GET of an upload session the registry no longer knows fails with 404 Not Found (end-13); the registry answered {answer}"
    And the capability is supported when the status is 400 and the response error code is "BLOB_UPLOAD_UNKNOWN"
    And otherwise the capability is unsupported because "DELETE of the session was answered with success, but GET of the session then answered {answer}, not 404 (BLOB_UPLOAD_UNKNOWN)"

  @verify
  Scenario: A session holding a chunk is cancelled through the latest Location
    Given I save 10 random bytes as "chunk"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "POST /v2/{scratch}/blobs/uploads/ answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "0-9"
    And the request body is bytes 0 to 9 of the saved body "chunk"
    When I send a PATCH request to "{session}"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "the PATCH of 10 bytes answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    # The session holds the chunk before the DELETE: "gone" after it
    # means something only if it was there. Its Range is the evidence; a
    # 200 instead of the spec's 204 is upload-status's to judge.
    When I send a GET request to "{session}"
    Then the capability is unsupported unless the status is 200 or 204 and the response header "Range" is "0-9" because "before the DELETE, GET of the session holding 10 bytes answered {answer}, not 204 No Content with Range: 0-9"
    When I send a DELETE request to "{session}"
    Then the capability is unsupported unless the status is 200, 202 or 204 because "DELETE of the session holding 10 bytes answered {answer}, not 204 No Content"
    When I send a GET request to "{session}"
    Then the capability is supported when the status is 404
    And the registry deviates from "Endpoints" when the status is 400 and the response error code is "BLOB_UPLOAD_UNKNOWN" because "GET of an upload session the registry no longer knows fails with 404 Not Found (end-13); the registry answered {answer}"
    And the capability is supported when the status is 400 and the response error code is "BLOB_UPLOAD_UNKNOWN"
    And otherwise the capability is unsupported because "DELETE of the session holding 10 bytes was answered with success, but GET of the session then answered {answer}, not 404 (BLOB_UPLOAD_UNKNOWN)"
