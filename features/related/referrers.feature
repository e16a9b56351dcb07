@capability:referrers-lookup @check:check.integration.oci.referrers @severity:warn
Feature: Referrers lookup with digest resolution
  A focused referrers check: resolve the test tag to its manifest digest,
  then list the referrers of that digest. Stricter than the seed's probe: the
  answer must be 200 with a well-formed OCI image index (a manifests list,
  possibly empty; "manifests": null reads as an empty list, with a deviation).
  The subject digest used is reported. A 200 whose body is not JSON is
  unsupported, the parse failure named.

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
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "all"
    Then the capability is unsupported when the variable "all.end" matches "^(cycle|bound|refused)$" because "the referrers list of the test image cannot be read to its end: {all.problem}"
    And the capability is unsupported when the variable "all.end" matches "^(status|malformed)$" and the variable "all.pages" matches "^([2-9]|[0-9]{2,})$" because "the referrers list of the test image cannot be read to its end: {all.problem}"
    # Issue 20 overrides the seed matrix's "200 passes" here as in
    # referrers: malformed JSON is unsupported with the parse failure named.
    And the registry deviates from "Listing Referrers" when the status is 200 and the JSON field "manifests" is "null" because "If a query results in no matching referrers, an empty manifest list MUST be returned; the registry answered {answer} with manifests: null"
    And the capability is supported when the status is 200 and the response body is an OCI image index whose manifests may be null
