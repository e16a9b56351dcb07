@capability:oci-index @check:check.oci.spec.push @severity:warn
Feature: Image indexes pushed and read back
  Spec: OCI Distribution Spec v1.1, "Pushing Manifests" (end-7a) and
  "Pulling manifests" (end-3): an image index is a manifest (the spec's
  definitions, "Image Index"); a PUT of one referring to manifests in the
  repository is answered 201, and a GET answers the exact bytes pushed
  (the registry MUST store a manifest in the exact byte representation
  provided) with the index media type. Multi-platform images and the
  referrers tag schema (which clients MUST fall back to without the
  referrers API) are image indexes. Severity warn.

  Verify only: the scenario pushes two images to {scratch}, an index of
  both (two platforms, annotations, unusual spacing), and reads the index
  back by tag and by digest.

  Common causes when missing:
  - The registry accepts image manifests only, not indexes (application/vnd.oci.image.index.v1+json).
  - The registry rewrites the index (reorders keys, drops fields or spacing), which changes its digest.
  - The registry answers the index with another Content-Type (application/json, a Docker manifest list).

  How to fix:
  - Upgrade the registry to one that stores OCI image indexes (OCI Distribution Spec v1.0 or later).
  - Store and serve manifests byte for byte, with the media type they were pushed with.

  @verify
  Scenario: An index of two pushed images reads back byte for byte
    Given I push an image to "{scratch}:index-amd64" and save its digest as "amd64"
    And I push an image to "{scratch}:index-arm64" and save its digest as "arm64"
    And the request body is:
      """application/vnd.oci.image.index.v1+json
      {"schemaVersion": 2,
       "mediaType": "application/vnd.oci.image.index.v1+json",
       "manifests": [
         {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": {amd64.size}, "digest": "{amd64}", "platform": {"os": "linux", "architecture": "amd64"}},
         {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": {arm64.size}, "digest": "{arm64}", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}
       ],
       "annotations": {"z.last": "kept  as   written", "a.first": "keys are not sorted"}
      }
      """
    When I send a PUT request to "/v2/{scratch}/manifests/index"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    And I send a DELETE request to "/v2/{scratch}/manifests/index" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT of an OCI image index by tag answered {answer}, not 201 Created"
    And I save "{bodyDigest}" as "index"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/index"
    Then the capability is unsupported unless the status is 200 because "GET by tag of the pushed index answered {answer}"
    And I save the digest of the response body as "byTag"
    And the registry corrupts content unless the digest of the response body is "{index}" because "by tag, the body is not the pushed index: its digest is {byTag}, the pushed index's {index}"
    And the registry corrupts content unless the response header "Docker-Content-Digest" is absent or is "{index}" because "by tag, Docker-Content-Digest names other content than the pushed index ({index})"
    And the capability is unsupported unless the response header "Content-Type" is "application/vnd.oci.image.index.v1+json" because "by tag, the index is not served as application/vnd.oci.image.index.v1+json"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{index}"
    Then the capability is unsupported unless the status is 200 because "GET by digest of the pushed index answered {answer}"
    And I save the digest of the response body as "byDigest"
    And the registry corrupts content unless the digest of the response body is "{index}" because "by digest, the body is not the pushed index: its digest is {byDigest}"
    And the registry corrupts content unless the response header "Docker-Content-Digest" is absent or is "{index}" because "by digest, Docker-Content-Digest names other content than the pushed index ({index})"
    And the capability is supported when the response header "Content-Type" is "application/vnd.oci.image.index.v1+json"
    And otherwise the capability is unsupported because "by digest, the index is not served as application/vnd.oci.image.index.v1+json"
