@capability:delete @check:check.integration.oci.capabilities @severity:info
Feature: Delete support
  An OPTIONS request on the test image's manifest tells whether the registry
  allows DELETE there (the Allow header). Garbage collection and clean-up
  tooling need manifest and blob deletes.

  Common causes when missing:
  - The registry has delete operations disabled by policy.
  - The registry does not answer OPTIONS, so it cannot say.

  How to fix:
  - Enable delete in Docker Distribution: in /etc/docker/registry/config.yml set
    storage.delete.enabled: true, then restart the registry.
  - Enable delete in Harbor: delete_enabled: true in harbor.yml (Helm: harbor.registry.deleteEnabled: true).

  Scenario: The registry allows DELETE on manifests
    When I send an OPTIONS request to "/v2/{repository}/manifests/{tag}"
    Then the capability is supported when the response header "Allow" lists "DELETE"
