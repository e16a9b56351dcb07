@client:fakeclient
Feature: fakeclient
  A client program for tests.
  Version: fakeclient version

  @workflow:push @needs:base @otherwise:fails
  Scenario: Push an image
    Settings: none
    If it fails: push elsewhere
    When I run "fakeclient push {host}/{scratch}:fake-push"
    Then the workflow fails unless the program exits 0 because "fakeclient push ended with {exit}: {output}"
    And I delete the image "{scratch}:fake-push" and its blobs when the scenario ends
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/fake-push"
    Then the workflow is unsafe unless the status is 200 because "fakeclient said it pushed, but the tag is missing"

  @workflow:lie @needs:base @otherwise:unsafe
  Scenario: Push that lies
    When I run "fakeclient lie {host}/{scratch}:fake-lie"
    Then the workflow fails unless the program exits 0 because "fakeclient lie ended with {exit}: {output}"
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/fake-lie"
    Then the workflow is unsafe unless the status is 200 because "fakeclient said it pushed, but the registry answered {status}"

  @workflow:refused @needs:absent @otherwise:fails
  Scenario: A push the client refuses
    If it fails: do not use fakeclient here
    When I run "fakeclient fail"
    Then the workflow fails when the program fails because "fakeclient ended with {exit}: {output}"

  @workflow:fallback @needs:absent @fallback:base @otherwise:fails
  Scenario: A push through the fallback
    Fallback settings: --fallback
    When I run "fakeclient push --fallback {host}/{scratch}:fake-fallback"
    And I delete the image "{scratch}:fake-fallback" and its blobs when the scenario ends
    Then the workflow fails unless the program exits 0 because "fakeclient push ended with {exit}: {output}"
    And the workflow falls back when the output contains "used the fallback" because "fakeclient used its fallback"

  @workflow:egress @needs:base @otherwise:fails
  Scenario: A client that calls home
    When I run "fakeclient egress"
    Then the workflow fails unless the program exits 0 because "fakeclient egress ended with {exit}: {output}"

  @workflow:undecided @needs:base @otherwise:fails
  Scenario: A run that cannot decide
    When I run "fakeclient fail"
    Then the program exits 0
