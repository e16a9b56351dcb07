@client:flux
Feature: flux
  flux (Flux CD) pushes a folder of manifests as an OCI artifact (flux push
  artifact) and pulls it back (flux pull artifact). The artifact's config
  has the media type application/vnd.cncf.flux.config.v1+json. flux is
  built on go-containerregistry, which refuses a token service or a blob
  redirect on a private or loopback IP address unless it is the registry's
  own host and port (SSRF protection).
  Version: flux --version

  Background:
    Given I save "--insecure-registry" as "insecure" when the variable "plainHTTP" matches "^true$"
    And I save "" as "insecure" when the variable "plainHTTP" matches "^false$"
    And I save "--insecure-registry" as "insecure" when the variable "tlsVerify" matches "^false$"
    And I save "application/vnd.oci.image.manifest.v1+json" as "manifestType"
    And I write the file "manifests/configmap.yaml" with:
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: ocicaps
      data:
        from: ocicaps
      """

  @workflow:push-artifact @needs:push @needs:config-media-types @otherwise:fails
  Scenario: Push manifests as an OCI artifact
    Settings: none
    If it fails: flux push artifact stops with an error: this registry does not store Flux artifacts
    Given I delete the image "{scratch}/flux:v1" and its blobs when the scenario ends
    When I run "flux push artifact {insecure} oci://{host}/{scratch}/flux:v1 --path=manifests --source=ocicaps --revision=v1"
    Then the workflow fails unless the program exits 0 because "flux push artifact ended with {exit}: {output}"
    And I save the output matching "@(sha256:[0-9a-f]{64})" as "pushed"
    Given the request header "Accept" is "{manifestType}"
    When I send a GET request to "/v2/{scratch}/flux/manifests/v1"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{pushed}" because "flux push artifact exited 0 with the artifact {pushed}, but {scratch}/flux:v1 answers {answer}"
    And the workflow is unsafe unless the JSON field "config.mediaType" is "application/vnd.cncf.flux.config.v1+json" because "flux push artifact exited 0, but the artifact lost its Flux config media type"
    And I save the JSON field "layers[0].digest" as "content"
    When I send a GET request to "/v2/{scratch}/flux/blobs/{content}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{content}" because "flux push artifact exited 0, but the artifact's blob {content} does not read back: {answer}"

  @workflow:pull-artifact @needs:pull @needs:config-media-types @otherwise:fails
  Scenario: Pull an OCI artifact
    Settings: none
    If it fails: flux pull artifact stops with an error: this registry does not serve Flux artifacts back
    Given I delete the image "{scratch}/flux:v1" and its blobs when the scenario ends
    When I run "flux push artifact {insecure} oci://{host}/{scratch}/flux:v1 --path=manifests --source=ocicaps --revision=v1"
    Then the program exits 0
    And I save the output matching "@(sha256:[0-9a-f]{64})" as "pushed"
    And I write the file "pulled/README" with:
      """
      flux pull artifact extracts the artifact here
      """
    When I run "flux pull artifact {insecure} oci://{host}/{scratch}/flux:v1 --output pulled"
    Then the workflow fails unless the program exits 0 because "flux pull artifact ended with {exit}: {output}"
    And the workflow is unsafe unless the output contains "artifact content extracted" because "flux pull artifact exited 0 without extracting the artifact: {output}"
    And the workflow is unsafe unless the output contains "{pushed}" because "flux pull artifact exited 0, but did not pull the artifact pushed ({pushed}): {output}"
    Given the request header "Accept" is "{manifestType}"
    When I send a GET request to "/v2/{scratch}/flux/manifests/{pushed}"
    Then the workflow is unsafe unless the status is 200 because "flux pull artifact exited 0, but the artifact {pushed} answers {answer}"
    And I save the JSON field "layers[0].digest" as "content"
    When I send a GET request to "/v2/{scratch}/flux/blobs/{content}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{content}" because "flux pull artifact exited 0, but the artifact's blob {content} does not read back: {answer}"
