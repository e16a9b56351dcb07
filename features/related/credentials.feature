@capability:credentials @check:check.integration.oci.credentials @severity:warn
Feature: Credentials accepted
  The registry accepts the requests ocicaps sends to GET /v2/, with the
  credentials configured for it (none: anonymous access).

  Common causes when missing:
  - The registry needs credentials and none are configured.
  - The password or token is wrong, expired, or lacks access.

  How to fix:
  - Log in by hand (docker login registry.example.com) to check the credentials.
  - Configure credentials for the registry in registries.yaml.

  Scenario: The registry accepts our credentials
    When I send a GET request to "/v2/"
    Then the capability is unsupported when the status is 401 because "the registry refused the request: {answer}"
    And the capability is unsupported when the status is 403 because "the registry forbids access: {answer}"
    And the capability is supported when the status is 200
