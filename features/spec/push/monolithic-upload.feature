@capability:monolithic-upload @check:check.oci.spec.push @severity:warn
Feature: Monolithic blob upload (POST then PUT)
  Spec: OCI Distribution Spec v1.1, "Pushing a blob monolithically", "POST
  then PUT" (end-4a, end-6): a POST to /v2/<name>/blobs/uploads/ answers
  202 Accepted with a Location, and a PUT of the whole blob to that
  Location with ?digest=<digest> MUST answer 201 Created with a Location
  (a pullable blob URL). The blob then reads back byte for byte. This is the
  upload every client can fall back to, so a registry without it cannot
  take pushes; it is a MUST, so missing it is a warning.

  A 201 without Location still stores the blob: that is a deviation (the
  rule, the section and the exchange are reported), not a missing
  capability. A Location that does not serve the blob (GET of it is not
  200 with the pushed bytes) is a deviation too; without a Location that
  GET goes to /v2/<name>/blobs/<digest>. The spec asks no
  Docker-Content-Digest on the 201 of a blob upload (it
  asks it of pulls and HEAD, "Pulling blobs"); the header is recorded as a
  fact when the registry sends it.

  Writing is needed, so there is no probe: the verify scenario pushes 1000
  random bytes to {scratch}, reads them back and deletes them.

  Common causes when missing:
  - The registry, or a proxy in front of it, refuses PUT with a body on the upload Location.
  - Uploads are disabled, or the credentials may not push to the scratch repository.

  How to fix:
  - Test it: curl -X POST https://registry.example.com/v2/test/blobs/uploads/, then
    curl -X PUT --data-binary @blob "<Location>&digest=sha256:…" (or ?digest= when the Location has no query).
  - Let the proxy pass PUT bodies and the Location header through.

  # For maintainers, not shown to users (observed on the zoo registries):
  # Every zoo registry's Location serves the blob, or it sends none (crane): curl, 2026-12-02.
  @verify
  Scenario: A blob pushed by POST then PUT is stored and reads back
    Given I save 1000 random bytes as "blob"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "POST /v2/{scratch}/blobs/uploads/ answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{blob.digest}"
    And the request body is bytes 0 to 999 of the saved body "blob"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 201 because "the PUT of the whole blob with ?digest= answered {answer}, not 201 Created"
    And the registry deviates from "Pushing a blob monolithically" unless the response header "Location" is present because "the closing 201 of a POST-then-PUT upload MUST carry a Location header (a pullable blob URL); the registry answered {answer} without one"
    And I record the response header "Docker-Content-Digest" as "upload Docker-Content-Digest"
    And I save "/v2/{scratch}/blobs/{blob.digest}" as "blobLocation"
    And I record the response header "Location" as "blobLocation"
    When I send a GET request to "{blobLocation}"
    Then the registry deviates from "Pushing a blob monolithically" unless the status is 200 and the response body is the saved body "blob" because "the Location of the closing 201 MUST be a pullable blob URL; GET {blobLocation} answered {answer} without the pushed bytes"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is unsupported unless the status is 200 because "the uploaded blob cannot be read back: {answer}"
    And the registry deviates from "Pulling blobs" unless the response header "Docker-Content-Digest" is absent or is "{blob.digest}" because "a blob's Docker-Content-Digest, if present, MUST be the digest of the body; the registry answered {answer} with another"
    And the capability is supported when the response body is the saved body "blob"
    And otherwise the capability is unsupported because "GET of the uploaded blob answered 200 with other bytes than were pushed"
