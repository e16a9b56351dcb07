@capability:pull @check:check.integration.oci.pull @severity:warn
Feature: Pull
  The test repository's manifest and one of its blobs can be fetched. A blob
  answered with a redirect to storage (302, 303, 307) counts as fetchable;
  the redirect is not followed, so no credentials go to another host. Only
  the first byte of the blob is requested.

  Common causes when missing:
  - The test repository or tag does not exist on this registry.
  - The credentials may not pull from the test repository.

  How to fix:
  - Push an image to the test repository, or set testRepository and testTag in registries.yaml.
  - Grant pull on the test repository.

  Scenario: The test image's manifest and a blob can be fetched
    Given I save a blob digest of the manifest "{repository}:{tag}" as "blob"
    And I record "{blob}" as "blob digest"
    And the request header "Range" is "bytes=0-0"
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the capability is supported when the status is 200, 206, 302, 303 or 307
