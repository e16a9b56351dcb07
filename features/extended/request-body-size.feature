@capability:request-body-size @check:check.integration.oci.hosted @severity:info
Feature: Request bodies of up to 16 MiB
  Clients send a blob in one PUT (monolithic upload) or in PATCH chunks of
  a size they choose: oras sends a whole layer, often many megabytes, in
  one PUT. A registry, or a proxy in front of it, that caps the
  request body (GHCR refuses bodies over 4 MiB with 416: ocx-sh/ocx#237)
  makes every client whose requests are larger fail. The scenario sends
  PATCH and PUT bodies of 1, 4, 8 and 16 MiB (not more) and records, as
  facts, the largest of each the registry accepted; supported when it took
  16 MiB both ways.

  Verify only: the blobs go to {scratch} and are deleted; the upload
  sessions are closed. What is judged is whether a body of that size is
  taken; whether stored bytes read back is monolithic-upload's and
  chunked-upload's verdict (a 16 MiB blob is more than ocicaps reads).

  Common causes when missing:
  - The registry caps request bodies (GHCR: 4 MiB).
  - A reverse proxy in front of the registry caps request bodies (nginx client_max_body_size defaults to 1 MiB).

  How to fix:
  - Raise the proxy's limit (nginx: client_max_body_size 0 on the registry's location).
  - Otherwise configure clients, where they allow it, to send chunks no larger than the largest body recorded here.

  @verify
  Scenario: PATCH and PUT bodies of growing size
    Given I save "none" as "largestPatch"
    And I save "none" as "largestPut"
    Given I save 1048576 random bytes as "b1"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the scenario is an error when the status is 401 or 403 because "POST /v2/{scratch}/blobs/uploads/ answered {answer}: the credentials need push on {scratch}"
    And the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request body is the saved body "b1"
    When I send a PATCH request to "{session}"
    And I record the response status as "PATCH of 1 MiB"
    And I save "1 MiB" as "largestPatch" when the status is 202
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{b1.digest}"
    And the request body is the saved body "b1"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    And I record the response status as "PUT of 1 MiB"
    And I save "1 MiB" as "largestPut" when the status is 201
    Given I save 4194304 random bytes as "b4"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the scenario is an error when the status is 401 or 403 because "POST /v2/{scratch}/blobs/uploads/ answered {answer}: the credentials need push on {scratch}"
    And the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request body is the saved body "b4"
    When I send a PATCH request to "{session}"
    And I record the response status as "PATCH of 4 MiB"
    And I save "4 MiB" as "largestPatch" when the status is 202
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{b4.digest}"
    And the request body is the saved body "b4"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    And I record the response status as "PUT of 4 MiB"
    And I save "4 MiB" as "largestPut" when the status is 201
    Given I save 8388608 random bytes as "b8"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the scenario is an error when the status is 401 or 403 because "POST /v2/{scratch}/blobs/uploads/ answered {answer}: the credentials need push on {scratch}"
    And the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request body is the saved body "b8"
    When I send a PATCH request to "{session}"
    And I record the response status as "PATCH of 8 MiB"
    And I save "8 MiB" as "largestPatch" when the status is 202
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{b8.digest}"
    And the request body is the saved body "b8"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    And I record the response status as "PUT of 8 MiB"
    And I save "8 MiB" as "largestPut" when the status is 201
    Given I save 16777216 random bytes as "b16"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the scenario is an error when the status is 401 or 403 because "POST /v2/{scratch}/blobs/uploads/ answered {answer}: the credentials need push on {scratch}"
    And the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request body is the saved body "b16"
    When I send a PATCH request to "{session}"
    And I record the response status as "PATCH of 16 MiB"
    And I save "16 MiB" as "largestPatch" when the status is 202
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the status is 202
    And I save the response header "Location" as "session"
    Given the request header "Content-Type" is "application/octet-stream"
    And the request query parameter "digest" is "{b16.digest}"
    And the request body is the saved body "b16"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    And I record the response status as "PUT of 16 MiB"
    And I save "16 MiB" as "largestPut" when the status is 201
    Then I record "{largestPatch}" as "largest PATCH body accepted"
    And I record "{largestPut}" as "largest PUT body accepted"
    And the capability is supported when the variable "largestPatch" is "16 MiB" and the variable "largestPut" is "16 MiB"
    And otherwise the capability is unsupported because "the largest request bodies the registry accepted were {largestPatch} in a PATCH and {largestPut} in a PUT (of 1, 4, 8 and 16 MiB tried): clients that send larger chunks or whole layers in one request fail here (GHCR refuses bodies over 4 MiB with 416)"
