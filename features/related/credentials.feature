@capability:credentials @check:check.integration.oci.credentials @severity:fail
Feature: Credentials accepted
  The registry accepts the requests ocicaps sends to GET /v2/, with the
  credentials configured for it (none: anonymous access). A 401 challenge is
  answered first (Basic, or a bearer token from the registry's token
  service), so the verdict is about the credentials, not about the flow.
  The verdict says which of three it is: accepted; rejected, with the
  registry's or the token service's error code; or not configured. A
  registry that answers GET /v2/ without asking cannot reject anything, so
  "accepted" then means it let us in.

  Common causes when missing:
  - The registry needs credentials and none are configured (or the Docker config has no entry for it).
  - The password or token is wrong, expired, or lacks access.

  How to fix:
  - Log in by hand (docker login registry.example.com) to check the credentials.
  - Configure credentials for the registry in registries.yaml (README: "Authenticated registries").

  Scenario: The registry accepts our credentials
    Given I record "{credentials}" as "credentials"
    When I send a GET request to "/v2/"
    Then the capability is unsupported when the status is 401 or 403 and the variable "credentials" matches "^none" because "not configured: the registry requires credentials and none are configured for it ({credentials}); it answered {answer}"
    And the capability is unsupported when the status is 401 or 403 because "rejected: the registry refused the credentials ({credentials}); it answered {answer}"
    And the capability is supported when the status is 200
