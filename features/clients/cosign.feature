@client:cosign
Feature: cosign
  cosign (sigstore) signs and attests images. By default it keeps a
  signature under the tag sha256-<hex>.sig and an attestation under
  sha256-<hex>.att, next to the image; --registry-referrers-mode=oci-1-1
  (experimental) pushes the signature as an OCI 1.1 referrer instead,
  found by the referrers API or the referrers tag schema. These workflows
  run offline: a key pair made in the scenario, no transparency log
  upload (--tlog-upload=false), verification against the key with the
  log ignored (--insecure-ignore-tlog). cosign verify still tries to fetch
  its trusted root from tuf-repo-cdn.sigstore.dev, which the proxy sink
  refuses; cosign then goes on with a warning.

  Background:
    Given I save "--allow-http-registry" as "allowHTTP" when the variable "plainHTTP" matches "^true$"
    And I save "" as "allowHTTP" when the variable "plainHTTP" matches "^false$"
    And I save "" as "allowInsecure"
    And I save "--allow-insecure-registry" as "allowInsecure" when the variable "tlsVerify" matches "^false$"
    And the program environment variable "COSIGN_PASSWORD" is "ocicaps-offline-key"
    And the program environment variable "COSIGN_EXPERIMENTAL" is "1"
    And I save "application/vnd.oci.image.manifest.v1+json" as "manifestType"

  @workflow:sign @needs:push @needs:manifest-push @otherwise:fails
  Scenario: Sign an image with a key
    Settings: none
    If it fails: cosign sign stops with an error: this registry does not take cosign's signature image
    Given I push an image to "{scratch}:cosign-sign" and save its digest as "subject"
    And I save the referrers tag of "{subject}" as "tagBase"
    And I delete the image "{scratch}:{tagBase}.sig" and its blobs when the scenario ends
    When I run "cosign generate-key-pair"
    Then the program exits 0
    When I run "cosign sign {allowHTTP} {allowInsecure} --key cosign.key --tlog-upload=false -y {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "cosign sign ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestType}"
    When I send a GET request to "/v2/{scratch}/manifests/{tagBase}.sig"
    Then the workflow is unsafe unless the status is 200 and the JSON list "layers" has an item whose "mediaType" is "application/vnd.dev.cosign.simplesigning.v1+json" because "cosign sign exited 0, but the signature tag {tagBase}.sig answers {answer}"
    And I save the JSON field "layers[0].digest" as "signature"
    When I send a GET request to "/v2/{scratch}/blobs/{signature}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{signature}" because "cosign sign exited 0, but the signature's blob {signature} does not read back: {answer}"

  @workflow:verify @needs:pull @otherwise:fails
  Scenario: Verify a signature with the public key
    Settings: --key cosign.pub --insecure-ignore-tlog (offline; cosign still tries tuf-repo-cdn.sigstore.dev and goes on without it)
    If it fails: cosign verify does not find the signature: it reads the sha256-<hex>.sig tag back from the registry
    Given I push an image to "{scratch}:cosign-verify" and save its digest as "subject"
    And I save the referrers tag of "{subject}" as "tagBase"
    And I delete the image "{scratch}:{tagBase}.sig" and its blobs when the scenario ends
    When I run "cosign generate-key-pair"
    Then the program exits 0
    When I run "cosign sign {allowHTTP} {allowInsecure} --key cosign.key --tlog-upload=false -y {host}/{scratch}@{subject}"
    Then the program exits 0
    When I run "cosign verify {allowHTTP} {allowInsecure} --key cosign.pub --insecure-ignore-tlog=true {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "cosign verify ended with {exit}: {output}"
    And the workflow fails unless the output contains "The signatures were verified against the specified public key" because "cosign verify exited 0 without saying the signature was verified: {output}"

  @workflow:attest @needs:push @needs:manifest-push @otherwise:fails
  Scenario: Attest an image with a key
    Settings: none
    If it fails: cosign attest stops with an error: this registry does not take cosign's attestation image
    Given I push an image to "{scratch}:cosign-attest" and save its digest as "subject"
    And I save the referrers tag of "{subject}" as "tagBase"
    And I delete the image "{scratch}:{tagBase}.att" and its blobs when the scenario ends
    And I write the file "predicate.json" with:
      """
      {"ocicaps": "client readiness"}
      """
    When I run "cosign generate-key-pair"
    Then the program exits 0
    When I run "cosign attest {allowHTTP} {allowInsecure} --key cosign.key --tlog-upload=false --predicate predicate.json --type custom -y {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "cosign attest ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestType}"
    When I send a GET request to "/v2/{scratch}/manifests/{tagBase}.att"
    Then the workflow is unsafe unless the status is 200 and the JSON list "layers" has an item whose "mediaType" is "application/vnd.dsse.envelope.v1+json" because "cosign attest exited 0, but the attestation tag {tagBase}.att answers {answer}"
    And I save the JSON field "layers[0].digest" as "attestation"
    When I send a GET request to "/v2/{scratch}/blobs/{attestation}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{attestation}" because "cosign attest exited 0, but the attestation's blob {attestation} does not read back: {answer}"

  @workflow:verify-attestation @needs:pull @otherwise:fails
  Scenario: Verify an attestation with the public key
    Settings: --key cosign.pub --insecure-ignore-tlog --type custom (offline; cosign still tries tuf-repo-cdn.sigstore.dev and goes on without it)
    If it fails: cosign verify-attestation does not find the attestation: it reads the sha256-<hex>.att tag back from the registry
    Given I push an image to "{scratch}:cosign-verify-att" and save its digest as "subject"
    And I save the referrers tag of "{subject}" as "tagBase"
    And I delete the image "{scratch}:{tagBase}.att" and its blobs when the scenario ends
    And I write the file "predicate.json" with:
      """
      {"ocicaps": "client readiness"}
      """
    When I run "cosign generate-key-pair"
    Then the program exits 0
    When I run "cosign attest {allowHTTP} {allowInsecure} --key cosign.key --tlog-upload=false --predicate predicate.json --type custom -y {host}/{scratch}@{subject}"
    Then the program exits 0
    When I run "cosign verify-attestation {allowHTTP} {allowInsecure} --key cosign.pub --insecure-ignore-tlog=true --type custom {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "cosign verify-attestation ended with {exit}: {output}"
    And the workflow fails unless the output contains "The signatures were verified against the specified public key" because "cosign verify-attestation exited 0 without saying the attestation was verified: {output}"

  @workflow:sign-oci-1-1 @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: Sign an image as an OCI 1.1 referrer
    Settings: --registry-referrers-mode=oci-1-1 (with COSIGN_EXPERIMENTAL=1)
    Fallback settings: --registry-referrers-mode=oci-1-1 (with COSIGN_EXPERIMENTAL=1): cosign keeps the signature under the referrers tag schema by itself
    If it fails: cosign sign --registry-referrers-mode=oci-1-1 stops with an error; sign without it (the .sig tag)
    Given I push an image to "{scratch}:cosign-oci11" and save its digest as "subject"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    And I save the referrers tag of "{subject}" as "fallbackTag"
    When I run "cosign generate-key-pair"
    Then the program exits 0
    When I run "cosign sign {allowHTTP} {allowInsecure} --key cosign.key --tlog-upload=false --registry-referrers-mode=oci-1-1 -y {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "cosign sign --registry-referrers-mode=oci-1-1 ended with {exit}: {output}"
    And I save "nowhere" as "found"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then I save "api" as "found" when the status is 200 and the JSON list "manifests" has an item whose "artifactType" is "application/vnd.dev.cosign.artifact.sig.v1+json"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{fallbackTag}"
    Then I save "tag" as "found" when the variable "found" is "nowhere" and the status is 200 and the JSON list "manifests" has an item whose "artifactType" is "application/vnd.dev.cosign.artifact.sig.v1+json"
    And the workflow is unsafe when the variable "found" is "nowhere" because "cosign sign exited 0, but neither the referrers API nor the referrers tag {fallbackTag} lists a cosign signature"
    And the workflow falls back when the variable "found" is "tag" because "the registry has no referrers API: cosign kept the signature under the referrers tag schema ({fallbackTag})"

  @workflow:verify-oci-1-1 @needs:referrers @fallback:referrers-tag-fallback @otherwise:fails
  Scenario: Verify an OCI 1.1 signature with the public key
    Settings: --experimental-oci11 --key cosign.pub --insecure-ignore-tlog (with COSIGN_EXPERIMENTAL=1)
    Fallback settings: --experimental-oci11 --key cosign.pub --insecure-ignore-tlog (with COSIGN_EXPERIMENTAL=1): cosign reads the referrers tag schema by itself
    If it fails: cosign verify --experimental-oci11 finds no signature: sign and verify without OCI 1.1 (the .sig tag)
    Given I push an image to "{scratch}:cosign-verify-oci11" and save its digest as "subject"
    And I delete the referrers of "{subject}" in "{scratch}" when the scenario ends
    When I run "cosign generate-key-pair"
    Then the program exits 0
    When I run "cosign sign {allowHTTP} {allowInsecure} --key cosign.key --tlog-upload=false --registry-referrers-mode=oci-1-1 -y {host}/{scratch}@{subject}"
    Then the program exits 0
    When I run "cosign verify {allowHTTP} {allowInsecure} --key cosign.pub --insecure-ignore-tlog=true --experimental-oci11 {host}/{scratch}@{subject}"
    Then the workflow fails unless the program exits 0 because "cosign verify --experimental-oci11 ended with {exit}: {output}"
    And the workflow fails unless the output contains "The signatures were verified against the specified public key" because "cosign verify exited 0 without saying the signature was verified: {output}"
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    Then the workflow falls back unless the status is 200 and the JSON list "manifests" has an item whose "artifactType" is "application/vnd.dev.cosign.artifact.sig.v1+json" because "the referrers API answered {answer}: cosign found the signature under the referrers tag schema"
