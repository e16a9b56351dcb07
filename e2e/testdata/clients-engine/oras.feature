@client:oras
Feature: oras (the engine's e2e example)
  A small oras workflow file for the engine's end-to-end test; the
  built-in one is features/clients/oras.feature.
  Version: oras version

  Background:
    Given I save "--plain-http" as "plain" when the variable "plainHTTP" matches "^true$"
    And I save "" as "plain" when the variable "plainHTTP" matches "^false$"

  @workflow:attach @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: Attach a signature to an image
    Settings: none
    Fallback settings: --distribution-spec v1.1-referrers-tag
    If it fails: oras attach stops with an error; keep signatures elsewhere
    Given I push an image to "{scratch}:oras-attach" and save its digest as "subject"
    And I write the file "sig.txt" with:
      """
      signature
      """
    When I run "oras attach {plain} --artifact-type application/vnd.ocicaps.test {host}/{scratch}@{subject} sig.txt"
    Then the workflow fails unless the program exits 0 because "oras attach ended with {exit}: {output}"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    And I save the output matching "Digest: (sha256:[0-9a-f]{64})" as "signature"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then I save "no" as "inAPI"
    And I save "yes" as "inAPI" when the status is 200 and the JSON list "manifests" has an item whose "digest" is "{signature}"
    And the workflow falls back when the variable "inAPI" is "no" because "the referrer is kept under the referrers tag schema, not in the referrers API"
    Given I save the referrers tag of "{subject}" as "fallbackTag"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    Then the workflow is unsafe when the variable "inAPI" is "no" and the status is 404 because "oras attach exited 0, but the referrer is neither in the referrers API nor under the tag {fallbackTag}"

  @workflow:push @otherwise:fails
  Scenario: Push a file as an artifact
    Settings: none
    If it fails: oras push stops with an error
    Given I write the file "hello.txt" with:
      """
      hello from ocicaps
      """
    When I run "oras push {plain} {host}/{scratch}:oras-push hello.txt"
    Then the workflow fails unless the program exits 0 because "oras push ended with {exit}: {output}"
    And I delete the image "{scratch}:oras-push" and its blobs when the scenario ends
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/oras-push"
    Then the workflow is unsafe unless the status is 200 because "oras push exited 0, but the tag answers {status}"
