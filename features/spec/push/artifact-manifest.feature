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

  Verify only: the scenario pushes an image to {scratch} and an artifact
  referring to it (artifactType, the empty config and one empty layer, as
  oras pushes them) and reads the artifact back by digest, byte for byte,
  with the pushed media type. The empty config blob is one object for
  every artifact on a registry (some registries keep one blob store for all
  repositories), so this scenario pushes it with the artifact step, like
  every other artifact, in {scratch}; a registry that refuses the artifact
  makes the scenario an error, as the referrers verification.

  Common causes when missing:
  - The registry allows only known config media types (image configs, Helm charts) and refuses application/vnd.oci.empty.v1+json.
  - The registry predates OCI Image Spec v1.1 and refuses the artifactType field.
  - The registry rewrites the manifest, dropping artifactType.

  How to fix:
  - Upgrade the registry to one that supports OCI Image Spec v1.1 artifacts.
  - Allow any config media type, where the registry restricts them.
  - Meanwhile, push artifacts with a config media type of their own instead of the empty config (oras push --image-spec v1.0 does).

  # For maintainers, not shown to users (observed on the zoo registries):
  # crane keeps one blob store for all repositories.
  @verify
  Scenario: An artifact with the empty config is accepted and reads back
    Given I push an image to "{scratch}:artifact-subject" and save its digest as "subject"
    And I push an artifact of type "application/vnd.ocicaps.test.artifact.v1" referring to "{subject}" to "{scratch}" and save its digest as "artifact"
    And the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{artifact}"
    Then the capability is unsupported unless the status is 200 because "GET by digest of the pushed artifact answered {answer}"
    And I save the digest of the response body as "got"
    And the capability is unsupported unless the variable "got" is "{artifact}" because "the artifact does not read back as pushed: the body's digest is {got}"
    And the capability is unsupported unless the JSON field "artifactType" is "application/vnd.ocicaps.test.artifact.v1" and the JSON field "config.mediaType" is "application/vnd.oci.empty.v1+json" and the JSON field "config.digest" is "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" and the JSON field "config.size" is "2" because "the artifact reads back without its artifactType or its empty config"
    And the capability is supported when the response header "Content-Type" is "application/vnd.oci.image.manifest.v1+json"
    And otherwise the capability is unsupported because "the artifact is not served with the media type it was pushed with (application/vnd.oci.image.manifest.v1+json)"
