@capability:mount-unreferenced-blob @check:check.integration.oci.hosted @severity:info
Feature: Mount of a blob no manifest references yet
  A cross-repository mount (POST ?mount=<digest>&from=<repository>) of a
  blob the source repository holds but no manifest there references yet.
  Clients push layers before the manifest that names them, and copy tools
  mount each layer into the target as soon as it is in the source; a
  registry that mounts only blobs a manifest references (ECR:
  aws/containers-roadmap#2860) answers 202 and opens an upload session
  instead, so those layers are uploaded again. cross-repo-mount judges the
  mount itself; this capability tells the two kinds of blob apart.

  Verify only: the scenario pushes an image (whose layer a manifest then
  references) and a bare blob to {scratch}, mounts both into {scratch2},
  records both answers, and reads the mounted bare blob back byte for byte.

  Common causes when missing:
  - The registry mounts only blobs that a manifest in the source repository references (ECR).
  - The registry cannot mount at all (see cross-repo-mount).

  How to fix:
  - Test it directly: push a blob alone, then curl -X POST "https://registry.example.com/v2/<target>/blobs/uploads/?mount=<digest>&from=<source>"
  - Push the manifest to the source before mounting its layers elsewhere, or accept the uploads again.

  @verify
  Scenario: A bare blob and a referenced one are both mounted
    Given I push an image to "{scratch}:mount-referenced" and save its digest as "image"
    And I save 700 random bytes as "bare"
    And I push the saved body "bare" as a blob to "{scratch}"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/?mount={image.layer}&from={scratch}"
    And I delete what the response created when the scenario ends
    Then the scenario is an error when the status is 401 or 403 because "the mount into {scratch2} answered {answer}: the credentials need push there and pull on {scratch}"
    And I record the response status as "mount of a blob a manifest references"
    And I save "{status}" as "referenced"
    When I send a POST request to "/v2/{scratch2}/blobs/uploads/?mount={bare.digest}&from={scratch}"
    And I delete what the response created when the scenario ends
    And I record the response status as "mount of a blob no manifest references"
    Then the capability is unsupported when the status is 202 and the variable "referenced" is "201" because "the registry mounted the blob a manifest references (201) but answered the mount of a blob pushed alone with {answer} and an upload session (as ECR does): clients that mount layers before their manifest is pushed upload them again"
    And the capability is unsupported unless the status is 201 because "the mount of a blob no manifest references answered {answer}, and of a referenced one {referenced}: the registry does not mount (see cross-repo-mount)"
    When I send a GET request to "/v2/{scratch2}/blobs/{bare.digest}"
    Then the capability is supported when the status is 200 and the response body is the saved body "bare"
    And otherwise the capability is unsupported because "the mount of a blob no manifest references answered 201, but GET of it in {scratch2} answered {answer} without its bytes"
