@capability:mount-without-from @check:check.oci.spec.push @severity:info
Feature: Mount without from
  Spec: OCI Distribution Spec v1.1, "Mounting a blob from another
  repository" (end-11): the registry MAY treat the from parameter as
  optional and MAY mount a blob it finds elsewhere; a mount MUST answer 201
  Created with a Location, and a registry that does not mount SHOULD answer
  202 with an upload session instead. Both answers are allowed: the
  capability is that the registry mounts without from (201, and the blob is
  in the target repository); a 202 makes it unsupported, which the spec
  allows (information). A client that does not know where a blob came from
  (or may not read there) can still skip the upload where this works; else
  it uploads again.

  Mounting stores a link, so there is no probe: the verify scenario pushes
  500 random bytes to {scratch}, mounts them into {scratch2} without from,
  and deletes both.

  Common causes when missing:
  - The registry mounts only from a named repository.

  How to fix:
  - Nothing on the registry is required; clients name from, or upload the blob again.

  # For maintainers, not shown to users (observed on the zoo registries):
  # Distribution, olareg and crane all open an upload session for ?mount= without from.
  @verify
  Scenario: A blob is mounted without naming the repository it is in
    Given I save 500 random bytes as "blob"
    And I push the saved body "blob" as a blob to "{scratch}"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/?mount={blob.digest}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{scratch2}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported when the status is 202 because "POST ?mount= without from answered 202: the registry opened an upload session instead of mounting (allowed: from MAY be treated as optional)"
    And the capability is unsupported unless the status is 201 because "POST ?mount= without from answered {answer}, neither 201 Created (mounted) nor 202 Accepted (an upload session)"
    And the registry deviates from "Mounting a blob from another repository" unless the response header "Location" is present because "the 201 of a successful mount MUST carry a Location header; the registry answered {answer} without one"
    When I send a HEAD request to "/v2/{scratch2}/blobs/{blob.digest}"
    Then the capability is supported when the status is 200
    And otherwise the capability is unsupported because "the mount without from answered 201, but HEAD of the blob in {scratch2} answered {answer}"
