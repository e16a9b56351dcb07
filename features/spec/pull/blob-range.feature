@capability:blob-range @check:check.oci.spec.pull @severity:info
Feature: Blob range requests
  Spec: OCI Distribution Spec v1.1, "Pulling blobs": the blob endpoint MAY
  support RFC 7233 range requests. Where it does, a satisfiable range is
  answered 206 Partial Content with a Content-Range naming the bytes sent,
  and a range past the end is answered 416 Range Not Satisfiable. Resuming
  an interrupted pull asks for "bytes=N-" (from N to the end), so an open
  range must work too.

  The probe reads parts of a blob of the test image; the verify scenario
  pushes 100 random bytes to {scratch} and checks the exact ranges. Each
  range's bytes are compared with that slice of the whole blob: a registry
  that answers with the right headers but other bytes corrupts data.

  Common causes when missing:
  - The registry, or a proxy in front of it, ignores Range and sends the whole blob (200).
  - The registry understands only closed ranges ("bytes=0-9") and refuses open ones ("bytes=10-").
  - The registry redirects to a storage backend without range support.

  How to fix:
  - Upgrade the registry, or serve blobs with a range-capable HTTP file server.
  - Let the proxy pass Range and Content-Range through.
  - Nothing to fix for clients: without ranges they download the whole blob again.

  Scenario: Parts of a blob of the test image
    Given I save a blob digest of the manifest "{repository}:{tag}" as "blob"
    # The whole blob first: a range is judged by its bytes, not its headers.
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the status is 200
    And I save the response body as "whole"
    Given the request header "Range" is "bytes=0-0"
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the capability is unsupported unless the status is 206 and the response header "Content-Range" matches "^bytes 0-0/[0-9]+$" because "bytes=0-0 answered {answer}, not 206 with Content-Range bytes 0-0/<size>"
    And the registry corrupts content unless the response body is bytes 0 to 0 of the saved body "whole" because "the 206 answer to bytes=0-0 is not the first byte of the blob"
    Given the request header "Range" is "bytes=1-"
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the capability is unsupported unless the status is 206 and the response header "Content-Range" matches "^bytes 1-[0-9]+/[0-9]+$" because "the open range bytes=1- answered {answer}, not 206 with Content-Range bytes 1-<end>/<size>"
    Given the request header "Range" is "bytes=1099511627776-"
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the capability is supported when the status is 416
    And otherwise the capability is unsupported because "a range past the end (bytes=1099511627776-) answered {answer}, not 416"

  @verify
  Scenario: Exact ranges of a pushed blob
    Given I save 100 random bytes as "blob"
    And I push the saved body "blob" as a blob to "{scratch}"
    And the request header "Range" is "bytes=10-19"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is unsupported unless the status is 206 and the response header "Content-Range" is "bytes 10-19/100" and the response header "Content-Length" is "10" because "bytes=10-19 answered {answer}, not 206 with Content-Range bytes 10-19/100 and 10 bytes"
    And the registry corrupts content unless the response body is bytes 10 to 19 of the saved body "blob" because "the 206 answer to bytes=10-19 is not bytes 10 to 19 of the pushed blob"
    Given the request header "Range" is "bytes=90-"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is unsupported unless the status is 206 and the response header "Content-Range" is "bytes 90-99/100" because "the open range bytes=90- answered {answer}, not 206 with Content-Range bytes 90-99/100"
    And the registry corrupts content unless the response body is bytes 90 to 99 of the saved body "blob" because "the 206 answer to bytes=90- is not bytes 90 to 99 of the pushed blob"
    Given the request header "Range" is "bytes=100-199"
    When I send a GET request to "/v2/{scratch}/blobs/{blob.digest}"
    Then the capability is supported when the status is 416
    And otherwise the capability is unsupported because "a range past the end (bytes=100-199 of 100 bytes) answered {answer}, not 416"
