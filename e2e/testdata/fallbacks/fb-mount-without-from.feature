@capability:fb-mount-without-from @check:check.test.fallbacks @severity:info
@fallback:fb-single-post @fallback:fb-upload-again
Feature: Mount without from (fallbacks e2e)
  A blob the registry holds in another repository is mounted by digest
  alone, without from=.

  @verify
  Scenario: A blob is mounted by digest alone
    Given I save 1024 random bytes as "blob"
    And I push the saved body "blob" as a blob to "{scratch}"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/?mount={blob.digest}"
    And I delete what the response created when the scenario ends
    And I send a DELETE request to "/v2/{scratch2}/blobs/{blob.digest}" when the scenario ends, if the status is 201
    Then the capability is unsupported unless the status is 201 because "the mount without from answered {answer}"
    When I send a HEAD request to "/v2/{scratch2}/blobs/{blob.digest}"
    Then the capability is supported when the status is 200
