@client:oras
Feature: oras
  oras (oras.land) pushes, pulls and attaches OCI artifacts. Its attach and
  discover use the referrers API when the registry has one and the
  referrers tag schema (an index tagged sha256-<hex>) when it has not;
  --distribution-spec v1.1-referrers-api forces the API.
  Version: oras version

  Background:
    Given I save "--plain-http" as "plain" when the variable "plainHTTP" matches "^true$"
    And I save "" as "plain" when the variable "plainHTTP" matches "^false$"
    And I save "" as "tls"
    And I save "--insecure" as "tls" when the variable "tlsVerify" matches "^false$"
    And I save "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json" as "manifestTypes"

  @workflow:push @needs:push @needs:artifact-manifest @otherwise:fails
  Scenario: Push a file as an artifact
    Settings: none
    If it fails: oras push stops with an error: this registry does not store artifacts with the empty config
    Given I write the file "hello.txt" with:
      """
      hello from ocicaps
      """
    And I delete the image "{scratch}:oras-push" and its blobs when the scenario ends
    When I run "oras push {plain} {tls} {host}/{scratch}:oras-push hello.txt:application/vnd.ocicaps.test"
    Then the workflow fails unless the program exits 0 because "oras push ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestTypes}"
    When I send a GET request to "/v2/{scratch}/manifests/oras-push"
    Then the workflow is unsafe unless the status is 200 because "oras push exited 0, but the tag oras-push answers {answer}"
    And I save the JSON field "layers[0].digest" as "file"
    When I send a GET request to "/v2/{scratch}/blobs/{file}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{file}" because "oras push exited 0, but the file's blob {file} does not read back: {answer}"

  @workflow:attach @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: Attach a signature to an image
    Settings: none
    Fallback settings: none (oras keeps the referrer under the referrers tag schema by itself; --distribution-spec v1.1-referrers-tag forces it)
    If it fails: oras attach stops with an error; keep signatures elsewhere
    Given I push an image to "{scratch}:oras-attach" and save its digest as "subject"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    And I save the referrers tag of "{subject}" as "fallbackTag"
    And I write the file "sig.txt" with:
      """
      signature
      """
    When I run "oras attach {plain} {tls} --artifact-type application/vnd.ocicaps.test {host}/{scratch}@{subject} sig.txt"
    Then the workflow fails unless the program exits 0 because "oras attach ended with {exit}: {output}"
    And I save the output matching "Digest: (sha256:[0-9a-f]{64})" as "artifact"
    And I save "nowhere" as "found"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then I save "api" as "found" when the status is 200 and the JSON list "manifests" has an item whose "digest" is "{artifact}"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    Then I save "tag" as "found" when the variable "found" is "nowhere" and the status is 200 and the JSON list "manifests" has an item whose "digest" is "{artifact}"
    And the workflow is unsafe when the variable "found" is "nowhere" because "oras attach exited 0, but neither the referrers API nor the referrers tag {fallbackTag} lists {artifact}"
    And the workflow falls back when the variable "found" is "tag" because "the registry has no referrers API: oras kept the signature under the referrers tag schema ({fallbackTag})"

  @workflow:discover @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: Discover the signatures of an image
    Settings: none
    Fallback settings: none (oras discover reads the referrers tag schema by itself when the API is missing)
    If it fails: oras discover finds nothing: the registry keeps no list of referrers
    Given I push an image to "{scratch}:oras-discover" and save its digest as "subject"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    And I write the file "sig.txt" with:
      """
      signature
      """
    When I run "oras attach {plain} {tls} --artifact-type application/vnd.ocicaps.test {host}/{scratch}@{subject} sig.txt"
    Then the program exits 0
    And I save the output matching "Digest: (sha256:[0-9a-f]{64})" as "artifact"
    When I run "oras discover {plain} {tls} --format json {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "oras discover ended with {exit}: {output}"
    And the workflow is unsafe unless the output contains "{artifact}" because "oras discover exited 0 without the artifact just attached ({artifact})"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the workflow falls back unless the status is 200 and the JSON list "manifests" has an item whose "digest" is "{artifact}" because "the referrers API answered {answer}: oras discover found the signature under the referrers tag schema"

  @workflow:attach-referrers-api @needs:referrers @otherwise:unsafe
  Scenario: Attach with --distribution-spec v1.1-referrers-api
    Settings: --distribution-spec v1.1-referrers-api
    If it fails: do not use --distribution-spec v1.1-referrers-api here: oras attach exits 0 and the referrer is invisible to oras discover; leave the default or use --distribution-spec v1.1-referrers-tag
    Given I push an image to "{scratch}:oras-attach-api" and save its digest as "subject"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    And I write the file "sig.txt" with:
      """
      signature
      """
    When I run "oras attach {plain} {tls} --distribution-spec v1.1-referrers-api --artifact-type application/vnd.ocicaps.test {host}/{scratch}@{subject} sig.txt"
    Then the workflow fails unless the program exits 0 because "oras attach --distribution-spec v1.1-referrers-api ended with {exit}: {output}"
    And I save the output matching "Digest: (sha256:[0-9a-f]{64})" as "artifact"
    And I delete the image "{scratch}@{artifact}" and its blobs when the scenario ends
    When I run "oras discover {plain} {tls} --format json {host}/{scratch}@{subject}"
    Then the workflow is unsafe unless the program exits 0 and the output contains "{artifact}" because "oras attach exited 0, but oras discover does not find {artifact} ({exit}: {output})"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the workflow is unsafe unless the status is 200 and the JSON list "manifests" has an item whose "digest" is "{artifact}" because "oras attach exited 0, but the referrers API answered {answer} without {artifact}"
