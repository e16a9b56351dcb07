@capability:error-format @check:check.oci.spec.management @severity:info
Feature: Error answers carry the spec's error document
  Spec: OCI Distribution Spec v1.1, "Error Codes": a 4XX answer MAY have a
  body in any format, but a JSON body MUST be
  {"errors": [{"code": "…", "message": "…", "detail": …}]}, and the code
  MUST be one of the spec's table (BLOB_UNKNOWN, BLOB_UPLOAD_INVALID,
  BLOB_UPLOAD_UNKNOWN, DIGEST_INVALID, MANIFEST_BLOB_UNKNOWN,
  MANIFEST_INVALID, MANIFEST_UNKNOWN, NAME_INVALID, NAME_UNKNOWN,
  SIZE_INVALID, UNAUTHORIZED, DENIED, UNSUPPORTED, TOOMANYREQUESTS).
  Clients tell "not there" from "not allowed" or "malformed" by that code.
  And "Warnings": a registry MAY send Warning headers; if it does, each
  MUST have warn-code 299, warn-agent - and no warn-date
  (Warning: 299 - "text"), and it MUST NOT send more than 4096 bytes of
  warning data from all headers combined.

  The probe asks the test repository for an unknown manifest, an unknown
  blob, a malformed digest and an unknown upload session, and lists the
  tags of a repository that does not exist; nothing is written. Each error
  answer must carry the error document (a body without it is allowed by
  the spec, hence severity info, but gives clients nothing to act on); a
  code outside the table, in any error of the list, is a deviation. The
  code of each answer is shown as a fact: the spec binds no code to these
  answers, so a code of the table that names another condition is not
  judged. The Warning headers of
  each answer are judged too (no request of their own): one that is not
  299 - "text" (a warn-date after the text, another code or agent), or
  more than 4096 bytes of them, is a deviation from "Warnings"; none at all
  is fine. In the regular expression below \x22 is a double quote; a line
  may list several warnings, separated by commas (RFC 7234).

  Common causes when missing:
  - The registry, or a proxy in front of it, answers errors with an HTML or plain-text page.
  - The router answers requests it has no route for with its own "404 page not found".
  - The registry uses codes of its own instead of the spec's table.

  How to fix:
  - Answer every 4XX with {"errors":[{"code":"…","message":"…"}]} and a code of the spec's table.
  - Let proxies pass the registry's error bodies through.

  Scenario: An unknown manifest
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{repository}/manifests/ocicaps-absent-tag"
    Then I record the response status as "an unknown manifest"
    And the registry deviates from "Warnings" unless every response header "Warning" matches "^299 - \x22([^\x22\\]|\\.)*\x22([ \t]*,[ \t]*299 - \x22([^\x22\\]|\\.)*\x22)*$" because "a Warning header MUST have warn-code 299, warn-agent - and no warn-date (Warning: 299 - followed by the quoted text)"
    And the registry deviates from "Warnings" unless every response carries at most 4096 bytes of header "Warning" because "a registry MUST NOT send more than 4096 bytes of warning data from all headers combined"
    And the capability is unsupported unless the JSON field "errors[0].code" exists because "an unknown manifest was answered {answer} without the spec's error document"
    And the registry deviates from "Error Codes" unless the JSON list "errors" has only items whose "code" matches "^(BLOB_UNKNOWN|BLOB_UPLOAD_INVALID|BLOB_UPLOAD_UNKNOWN|DIGEST_INVALID|MANIFEST_BLOB_UNKNOWN|MANIFEST_INVALID|MANIFEST_UNKNOWN|NAME_INVALID|NAME_UNKNOWN|SIZE_INVALID|UNAUTHORIZED|DENIED|UNSUPPORTED|TOOMANYREQUESTS)$" because "an error code MUST be one of the spec's table; an unknown manifest was answered {answer}"
    And the capability is supported when the JSON field "errors[0].code" exists

  Scenario: An unknown blob
    When I send a GET request to "/v2/{repository}/blobs/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    Then I record the response status as "an unknown blob"
    And the registry deviates from "Warnings" unless every response header "Warning" matches "^299 - \x22([^\x22\\]|\\.)*\x22([ \t]*,[ \t]*299 - \x22([^\x22\\]|\\.)*\x22)*$" because "a Warning header MUST have warn-code 299, warn-agent - and no warn-date (Warning: 299 - followed by the quoted text)"
    And the registry deviates from "Warnings" unless every response carries at most 4096 bytes of header "Warning" because "a registry MUST NOT send more than 4096 bytes of warning data from all headers combined"
    And the capability is unsupported unless the JSON field "errors[0].code" exists because "an unknown blob was answered {answer} without the spec's error document"
    And the registry deviates from "Error Codes" unless the JSON list "errors" has only items whose "code" matches "^(BLOB_UNKNOWN|BLOB_UPLOAD_INVALID|BLOB_UPLOAD_UNKNOWN|DIGEST_INVALID|MANIFEST_BLOB_UNKNOWN|MANIFEST_INVALID|MANIFEST_UNKNOWN|NAME_INVALID|NAME_UNKNOWN|SIZE_INVALID|UNAUTHORIZED|DENIED|UNSUPPORTED|TOOMANYREQUESTS)$" because "an error code MUST be one of the spec's table; an unknown blob was answered {answer}"
    And the capability is supported when the JSON field "errors[0].code" exists

  Scenario: A malformed digest
    When I send a GET request to "/v2/{repository}/blobs/sha256:not-a-digest"
    Then I record the response status as "a malformed digest"
    And the registry deviates from "Warnings" unless every response header "Warning" matches "^299 - \x22([^\x22\\]|\\.)*\x22([ \t]*,[ \t]*299 - \x22([^\x22\\]|\\.)*\x22)*$" because "a Warning header MUST have warn-code 299, warn-agent - and no warn-date (Warning: 299 - followed by the quoted text)"
    And the registry deviates from "Warnings" unless every response carries at most 4096 bytes of header "Warning" because "a registry MUST NOT send more than 4096 bytes of warning data from all headers combined"
    And the capability is unsupported unless the JSON field "errors[0].code" exists because "a malformed digest was answered {answer} without the spec's error document"
    And the registry deviates from "Error Codes" unless the JSON list "errors" has only items whose "code" matches "^(BLOB_UNKNOWN|BLOB_UPLOAD_INVALID|BLOB_UPLOAD_UNKNOWN|DIGEST_INVALID|MANIFEST_BLOB_UNKNOWN|MANIFEST_INVALID|MANIFEST_UNKNOWN|NAME_INVALID|NAME_UNKNOWN|SIZE_INVALID|UNAUTHORIZED|DENIED|UNSUPPORTED|TOOMANYREQUESTS)$" because "an error code MUST be one of the spec's table; a malformed digest was answered {answer}"
    And the capability is supported when the JSON field "errors[0].code" exists

  Scenario: An unknown upload session
    When I send a GET request to "/v2/{repository}/blobs/uploads/2f0e6b9e-0d4c-4a43-9a3e-8f1f6f0d2f55"
    Then I record the response status as "an unknown upload"
    And the registry deviates from "Warnings" unless every response header "Warning" matches "^299 - \x22([^\x22\\]|\\.)*\x22([ \t]*,[ \t]*299 - \x22([^\x22\\]|\\.)*\x22)*$" because "a Warning header MUST have warn-code 299, warn-agent - and no warn-date (Warning: 299 - followed by the quoted text)"
    And the registry deviates from "Warnings" unless every response carries at most 4096 bytes of header "Warning" because "a registry MUST NOT send more than 4096 bytes of warning data from all headers combined"
    And the capability is unsupported unless the JSON field "errors[0].code" exists because "an unknown upload was answered {answer} without the spec's error document"
    And the registry deviates from "Error Codes" unless the JSON list "errors" has only items whose "code" matches "^(BLOB_UNKNOWN|BLOB_UPLOAD_INVALID|BLOB_UPLOAD_UNKNOWN|DIGEST_INVALID|MANIFEST_BLOB_UNKNOWN|MANIFEST_INVALID|MANIFEST_UNKNOWN|NAME_INVALID|NAME_UNKNOWN|SIZE_INVALID|UNAUTHORIZED|DENIED|UNSUPPORTED|TOOMANYREQUESTS)$" because "an error code MUST be one of the spec's table; an unknown upload was answered {answer}"
    And the capability is supported when the JSON field "errors[0].code" exists

  Scenario: The tags of a repository that does not exist
    When I send a GET request to "/v2/{repository}-ocicaps-absent/tags/list"
    Then I record the response status as "an unknown repository"
    And the registry deviates from "Warnings" unless every response header "Warning" matches "^299 - \x22([^\x22\\]|\\.)*\x22([ \t]*,[ \t]*299 - \x22([^\x22\\]|\\.)*\x22)*$" because "a Warning header MUST have warn-code 299, warn-agent - and no warn-date (Warning: 299 - followed by the quoted text)"
    And the registry deviates from "Warnings" unless every response carries at most 4096 bytes of header "Warning" because "a registry MUST NOT send more than 4096 bytes of warning data from all headers combined"
    # olareg takes every name for an empty repository: no error to judge, and the spec asks none ("Assuming a repository is found").
    And the capability is supported when the status is 200 and the JSON list "tags" is empty or null
    And the capability is unsupported unless the JSON field "errors[0].code" exists because "the tags of an unknown repository were answered {answer} without the spec's error document"
    And the registry deviates from "Error Codes" unless the JSON list "errors" has only items whose "code" matches "^(BLOB_UNKNOWN|BLOB_UPLOAD_INVALID|BLOB_UPLOAD_UNKNOWN|DIGEST_INVALID|MANIFEST_BLOB_UNKNOWN|MANIFEST_INVALID|MANIFEST_UNKNOWN|NAME_INVALID|NAME_UNKNOWN|SIZE_INVALID|UNAUTHORIZED|DENIED|UNSUPPORTED|TOOMANYREQUESTS)$" because "an error code MUST be one of the spec's table; an unknown repository was answered {answer}"
    And the capability is supported when the JSON field "errors[0].code" exists
