@capability:catalog @check:check.integration.oci.extended @severity:info
Feature: Catalog
  GET /v2/_catalog lists the repositories of the registry as JSON
  ({"repositories": [...]}). Optional in the OCI spec; mirroring and
  inventory tools use it.

  The list is read to its end through the Link headers (at most 1000
  pages of 100): a Link back to a page already read, a list that does not
  end, or a Link off the registry is unsupported, and nothing is sent to
  such a Link.

  Common causes when missing:
  - The registry does not implement the catalog endpoint (it is optional).
  - The registry restricts it to administrators.

  How to fix:
  - Use the registry's own API for listing repositories, or grant catalog access.

  Scenario: The registry lists its repositories
    When I send a GET request to "/v2/_catalog?n=100"
    Then the capability is unsupported unless the status is 200 and the JSON field "repositories" exists because "GET /v2/_catalog?n=100 answered {answer}"
    When I follow the Link headers to the end, at most 1000 pages, saving the JSON list "repositories" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the catalog cannot be read to its end: {all.problem}"
    And the capability is supported when the status is 200
