@capability:base @check:check.test.clients @severity:info
Feature: The base API

  Scenario: GET /v2/
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200
