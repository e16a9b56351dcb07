@capability:referrers @check:check.integration.oci.capabilities @severity:warn
@fallback:referrers-tag-fallback
Feature: Referrers API
  GET /v2/<repository>/referrers/<digest> lists the artifacts (signatures,
  SBOMs, attestations) whose subject is the manifest. Release tooling uses it
  for attestation linking. The registry supports it when it answers 200, or
  404 with an OCI image index as the body. In verify mode the list of a
  pushed artifact must be served as an OCI image index and its descriptor
  must carry the artifact's artifactType and annotations ("Listing
  Referrers", MUST); otherwise that is a deviation.

  Common causes when missing:
  - The registry does not implement OCI Distribution Spec v1.1 (no referrers API).
  - The registry version is too old for newer OCI features.

  How to fix:
  - Test the referrers API directly:
    curl -H "Accept: application/vnd.oci.image.index.v1+json" https://registry.example.com/v2/library/alpine/referrers/sha256:abc...
  - Upgrade the registry: Harbor 2.6+, Quay 3.12+, ACR, ECR, GCR/Artifact Registry support referrers.

  # For maintainers, not shown to users (observed on the zoo registries):
  # olareg does both (curl, 2026-12-02: the descriptor repeats annotations and artifactType).
  Scenario: The registry lists the referrers of the test image
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "subject"
    And I record "{subject}" as "subject digest"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/{subject}"
    Then the capability is supported when the status is 200
    And the capability is supported when the status is 404 and the response body is an OCI image index

  @verify
  Scenario: The referrers API lists an artifact pushed with a subject
    Given I push an image to "{scratch}:subject" and save its digest as "subject"
    And I push an artifact of type "application/vnd.ocicaps.probe.v1" referring to "{subject}" to "{scratch}" and save its digest as "artifact"
    # Without the API, clients keep referrers under this tag instead.
    And I save the referrers tag of "{subject}" as "fallbackTag"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    And I record the response status as "referrers tag schema"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported unless the status is 200 because "the referrers API answered {answer} for a subject that has a referrer"
    And the capability is unsupported unless the JSON list "manifests" has an item whose "digest" is "{artifact}" because ""
    And the registry deviates from "Listing Referrers" unless the response header "Content-Type" matches "^application/vnd\.oci\.image\.index\.v1\+json" because "the referrers list MUST be served with Content-Type: application/vnd.oci.image.index.v1+json; the registry answered {answer} with another"
    And the registry deviates from "Listing Referrers" unless the JSON field "manifests[0].artifactType" is "application/vnd.ocicaps.probe.v1" because "each descriptor of the referrers list MUST carry the artifact's artifactType; the registry answered {answer} without application/vnd.ocicaps.probe.v1 on the one referrer"
    And the registry deviates from "Listing Referrers" unless the JSON field "manifests[0].annotations['org.ocicaps.probe']" is "referrer" because "each descriptor of the referrers list MUST carry the artifact's annotations; the registry answered {answer} without org.ocicaps.probe: referrer on the one referrer"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And the request query parameter "artifactType" is "application/vnd.ocicaps.probe.v1"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported unless the status is 200 and the JSON list "manifests" has an item whose "digest" is "{artifact}" because "filtering by the artifact's own artifactType dropped it"
    And I record the response header "OCI-Filters-Applied" as "filters applied"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And the request query parameter "artifactType" is "application/vnd.ocicaps.other.v1"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported when the response header "OCI-Filters-Applied" contains "artifactType" and the JSON list "manifests" has an item whose "digest" is "{artifact}" because "the registry says it filtered by artifactType but listed an artifact of another type"
    And the capability is supported when the status is 200
