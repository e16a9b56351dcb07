@capability:accept-negotiation @check:check.example.engineer @severity:info
Feature: Manifests served only in a media type the client accepts
  A client names the manifest types it can read in Accept. A registry that
  honours it answers an OCI image manifest to a client accepting it, and
  never answers one to a client that accepts only Docker manifests (it
  converts, or answers 404 or 406).

  Scenario: An OCI manifest is served only to a client that accepts it
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then the scenario is an error when the status is 404 because "the test image {repository}:{tag} is not an OCI image manifest: give one as testRepository and testTag"
    And the capability is unsupported unless the status is 200 and the response header "Content-Type" is "application/vnd.oci.image.manifest.v1+json" because "GET accepting only OCI manifests answered {answer}"
    Given the request header "Accept" is "application/vnd.docker.distribution.manifest.v2+json"
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then I record "{status}" as "answer to a Docker-only Accept"
    And the capability is supported when the status is 404 or 406
    And the capability is supported when the status is 200 and the response header "Content-Type" is "application/vnd.docker.distribution.manifest.v2+json"
    And otherwise the capability is unsupported because "a client accepting only Docker manifests got {answer} with the OCI manifest it did not accept"
