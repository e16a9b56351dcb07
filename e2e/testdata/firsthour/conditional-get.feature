@capability:conditional-get @check:check.example.engineer @severity:info
Feature: Conditional manifest GET with If-None-Match
  A GET of a manifest with If-None-Match naming the digest the client holds
  answers 304 Not Modified without a body, so that a client polling a tag
  downloads nothing while the tag has not moved.

  Scenario: If-None-Match with the current digest answers 304
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then the capability is unsupported unless the status is 200 because "GET of the test image answered {answer}"
    And I save the digest of the response body as "manifest"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
    And the request header "If-None-Match" is "\"{manifest}\""
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then the capability is supported when the status is 304 and the response body is empty
    And the capability is unsupported when the status is 200 because "GET with If-None-Match naming the current digest answered {answer} with the whole manifest"
