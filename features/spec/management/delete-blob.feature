@capability:delete-blob @check:check.oci.spec.management @severity:info
Feature: Blobs can be deleted
  Spec: OCI Distribution Spec v1.1, "Deleting Blobs" (end-10): DELETE
  /v2/<name>/blobs/<digest> MUST answer 202 Accepted on success, and "if
  the blob is not found, a 404 Not Found code MUST be returned". A registry
  MAY disable deletion; then it MUST answer 400 Bad Request or 405 Method
  Not Allowed (a missing capability, hence severity info). Garbage
  collection and clean-up tooling delete blobs no manifest needs.

  The probe deletes a blob digest nothing has in {mountRepository}, so
  nothing can be removed: 404 says the registry looked for it, 400 or 405
  that deletion is disabled. The verify scenario pushes a blob to {scratch},
  deletes it, deletes it again (now absent: 404) and reads it back (404).

  Common causes when missing:
  - The registry API has no DELETE at all (405 UNSUPPORTED for every DELETE, as on GitHub Container Registry).
  - Deletes are disabled in the registry's configuration (some registries have a separate switch for blobs).
  - The registry deletes blobs only through garbage collection, never by request.

  How to fix:
  - Enable deletes: Distribution storage.delete.enabled: true; olareg --api-delete --api-blob-delete.
  - Otherwise delete the manifests and let the registry's garbage collection remove their blobs.
  - GitHub Container Registry (ghcr.io) answers every DELETE of the registry API with 405 UNSUPPORTED: delete package
    versions with the GitHub REST API instead (DELETE /orgs/<org>/packages/container/<name>/versions/<id>, or the
    repository's Packages settings); clients that clean up with the registry API leave everything behind there.

  Scenario: A DELETE of a blob the repository does not hold answers 404
    When I send a DELETE request to "/v2/{mountRepository}/blobs/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then the capability is unsupported when the status is 400 or 405 because "DELETE of a blob answered {answer}: blob deletion is disabled: clients cannot remove what they pushed through the registry API, so clean-up and retention jobs leave it behind"
    And the registry deviates from "Deleting Blobs" unless the status is 404 because "DELETE of a blob the registry does not hold MUST answer 404 Not Found; the registry answered {answer}"
    And the capability is supported when the status is 202 or 404
    # crane answers 500 "not found": deletion is on, but the probe cannot tell whether it works.
    And the capability is unsupported when the status is 500 because "DELETE of a blob {mountRepository} does not hold answered {answer} where the spec requires 404: the probe cannot tell whether blobs can be deleted (verify mode deletes one)"
    And the scenario is an error when the status is 401 or 403 because "DELETE in {mountRepository} answered {answer}: the credentials may not delete there; grant delete on {mountRepository}, or set mountRepository to a repository they may delete in"
    And otherwise the capability is unsupported because "DELETE of a blob {mountRepository} does not hold answered {answer}: neither 404 (no such blob) nor 400 or 405 (deletion disabled)"

  @verify
  Scenario: A pushed blob is deleted, and deleting it again answers 404
    Given I save 700 random bytes as "blob"
    And I push the saved body "blob" as a blob to "{scratch}"
    When I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is unsupported when the status is 400 or 405 because "DELETE of the blob answered {answer}: blob deletion is disabled: clients cannot remove what they pushed through the registry API, so clean-up and retention jobs leave it behind"
    And the registry deviates from "Deleting Blobs" unless the status is 202 because "a DELETE of a blob MUST answer 202 Accepted on success (400 or 405 when deletion is disabled); the registry answered {answer}"
    And the capability is unsupported unless the status is 200, 202 or 204 because "DELETE of the blob answered {answer}, not 202"
    When I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the registry deviates from "Deleting Blobs" unless the status is 404 because "DELETE of a blob the registry does not hold MUST answer 404 Not Found; the registry answered {answer}"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is supported when the status is 404
    And otherwise the capability is unsupported because "DELETE of the blob succeeded, but GET still answers {answer}"
