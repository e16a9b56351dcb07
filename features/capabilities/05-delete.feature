@capability:delete @check:check.integration.oci.capabilities @severity:info
Feature: Delete support
  An OPTIONS request on the test image's manifest tells whether the registry
  allows DELETE there (the Allow header). Garbage collection and clean-up
  tooling need manifest and blob deletes. In verify mode, a DELETE of a
  blob already deleted that answers anything but 404 is a
  deviation from the spec ("Deleting Blobs": 404 MUST be returned), not a
  missing capability.

  Common causes when missing:
  - The registry has delete operations disabled by policy.
  - The registry does not answer OPTIONS, so it cannot say.

  How to fix:
  - Enable delete in Docker Distribution: in /etc/docker/registry/config.yml set
    storage.delete.enabled: true, then restart the registry.
  - Enable delete in Harbor: delete_enabled: true in harbor.yml (Helm: harbor.registry.deleteEnabled: true).

  # For maintainers, not shown to users (observed on the zoo registries):
  # crane answers the second DELETE of a blob with 500.
  Scenario: The registry allows DELETE on manifests
    When I send an OPTIONS request to "/v2/{repository}/manifests/{tag}"
    Then the capability is supported when the response header "Allow" lists "DELETE"

  @verify
  Scenario: Deleting a pushed manifest by digest
    Given I push an image to "{scratch}:delete-me" and save its digest as "image"
    When I send a DELETE request to "/v2/{scratch}/manifests/{image}"
    Then the capability is unsupported unless the status is 202 because "DELETE of a manifest answered {answer}"
    # Without an Accept header some registries answer 404 for a manifest that is there.
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{image}"
    Then the capability is supported when the status is 404
    And otherwise the capability is unsupported because "DELETE of the manifest answered 202, but GET still answers {answer}"

  @verify
  Scenario: Deleting a pushed blob
    Given I save 512 random bytes as "blob"
    And I push the saved body "blob" as a blob to "{scratch}"
    When I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is unsupported unless the status is 202 because "DELETE of a blob answered {answer}"
    # The blob is gone now: a second DELETE must say so with 404.
    When I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the registry deviates from "Deleting Blobs" unless the status is 404 because "DELETE of a blob the registry does not hold MUST answer 404 Not Found; the registry answered {answer}"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is supported when the status is 404
    And otherwise the capability is unsupported because "DELETE of the blob answered 202, but GET still answers {answer}"
