@client:skopeo
Feature: skopeo
  skopeo (containers/image; the Debian package) copies images between
  registries and deletes them. skopeo delete resolves the tag to a digest
  and deletes the manifest by digest, with every tag that points at it.
  It reads the run's credentials from $HOME/.docker/config.json.
  Version: skopeo --version

  Background:
    Given I save "" as "srcTLS"
    And I save "" as "destTLS"
    And I save "" as "deleteTLS"
    And I save "--src-tls-verify=false" as "srcTLS" when the variable "plainHTTP" matches "^true$"
    And I save "--dest-tls-verify=false" as "destTLS" when the variable "plainHTTP" matches "^true$"
    And I save "--tls-verify=false" as "deleteTLS" when the variable "plainHTTP" matches "^true$"
    And I save "--src-tls-verify=false" as "srcTLS" when the variable "tlsVerify" matches "^false$"
    And I save "--dest-tls-verify=false" as "destTLS" when the variable "tlsVerify" matches "^false$"
    And I save "--tls-verify=false" as "deleteTLS" when the variable "tlsVerify" matches "^false$"
    And I save "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json" as "manifestTypes"

  @workflow:copy @needs:push @needs:pull @otherwise:fails
  Scenario: Copy an image into another repository
    Settings: none
    If it fails: skopeo copy stops with an error: this registry does not take the copy
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "source"
    And I delete the image "{scratch}:skopeo-copy" and its blobs when the scenario ends
    When I run "skopeo --insecure-policy copy {srcTLS} {destTLS} docker://{host}/{repository}:{tag} docker://{host}/{scratch}:skopeo-copy"
    Then the workflow fails unless the program exits 0 because "skopeo copy ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/skopeo-copy"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{source}" because "skopeo copy exited 0, but {scratch}:skopeo-copy answers {answer}, not the image {source}"
    Given I save a blob digest of the manifest "{scratch}:skopeo-copy" as "layer"
    When I send a GET request to "/v2/{scratch}/blobs/{layer}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{layer}" because "skopeo copy exited 0, but the blob {layer} of the copy does not read back from {scratch}: {answer}"

  @workflow:delete @needs:delete-manifest @fails-without:delete @otherwise:unsafe
  Scenario: Delete an image
    Settings: none
    If it fails: skopeo delete cannot delete images here: the registry refuses deletes by digest, or answers 202 and keeps serving the tags of the image
    Given I push an image to "{scratch}:skopeo-delete" and save its digest as "subject"
    When I run "skopeo delete {deleteTLS} docker://{host}/{scratch}:skopeo-delete"
    Then I save "{exit}" as "deleteExit"
    And I save "{output}" as "deleteOutput"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/{subject}"
    Then the workflow fails when the status is 200 and the variable "deleteExit" matches "^[1-9]" because "skopeo delete ended with {deleteExit} and the image is still there: {deleteOutput}"
    And the workflow is unsafe when the status is 200 and the variable "deleteExit" is "0" because "skopeo delete exited 0, but the image {subject} is still there"
    And the workflow fails unless the variable "deleteExit" is "0" because "skopeo delete ended with {deleteExit}: {deleteOutput}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/skopeo-delete"
    Then the workflow is unsafe when the status is 200 because "skopeo delete exited 0 and the digest is gone, but the tag skopeo-delete still serves the image"
