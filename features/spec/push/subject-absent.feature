@capability:subject-absent @check:check.oci.spec.push @severity:warn
Feature: Manifests whose subject is not in the registry
  Spec: OCI Distribution Spec v1.1, "Push": a registry MUST initially
  accept an otherwise valid manifest with a subject field that references a
  manifest that does not exist in the repository, so that clients can push
  a manifest and its referrers in either order (a signature copied before
  its image, an SBOM attached during a mirror). Refusing it with
  MANIFEST_BLOB_UNKNOWN is allowed for the other descriptors (config,
  layers), not for the subject. Severity warn: a MUST.

  Verify only: the scenario pushes a config and a layer to {scratch} and a
  manifest whose subject is the digest of random bytes the registry has
  never seen, by digest, and checks that it is then there.

  Common causes when missing:
  - The registry checks every descriptor of a manifest, the subject included, and refuses unknown ones (MANIFEST_BLOB_UNKNOWN).
  - The registry predates OCI Distribution Spec v1.1 and refuses the subject field.

  How to fix:
  - Upgrade the registry to one that implements OCI Distribution Spec v1.1 ("Pushing Manifests with Subject").
  - Meanwhile, push the subject before its referrers (copy images before their signatures).

  @verify
  Scenario: A manifest whose subject the registry does not hold is accepted
    Given I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch}"
    # Never pushed anywhere: its digest names a manifest the registry cannot hold.
    And I save 300 random bytes as "absent"
    And the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}],
       "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": {absent.size}, "digest": "{absent.digest}"}}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT of a manifest whose subject ({absent.digest}) is not in the registry answered {answer}, not 201 Created"
    And I save "{bodyDigest}" as "referrer"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    # A HEAD is a claim: the manifest is read back and compared.
    When I send a GET request to "/v2/{scratch}/manifests/{referrer}"
    Then the capability is unsupported unless the status is 200 because "the PUT answered 201, but GET of the manifest then answered {answer}: it was not stored"
    And the registry corrupts content unless the digest of the response body is "{referrer}" and the response header "Docker-Content-Digest" is absent or is "{referrer}" because "GET of the manifest whose subject is absent returned other content than was pushed"
    And the capability is supported when the response header "Content-Type" is "application/vnd.oci.image.manifest.v1+json"
    And otherwise the capability is unsupported because "the manifest reads back with another Content-Type than the application/vnd.oci.image.manifest.v1+json it was pushed as"
