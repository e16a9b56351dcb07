@capability:blob-head @check:check.example.engineer @severity:warn
Feature: Blob HEAD
  HEAD on a blob the repository holds answers 200 with the blob's size as
  Content-Length, its digest as Docker-Content-Digest, and no body: clients
  check that a layer exists before they push it.

  Scenario: HEAD of the test image's first layer
    Given I save a blob digest and size of the manifest "{repository}:{tag}" as "blob"
    When I send a HEAD request to "/v2/{repository}/blobs/{blob}"
    Then the capability is supported when the status is 200 and the response header "Content-Length" is "{blob.size}" and the response header "Docker-Content-Digest" is "{blob}" and the response body is empty
    And the capability is unsupported when the status is 404 or 405 because "HEAD of a blob the repository holds answered {answer}"
