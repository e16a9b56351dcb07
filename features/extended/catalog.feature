@capability:catalog @check:check.integration.oci.extended @severity:info
Feature: Catalog
  GET /v2/_catalog lists the repositories of the registry as JSON
  ({"repositories": [...]}). Optional in the OCI spec; mirroring and
  inventory tools use it.

  Common causes when missing:
  - The registry does not implement the catalog endpoint (it is optional).
  - The registry restricts it to administrators.

  How to fix:
  - Use the registry's own API for listing repositories, or grant catalog access.

  Scenario: The registry lists its repositories
    When I send a GET request to "/v2/_catalog"
    Then the capability is supported when the status is 200 and the JSON field "repositories" exists
