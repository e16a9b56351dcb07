@capability:referrers-tag-fallback @check:check.oci.spec.discovery @severity:warn
Feature: Referrers tag schema fallback
  Spec: OCI Distribution Spec v1.1, "Unavailable Referrers API" and
  "Referrers Tag Schema": without the referrers API a client MUST keep the
  referrers of a manifest in an image index tagged <alg>-<hex> (sha256:abc…
  → sha256-abc…) and read it back from there; "Pushing Manifests with
  Subject" says how (pull the tag, 404 means an empty index, append, push).
  The registry needs nothing but to store that index under the tag and
  serve it back unchanged, next to a manifest with a subject it may not
  understand. A MUST of the spec's client fallback, hence warn: without it
  and without the referrers API, signatures and SBOMs cannot be attached.

  Verify only: the scenario pushes an image and an artifact referring to it
  to {scratch}, then (with a plain PUT, so that a refusal is a verdict) an
  index under the image's referrers tag listing the artifact, and reads the
  tag back: it must be the index written, not the subject (a registry that
  reads the tag as a digest serves that).

  Common causes when missing:
  - The registry refuses an index whose manifests it validates strictly, or tags with a "sha256-" prefix.
  - The registry refuses manifests with a subject field it does not know.
  - The registry serves the index re-serialized, so its digest changes.
  - The registry reads a sha256-<hex> tag as the digest sha256:<hex> and serves the subject itself (GitLab).

  How to fix:
  - Test it directly: push an index to /v2/<repository>/manifests/sha256-<hex of the subject> and GET it back.
  - Upgrade the registry to one with the referrers API (OCI Distribution Spec v1.1), which needs no tag.
  - Where sha256-<hex> tags are refused (Quay) or read as digests (GitLab), the tag schema cannot work: use a registry, or a release, with the referrers API.

  @verify
  Scenario: An index under the referrers tag reads back
    Given I push an image to "{scratch}:fallback-subject" and save its digest as "subject"
    And I push an artifact of type "application/vnd.ocicaps.fallback.v1" referring to "{subject}" to "{scratch}" and save its digest as "artifact"
    And I save the referrers tag of "{subject}" as "fallbackTag"
    And the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a HEAD request to "/v2/{scratch}/manifests/{artifact}"
    Then the status is 200
    And I save the response header "Content-Length" as "artifactSize"
    # A client first reads the tag: 404 means it starts with an empty index.
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    And I record the response status as "referrers tag before the push"
    Given the request body is:
      """application/vnd.oci.image.index.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
       "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": {artifactSize}, "digest": "{artifact}", "artifactType": "application/vnd.ocicaps.fallback.v1"}]}
      """
    And I save "{bodyDigest}" as "index"
    When I send a PUT request to "/v2/{scratch}/manifests/{fallbackTag}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{index}" when the scenario ends, if the status is 201
    # Deleting by digest leaves the tag behind on some registries (crane): the tag goes first.
    And I send a DELETE request to "/v2/{scratch}/manifests/{fallbackTag}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "the registry refused the index under the referrers tag {fallbackTag}: {answer} (Quay refuses tags of the form sha256-<hex> so): without the referrers API, clients cannot attach signatures or SBOMs to images here"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    Then the capability is unsupported unless the status is 200 because "GET of the referrers tag {fallbackTag} after pushing it answered {answer}"
    And I save the digest of the response body as "readBack"
    And the capability is unsupported when the variable "readBack" is "{subject}" because "reading the referrers tag {fallbackTag} returned the subject manifest itself: the registry resolves a sha256-<hex> tag as the digest sha256:<hex> (as GitLab does), so clients that keep referrers under the tag schema read the subject instead of its referrers and find no signature or SBOM"
    And the registry corrupts content unless the digest of the response body is "{index}" because "the referrers tag does not serve the pushed index byte for byte: its digest is {readBack}, the pushed index's {index}"
    And the capability is supported when the response body is an OCI image index and the JSON list "manifests" has an item whose "digest" is "{artifact}"
