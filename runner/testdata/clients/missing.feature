@client:missing-client
Feature: a client nobody installed

  @workflow:anything @needs:base @otherwise:fails
  Scenario: Anything
    When I run "missing-client do {host}/{scratch}:x"
    Then the workflow fails unless the program exits 0 because "it ended with {exit}"
