@capability:config-media-types @check:check.integration.oci.hosted @severity:warn
Feature: Artifacts with the config media types clients use
  An artifact is a manifest whose config media type says what it is. Real
  clients push three: the OCI empty config (application/vnd.oci.empty.v1+json:
  oras, cosign, notation, and the image-spec's guidance for artifacts),
  Helm charts (application/vnd.cncf.helm.config.v1+json) and Flux artifacts
  (application/vnd.cncf.flux.config.v1+json). A registry that keeps an
  allow-list of config media types (Quay, GitLab: fluxcd/flux2#3724)
  refuses the others with 400 MANIFEST_INVALID, and the client that pushes
  them fails. Each type's answer is recorded; supported when all three are
  stored. Warn: a refused type breaks a whole tool on that registry.

  Verify only: the scenario pushes a JSON config and a layer blob to {scratch}
  and a manifest naming them with each config media type, by digest, and
  reads each stored one back: it must be the bytes pushed.

  Common causes when missing:
  - The registry allows only known config media types (Quay's and GitLab's allow-lists).
  - The registry predates OCI artifacts and accepts image configs only.

  How to fix:
  - Test it directly: PUT a manifest whose config.mediaType is the refused type and read the error code.
  - Quay: add the media types to the allowed artifact types (ALLOWED_OCI_ARTIFACT_TYPES in its config).
  - Otherwise use a registry that stores any config media type, as the image-spec allows.

  @verify
  Scenario: Artifacts with the empty, Helm and Flux configs are stored
    # A JSON object as the config, which every one of the three types is.
    Given I save the doc string as "config", padded to 64 bytes at "PADDING":
      """
      {"org.ocicaps.config": "PADDING"}
      """
    And I push the saved body "config" as a blob to "{scratch}"
    And I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch}"
    Given the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.empty.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the scenario is an error when the status is 401 or 403 because "the push of a manifest to {scratch} answered {answer}: the credentials need push there"
    And I record the response status as "config application/vnd.oci.empty.v1+json"
    And I save "{answer}" as "empty"
    And I save "{bodyDigest}" as "emptyDigest"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{emptyDigest}"
    And I save the digest of the response body as "emptyRead"
    And I save "no" as "emptyBack"
    And I save "yes" as "emptyBack" when the variable "emptyRead" is "{emptyDigest}"
    And the registry corrupts content when the status is 200 and the variable "emptyBack" is "no" because "GET of the manifest with the OCI empty config just pushed returned other bytes than were pushed (digest {emptyRead}, not {emptyDigest})"
    Given the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the scenario is an error when the status is 401 or 403 because "the push of a manifest to {scratch} answered {answer}: the credentials need push there"
    And I record the response status as "config application/vnd.cncf.helm.config.v1+json"
    And I save "{answer}" as "helm"
    And I save "{bodyDigest}" as "helmDigest"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{helmDigest}"
    And I save the digest of the response body as "helmRead"
    And I save "no" as "helmBack"
    And I save "yes" as "helmBack" when the variable "helmRead" is "{helmDigest}"
    And the registry corrupts content when the status is 200 and the variable "helmBack" is "no" because "GET of the manifest with the Helm config just pushed returned other bytes than were pushed (digest {helmRead}, not {helmDigest})"
    Given the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.cncf.flux.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the scenario is an error when the status is 401 or 403 because "the push of a manifest to {scratch} answered {answer}: the credentials need push there"
    And I record the response status as "config application/vnd.cncf.flux.config.v1+json"
    And I save "{answer}" as "flux"
    And I save "{bodyDigest}" as "fluxDigest"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fluxDigest}"
    And I save the digest of the response body as "fluxRead"
    And I save "no" as "fluxBack"
    And I save "yes" as "fluxBack" when the variable "fluxRead" is "{fluxDigest}"
    And the registry corrupts content when the status is 200 and the variable "fluxBack" is "no" because "GET of the manifest with the Flux config just pushed returned other bytes than were pushed (digest {fluxRead}, not {fluxDigest})"
    Then the capability is unsupported when the variable "empty" matches "^201 " and the variable "emptyBack" is "no" because "the artifact with the OCI empty config was stored (201) but does not read back byte for byte"
    And the capability is unsupported when the variable "helm" matches "^201 " and the variable "helmBack" is "no" because "the artifact with the Helm config was stored (201) but does not read back byte for byte"
    And the capability is unsupported when the variable "flux" matches "^201 " and the variable "fluxBack" is "no" because "the artifact with the Flux config was stored (201) but does not read back byte for byte"
    And the capability is supported when the variable "empty" matches "^201 " and the variable "helm" matches "^201 " and the variable "flux" matches "^201 "
    And otherwise the capability is unsupported because "the registry refused artifacts by their config media type (OCI empty config: {empty}; Helm: {helm}; Flux: {flux}): the clients that push the refused types (oras, cosign and notation for the empty config, helm push, flux push artifact) fail on this registry"
