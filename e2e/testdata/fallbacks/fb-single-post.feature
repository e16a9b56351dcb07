@capability:fb-single-post @check:check.test.fallbacks @severity:info
Feature: Single-POST upload (fallbacks e2e)
  A blob stored by one POST with ?digest= and the blob as its body.

  @verify
  Scenario: A blob is stored by one POST
    Given I save 100 random bytes as "blob"
    And the request header "Content-Type" is "application/octet-stream"
    And the request body is the saved body "blob"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/?digest={blob.digest}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{scratch2}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "POST with the blob answered {answer}"
    And the registry deviates from "Single POST" unless the response header "Location" is present because "the 201 Created of a single-POST upload MUST carry Location: <blob-location>; the registry answered {answer} without it"
    When I send a GET request to "/v2/{scratch2}/blobs/{blob.digest}"
    Then the capability is supported when the response body is the saved body "blob"
