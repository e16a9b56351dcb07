@client:helm
Feature: helm
  helm pushes charts to OCI registries (helm push oci://…) and pulls them
  back (helm pull). A chart is an OCI manifest whose config has the media
  type application/vnd.cncf.helm.config.v1+json, pushed under the chart's
  name below the given repository, tagged with its version.
  Version: helm version --short

  Background:
    Given I save "--plain-http" as "plain" when the variable "plainHTTP" matches "^true$"
    And I save "" as "plain" when the variable "plainHTTP" matches "^false$"
    And I save "" as "tls"
    And I save "--insecure-skip-tls-verify" as "tls" when the variable "tlsVerify" matches "^false$"
    And I save "application/vnd.oci.image.manifest.v1+json" as "manifestType"

  @workflow:push @needs:push @needs:config-media-types @otherwise:fails
  Scenario: Push a chart
    Settings: none
    If it fails: helm push stops with an error: this registry does not store Helm charts
    When I run "helm create ocicaps-chart"
    Then the program exits 0
    When I run "helm package ocicaps-chart"
    Then the program exits 0
    And I delete the image "{scratch}/ocicaps-chart:0.1.0" and its blobs when the scenario ends
    When I run "helm push {plain} {tls} ocicaps-chart-0.1.0.tgz oci://{host}/{scratch}"
    Then the workflow fails unless the program exits 0 because "helm push ended with {exit}: {output}"
    Given the request header "Accept" is "{manifestType}"
    When I send a GET request to "/v2/{scratch}/ocicaps-chart/manifests/0.1.0"
    Then the workflow is unsafe unless the status is 200 because "helm push exited 0, but {scratch}/ocicaps-chart:0.1.0 answers {answer}"
    And the workflow is unsafe unless the JSON field "config.mediaType" is "application/vnd.cncf.helm.config.v1+json" because "helm push exited 0, but the chart's manifest lost its Helm config media type"
    And I save the JSON field "layers[0].digest" as "chart"
    When I send a GET request to "/v2/{scratch}/ocicaps-chart/blobs/{chart}"
    Then the workflow is unsafe unless the status is 200 and the digest of the response body is "{chart}" because "helm push exited 0, but the chart's blob {chart} does not read back: {answer}"

  @workflow:pull @needs:pull @needs:config-media-types @otherwise:fails
  Scenario: Pull a chart
    Settings: none
    If it fails: helm pull stops with an error: this registry does not serve Helm charts back
    When I run "helm create ocicaps-chart"
    Then the program exits 0
    When I run "helm package ocicaps-chart"
    Then the program exits 0
    And I delete the image "{scratch}/ocicaps-chart:0.1.0" and its blobs when the scenario ends
    When I run "helm push {plain} {tls} ocicaps-chart-0.1.0.tgz oci://{host}/{scratch}"
    Then the program exits 0
    And I write the file "pulled/README" with:
      """
      helm pull writes the chart here
      """
    When I run "helm pull {plain} {tls} oci://{host}/{scratch}/ocicaps-chart --version 0.1.0 --destination pulled"
    Then the workflow fails unless the program exits 0 because "helm pull ended with {exit}: {output}"
    When I run "helm show chart pulled/ocicaps-chart-0.1.0.tgz"
    Then the workflow is unsafe unless the program exits 0 and the output contains "name: ocicaps-chart" because "helm pull exited 0, but the chart it wrote does not read back: {exit}: {output}"
