@capability:oci-subject-consistent @check:check.integration.oci.hosted @severity:warn
Feature: OCI-Subject only with a referrers API that lists the referrer
  A registry answers the push of a manifest with a subject with the
  OCI-Subject header to say it processed the subject: the referrers API
  will list the manifest, so the client does not update the referrers tag
  schema ("Pushing Manifests with Subject"). A registry that sends the
  header without a referrers API that lists the referrer (ECR and Docker
  Hub shipped so: sigstore/sigstore-js#1183, docker/hub-feedback#2372)
  advertises what it does not do: a client that follows the spec writes
  no referrers tag, and the signature or SBOM it pushed can be found
  neither by the referrers API nor by the tag schema. Supported when the
  header is absent (clients then update the tag schema) or when the
  referrers API lists the pushed referrer; warn, since attachments are lost.

  Verify only: the scenario pushes an image and an artifact referring to it
  to {scratch}, and when the push answered OCI-Subject, asks the referrers
  API for the image's referrers.

  Common causes when missing:
  - The registry sends OCI-Subject although its referrers API is missing or disabled (ECR, Docker Hub at the time of the reports above).
  - A proxy or cache in front of the registry serves a stale or empty referrers list.

  How to fix:
  - Test it directly: push a manifest with a subject, note the OCI-Subject answer, then curl -H "Accept: application/vnd.oci.image.index.v1+json" https://registry.example.com/v2/<repository>/referrers/<subject digest>
  - Upgrade the registry to one whose referrers API lists what it announces, or stop it from sending OCI-Subject.
  - Meanwhile make clients keep the referrers tag schema whatever the header says (oras: --distribution-spec v1.1-referrers-tag; cosign keeps its sha256-<hex>.sig tags unless told --registry-referrers-mode=oci-1-1).

  @verify
  Scenario: A push answered with OCI-Subject is listed by the referrers API
    Given I push an image to "{scratch}:subject-consistent" and save its digest as "subject"
    And I push an artifact of type "application/vnd.ocicaps.subject-consistent.v1" referring to "{subject}" to "{scratch}" and save its digest as "artifact"
    # The artifact's push is the current response: without the header the
    # client updates the tag schema itself, and nothing was advertised.
    Then the capability is supported when the response header "OCI-Subject" is absent
    Given the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/referrers/{subject}"
    And I record the response status as "referrers API after OCI-Subject"
    Then the capability is supported when the status is 200 and the JSON list "manifests" has an item whose "digest" is "{artifact}"
    And otherwise the capability is unsupported because "the push of a manifest with a subject answered OCI-Subject, but the referrers API answered {answer} without that manifest: a client that follows the spec sees the header, writes no referrers tag, and the signature or SBOM it pushed can be found neither there nor by the tag schema"
