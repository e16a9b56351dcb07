@capability:fb-unselected @check:check.test.fallbacks-other @severity:info
Feature: A fallback outside the selection (fallbacks e2e)
  In another check than the capability that names it as its fallback.

  Scenario: The registry answers /v2/
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200
