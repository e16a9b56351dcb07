@capability:fb-upload-again @check:check.test.fallbacks @severity:info
Feature: Upload again (fallbacks e2e)
  The blob uploaded again, POST then PUT with ?digest=: what a client does
  when it cannot mount.

  @verify
  Scenario: A blob is uploaded by POST then PUT
    Given I save 1024 random bytes as "blob"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 because "POST answered {answer}"
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request body is the saved body "blob"
    And the request query parameter "digest" is "{blob.digest}"
    When I send a PUT request to "{session}"
    And I send a DELETE request to "/v2/{scratch2}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "PUT with the blob answered {answer}"
    And the registry deviates from "POST then PUT" unless the response header "Location" is present because "the 201 Created closing an upload MUST carry Location: <blob-location>; the registry answered {answer} without it"
    When I send a HEAD request to "/v2/{scratch2}/blobs/{blob.digest}"
    Then the capability is supported when the status is 200
