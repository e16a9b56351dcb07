@client:regctl
Feature: regctl
  regctl (regclient) copies images, puts and lists artifacts, and deletes
  tags and manifests. Its artifact commands use the referrers API when the
  registry has one and the referrers tag schema when it has not. regctl
  tag delete, when the registry refuses to delete the tag, pushes a
  placeholder image to the tag and deletes that by digest.
  Version: regctl version

  Background:
    Given I save "enabled" as "regctlTLS"
    And I save "insecure" as "regctlTLS" when the variable "tlsVerify" matches "^false$"
    And I save "disabled" as "regctlTLS" when the variable "plainHTTP" matches "^true$"
    And I save "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json" as "manifestTypes"

  @workflow:image-copy @needs:push @needs:pull @otherwise:fails
  Scenario: Copy an image into another repository
    Settings: none
    If it fails: regctl image copy stops with an error: this registry does not take the copy
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "source"
    When I run "regctl registry set --tls {regctlTLS} {host}"
    Then the program exits 0
    And I delete the image "{scratch}:regctl-copy" and its blobs when the scenario ends
    When I run "regctl image copy {host}/{repository}:{tag} {host}/{scratch}:regctl-copy"
    Then the workflow fails unless the program exits 0 because "regctl image copy ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/regctl-copy"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{source}" because "regctl image copy exited 0, but {scratch}:regctl-copy answers {answer}, not the image {source}"
    Given I save a blob digest of the manifest "{scratch}:regctl-copy" as "layer"
    When I send a GET request to "/v2/{scratch}/blobs/{layer}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{layer}" because "regctl image copy exited 0, but the blob {layer} of the copy does not read back from {scratch}: {answer}"

  @workflow:artifact-put @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: Put an artifact referring to an image
    Settings: none
    Fallback settings: none (regctl keeps the referrer under the referrers tag schema by itself)
    If it fails: regctl artifact put --subject stops with an error; keep artifacts elsewhere
    Given I push an image to "{scratch}:regctl-artifact" and save its digest as "subject"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    And I save the referrers tag of "{subject}" as "fallbackTag"
    And I write the file "sbom.txt" with:
      """
      an sbom
      """
    When I run "regctl registry set --tls {regctlTLS} {host}"
    Then the program exits 0
    When I run "regctl artifact put --subject {host}/{scratch}@{subject} --artifact-type application/vnd.ocicaps.test -f sbom.txt"
    Then the workflow fails unless the program exits 0 because "regctl artifact put ended with {exit}: {output}"
    And I save "nowhere" as "found"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then I save "api" as "found" when the status is 200 and the JSON list "manifests" has an item whose "artifactType" is "application/vnd.ocicaps.test"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    Then I save "tag" as "found" when the variable "found" is "nowhere" and the status is 200 and the JSON list "manifests" has an item whose "artifactType" is "application/vnd.ocicaps.test"
    And the workflow is unsafe when the variable "found" is "nowhere" because "regctl artifact put exited 0, but neither the referrers API nor the referrers tag {fallbackTag} lists the artifact"
    And the workflow falls back when the variable "found" is "tag" because "the registry has no referrers API: regctl kept the artifact under the referrers tag schema ({fallbackTag})"

  @workflow:artifact-list @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: List the artifacts referring to an image
    Settings: none
    Fallback settings: none (regctl artifact list reads the referrers tag schema by itself when the API is missing)
    If it fails: regctl artifact list finds nothing: the registry keeps no list of referrers
    Given I push an image to "{scratch}:regctl-list" and save its digest as "subject"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    And I write the file "sbom.txt" with:
      """
      an sbom
      """
    When I run "regctl registry set --tls {regctlTLS} {host}"
    Then the program exits 0
    When I run "regctl artifact put --subject {host}/{scratch}@{subject} --artifact-type application/vnd.ocicaps.test -f sbom.txt"
    Then the program exits 0
    When I run "regctl artifact list {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "regctl artifact list ended with {exit}: {output}"
    And the workflow is unsafe unless the output contains "application/vnd.ocicaps.test" because "regctl artifact list exited 0 without the artifact just put: {output}"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the workflow falls back unless the status is 200 and the JSON list "manifests" has an item whose "artifactType" is "application/vnd.ocicaps.test" because "the referrers API answered {answer}: regctl found the artifact under the referrers tag schema"

  @workflow:tag-delete @needs:delete-tag @otherwise:unsafe
  Scenario: Delete a tag
    Settings: none
    If it fails: do not run regctl tag delete here: this registry refuses to delete tags and regctl then overwrites the tag with a placeholder image it cannot delete
    Given I push an image to "{scratch}:regctl-tag-delete" and save its digest as "subject"
    And I delete the image "{scratch}:regctl-tag-delete" and its blobs when the scenario ends
    When I run "regctl registry set --tls {regctlTLS} {host}"
    Then the program exits 0
    When I run "regctl tag delete {host}/{scratch}:regctl-tag-delete"
    Then I save "{exit}" as "deleteExit"
    And I save "{output}" as "deleteOutput"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/regctl-tag-delete"
    Then the workflow fails when the status is 200 and the digest of the response body is "{subject}" and the variable "deleteExit" matches "^[1-9]" because "regctl tag delete ended with {deleteExit} and the tag still points at the image: {deleteOutput}"
    And the workflow is unsafe when the status is 200 and the digest of the response body is "{subject}" and the variable "deleteExit" is "0" because "regctl tag delete exited 0, but the tag still points at the image {subject}"
    And the workflow is unsafe when the status is 200 because "regctl tag delete ended with {deleteExit} and left the tag pointing at another image, regctl's placeholder: the registry refused to delete the tag ({deleteOutput})"
    And the workflow fails unless the variable "deleteExit" is "0" because "regctl tag delete ended with {deleteExit}: {deleteOutput}"
    And the workflow is unsafe unless the status is 404 because "regctl tag delete exited 0, but the tag answers {answer}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/{subject}"
    Then the workflow is unsafe unless the status is 200 because "regctl tag delete deleted the image too: {subject} answers {answer}"

  @workflow:manifest-delete @needs:delete-manifest @fails-without:delete @otherwise:unsafe
  Scenario: Delete a manifest by digest
    Settings: none
    If it fails: regctl manifest delete cannot delete images here: the registry refuses deletes by digest, or answers 202 and keeps serving the tags of the image
    Given I push an image to "{scratch}:regctl-manifest-delete" and save its digest as "subject"
    When I run "regctl registry set --tls {regctlTLS} {host}"
    Then the program exits 0
    When I run "regctl manifest delete {host}/{scratch}@{subject}"
    Then I save "{exit}" as "deleteExit"
    And I save "{output}" as "deleteOutput"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/{subject}"
    Then the workflow fails when the status is 200 and the variable "deleteExit" matches "^[1-9]" because "regctl manifest delete ended with {deleteExit} and the image is still there: {deleteOutput}"
    And the workflow is unsafe when the status is 200 and the variable "deleteExit" is "0" because "regctl manifest delete exited 0, but the image {subject} is still there"
    And the workflow fails unless the variable "deleteExit" is "0" because "regctl manifest delete ended with {deleteExit}: {deleteOutput}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/regctl-manifest-delete"
    Then the workflow is unsafe when the status is 200 because "regctl manifest delete exited 0 and the digest is gone, but the tag regctl-manifest-delete still serves the image"
