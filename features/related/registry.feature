@capability:connectivity @check:check.integration.oci.registry @severity:warn
Feature: Registry connectivity
  The registry answers the distribution API's base endpoint, GET /v2/. A 200
  (open) or a 401 with a WWW-Authenticate challenge (credentials needed) both
  mean an OCI registry is there and reachable.

  Common causes when missing:
  - The URL points at something that is not an OCI registry (a web UI, a proxy's error page).
  - A proxy or load balancer in front of the registry rewrites or blocks /v2/.

  How to fix:
  - curl -sv https://registry.example.com/v2/ and check the status and the Docker-Distribution-API-Version header.
  - Point url in registries.yaml at the registry's API endpoint.

  Scenario: The registry answers GET /v2/
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 401 and the response header "WWW-Authenticate" is present
    And the capability is supported when the status is 200
