@capability:fb-referrers-tag @check:check.test.fallbacks @severity:info
Feature: Referrers tag schema (fallbacks e2e)
  An index pushed under the <alg>-<hex> tag of a subject reads back: what
  a client without the referrers API does instead.

  @verify
  Scenario: An index under the referrers tag of a subject reads back
    Given I push an image to "{scratch}:fb-subject" and save its digest as "subject"
    And I save the referrers tag of "{subject}" as "referrersTag"
    And I push the manifest to "{scratch}:{referrersTag}" and save its digest as "index":
      """application/vnd.oci.image.index.v1+json
      {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}
      """
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{referrersTag}"
    Then the capability is unsupported unless the status is 200 because "the index under the referrers tag does not read back: {answer}"
    And the capability is supported when the response body is an OCI image index
