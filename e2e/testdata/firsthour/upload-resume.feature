@capability:upload-resume @check:check.example.engineer @severity:info
Feature: An interrupted upload resumes from the Range the registry reports
  A client whose upload was interrupted asks the session how much it holds
  (GET of the session: 204 with Range 0-<last byte>) and sends the rest
  from the next byte, instead of starting again.

  @verify
  Scenario: Half a blob, the session's Range, then the rest
    Given I save 3000 random bytes as "blob"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    Then I delete what the response created when the scenario ends
    And the capability is unsupported unless the status is 202 because "POST to open an upload session answered {answer}"
    And I save the response header "Location" as "session"
    Given the request body is bytes 0 to 1499 of the saved body "blob"
    And the request header "Content-Type" is "application/octet-stream"
    And the request header "Content-Range" is "0-1499"
    When I send a PATCH request to "{session}"
    Then the capability is unsupported unless the status is 202 because "PATCH of the first half answered {answer}"
    And I save the response header "Location" as "session"
    When I send a GET request to "{session}"
    Then the capability is unsupported unless the status is 204 because "GET of the upload session answered {answer}: a client cannot learn where to resume"
    And I save the response header "Range" matching "^0-([0-9]+)$" plus 1 as "next"
    Given the request body is bytes "{next}" to the end of the saved body "blob"
    And the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{blob.digest}"
    When I send a PUT request to "{session}"
    Then I delete what the response created when the scenario ends
    And the capability is unsupported unless the status is 201 because "PUT of the rest from byte {next} answered {answer}"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is supported when the status is 200 and the response body is the saved body "blob"
    And otherwise the capability is unsupported because "the resumed blob reads back as {answer}, not the 3000 bytes sent"
