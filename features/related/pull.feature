@capability:pull @check:check.integration.oci.pull @severity:warn
Feature: Pull
  The test repository's manifest and one of its blobs can be fetched. A blob
  answered with a redirect to storage (301, 302, 303, 307, 308) is fetched
  where the redirect points, as registry clients do, and only the bytes
  count: credentials never go to another host, and a redirect a client
  cannot follow (a loop, a target that is not http or https, from https to
  plain http, a link-local or metadata address, more than 10 hops) makes
  the capability unsupported. Only the first byte of the blob is
  requested; a registry that sends the whole blob instead must send the
  bytes of its digest.

  Common causes when missing:
  - The test repository or tag does not exist on this registry.
  - The credentials may not pull from the test repository.
  - Blob downloads are redirected to storage that clients cannot reach or must not follow.

  How to fix:
  - Push an image to the test repository, or set testRepository and testTag in registries.yaml.
  - Grant pull on the test repository.
  - Point the storage redirect (e.g. Distribution's redirect middleware baseurl) at an http(s) address clients can reach, over https when the registry is served over https.

  Scenario: The test image's manifest and a blob can be fetched
    Given I save a blob digest of the manifest "{repository}:{tag}" as "blob"
    And I record "{blob}" as "blob digest"
    And the request header "Range" is "bytes=0-0"
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the capability is supported when the status is 206 and the response header "Content-Range" matches "^bytes 0-0/[0-9]+$"
    And I save the digest of the response body as "received"
    And the capability is supported when the status is 200 and the variable "received" is "{blob}"
