@capability:manifest-fidelity @check:check.oci.spec.pull @severity:fail
Feature: Manifests read back as pushed
  Spec: OCI Distribution Spec v1.1, "Pulling manifests" (and "Pushing
  manifests": the digest of a manifest is the digest of the bytes pushed).
  A GET of a manifest by tag and by digest answers 200 with exactly the bytes
  that were pushed, the Content-Type they were pushed with, and a
  Docker-Content-Digest equal to the digest of the body. A registry that
  re-serializes a manifest (reorders keys, drops whitespace) changes its
  digest and breaks every signature and every reference to it.

  The probe reads the test image by tag and by digest and compares the two
  answers; the verify scenario pushes a manifest written with unusual
  spacing to {scratch} and reads it back.

  Common causes when missing:
  - The registry, or a proxy in front of it, rewrites or re-encodes manifest JSON.
  - The registry converts between manifest formats instead of serving what was pushed.
  - The registry computes Docker-Content-Digest over something else than the body it sends.

  How to fix:
  - Store and serve manifests byte for byte; convert only on an explicit Accept that asks for it.
  - Turn off body rewriting (compression, JSON filters) in proxies in front of /v2/.

  Scenario: The test image reads the same by tag and by digest
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json"
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then the status is 200
    And I save the digest of the response body as "byTag"
    And I save the response body as "tagBody"
    And I save the response header "Content-Type" as "tagType"
    And the registry corrupts content unless the response header "Docker-Content-Digest" is absent or is "{byTag}" because "by tag, Docker-Content-Digest names other content than the body ({byTag})"
    And the capability is unsupported unless the response header "Docker-Content-Digest" is "{byTag}" because "by tag, Docker-Content-Digest is not the digest of the body ({byTag})"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json"
    When I send a GET request to "/v2/{repository}/manifests/{byTag}"
    Then the capability is unsupported unless the status is 200 because "GET by the digest of the tag's manifest answered {answer}"
    And the registry corrupts content unless the digest of the response body is "{byTag}" because "GET by the digest {byTag} of the tag's manifest returned other bytes"
    And the capability is supported when the response body is the saved body "tagBody" and the response header "Content-Type" is "{tagType}" and the response header "Docker-Content-Digest" is "{byTag}"

  @verify
  Scenario: A pushed manifest reads back byte for byte by tag and by digest
    Given I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch}"
    And I push the manifest to "{scratch}:fidelity" and save its digest as "pushed":
      """application/vnd.oci.image.manifest.v1+json
      {
        "schemaVersion":   2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
        "layers": [ {"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"} ],
        "annotations": {"z.last": "kept  as   written", "a.first": "keys are not sorted"}
      }
      """
    And the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/fidelity"
    Then the capability is unsupported unless the status is 200 because "GET by tag of the pushed manifest answered {answer}"
    And I save the digest of the response body as "byTag"
    And the registry corrupts content unless the digest of the response body is "{pushed}" because "by tag, the body is not the pushed bytes: its digest is {byTag}, the pushed manifest's {pushed}"
    And the capability is unsupported unless the response header "Content-Type" is "application/vnd.oci.image.manifest.v1+json" because "by tag, the Content-Type is not the pushed application/vnd.oci.image.manifest.v1+json"
    And the registry corrupts content unless the response header "Docker-Content-Digest" is absent or is "{pushed}" because "by tag, Docker-Content-Digest names other content than the pushed manifest ({pushed})"
    And the capability is unsupported unless the response header "Docker-Content-Digest" is "{pushed}" because "by tag, Docker-Content-Digest is not the digest of the body ({pushed})"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{pushed}"
    Then the capability is unsupported unless the status is 200 because "GET by digest of the pushed manifest answered {answer}"
    And I save the digest of the response body as "byDigest"
    And the registry corrupts content unless the digest of the response body is "{pushed}" because "by digest, the body is not the pushed bytes: its digest is {byDigest}"
    And the registry corrupts content unless the response header "Docker-Content-Digest" is absent or is "{pushed}" because "by digest, Docker-Content-Digest names other content than the pushed manifest ({pushed})"
    And the capability is supported when the response header "Content-Type" is "application/vnd.oci.image.manifest.v1+json" and the response header "Docker-Content-Digest" is "{pushed}"

  @verify
  Scenario: A pushed index reads back byte for byte with the index Content-Type
    Given I push an image to "{scratch}:fidelity-image" and save its digest as "image"
    And I push the manifest to "{scratch}:fidelity-index" and save its digest as "index":
      """application/vnd.oci.image.index.v1+json
      {"schemaVersion": 2,
       "mediaType": "application/vnd.oci.image.index.v1+json",
       "manifests": [ {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": {image.size}, "digest": "{image}", "platform": {"os": "linux", "architecture": "amd64"}} ]
      }
      """
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/fidelity-index"
    Then the capability is unsupported unless the status is 200 because "GET by tag of the pushed index answered {answer}"
    And I save the digest of the response body as "byTag"
    And the registry corrupts content unless the digest of the response body is "{index}" because "by tag, the body is not the pushed index: its digest is {byTag}, the pushed index's {index}"
    And the capability is unsupported unless the response header "Content-Type" is "application/vnd.oci.image.index.v1+json" because "by tag, the Content-Type of the index is not the pushed application/vnd.oci.image.index.v1+json"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{index}"
    Then the capability is unsupported unless the status is 200 because "GET by digest of the pushed index answered {answer}"
    And I save the digest of the response body as "byDigest"
    And the registry corrupts content unless the digest of the response body is "{index}" because "by digest, the body is not the pushed index: its digest is {byDigest}"
    And the registry corrupts content unless the response header "Docker-Content-Digest" is absent or is "{index}" because "by digest, Docker-Content-Digest names other content than the pushed index ({index})"
    And the capability is supported when the response header "Content-Type" is "application/vnd.oci.image.index.v1+json" and the response header "Docker-Content-Digest" is "{index}"
