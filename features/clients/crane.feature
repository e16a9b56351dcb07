@client:crane
Feature: crane
  crane (go-containerregistry) copies, tags and deletes images. crane
  delete sends DELETE /v2/<name>/manifests/<reference> with the tag or
  digest given. Since v0.22 it refuses a token service or a blob redirect
  on a private or loopback IP address unless it is the registry's own host
  and port (SSRF protection).
  Version: crane version

  Background:
    Given I save "--insecure" as "insecure" when the variable "plainHTTP" matches "^true$"
    And I save "" as "insecure" when the variable "plainHTTP" matches "^false$"
    And I save "--insecure" as "insecure" when the variable "tlsVerify" matches "^false$"
    And I save "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json" as "manifestTypes"

  @workflow:copy @needs:push @needs:pull @otherwise:fails
  Scenario: Copy an image into another repository
    Settings: none
    If it fails: crane copy stops with an error: this registry does not take the copy
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "source"
    And I delete the image "{scratch}:crane-copy" and its blobs when the scenario ends
    When I run "crane copy {insecure} {host}/{repository}:{tag} {host}/{scratch}:crane-copy"
    Then the workflow fails unless the program exits 0 because "crane copy ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/crane-copy"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{source}" because "crane copy exited 0, but {scratch}:crane-copy answers {answer}, not the image {source}"
    Given I save a blob digest of the manifest "{scratch}:crane-copy" as "layer"
    When I send a GET request to "/v2/{scratch}/blobs/{layer}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{layer}" because "crane copy exited 0, but the blob {layer} of the copy does not read back from {scratch}: {answer}"

  @workflow:tag @needs:manifest-push @otherwise:fails
  Scenario: Tag an image
    Settings: none
    If it fails: crane tag stops with an error: this registry does not take a second tag
    Given I push an image to "{scratch}:crane-tag-source" and save its digest as "subject"
    And I send a DELETE request to "/v2/{scratch}/manifests/crane-tag" when the scenario ends
    When I run "crane tag {insecure} {host}/{scratch}:crane-tag-source crane-tag"
    Then the workflow fails unless the program exits 0 because "crane tag ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/crane-tag"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{subject}" because "crane tag exited 0, but the tag crane-tag answers {answer}, not the image {subject}"

  @workflow:delete-tag @needs:delete-tag @otherwise:fails
  Scenario: Delete a tag
    Settings: none
    If it fails: crane delete <tag> stops with an error: this registry refuses to delete tags
    Given I push an image to "{scratch}:crane-delete-tag" and save its digest as "subject"
    When I run "crane delete {insecure} {host}/{scratch}:crane-delete-tag"
    Then I save "{exit}" as "deleteExit"
    And I save "{output}" as "deleteOutput"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/crane-delete-tag"
    Then the workflow fails when the status is 200 and the variable "deleteExit" matches "^[1-9]" because "crane delete ended with {deleteExit} and the tag is still there: {deleteOutput}"
    And the workflow is unsafe when the status is 200 and the variable "deleteExit" is "0" because "crane delete exited 0, but the tag is still there"
    And the workflow fails unless the variable "deleteExit" is "0" because "crane delete ended with {deleteExit}: {deleteOutput}"
    And the workflow is unsafe unless the status is 404 because "crane delete exited 0, but the tag answers {answer}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/{subject}"
    Then the workflow is unsafe unless the status is 200 because "crane delete of the tag deleted the image too: {subject} answers {answer}"

  @workflow:delete-digest @needs:delete-manifest @fails-without:delete @otherwise:unsafe
  Scenario: Delete an image by digest
    Settings: none
    If it fails: crane delete <digest> cannot delete images here: the registry refuses deletes by digest, or answers 202 and keeps serving the tags of the image
    Given I push an image to "{scratch}:crane-delete-digest" and save its digest as "subject"
    When I run "crane delete {insecure} {host}/{scratch}@{subject}"
    Then I save "{exit}" as "deleteExit"
    And I save "{output}" as "deleteOutput"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/{subject}"
    Then the workflow fails when the status is 200 and the variable "deleteExit" matches "^[1-9]" because "crane delete ended with {deleteExit} and the image is still there: {deleteOutput}"
    And the workflow is unsafe when the status is 200 and the variable "deleteExit" is "0" because "crane delete exited 0, but the image {subject} is still there"
    And the workflow fails unless the variable "deleteExit" is "0" because "crane delete ended with {deleteExit}: {deleteOutput}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/crane-delete-digest"
    Then the workflow is unsafe when the status is 200 because "crane delete exited 0 and the digest is gone, but the tag crane-delete-digest still serves the image"
