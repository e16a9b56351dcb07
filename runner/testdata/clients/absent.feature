@capability:absent @check:check.test.clients @severity:info
Feature: Something no registry has

  Scenario: Asked
    When I send a GET request to "/v2/"
    Then otherwise the capability is unsupported because "no registry has it"
