@capability:digest-validation @check:check.oci.spec.push @severity:warn
Feature: A wrong digest is refused
  Spec: OCI Distribution Spec v1.1, "Pushing blobs" (a digest the registry
  cannot accept SHOULD be answered 400 Bad Request; end-6 fails with 400),
  "Error Codes" (DIGEST_INVALID: "provided digest did not match uploaded
  content") and "Definitions" (a blob is addressable by the digest of its
  content). A registry that stores bytes under a digest that is not theirs
  breaks content addressing: every client that trusts a digest then gets
  other content. Refusing is what the definition of a digest requires, so
  a registry that stores the blob anyway is a warning; the 400 status is a
  SHOULD. A refusal with another code than DIGEST_INVALID still protects the content, so the capability is
  supported, with a deviation: the error table gives this case its own
  code, which clients use to tell corrupted content from a broken session.

  The verify scenario sends 100 random bytes to an upload session in
  {scratch} (a PATCH, so the session can still be cancelled afterwards:
  Distribution moves the session on with the bytes and refuses to cancel
  through an older Location) and closes it with a PUT naming the digest of
  other bytes; the blob must be absent afterwards, under either digest.

  Common causes when missing:
  - The registry trusts the client's digest and does not hash what it receives.
  - A storage backend or proxy computes the digest over something else than the blob.

  How to fix:
  - Hash the uploaded bytes and compare with ?digest= before committing the blob; answer 400 DIGEST_INVALID otherwise.

  # For maintainers, not shown to users (observed on the zoo registries):
  # olareg refuses a wrong digest with BLOB_UPLOAD_INVALID.
  @verify
  Scenario: A PUT whose digest is not that of the uploaded bytes is refused
    Given I save 100 random bytes as "blob"
    And I save 100 random bytes as "other"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "POST /v2/{scratch}/blobs/uploads/ answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "0-99"
    And the request body is bytes 0 to 99 of the saved body "blob"
    When I send a PATCH request to "{session}"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 and the response header "Location" is present because "the PATCH of 100 bytes answered {answer}, not 202 Accepted with a Location"
    And I save the response header "Location" as "session"
    Given the request query parameter "digest" is "{other.digest}"
    When I send a PUT request to "{session}"
    And I send a DELETE request to "/v2/{scratch}/blobs/{other.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported when the status is 201 because "the PUT naming {other.digest}, not the digest of the uploaded bytes ({blob.digest}), answered 201 Created: the registry stores content under a digest that is not its own"
    And the capability is unsupported unless the status is 400 because "the PUT naming a digest that is not that of the uploaded bytes answered {answer}, not 400 Bad Request (DIGEST_INVALID)"
    And the registry deviates from "Error Codes" unless the response error code is "DIGEST_INVALID" because "a digest that does not match the uploaded content is answered with the code the table gives that case, DIGEST_INVALID (provided digest did not match uploaded content); the registry answered {answer}"
    When I send a HEAD request to "/v2/{scratch}/blobs/{other.digest}"
    And I send a DELETE request to "/v2/{scratch}/blobs/{other.digest}" when the scenario ends, if the status is 200
    Then the capability is unsupported unless the status is 404 because "the PUT was refused, but HEAD of the digest it named answers {answer}, not 404"
    When I send a HEAD request to "/v2/{scratch}/blobs/{blob.digest}"
    And I send a DELETE request to "/v2/{scratch}/blobs/{blob.digest}" when the scenario ends, if the status is 200
    Then the capability is supported when the status is 404
    And otherwise the capability is unsupported because "the PUT was refused, but the uploaded bytes are stored under their own digest {blob.digest} (HEAD answered {answer}), although no upload was completed for it"
