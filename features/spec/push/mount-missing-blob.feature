@capability:mount-missing-blob @check:check.oci.spec.push @severity:info
Feature: Mounting a missing blob opens an upload session
  Spec: OCI Distribution Spec v1.1, "Mounting a blob from another
  repository" (end-11): a registry unable to mount the requested blob
  SHOULD answer 202 Accepted: an upload session has begun and the client
  MAY proceed with the upload (the session's POST answer MUST carry a
  Location, "POST then PUT"). Clients mount optimistically and upload when
  the mount fails, in one round trip; a registry that answers otherwise
  costs them an extra POST, or fails the push. A SHOULD, so missing it is
  information.

  The probe asks mountRepository to mount a digest that the test
  repository does not hold from it, and cancels the session; nothing is
  stored. The verify scenario does the same in {scratch2} with the digest
  of fresh random bytes, then uploads them through the session it got.

  Common causes when missing:
  - The registry answers a failed mount with an error (404 BLOB_UNKNOWN) instead of an upload session.
  - The registry answers 201 for a blob it does not hold.

  How to fix:
  - Answer a mount that cannot be done like a plain POST to /blobs/uploads/: 202 with a Location.

  Scenario: A mount of a blob the source does not hold opens a session
    When I send a POST request to "/v2/{mountRepository}/blobs/uploads/?mount=sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881&from={repository}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{mountRepository}/blobs/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" when the scenario ends, if the status is 201
    Then the scenario is an error when the status is 401 or 403 because "POST to the mount target {mountRepository} answered {answer}: the credentials need push on {mountRepository} and pull on {repository}; grant them, or set mountRepository to a repository they may push to"
    And the capability is unsupported when the status is 404 and the response error code is "BLOB_UNKNOWN" because "a mount of a blob {repository} does not hold answered {answer}, not 202 Accepted with an upload session"
    And the scenario is an error when the status is 404 because "POST to the mount target {mountRepository} answered {answer}: the registry does not know that repository or its namespace, or hides it from these credentials; set mountRepository to a repository they may push to"
    And the scenario is an error when the response error code is "NAME_INVALID" because "the registry refuses the name of the mount target {mountRepository} ({answer}); set mountRepository to a repository the credentials may push to"
    And the capability is unsupported when the status is 201 because "a mount of a blob {repository} does not hold answered 201 Created: the registry claims to have mounted what it does not have"
    And the capability is supported when the status is 202 and the response header "Location" is present
    And otherwise the capability is unsupported because "a mount of a blob {repository} does not hold answered {answer}, not 202 Accepted with a Location (an upload session)"

  @verify
  Scenario: The session a failed mount opens takes the blob
    Given I save 300 random bytes as "blob"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/?mount={blob.digest}&from={scratch}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{scratch2}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported when the status is 201 because "a mount of a blob never pushed anywhere answered 201 Created: the registry claims to have mounted what it does not have"
    And the capability is unsupported unless the status is 202 and the response header "Location" is present because "a mount of a blob {scratch} does not hold answered {answer}, not 202 Accepted with a Location (an upload session)"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{blob.digest}"
    And the request body is bytes 0 to 299 of the saved body "blob"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 201 because "the upload session the failed mount opened refused the blob: {answer}"
    When I send a GET request to "/v2/{scratch2}/blobs/{blob.digest}"
    Then the capability is unsupported unless the status is 200 because "the blob uploaded through the failed mount's session does not read back: {answer}"
    And the registry corrupts content unless the response body is the saved body "blob" and the response header "Docker-Content-Digest" is absent or is "{blob.digest}" because "GET in {scratch2} of the blob uploaded through the failed mount's session read back other bytes than were uploaded (or a Docker-Content-Digest naming other content)"
    And the capability is supported when the status is 200
