@capability:tag-overwrite @check:check.example.engineer @severity:warn
Feature: A tag pushed again points to the new manifest
  Pushing a manifest to a tag that exists moves the tag: a GET of the tag
  then serves the new manifest. Release tooling re-tags "latest" this way.

  @verify
  Scenario: A second push to a tag moves it
    Given I push an image to "{scratch}:overwrite" and save its digest as "first"
    And I push an image to "{scratch}:overwrite" and save its digest as "second"
    And the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/overwrite"
    Then the capability is unsupported unless the status is 200 because "GET of the tag pushed twice answered {answer}"
    And I save the digest of the response body as "served"
    And the capability is supported when the variable "served" is "{second}"
    And otherwise the capability is unsupported because "the tag still serves the first manifest ({served}) after the second push"
