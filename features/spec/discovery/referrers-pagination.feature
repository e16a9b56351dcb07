@capability:referrers-pagination @check:check.oci.spec.discovery @severity:info
Feature: Referrers pagination
  Spec: OCI Distribution Spec v1.1, "Listing Referrers" (end-12a): "A Link
  header MUST be included in the response when the descriptor list cannot
  be returned in a single manifest", set according to RFC 5988 with
  rel="next"; each page is an image index of its own. The spec leaves the
  page size to the registry, so ocicaps cannot make a registry paginate: it
  judges the Link when there is one, and otherwise that the list is whole.
  A rule that applies only when the registry paginates, hence info. A
  registry without the referrers API is unsupported.

  Both scenarios follow the Link headers to the end (at most 100 pages):
  a Link back to a page already read (a cycle), a list still going after
  100 pages, or a Link that is not http(s) to the registry itself is
  unsupported, and nothing is sent to such a Link. The probe walks the
  referrers of the test image; the verify scenario pushes three artifacts
  with the same subject to {scratch}, and a control artifact whose subject
  is another image, and expects exactly the three over all pages, the
  control on none.

  Common causes when missing:
  - The registry has no referrers API (OCI Distribution Spec v1.1).
  - The registry truncates a long list without a Link to the rest.
  - The Link header is not RFC 5988 (<url>; rel="next"), or its page does not answer.

  How to fix:
  - Test it directly: curl -i -H "Accept: application/vnd.oci.image.index.v1+json" https://registry.example.com/v2/<repository>/referrers/<digest>
  - Upgrade the registry; send Link: </v2/<repository>/referrers/<digest>?…>; rel="next" with every partial page.

  Scenario: The referrers of the test image, and their Link if any
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "subject"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/{subject}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported unless the status is 200 and the JSON field "manifests" exists because "the referrers API answered {answer}"
    And I record the response header "Link" as "next page"
    And the capability is supported when the response header "Link" is absent
    And the capability is unsupported unless the response header "Link" matches "^<[^>]+>; *rel=\x22?next\x22?" because "the Link header of the referrers list is not an RFC 5988 link with rel=next"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "referrers"
    Then the capability is unsupported unless the variable "referrers.end" is "complete" because "the referrers list of the test image cannot be read to its end: {referrers.problem}"
    And the capability is supported when the status is 200 and the response body is an OCI image index whose manifests may be null
    And otherwise the capability is unsupported because "the last page of the referrers list answered {answer}, not an OCI image index"

  @verify
  Scenario: Three referrers on one page, or a Link to the next
    Given I push an image to "{scratch}:pages-subject" and save its digest as "subject"
    And I push an artifact of type "application/vnd.ocicaps.page-1.v1" referring to "{subject}" to "{scratch}" and save its digest as "one"
    And I push an artifact of type "application/vnd.ocicaps.page-2.v1" referring to "{subject}" to "{scratch}" and save its digest as "two"
    And I push an artifact of type "application/vnd.ocicaps.page-3.v1" referring to "{subject}" to "{scratch}" and save its digest as "three"
    # The test image's list as the probe reads it: a verify that walked
    # fewer pages must not pass a list the probe found broken.
    And I resolve the manifest "{repository}:{tag}" and save its digest as "image"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/{image}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported unless the status is 200 and the JSON field "manifests" exists because "the referrers API answered {answer}"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "imageReferrers"
    Then the capability is unsupported unless the variable "imageReferrers.end" is "complete" because "the referrers list of the test image cannot be read to its end: {imageReferrers.problem}"
    Given I push an image to "{scratch}:pages-other" and save its digest as "other"
    And I push an artifact of type "application/vnd.ocicaps.page-1.v1" referring to "{other}" to "{scratch}" and save its digest as "control"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported unless the status is 200 and the response body is an OCI image index because "the referrers API answered {answer}"
    And I record the response header "Link" as "next page"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "referrers"
    Then the capability is unsupported unless the variable "referrers.end" is "complete" because "the referrers list of {subject} cannot be read to its end: {referrers.problem}"
    And the capability is unsupported when the saved list "referrers" has an item whose "digest" is "{control}" because "a page of the referrers list of {subject} lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And the capability is unsupported unless the saved list "referrers" has an item whose "digest" is "{one}" and the saved list "referrers" has an item whose "digest" is "{two}" and the saved list "referrers" has an item whose "digest" is "{three}" because "the referrers list of {subject}, all {referrers.pages} pages together, misses one of its 3 referrers"
    And the capability is supported when the saved list "referrers" has 3 items
    And otherwise the capability is unsupported because "the referrers list of {subject}, all {referrers.pages} pages together, holds {referrers.count} descriptors, not exactly its 3 referrers"
