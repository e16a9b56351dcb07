@capability:push @check:check.integration.oci.push @severity:warn
Feature: Push
  An upload can be started in the test repository (POST
  /v2/<repository>/blobs/uploads/ answers 202 Accepted). The session is
  cancelled at once; nothing is written.

  Common causes when missing:
  - The credentials may pull but not push to the test repository.
  - The registry is read-only (a mirror or pull-through cache).

  How to fix:
  - Grant push on the test repository, or point testRepository at one you may push to.

  Scenario: An upload can be started in the test repository
    When I send a POST request to "/v2/{repository}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is supported when the status is 202
