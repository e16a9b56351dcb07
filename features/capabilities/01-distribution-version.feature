@capability:distribution-version @check:check.integration.oci.capabilities @severity:info
Feature: Distribution version
  The registry says which version of the distribution API it implements in the
  OCI-Distribution-API-Version header (or the older Docker-Distribution-API-Version)
  of its answer to GET /v2/.

  Common causes when missing:
  - The endpoint is not an OCI registry, or a proxy in front of it drops the headers.
  - The registry version is too old for newer OCI features.

  How to fix:
  - Check the registry type and version:
    curl -sv https://registry.example.com/v2/ -o /dev/null 2>&1 | grep -i 'distribution-api-version'
  - Upgrade the registry, or let the proxy pass the header through.

  Scenario: The registry advertises its distribution API version
    When I send a GET request to "/v2/"
    And I record the response header "OCI-Distribution-API-Version" or "Docker-Distribution-API-Version" as "distribution version"
    Then the capability is supported when the response header "OCI-Distribution-API-Version" is present
    And the capability is supported when the response header "Docker-Distribution-API-Version" is present

  @verify
  Scenario: The registry honours the version it claims
    When I send a GET request to "/v2/"
    And I record the response header "OCI-Distribution-API-Version" or "Docker-Distribution-API-Version" as "distribution version"
    Then the capability is unsupported when the response header "OCI-Distribution-API-Version" is absent and the response header "Docker-Distribution-API-Version" is absent because "GET /v2/ carries no distribution API version header"
    # A Docker-only registry claims nothing about referrers.
    And the capability is supported when the response header "OCI-Distribution-API-Version" is absent
    Given I resolve the manifest "{repository}:{tag}" and save its digest as "subject"
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/referrers/{subject}"
    Then the capability is unsupported when the status is 301, 302, 303, 307 or 308 because "the referrers API answered {answer}, a redirect (Google Artifact Registry sends it to a sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is unsupported when the status is 200 and the response header "Content-Type" matches "^text/html" because "the referrers API answered {answer} with an HTML page (Google Artifact Registry's sign-in page) instead of an OCI image index: clients find no referrers there and must keep them under the referrers tag schema"
    And the capability is supported when the status is 200 and the response body is an OCI image index whose manifests may be null
    And the capability is supported when the status is 404 and the response body is an OCI image index whose manifests may be null
    And otherwise the capability is unsupported because "the registry claims OCI-Distribution-API-Version but its referrers API answered {answer}"
