@capability:referrers @check:check.integration.oci.capabilities @severity:warn
Feature: Referrers API
  GET /v2/<repository>/referrers/<digest> lists the artifacts (signatures,
  SBOMs, attestations) whose subject is the manifest. Release tooling uses it
  for attestation linking. The registry supports it when it answers 200, or
  404 with an OCI image index as the body.

  Common causes when missing:
  - The registry does not implement OCI Distribution Spec v1.1 (no referrers API).
  - The registry version is too old for newer OCI features.

  How to fix:
  - Test the referrers API directly:
    curl -H "Accept: application/vnd.oci.image.index.v1+json" https://registry.example.com/v2/library/alpine/referrers/sha256:abc...
  - Upgrade the registry: Harbor 2.6+, Quay 3.12+, ACR, ECR, GCR/Artifact Registry support referrers.

  Scenario: The registry lists the referrers of the test image
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "subject"
    And I record "{subject}" as "subject digest"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/{subject}"
    Then the capability is supported when the status is 200
    And the capability is supported when the status is 404 and the response body is an OCI image index
