@capability:fb-referrers @check:check.test.fallbacks @severity:info
@fallback:fb-referrers-tag @fallback:fb-unselected
Feature: Referrers API (fallbacks e2e)
  The test image's referrers, asked for: supported on a 200. Without the
  API, clients keep the list under the referrers tag (fb-referrers-tag).
  fb-unselected stands for a fallback outside the selection.

  Scenario: The registry lists the referrers of the test image
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "subject"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/{subject}"
    Then the capability is supported when the status is 200
