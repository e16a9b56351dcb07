@capability:referrers-lookup @check:check.integration.oci.referrers @severity:warn
Feature: Referrers lookup with digest resolution
  A focused referrers check: resolve the test tag to its manifest digest,
  then list the referrers of that digest. Stricter than the seed's probe: the
  answer must be 200 with a well-formed OCI image index (a manifests list,
  possibly empty; "manifests": null reads as an empty list, with a deviation).
  The subject digest used is reported.

  Common causes when missing:
  - The registry does not implement OCI Distribution Spec v1.1 (no referrers API).

  How to fix:
  - curl -H "Accept: application/vnd.oci.image.index.v1+json" https://registry.example.com/v2/<repository>/referrers/<digest>
  - Upgrade the registry: Harbor 2.6+, Quay 3.12+, ACR, ECR, GCR/Artifact Registry support referrers.

  Scenario: The referrers of the resolved test image are listed as an OCI index
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "subject"
    And I record "{subject}" as "subject digest"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/{subject}"
    Then the registry deviates from "Listing Referrers" when the status is 200 and the JSON field "manifests" is "null" because "If a query results in no matching referrers, an empty manifest list MUST be returned; the registry answered {answer} with manifests: null"
    And the capability is supported when the status is 200 and the response body is an OCI image index whose manifests may be null
