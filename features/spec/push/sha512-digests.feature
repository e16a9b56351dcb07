@capability:sha512-digests @check:check.oci.spec.push @severity:info
Feature: Blobs with sha512 digests
  Spec: OCI Distribution Spec v1.1, "Pushing a blob in chunks" (end-4c: a
  client pushing with another algorithm than sha256 SHOULD say so with
  ?digest-algorithm=sha512) and "Pushing blobs" (a digest of an algorithm
  the registry does not support SHOULD be answered 400). Supporting sha512
  is optional: the image spec's descriptors MAY use it, and the
  distribution spec requires no algorithm but sha256; so missing it is
  information. Registries MAY store the blob under another digest as well
  ("Pulling blobs": Docker-Content-Digest MAY differ when the algorithms
  differ), but it must read back by its sha512 digest.

  The verify scenario pushes 1000 random bytes to {scratch} with a sha512
  digest (POST with ?digest-algorithm=sha512, then PUT), reads them back by
  that digest and deletes them: by the sha512 digest and by the 201's
  Location (some registries, Distribution among them, keep the blob under
  its sha256 digest too, name that one in Location, and a DELETE by sha512
  leaves it).

  Common causes when missing:
  - The registry knows only sha256 digests.

  How to fix:
  - Upgrade the registry; meanwhile, push with sha256 digests.

  @verify
  Scenario: A blob pushed with a sha512 digest reads back by it
    Given I save 1000 random bytes as "blob"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/?digest-algorithm=sha512"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "POST /v2/{scratch}/blobs/uploads/?digest-algorithm=sha512 answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{blob.sha512}"
    And the request body is bytes 0 to 999 of the saved body "blob"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{scratch}/blobs/{blob.sha512}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "the PUT with a sha512 ?digest= answered {answer}, not 201 Created"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.sha512}"
    Then the capability is unsupported unless the status is 200 because "the blob pushed with a sha512 digest cannot be read back by it: {answer}"
    And I record the response header "Docker-Content-Digest" as "Docker-Content-Digest by sha512"
    And the capability is supported when the response body is the saved body "blob"
    And otherwise the capability is unsupported because "GET by the sha512 digest answered 200 with other bytes than were pushed"
