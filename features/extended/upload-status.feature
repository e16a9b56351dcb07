@capability:upload-status @check:check.integration.oci.extended @severity:info
Feature: Upload session status
  GET on an upload session's Location answers 204 No Content with a Range
  header 0-<offset> saying how much the registry holds, so that an
  interrupted chunked upload can resume where it stopped. The probe opens a
  session, asks for its status, and cancels it.

  Common causes when missing:
  - The registry does not report upload progress, so clients must restart interrupted uploads.
  - The registry answers with a Range header clients cannot parse.

  How to fix:
  - Upgrade the registry; meanwhile, configure clients to use monolithic uploads.

  Scenario: An open upload session reports its progress
    When I send a POST request to "/v2/{repository}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the status is 202
    And I save the response header "Location" as "session"
    When I send a GET request to "{session}"
    Then the capability is supported when the status is 204 and the response header "Range" matches "^0-[0-9]+$"
