@capability:large-manifest @check:check.oci.spec.push @severity:info
Feature: Manifests of 4 MiB
  Spec: OCI Distribution Spec v1.1, "Pushing Manifests" (end-7a): client and
  registry implementations SHOULD expect to be able to support manifest
  pushes of at least 4 megabytes; a registry SHOULD enforce a limit, and
  SHOULD answer a manifest over it with 413 Payload Too Large. Indexes of
  many platforms and manifests with large annotations (attestations,
  provenance) reach that size. Severity info: a SHOULD.

  Verify only: the scenario pushes a manifest of exactly 4 MiB (4194304
  bytes, the larger reading of "4 megabytes"; the padding is an annotation
  value) to {scratch} by tag and reads it back by digest.

  Common causes when missing:
  - The registry, or a proxy in front of it, limits request bodies on /v2/ below 4 MiB (nginx client_max_body_size defaults to 1 MiB).
  - The registry's manifest size limit is configured below 4 MiB.

  How to fix:
  - Raise the proxy's body limit for PUT /v2/<name>/manifests/ to at least 4 MiB (nginx: client_max_body_size 4m or more).
  - Raise the registry's manifest size limit to at least 4 MiB.

  @verify
  Scenario: A 4 MiB manifest is accepted and reads back
    Given I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch}"
    And I save the doc string as "large", padded to 4194304 bytes at "PADDING":
      """
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}],
       "annotations": {"org.ocicaps.padding": "PADDING"}}
      """
    And the request header "Content-Type" is "application/vnd.oci.image.manifest.v1+json"
    And the request body is the saved body "large"
    When I send a PUT request to "/v2/{scratch}/manifests/large-manifest"
    And I send a DELETE request to "/v2/{scratch}/manifests/{large.digest}" when the scenario ends, if the status is 201
    And I send a DELETE request to "/v2/{scratch}/manifests/large-manifest" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT of a 4 MiB (4194304-byte) manifest answered {answer}, not 201 Created"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{large.digest}"
    Then the capability is unsupported unless the status is 200 because "the 4 MiB manifest was accepted, but GET by its digest answered {answer}"
    And I save the digest of the response body as "got"
    And the registry corrupts content unless the response body is the saved body "large" and the response header "Docker-Content-Digest" is absent or is "{large.digest}" because "the 4 MiB manifest does not read back as pushed (digest {got}, not {large.digest}), or its Docker-Content-Digest names other content"
    And the capability is unsupported unless the response header "Content-Type" is "application/vnd.oci.image.manifest.v1+json" because "the 4 MiB manifest reads back with another Content-Type than the application/vnd.oci.image.manifest.v1+json it was pushed as"
    And the capability is supported when the variable "got" is "{large.digest}"
