@capability:cross-repo-mount @check:check.integration.oci.capabilities @severity:info
@fallback:mount-without-from @fallback:monolithic-upload
Feature: Cross-repository blob mount
  POST /v2/<target>/blobs/uploads/?mount=<digest>&from=<repository> links a
  blob the registry already holds into another repository without sending it
  again; promotion between repositories depends on it. The registry supports
  it when it answers 201 Created (mounted) or 202 Accepted (an upload session
  instead). Either way the probe deletes what it made: the session, or the
  mounted blob in the target repository (mountRepository in registries.yaml).
  In verify mode the blob mounted is a layer of an image pushed to
  {scratch}, which a manifest references, as when an image is promoted;
  mount-unreferenced-blob judges a blob pushed alone.

  Common causes when missing:
  - Cross-repo mount is not supported by the registry implementation.
  - The credentials may not pull from the source or push to the target repository.

  How to fix:
  - Test the mount directly:
    curl -X POST "https://registry.example.com/v2/target/blobs/uploads/?mount=sha256:...&from=library/alpine"
  - Grant pull on the source and push on the target repository, or upgrade the registry.

  Scenario: The registry mounts a blob from the test repository
    Given I save a blob digest of the manifest "{repository}:{tag}" as "blob"
    When I send a POST request to "/v2/{mountRepository}/blobs/uploads/?mount={blob}&from={repository}"
    And I delete what the response created when the scenario ends
    # A 404 or NAME_INVALID here is about the target repository we chose,
    # not about mounting: a registry without mounts opens a session (202).
    Then the scenario is an error when the status is 401 or 403 because "POST to the mount target {mountRepository} answered {answer}: the credentials need push on {mountRepository} and pull on {repository}; grant them, or set mountRepository to a repository they may push to"
    And the scenario is an error when the status is 404 because "POST to the mount target {mountRepository} answered {answer}: the registry does not know that repository or its namespace, or hides it from these credentials; set mountRepository to a repository they may push to"
    And the scenario is an error when the response error code is "NAME_INVALID" because "the registry refuses the name of the mount target {mountRepository} ({answer}); set mountRepository to a repository the credentials may push to"
    # 202 (an upload session instead) is the seed's "supported" for the
    # probe; a 201 claims the blob is linked: it is read back in the target.
    And the capability is supported when the status is 202
    And the capability is unsupported unless the status is 201 because "the mount answered {answer}, neither 201 Created (mounted) nor 202 Accepted (an upload session)"
    When I send a GET request to "/v2/{mountRepository}/blobs/{blob}"
    Then the capability is unsupported unless the status is 200 because "the mount answered 201, but GET of the blob in {mountRepository} answered {answer}: nothing was mounted"
    And the registry corrupts content unless the digest of the response body is "{blob}" because "GET in {mountRepository} of the blob mounted from {repository} returned other bytes"
    And the capability is supported when the status is 200

  @verify
  Scenario: A layer of an image pushed to one repository is mounted into another
    # A layer a manifest references, as when an image is promoted: ECR mounts
    # only such blobs (mount-unreferenced-blob judges a blob pushed alone).
    Given I push an image to "{scratch}:mount-source" and save its digest as "image"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/?mount={image.layer}&from={scratch}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{scratch2}/blobs/{image.layer}" when the scenario ends, if the status is 201
    Then the capability is unsupported when the status is 202 because "mount not performed, registry fell back to an upload"
    And the capability is unsupported unless the status is 201 because "the mount was refused: {answer}"
    And the registry deviates from "Mounting a blob from another repository" unless the response header "Location" is present because "the 201 of a successful mount MUST carry a Location header; the registry answered {answer} without one"
    # A HEAD is a claim: the blob is read back in the target repository.
    When I send a GET request to "/v2/{scratch2}/blobs/{image.layer}"
    Then the capability is unsupported unless the status is 200 because "the mount answered 201, but GET of the blob in the target repository answered {answer}: nothing was mounted"
    And the registry corrupts content unless the digest of the response body is "{image.layer}" and the response header "Docker-Content-Digest" is absent or is "{image.layer}" because "GET in {scratch2} of the layer mounted from {scratch} returned other bytes than were pushed (or a Docker-Content-Digest naming other content)"
    And the capability is supported when the status is 200
