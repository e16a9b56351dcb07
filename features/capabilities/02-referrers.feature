@capability:referrers @check:check.integration.oci.capabilities @severity:warn
@fallback:referrers-tag-fallback
Feature: Referrers API
  GET /v2/<repository>/referrers/<digest> lists the artifacts (signatures,
  SBOMs, attestations) whose subject is the manifest. Release tooling uses it
  for attestation linking. The registry supports it when it answers 200
  with an OCI image index, or 404 with one (an index whose manifests is
  null counts as an empty list). A 200 whose body is not an index, or not
  JSON at all, is no support.
  In verify mode the list of a pushed artifact must be served as an OCI
  image index and its descriptor must carry the artifact's artifactType
  and annotations ("Listing Referrers", MUST); otherwise that is a
  deviation. The list must hold the subject's own referrers only: a
  control artifact of the same type that refers to another image must be
  absent, whole list, filtered list and every page (followed to the end);
  a registry that lists every artifact of the repository would otherwise
  pass, or not, depending on what else was pushed at the time.

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
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "all"
    Then the capability is unsupported when the variable "all.end" matches "^(cycle|bound|refused)$" because "the referrers list of the test image cannot be read to its end: {all.problem}"
    And the capability is unsupported when the variable "all.end" matches "^(status|malformed)$" and the variable "all.pages" matches "^([2-9]|[0-9]{2,})$" because "the referrers list of the test image cannot be read to its end: {all.problem}"
    # Issue 20 overrides the seed matrix's "200 passes": a 200 must carry
    # an OCI image index (malformed JSON is unsupported, the parse failure
    # named). olareg answers a subject without referrers with
    # "manifests": null (curl, 2026-12-07), read as an empty list by the
    # one rule for null lists (docs/writing-scenarios.md); it is a
    # deviation in referrers-empty-list.
    Then the capability is supported when the status is 200 and the response body is an OCI image index whose manifests may be null
    And the capability is supported when the status is 404 and the response body is an OCI image index whose manifests may be null
    And otherwise the capability is unsupported because "the referrers API answered {answer} without an OCI image index"

  @verify
  Scenario: The referrers API lists an artifact pushed with a subject
    Given I push an image to "{scratch}:subject" and save its digest as "subject"
    And I push an artifact of type "application/vnd.ocicaps.probe.v1" referring to "{subject}" to "{scratch}" and save its digest as "artifact"
    # The control: the same type, another subject. It must not be listed.
    And I push an image to "{scratch}:subject-other" and save its digest as "other"
    And I push an artifact of type "application/vnd.ocicaps.probe.v1" referring to "{other}" to "{scratch}" and save its digest as "control"
    # Without the API, clients keep referrers under this tag instead.
    And I save the referrers tag of "{subject}" as "fallbackTag"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    And I record the response status as "referrers tag schema"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported unless the status is 200 because "the referrers API answered {answer} for a subject that has a referrer"
    And the capability is unsupported when the JSON list "manifests" has an item whose "digest" is "{control}" because "the referrers list of {subject} lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And the capability is unsupported unless the JSON list "manifests" has an item whose "digest" is "{artifact}" because ""
    And the registry deviates from "Listing Referrers" unless the response header "Content-Type" matches "^application/vnd\.oci\.image\.index\.v1\+json" because "the referrers list MUST be served with Content-Type: application/vnd.oci.image.index.v1+json; the registry answered {answer} with another"
    # Judged on the artifact's own descriptor, found by its digest: other
    # referrers of the subject (a registry may attach its own) do not
    # matter.
    And the registry deviates from "Listing Referrers" unless the JSON list "manifests" has an item whose "digest" is "{artifact}" and whose "artifactType" is "application/vnd.ocicaps.probe.v1" because "each descriptor of the referrers list MUST carry the artifact's artifactType; the registry answered {answer} without application/vnd.ocicaps.probe.v1 on the descriptor of the pushed artifact"
    And the registry deviates from "Listing Referrers" unless the JSON list "manifests" has an item whose "digest" is "{artifact}" and whose "annotations['org.ocicaps.probe']" is "referrer" because "each descriptor of the referrers list MUST carry the artifact's annotations; the registry answered {answer} without org.ocicaps.probe: referrer on the descriptor of the pushed artifact"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And the request query parameter "artifactType" is "application/vnd.ocicaps.probe.v1"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported unless the status is 200 and the JSON list "manifests" has an item whose "digest" is "{artifact}" because "filtering by the artifact's own artifactType dropped it"
    And the capability is unsupported when the JSON list "manifests" has an item whose "digest" is "{control}" because "the referrers list of {subject} filtered by artifactType lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And I record the response header "OCI-Filters-Applied" as "filters applied"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And the request query parameter "artifactType" is "application/vnd.ocicaps.other.v1"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported when the response header "OCI-Filters-Applied" contains "artifactType" and the JSON list "manifests" has an item whose "digest" is "{artifact}" because "the registry says it filtered by artifactType but listed an artifact of another type"
    # Every page, to the end: the control must be on none of them.
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "referrers"
    Then the capability is unsupported unless the variable "referrers.end" is "complete" because "the referrers list of {subject} cannot be read to its end: {referrers.problem}"
    And the capability is unsupported when the saved list "referrers" has an item whose "digest" is "{control}" because "a page of the referrers list of {subject} lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And the capability is supported when the saved list "referrers" has an item whose "digest" is "{artifact}"
