@capability:artifact-manifest @check:check.oci.spec.push @severity:info
Feature: Artifact manifests with the empty config
  Spec: OCI Distribution Spec v1.1, "Pushing Manifests" (end-7a), for the
  artifacts of the OCI Image Spec v1.1: an image manifest with an
  artifactType whose config is the empty descriptor
  (application/vnd.oci.empty.v1+json, sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a,
  size 2, the bytes "{}"). oras and notation push signatures,
  SBOMs and attestations in this form. Severity info: the distribution
  spec says how manifests are pushed but no sentence requires a registry to
  accept this one; clients can fall back to a config media type of their
  own (the pre-1.1 artifact form).

  Verify only: the scenario pushes the empty config blob and an artifact
  manifest to {scratch2} (its own repository: other verify scenarios push
  and delete the same fixed empty blob in {scratch}) and reads it back by
  digest, byte for byte, with the pushed media type.

  Common causes when missing:
  - The registry allows only known config media types (image configs, Helm charts) and refuses application/vnd.oci.empty.v1+json.
  - The registry predates OCI Image Spec v1.1 and refuses the artifactType field.
  - The registry rewrites the manifest, dropping artifactType.

  How to fix:
  - Upgrade the registry to one that supports OCI Image Spec v1.1 artifacts.
  - Allow any config media type, where the registry restricts them.
  - Meanwhile, push artifacts with a config media type of their own instead of the empty config (oras push --image-spec v1.0 does).

  @verify
  Scenario: An artifact with the empty config is accepted and reads back
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    # Setting up: a refusal here is an error, not an answer about artifacts.
    Then the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    And the request body is "{}"
    When I send a PUT request to "{session}"
    And I send a DELETE request to "/v2/{scratch2}/blobs/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" when the scenario ends, if the status is 201
    Then the status is 201
    Given the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "artifactType": "application/vnd.ocicaps.test.artifact.v1",
       "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2, "data": "e30="},
       "layers": [{"mediaType": "application/vnd.oci.empty.v1+json", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2}],
       "annotations": {"org.opencontainers.image.created": "2026-12-02T00:00:00Z"}}
      """
    When I send a PUT request to "/v2/{scratch2}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch2}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT of an artifact manifest (artifactType, empty config) answered {answer}, not 201 Created"
    And I save "{bodyDigest}" as "artifact"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch2}/manifests/{artifact}"
    Then the capability is unsupported unless the status is 200 because "GET by digest of the pushed artifact answered {answer}"
    And I save the digest of the response body as "got"
    And the capability is unsupported unless the variable "got" is "{artifact}" because "the artifact does not read back as pushed: the body's digest is {got}"
    And the capability is unsupported unless the JSON field "artifactType" is "application/vnd.ocicaps.test.artifact.v1" because "the artifact reads back without its artifactType"
    And the capability is supported when the response header "Content-Type" is "application/vnd.oci.image.manifest.v1+json"
    And otherwise the capability is unsupported because "the artifact is not served with the media type it was pushed with (application/vnd.oci.image.manifest.v1+json)"
