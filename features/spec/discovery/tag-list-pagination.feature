@capability:tag-list-pagination @check:check.oci.spec.discovery @severity:warn
Feature: Tag list pagination
  Spec: OCI Distribution Spec v1.1, "Listing Tags" (end-8b): with ?n=<int>
  the response MUST include <int> tags unless fewer remain or a Link header
  is provided; with &last=<tagname> it returns up to <int> tags after
  <tagname>, not including it; the tags MUST be in lexical or ASCIIbetical
  order. A Link header MAY point to the next page; when included it MUST
  follow RFC 5988 with rel="next", and clients should prefer it over last.
  A MUST of the Content Discovery category, hence warn. Clients page
  through repositories with thousands of tags this way; a registry whose
  page after the last tag starts again at the beginning makes a client
  that pages with last loop for ever.

  The probe asks the test repository for one tag (?n=1), judges the Link
  when there is one, and asks for the page after the greatest possible tag
  (last= 128 times "z"), which must be empty. The verify scenario pushes
  three tags (zzzz-ocicaps-page-1 to -3, which sort after every other tag
  ocicaps writes to {scratch}) and pages through them with n, last and the
  Link, always from a last before them (zzzz-ocicaps-page-0), so that the
  tags other scenarios keep in {scratch} meanwhile do not matter. n=0 (the
  spec says: an empty list, no Link) is not judged: some registries drop
  the connection, which ocicaps could only report as an error.

  Common causes when missing:
  - The registry ignores n or last and returns the whole list, or the wrong part of it.
  - The page after the last tag starts again from the first tag instead of being empty.
  - The tags are not sorted, so last cannot say where a page ends.
  - The Link header is not RFC 5988 (<url>; rel="next"), so clients cannot follow it.

  How to fix:
  - Test it directly: curl -i "https://registry.example.com/v2/<repository>/tags/list?n=2&last=<tag>"
  - Upgrade the registry; sort tags and return only those after last.
  - Send Link: </v2/<repository>/tags/list?n=2&last=<tag>>; rel="next" when more tags remain.

  # For maintainers, not shown to users (observed on the zoo registries):
  # n=0: olareg v0.1.2 drops the connection.
  Scenario: One tag at a time from the test repository
    When I send a GET request to "/v2/{repository}/tags/list?n=1&last=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
    Then the capability is unsupported unless the status is 200 and the JSON list "tags" has 0 items because "the page after the greatest possible tag (last= 128 times z) answered {answer} and is not an empty list: a client paging with last would never reach the end"
    When I send a GET request to "/v2/{repository}/tags/list?n=1"
    Then the capability is unsupported unless the status is 200 and the JSON list "tags" has 1 item because "?n=1 on {repository}, which holds {tag}, did not answer one tag ({answer})"
    And I record the response header "Link" as "next page"
    And the capability is supported when the response header "Link" is absent
    And the capability is supported when the response header "Link" matches "^<[^>]+>; *rel=\x22?next\x22?"
    And otherwise the capability is unsupported because "the Link header of ?n=1 is not an RFC 5988 link with rel=next"

  @verify
  Scenario: Three pushed tags paged with n, last and Link
    Given I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch}"
    And I push the manifest to "{scratch}:zzzz-ocicaps-page-1" and save its digest as "image":
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    And I push the manifest to "{scratch}:zzzz-ocicaps-page-2" and save its digest as "image":
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    And I push the manifest to "{scratch}:zzzz-ocicaps-page-3" and save its digest as "image":
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    # Every request names a last before our tags: other scenarios tag
    # {scratch} too, and what they hold at the moment must not matter.
    When I send a GET request to "/v2/{scratch}/tags/list?n=2&last=zzzz-ocicaps-page-0"
    Then the capability is unsupported unless the status is 200 and the JSON field "tags" exists because "?n=2&last=zzzz-ocicaps-page-0 answered {answer}"
    And the capability is unsupported when the JSON field "tags[2]" exists because "?n=2 answered more than 2 tags"
    And the capability is unsupported when the response header "Link" is absent and the JSON list "tags" has 1 item because "?n=2 with 3 tags after last answered 1 tag and no Link: the spec requires n tags unless fewer remain or a Link is sent"
    And the capability is unsupported when the response header "Link" is absent and the JSON list "tags" has 0 items because "?n=2 with 3 tags after last answered no tag and no Link: the spec requires n tags unless fewer remain or a Link is sent"
    When I send a GET request to "/v2/{scratch}/tags/list?n=2&last=zzzz-ocicaps-page-1"
    Then the capability is unsupported unless the status is 200 and the JSON list "tags" has 2 items and the JSON field "tags[0]" is "zzzz-ocicaps-page-2" and the JSON field "tags[1]" is "zzzz-ocicaps-page-3" because "?n=2&last=zzzz-ocicaps-page-1 did not answer the two tags after it in lexical order (zzzz-ocicaps-page-2, zzzz-ocicaps-page-3)"
    When I send a GET request to "/v2/{scratch}/tags/list?n=2&last=zzzz-ocicaps-page-3"
    Then the capability is unsupported unless the status is 200 and the JSON list "tags" has 0 items because "the page after the last tag (last=zzzz-ocicaps-page-3) answered {answer} and is not an empty list: a client paging with last would never reach the end"
    When I send a GET request to "/v2/{scratch}/tags/list?n=1&last=zzzz-ocicaps-page-1"
    Then the capability is unsupported unless the status is 200 and the JSON list "tags" has 1 item and the JSON field "tags[0]" is "zzzz-ocicaps-page-2" because "?n=1&last=zzzz-ocicaps-page-1 did not answer the one tag after it (zzzz-ocicaps-page-2)"
    And I record the response header "Link" as "next page"
    And the capability is supported when the response header "Link" is absent
    And the capability is unsupported unless the response header "Link" matches "^<[^>]+>; *rel=\x22?next\x22?" because "the Link header is not an RFC 5988 link with rel=next"
    And I save the response header "Link" matching "<([^>]+)>" as "next"
    When I send a GET request to "{next}"
    Then the capability is supported when the status is 200 and the JSON list "tags" has 1 item and the JSON field "tags[0]" is "zzzz-ocicaps-page-3"
    And otherwise the capability is unsupported because "following the Link to the next page ({next}) answered {answer}, not the one tag zzzz-ocicaps-page-3"
