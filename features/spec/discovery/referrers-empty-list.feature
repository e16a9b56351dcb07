@capability:referrers-empty-list @check:check.oci.spec.discovery @severity:warn
Feature: Referrers of a manifest without referrers
  Spec: OCI Distribution Spec v1.1, "Listing Referrers" (end-12a, end-12b):
  "If a query results in no matching referrers, an empty manifest list MUST
  be returned": 200 with an OCI image index whose manifests is [], for a
  subject without referrers as for a filter that matches none. A MUST,
  hence warn. A registry that answers "manifests": null still says "no
  referrers" to a lenient client, so the capability is supported with a
  deviation: clients that iterate over the list (JavaScript, strict JSON
  schemas) fail on null. A registry without the referrers API (404) is
  unsupported: it has no list to return.

  The probe asks for the referrers of a digest nothing refers to in the
  test repository; the verify scenario pushes an image to {scratch}, and a
  control artifact whose subject is another image, and asks for the
  image's referrers, unfiltered and filtered by an artifactType: the
  control must not be listed (a registry that ignores the subject would
  otherwise pass or not depending on what else was pushed).

  Common causes when missing:
  - The registry has no referrers API (OCI Distribution Spec v1.1).
  - The registry serializes an empty list as null ("manifests": null).

  How to fix:
  - Test it directly: curl -H "Accept: application/vnd.oci.image.index.v1+json" https://registry.example.com/v2/<repository>/referrers/<digest>
  - Upgrade the registry; serialize an empty descriptor list as [].
  - Without the referrers API, clients use the referrers tag schema (referrers-tag-fallback).

  Scenario: A digest without referrers lists an empty manifests list
    # The test image first, though the digest asked about is another: a
    # registry that refuses our credentials must make this an error, and
    # Distribution answers 404 to routes it lacks before it checks them.
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "image"
    # A registry with the referrers API MUST refuse an invalid digest with
    # 400; one without it answers 404, which says nothing here.
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/sha256:not-a-digest"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the registry deviates from "Listing Referrers" when the status is 200 because "a referrers request for an invalid digest MUST answer 400 Bad Request; the registry answered {answer}"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then the capability is unsupported unless the status is 200 because "the referrers API answered {answer}"
    And the registry deviates from "Listing Referrers" when the JSON field "manifests" is "null" because "If a query results in no matching referrers, an empty manifest list MUST be returned; the registry answered {answer} with manifests: null"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the referrers list of a digest nothing refers to cannot be read to its end: {all.problem}"
    And the capability is supported when the saved list "all" has 0 items

  @verify
  Scenario: A pushed image without referrers lists an empty manifests list
    Given I push an image to "{scratch}:no-referrers" and save its digest as "subject"
    And I push an image to "{scratch}:no-referrers-other" and save its digest as "other"
    And I push an artifact of type "application/vnd.ocicaps.none.v1" referring to "{other}" to "{scratch}" and save its digest as "control"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported unless the status is 200 because "the referrers API answered {answer} for a pushed image without referrers"
    And the registry deviates from "Listing Referrers" when the JSON field "manifests" is "null" because "If a query results in no matching referrers, an empty manifest list MUST be returned; the registry answered {answer} with manifests: null"
    And the capability is unsupported when the JSON list "manifests" has an item whose "digest" is "{control}" because "the referrers list of {subject}, which nothing refers to, lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And the capability is unsupported when the JSON field "manifests[0]" exists because "the referrers list of an image nothing refers to is not empty"
    And the capability is unsupported unless the JSON field "manifests" exists because "the referrers answer has no manifests field"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I follow the Link headers to the end, at most 100 pages, saving the JSON list "manifests" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the referrers list of {subject} cannot be read to its end: {all.problem}"
    And the capability is unsupported when the saved list "all" has an item whose "digest" is "{control}" because "a page of the referrers list of {subject}, which nothing refers to, lists {control}, an artifact whose subject is another image: the registry does not list by subject"
    And the capability is unsupported unless the saved list "all" has 0 items because "the referrers list of an image nothing refers to, all {all.pages} pages together, holds {all.count} descriptors"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    And the request query parameter "artifactType" is "application/vnd.ocicaps.none.v1"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the capability is unsupported unless the status is 200 because "the referrers API answered {answer} for ?artifactType= with a type nothing has"
    And the registry deviates from "Listing Referrers" when the JSON field "manifests" is "null" because "If a query results in no matching referrers, an empty manifest list MUST be returned; the registry answered {answer} with manifests: null"
    And the capability is supported when the JSON list "manifests" is empty or null
