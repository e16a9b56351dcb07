@capability:manifest-push @check:check.oci.spec.push @severity:warn
Feature: Manifests pushed by tag and by digest
  Spec: OCI Distribution Spec v1.1, "Pushing Manifests" (end-7a): a PUT of a
  manifest to /v2/<name>/manifests/<tag-or-digest>, the reference a tag or
  the manifest's digest, MUST be answered 201 Created with a Location
  header (a pullable manifest URL), and its Docker-Content-Digest MUST equal
  the digest of the bytes sent. Severity warn: these are MUSTs. A push that
  is stored but answered without Location or with a missing or wrong
  Docker-Content-Digest is supported with a deviation: clients that follow
  the Location, or check the digest they are told, fail on it.

  Verify only (a probe would have to store a manifest): the scenario pushes
  two blobs and a manifest referring to them to {scratch} by tag, a second
  manifest by its digest, and checks that each is then there (HEAD 200).

  Common causes when missing:
  - The credentials may pull but not push, or the repository is read-only (a mirror, a pull-through cache).
  - The registry accepts only Docker schema 2 manifests, not OCI image manifests.
  - The registry answers a stored manifest with 200 or 202 instead of 201, or a proxy rewrites the answer.

  How to fix:
  - Grant push on the repository, or point scratchRepository at one the credentials may push to.
  - Upgrade the registry to one that stores OCI image manifests (OCI Distribution Spec v1.0 or later).
  - Answer 201 with Location: /v2/<name>/manifests/<digest> and Docker-Content-Digest: <digest of the body>.

  @verify
  Scenario: A manifest pushed by tag, then one pushed by digest, are stored
    Given I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch}"
    And the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}],
       "annotations": {"org.ocicaps.pushed": "by tag"}}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/push-by-tag"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    And I send a DELETE request to "/v2/{scratch}/manifests/push-by-tag" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT of an OCI image manifest by tag answered {answer}, not 201 Created"
    And the registry deviates from "Pushing Manifests" unless the response header "Location" is present because "the 201 Created of a manifest PUT MUST carry Location: <a pullable manifest URL>; the registry answered {answer} without it"
    And the registry deviates from "Pushing Manifests" unless the response header "Docker-Content-Digest" is "{bodyDigest}" because "the Docker-Content-Digest of a manifest PUT MUST equal the digest of the bytes sent; the registry answered {answer} with none or another"
    And I save "{bodyDigest}" as "byTag"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a HEAD request to "/v2/{scratch}/manifests/push-by-tag"
    Then the capability is unsupported unless the status is 200 because "the PUT by tag answered 201, but HEAD of the tag then answered {answer}"
    Given the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}],
       "annotations": {"org.ocicaps.pushed": "by digest"}}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT of an OCI image manifest by its digest answered {answer}, not 201 Created"
    And the registry deviates from "Pushing Manifests" unless the response header "Location" is present because "the 201 Created of a manifest PUT MUST carry Location: <a pullable manifest URL>; the registry answered {answer} without it"
    And the registry deviates from "Pushing Manifests" unless the response header "Docker-Content-Digest" is "{bodyDigest}" because "the Docker-Content-Digest of a manifest PUT MUST equal the digest of the bytes sent; the registry answered {answer} with none or another"
    And I save "{bodyDigest}" as "byDigest"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a HEAD request to "/v2/{scratch}/manifests/{byDigest}"
    Then the capability is supported when the status is 200
    And otherwise the capability is unsupported because "the PUT by digest answered 201, but HEAD of {byDigest} then answered {answer}"
