@capability:missing-content @check:check.oci.spec.pull @severity:warn
Feature: Missing content answers 404 with its error code
  Spec: OCI Distribution Spec v1.1, "Pulling manifests", "Pulling blobs" and
  "Checking if content exists in the registry" (a manifest or blob that is
  not in the repository MUST be answered 404 Not Found), with the codes of
  "Error Codes" (MANIFEST_UNKNOWN, BLOB_UNKNOWN). Clients tell "not there"
  from "not allowed" or "broken" by this answer: a pull-through cache
  decides to fetch upstream, a push skips a blob it must upload.

  The probe asks the test repository for a tag, a manifest digest and a
  blob digest it does not hold (GET and HEAD); nothing is written. It
  also asks {repository}-ocicaps-absent, a repository that does not exist,
  for a manifest: "an attempt to pull a nonexistent repository MUST return
  404 Not Found" ("Pulling manifests"); another answer is a deviation, but
  401 and 403 are not (many registries answer a repository the
  credentials cannot see so, and it says nothing about the rule).

  Common causes when missing:
  - The registry answers missing content with another status (200 with an empty body, 400, 500).
  - The error body lacks the spec's code, or uses another one (NAME_UNKNOWN for a repository that exists).
  - A proxy in front of the registry replaces 404 answers with its own page.

  How to fix:
  - Answer 404 with {"errors":[{"code":"MANIFEST_UNKNOWN"…}]} or BLOB_UNKNOWN as the spec's error table says.
  - Let the proxy pass the registry's 404 bodies through.

  # For maintainers, not shown to users (observed on the zoo registries):
  # Every zoo registry answers 404 (curl, 2026-12-02: MANIFEST_UNKNOWN, crane NAME_UNKNOWN).
  Scenario: An absent tag, and a repository that does not exist, are 404
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}-ocicaps-absent/manifests/ocicaps-absent-tag"
    Then the registry deviates from "Pulling manifests" unless the status is 404, 401 or 403 because "an attempt to pull a nonexistent repository MUST return 404 Not Found; GET of a manifest in {repository}-ocicaps-absent answered {answer}"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/manifests/ocicaps-absent-tag"
    Then the capability is supported when the status is 404 and the response error code is "MANIFEST_UNKNOWN"

  Scenario: An absent manifest digest is 404 MANIFEST_UNKNOWN
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/manifests/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then the capability is supported when the status is 404 and the response error code is "MANIFEST_UNKNOWN"

  Scenario: An absent blob is 404 BLOB_UNKNOWN
    When I send a GET request to "/v2/{repository}/blobs/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then the capability is supported when the status is 404 and the response error code is "BLOB_UNKNOWN"

  Scenario: HEAD of absent content is 404
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
    When I send a HEAD request to "/v2/{repository}/manifests/ocicaps-absent-tag"
    Then the capability is unsupported unless the status is 404 because "HEAD of an absent tag answered {answer}"
    When I send a HEAD request to "/v2/{repository}/blobs/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then the capability is supported when the status is 404
