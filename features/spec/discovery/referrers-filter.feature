@capability:referrers-filter @check:check.oci.spec.discovery @severity:info
Feature: Referrers filtered by artifactType
  Spec: OCI Distribution Spec v1.1, "Listing Referrers" (end-12b): "The
  registry SHOULD support filtering on artifactType"
  (?artifactType=<type>), hence info; "If filtering is requested and
  applied, the response MUST include a header OCI-Filters-Applied:
  artifactType". A registry that filters without the header is supported
  with a deviation (clients that trust the header filter again, and only
  lose time); one that does not filter (and says nothing) is unsupported:
  clients then filter the full list themselves. A header that claims a
  filter the list does not reflect is unsupported.

  The probe asks for the referrers of the test image of a type no artifact
  has: any referrer listed means the filter was not applied (an empty list
  cannot tell a filter from a subject without referrers); the verify
  scenario pushes two artifacts of different types with
  the same subject to {scratch}, and a control artifact of the filtered
  type whose subject is another image, and filters by one of them: the
  filtered list must hold the subject's artifact of that type, and neither
  the other type nor the control (a registry that ignores the subject
  would otherwise pass or not depending on what else was pushed).

  Common causes when missing:
  - The registry has no referrers API (OCI Distribution Spec v1.1).
  - The registry ignores the artifactType query parameter.
  - The registry filters but does not send OCI-Filters-Applied.

  How to fix:
  - Test it directly: curl -i -H "Accept: application/vnd.oci.image.index.v1+json" "https://registry.example.com/v2/<repository>/referrers/<digest>?artifactType=<type>"
  - Upgrade the registry; nothing to fix for clients, which filter the list themselves.

  Scenario: A filter on an artifactType nothing has
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "subject"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And the request query parameter "artifactType" is "application/vnd.ocicaps.none.v1"
    When I send a GET request to "/v2/{repository}/referrers/{subject}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported unless the status is 200 because "the referrers API answered {answer}"
    And I record the response header "OCI-Filters-Applied" as "filters applied"
    And the capability is unsupported when the response header "OCI-Filters-Applied" lists "artifactType" and the JSON field "manifests[0]" exists because "the registry says it filtered by artifactType but listed a referrer of the test image for a type no artifact has"
    And the capability is unsupported when the JSON field "manifests[0]" exists because "the registry does not filter by artifactType: ?artifactType=application/vnd.ocicaps.none.v1 listed referrers of the test image, which have other types"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "filtered"
    Then the capability is unsupported unless the variable "filtered.end" is "complete" because "the filtered referrers list of the test image cannot be read to its end: {filtered.problem}"
    And the capability is unsupported unless the saved list "filtered" has 0 items because "the registry does not filter by artifactType: a later page of ?artifactType=application/vnd.ocicaps.none.v1 lists referrers of the test image, which have other types"
    # Nothing listed: filtered, or nothing to filter (olareg sends
    # OCI-Filters-Applied only when the subject has referrers); the verify
    # scenario tells which.
    And the capability is supported when the status is 200

  @verify
  Scenario: Two artifacts of different types, filtered by one
    Given I push an image to "{scratch}:filter-subject" and save its digest as "subject"
    And I push an artifact of type "application/vnd.ocicaps.filter-a.v1" referring to "{subject}" to "{scratch}" and save its digest as "a"
    And I push an artifact of type "application/vnd.ocicaps.filter-b.v1" referring to "{subject}" to "{scratch}" and save its digest as "b"
    And I push an image to "{scratch}:filter-other" and save its digest as "other"
    And I push an artifact of type "application/vnd.ocicaps.filter-a.v1" referring to "{other}" to "{scratch}" and save its digest as "control"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And the request query parameter "artifactType" is "application/vnd.ocicaps.filter-a.v1"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported unless the status is 200 because "the referrers API answered {answer}"
    And I record the response header "OCI-Filters-Applied" as "filters applied"
    And the capability is unsupported when the JSON list "manifests" has an item whose "digest" is "{control}" because "the filtered referrers list of {subject} lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And the capability is unsupported unless the JSON list "manifests" has an item whose "digest" is "{a}" because "filtering by the type of an artifact of the subject dropped that artifact"
    And the capability is unsupported when the response header "OCI-Filters-Applied" lists "artifactType" and the JSON list "manifests" has an item whose "digest" is "{b}" because "the registry says it filtered by artifactType but listed the artifact of the other type"
    And the capability is unsupported when the JSON list "manifests" has an item whose "digest" is "{b}" because "the registry does not filter by artifactType: ?artifactType=application/vnd.ocicaps.filter-a.v1 listed the artifact of type application/vnd.ocicaps.filter-b.v1 too"
    And the registry deviates from "Listing Referrers" unless the response header "OCI-Filters-Applied" lists "artifactType" because "If filtering is requested and applied, the response MUST include a header OCI-Filters-Applied: artifactType; the filtered answer {answer} has none"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "filtered"
    Then the capability is unsupported unless the variable "filtered.end" is "complete" because "the filtered referrers list of {subject} cannot be read to its end: {filtered.problem}"
    And the capability is unsupported when the saved list "filtered" has an item whose "digest" is "{control}" because "a page of the filtered referrers list of {subject} lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And the capability is unsupported when the saved list "filtered" has an item whose "digest" is "{b}" because "a page of the filtered referrers list of {subject} lists the artifact of the other type"
    And the capability is supported when the saved list "filtered" has 1 item
