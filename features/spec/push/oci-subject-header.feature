@capability:oci-subject-header @check:check.oci.spec.push @severity:info
Feature: OCI-Subject header on pushes with a subject
  Spec: OCI Distribution Spec v1.1, "Pushing Manifests with Subject": when
  it processes an image manifest with a subject field, a registry that
  supports the referrers API MUST answer with OCI-Subject: <subject digest>.
  A client that gets no such header MUST maintain the referrers tag schema
  itself (pull, extend and push the <alg>-<hex> index), so the header
  spares every push of a signature or SBOM two requests and a race.

  Supported when the push answers OCI-Subject naming the subject. A
  registry without the referrers API need not send it: unsupported, at
  severity info, since clients then fall back to the tag schema. A registry
  that answers the referrers API (200 for the subject) but pushes without
  the header deviates from the spec's MUST.

  Verify only: the scenario pushes an image to {scratch}, asks the referrers
  API about it, then pushes a manifest whose subject is that image.

  Common causes when missing:
  - The registry has no referrers API (OCI Distribution Spec v1.0): the header is not expected.
  - The registry implements the referrers API but not the header, or a proxy in front of it drops unknown headers.

  How to fix:
  - Upgrade the registry to one that implements OCI Distribution Spec v1.1 with the referrers API.
  - Let the proxy pass OCI-Subject through.
  - Nothing to fix for clients: without the header they update the referrers tag schema.

  @verify
  Scenario: A manifest pushed with a subject is answered with OCI-Subject
    Given I push an image to "{scratch}:oci-subject" and save its digest as "subject"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    And I record the response status as "referrers API before the push"
    And I save "{status}" as "referrersStatus"
    Given I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch}"
    And the request body is:
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}],
       "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": {subject.size}, "digest": "{subject}"}}
      """
    When I send a PUT request to "/v2/{scratch}/manifests/{bodyDigest}"
    And I send a DELETE request to "/v2/{scratch}/manifests/{bodyDigest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT of a manifest with a subject answered {answer}, not 201 Created"
    And the registry deviates from "Pushing Manifests with Subject" when the variable "referrersStatus" is "200" and the response header "OCI-Subject" is absent because "a registry that supports the referrers API (it answered 200 for the subject) MUST answer the push of a manifest with a subject with OCI-Subject: <subject digest>; the push answered {answer} without it"
    And I record the response header "OCI-Subject" as "OCI-Subject"
    And I save "{bodyDigest}" as "referrer"
    And I save "{answer}" as "pushAnswer"
    # The header is a claim: the manifest is read back with its subject.
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{referrer}"
    Then the capability is unsupported unless the status is 200 because "the push of a manifest with a subject answered 201, but GET of the manifest then answered {answer}: it was not stored"
    And the registry corrupts content unless the digest of the response body is "{referrer}" and the response header "Docker-Content-Digest" is absent or is "{referrer}" because "GET of the manifest pushed with a subject returned other content than was pushed"
    And the capability is supported when the variable "OCI-Subject" is "{subject}" and the JSON field "subject.digest" is "{subject}"
    And the capability is unsupported when the variable "OCI-Subject" matches "." because "the push answered OCI-Subject, but it names another digest than the subject {subject}"
    And otherwise the capability is unsupported because "the push of a manifest with a subject answered {pushAnswer} without OCI-Subject: the registry did not say it processed the subject, so clients update the referrers tag schema"
