@capability:chunked-upload @check:check.integration.oci.capabilities @severity:info
Feature: Chunked upload
  POST /v2/<repository>/blobs/uploads/ opens an upload session (202 Accepted)
  into which a large blob, such as an SBOM, can be sent in chunks. The probe
  cancels the session at once.

  Common causes when missing:
  - Chunked upload is disabled in the registry configuration.
  - The credentials may pull but not push to the test repository.

  How to fix:
  - Test chunked upload: curl -X POST https://registry.example.com/v2/test/blobs/uploads/
  - Enable uploads in the registry's configuration, or grant push on the test repository.

  Scenario: The registry opens an upload session
    When I send a POST request to "/v2/{repository}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is supported when the status is 202
