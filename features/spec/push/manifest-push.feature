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

  "Push": a registry MAY refuse a manifest whose descriptors (other than
  subject) name a manifest or blob it does not hold; "when a manifest is
  rejected for this reason, it MUST result in one or more
  MANIFEST_BLOB_UNKNOWN errors" (code-5). A refusal with another code, or
  without the error document, is a deviation; accepting such a manifest is
  allowed.

  Verify only (a probe would have to store a manifest): the scenario pushes
  two blobs and a manifest referring to them to {scratch} by tag, a second
  manifest by its digest, and checks that each is then there (HEAD 200).
  Then it PUTs, by digest, a manifest whose layer was never pushed: a 201
  ends the scenario (the manifest is deleted when it ends); a refusal must
  carry MANIFEST_BLOB_UNKNOWN, and HEAD of the refused manifest must then
  answer 404.

  Common causes when missing:
  - The credentials may pull but not push, or the repository is read-only (a mirror, a pull-through cache).
  - The registry accepts only Docker schema 2 manifests, not OCI image manifests.
  - The registry answers a stored manifest with 200 or 202 instead of 201, or a proxy rewrites the answer.

  How to fix:
  - Grant push on the repository, or point scratchRepository at one the credentials may push to.
  - Upgrade the registry to one that stores OCI image manifests (OCI Distribution Spec v1.0 or later).
  - Answer 201 with Location: /v2/<name>/manifests/<digest> and Docker-Content-Digest: <digest of the body>.

  # For maintainers, not shown to users (observed on the zoo registries):
  # Seen with curl (config pushed, layer never pushed): Distribution (both)
  # 400 MANIFEST_BLOB_UNKNOWN "blob unknown to registry" (detail the layer
  # digest); olareg (both) 400 MANIFEST_BLOB_UNKNOWN "layer not found: …"
  # (served as text/plain); crane 201 with Docker-Content-Digest (it does not
  # check blobs). A missing config is refused the same way (olareg: "config
  # not found").
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
    Then the capability is unsupported unless the status is 200 because "the PUT by digest answered 201, but HEAD of {byDigest} then answered {answer}"
    # A manifest naming a layer the registry does not hold (never pushed):
    # the registry MAY accept it (then it is deleted when the scenario
    # ends), or refuse it with MANIFEST_BLOB_UNKNOWN.
    Given I save 100 random bytes as "absent"
    And the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {absent.size}, "digest": "{absent.digest}"}]}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the capability is supported when the status is 201
    And the registry deviates from "Push" unless the response error code is "MANIFEST_BLOB_UNKNOWN" because "a manifest refused for a blob the registry does not hold MUST be answered with MANIFEST_BLOB_UNKNOWN errors; the registry refused the manifest naming the layer {absent.digest} with {answer}"
    And I save "{bodyDigest}" as "sparse"
    # Refused means not stored.
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a HEAD request to "/v2/{scratch}/manifests/{sparse}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{sparse}" when the scenario ends, if the status is 200
    Then the capability is supported when the status is 404
    And otherwise the capability is unsupported because "the registry refused the manifest naming a layer it does not hold, but HEAD of {sparse} then answered {answer}: the refused manifest is stored"
