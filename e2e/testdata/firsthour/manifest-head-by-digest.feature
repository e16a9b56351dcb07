@capability:manifest-head-by-digest @check:check.example.engineer @severity:warn
Feature: Manifest HEAD by digest
  HEAD of a manifest by its digest answers 200 with the digest and the size
  of the manifest and no body: clients check an image exists without
  downloading it.

  Scenario: HEAD of the test image's manifest by digest
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then the capability is unsupported unless the status is 200 because "GET of the test image answered {answer}"
    And I save the digest of the response body as "manifest"
    And I save the response header "Content-Length" as "size"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
    When I send a HEAD request to "/v2/{repository}/manifests/{manifest}"
    Then the capability is supported when the status is 200 and the response header "Docker-Content-Digest" is "{manifest}" and the response header "Content-Length" is "{size}" and the response body is empty
    And the capability is unsupported when the status is 404 or 405 because "HEAD of the manifest by its digest answered {answer}"
