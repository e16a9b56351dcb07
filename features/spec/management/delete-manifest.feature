@capability:delete-manifest @check:check.oci.spec.management @severity:info
Feature: Manifests can be deleted by digest
  Spec: OCI Distribution Spec v1.1, "Deleting Manifests" (end-9): DELETE
  /v2/<name>/manifests/<digest> MUST answer 202 Accepted on success; "once
  deleted, a GET to /v2/<name>/manifests/<digest> and any tag pointing to
  that digest will return a 404". A registry MAY disable deletion; then it
  MUST answer 400 Bad Request or 405 Method Not Allowed (a missing
  capability, hence severity info). A DELETE in a repository that does not
  exist MUST answer 404.

  The probe deletes a manifest digest nothing has in {mountRepository}, so
  nothing can be removed: 404 says the registry looked for it, 400 or 405
  that deletion is disabled. The verify scenario pushes an image to
  {scratch}:delete-manifest, deletes it by digest, and reads it back by
  digest and by its tag. Once a delete has worked (so a 400 or 405 cannot
  mean "deletion is disabled"), it also deletes a digest in {scratch}-absent,
  a repository nothing creates: any answer but 404 is a deviation, except
  401 and 403 (real registries answer them for repositories the
  credentials cannot see: an answer about us, which records nothing). A
  registry with deletes disabled never gets there.

  Common causes when missing:
  - Deletes are disabled in the registry's configuration.
  - The registry removes the manifest but not the tags pointing to it, so the image is still pulled by tag.

  How to fix:
  - Enable deletes: Distribution storage.delete.enabled: true; olareg --api-delete.
  - Where a tag outlives its manifest, delete the tags first (delete-tag), then the manifest.

  # For maintainers, not shown to users (observed on the zoo registries):
  # Seen with curl (DELETE /v2/library/ocicaps-verify-…-absent/manifests/sha256:2d7116…):
  # Distribution 404 MANIFEST_UNKNOWN; crane 404 NAME_UNKNOWN; olareg 404
  # MANIFEST_UNKNOWN (and it creates no repository for it); the two with
  # deletes off 405 (Distribution UNSUPPORTED, olareg an empty body), as for
  # every DELETE.
  Scenario: A DELETE of a manifest the repository does not hold is not refused
    When I send a DELETE request to "/v2/{mountRepository}/manifests/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then the capability is unsupported when the status is 400 or 405 because "DELETE of a manifest answered {answer}: manifest deletion is disabled"
    And the capability is supported when the status is 202 or 404
    And the scenario is an error when the status is 401 or 403 because "DELETE in {mountRepository} answered {answer}: the credentials may not delete there; grant delete on {mountRepository}, or set mountRepository to a repository they may delete in"
    And otherwise the capability is unsupported because "DELETE of a manifest {mountRepository} does not hold answered {answer}: neither 404 (no such manifest) nor 400 or 405 (deletion disabled)"

  @verify
  Scenario: A pushed manifest deleted by digest is gone by digest and by tag
    Given I push an image to "{scratch}:delete-manifest" and save its digest as "image"
    When I send a DELETE request to "/v2/{scratch}/manifests/{image}"
    Then the capability is unsupported when the status is 400 or 405 because "DELETE of the manifest answered {answer}: manifest deletion is disabled"
    And the registry deviates from "Deleting Manifests" unless the status is 202 because "a DELETE of a manifest MUST answer 202 Accepted on success (400 or 405 when deletion is disabled); the registry answered {answer}"
    And the capability is unsupported unless the status is 200, 202 or 204 because "DELETE of the manifest answered {answer}, not 202"
    # Without an Accept header some registries answer 404 for a manifest that is there.
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/{image}"
    Then the capability is unsupported unless the status is 404 because "DELETE of the manifest succeeded, but GET by digest still answers {answer}"
    When I send a DELETE request to "/v2/{scratch}/manifests/{image}"
    Then I record the response status as "second DELETE of the manifest"
    # Deletes work here: a DELETE in a repository no one created must be
    # answered 404; a 401 or 403 there is an answer about us, not a deviation.
    When I send a DELETE request to "/v2/{scratch}-absent/manifests/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then the registry deviates from "Deleting Manifests" unless the status is 404, 401 or 403 because "a DELETE of a manifest in a repository that does not exist MUST answer 404 Not Found; the registry answered {answer}"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/delete-manifest"
    Then the capability is supported when the status is 404
    And otherwise the capability is unsupported because "the manifest is deleted by digest, but its tag delete-manifest still serves it: GET of the tag answers {answer} where the spec says any tag pointing to the digest then answers 404"
