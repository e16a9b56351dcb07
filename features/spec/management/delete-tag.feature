@capability:delete-tag @check:check.oci.spec.management @severity:info
Feature: Tags can be deleted
  Spec: OCI Distribution Spec v1.1, "Deleting tags" (end-9): DELETE
  /v2/<name>/manifests/<tag> MUST answer 202 Accepted on success, and a GET
  of the tag then answers 404. Deleting a tag removes the name, not the
  manifest: it stays readable by digest. The spec lets a registry refuse
  ("Registries MAY implement deletion or they MAY disable it. Similarly, a
  registry MAY implement tag deletion, while others MAY allow deletion only
  by manifest"), and a registry with tag deletion disabled MUST answer 400
  Bad Request or 405 Method Not Allowed: a missing capability, not a fault,
  hence severity info.

  The probe deletes a tag nobody holds in {mountRepository}, so nothing can
  be removed: 404 says the registry looked for the tag, 400 or 405 that tag
  deletion is disabled. The verify scenario pushes an image to
  {scratch}:delete-tag, deletes the tag, and reads the manifest back by
  digest.

  Common causes when missing:
  - The registry API has no DELETE at all (405 UNSUPPORTED for every DELETE, as on GitHub Container Registry).
  - Deletes are disabled in the registry's configuration.
  - The registry deletes manifests by digest only, and keeps tags until their manifest goes.
  - A DELETE of the tag removes the manifest with it (and every other tag of it).

  How to fix:
  - Enable deletes: Distribution storage.delete.enabled: true; olareg --api-delete.
  - Where tags cannot be deleted, delete the manifest by digest (delete-manifest) or move the tag to another manifest.
  - GitHub Container Registry (ghcr.io) answers every DELETE of the registry API with 405 UNSUPPORTED: delete package
    versions with the GitHub REST API instead (DELETE /orgs/<org>/packages/container/<name>/versions/<id>, or the
    repository's Packages settings); clients that clean up with the registry API leave everything behind there.

  Scenario: A DELETE of a tag the repository does not hold is not refused
    When I send a DELETE request to "/v2/{mountRepository}/manifests/ocicaps-absent-tag"
    Then the capability is unsupported when the status is 400 or 405 because "DELETE of a tag answered {answer}: tag deletion is disabled: clients cannot remove what they pushed through the registry API, so clean-up and retention jobs leave it behind"
    And the capability is supported when the status is 202 or 404
    And the scenario is an error when the status is 401 or 403 because "DELETE in {mountRepository} answered {answer}: the credentials may not delete there; grant delete on {mountRepository}, or set mountRepository to a repository they may delete in"
    And otherwise the capability is unsupported because "DELETE of a tag {mountRepository} does not hold answered {answer}: neither 404 (no such tag) nor 400 or 405 (tag deletion disabled)"

  @verify
  Scenario: A pushed tag is deleted and its manifest stays
    # The push reads the manifest back by its tag: it was there before.
    Given I push an image to "{scratch}:delete-tag" and save its digest as "image"
    When I send a DELETE request to "/v2/{scratch}/manifests/delete-tag"
    Then the capability is unsupported when the status is 400 or 405 because "DELETE of the tag answered {answer}: tag deletion is disabled: clients cannot remove what they pushed through the registry API, so clean-up and retention jobs leave it behind"
    And the registry deviates from "Deleting tags" unless the status is 202 because "a DELETE of a tag MUST answer 202 Accepted on success (400 or 405 when tag deletion is disabled); the registry answered {answer}"
    And the capability is unsupported unless the status is 200, 202 or 204 because "DELETE of the tag answered {answer}, not 202"
    # Without an Accept header some registries answer 404 for a manifest that is there.
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/delete-tag"
    Then the capability is unsupported unless the status is 404 because "DELETE of the tag succeeded, but GET of the tag still answers {answer}"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{image}"
    Then the capability is supported when the status is 200 and the digest of the response body is "{image}"
    And otherwise the capability is unsupported because "DELETE of the tag removed its manifest too: GET by digest answers {answer}; the registry deletes manifests, not tags"
