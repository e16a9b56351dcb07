@capability:catalog-pagination @check:check.oci.spec.discovery @severity:info
Feature: Catalog pagination
  Spec: OCI Distribution Spec v1.1 does not define /v2/_catalog; the
  Docker Registry HTTP API V2 (distribution/distribution, docs/spec/api.md,
  "Listing Repositories", "Pagination") does: ?n=<int> returns at most n
  repositories in lexical order, &last=<name> those after <name>, and a
  Link: <url>; rel="next" header says more remain ("If the header is not
  present, the client can assume that all results have been received").
  Optional, hence info. Mirroring and inventory tools page through large
  registries this way; without a Link, or with last ignored, they miss
  repositories or loop.

  The probe asks for one repository (?n=1), judges the Link when there is
  one, and asks for the page after the greatest possible name (last= 255
  times "z"), which must be empty. The verify scenario pushes an image to
  {scratch} and to {scratch2} (so the registry holds at least three
  repositories with the test repository), pages with n=1 and follows the
  Link, and asks for the repository after {scratch}-a, which is {scratch2}.

  Both scenarios also read the catalog to its end through the Link headers
  (100 repositories a page, at most 1000 pages): a Link back to a page
  already read (a cycle), a catalog still going after the bound, or a Link
  that is not http(s) to the registry itself is unsupported, with the URL
  that repeated, the bound or the refused target named, and nothing is
  sent to such a Link. The verify scenario walks the same catalog as the
  probe, so a list the probe found broken cannot pass in verify.

  Common causes when missing:
  - The registry has no catalog endpoint, or restricts it to administrators.
  - The registry ignores n or last, sends no Link, or lists repositories unsorted.

  How to fix:
  - Test it directly: curl -i "https://registry.example.com/v2/_catalog?n=1"
  - Use the registry's own API for listing repositories, or upgrade it.

  Scenario: One repository at a time
    When I send a GET request to "/v2/_catalog?n=1"
    Then the capability is unsupported when the status is 404 because "the registry has no catalog endpoint: GET /v2/_catalog?n=1 answered {answer}"
    When I send a GET request to "/v2/_catalog?n=1&last=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
    Then the capability is unsupported unless the status is 200 and the JSON list "repositories" is empty or null because "the page after the greatest possible repository name (last= 255 times z) answered {answer} and is not an empty list: last is not honoured"
    When I send a GET request to "/v2/_catalog?n=1"
    Then the capability is unsupported unless the status is 200 and the JSON list "repositories" has 1 item because "?n=1 of the catalog, which holds {repository}, did not answer one repository ({answer})"
    And I record the response header "Link" as "next page"
    And the capability is unsupported unless the response header "Link" is absent or matches "^<[^>]+>; *rel=\x22?next\x22?" because "the Link header of ?n=1 is not an RFC 5988 link with rel=next"
    When I send a GET request to "/v2/_catalog?n=100"
    Then the capability is unsupported unless the status is 200 because "GET /v2/_catalog?n=100 answered {answer}"
    When I follow the Link headers to the end, at most 1000 pages, saving the JSON list "repositories" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the catalog cannot be read to its end: {all.problem}"
    And the capability is supported when the status is 200

  @verify
  Scenario: Pages of one repository through the Link
    Given I push an image to "{scratch}:catalog" and save its digest as "one"
    # By digest: {scratch2} keeps no tag but tag-list's.
    And I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch2}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch2}"
    And I push the manifest to "{scratch2}" and save its digest as "two":
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    When I send a GET request to "/v2/_catalog?n=1"
    Then the capability is unsupported when the status is 404 because "the registry has no catalog endpoint: GET /v2/_catalog?n=1 answered {answer}"
    # The Link before last: crane ignores last and lists in another order
    # each time, so asking last first made its reason depend on the draw.
    And the capability is unsupported unless the status is 200 and the JSON list "repositories" has 1 item because "?n=1 of a catalog of at least 3 repositories did not answer one repository ({answer})"
    And I record the response header "Link" as "next page"
    And I save the JSON field "repositories[0]" as "first"
    And the capability is unsupported unless the response header "Link" matches "^<[^>]+>; *rel=\x22?next\x22?" because "?n=1 of a catalog of at least 3 repositories has no RFC 5988 Link with rel=next: a client takes the one repository for the whole catalog"
    # The whole catalog first, as the probe reads it: a Link that loops,
    # never ends or leads off the registry is caught before one hop.
    When I send a GET request to "/v2/_catalog?n=100"
    Then the capability is unsupported unless the status is 200 because "GET /v2/_catalog?n=100 answered {answer}"
    When I follow the Link headers to the end, at most 1000 pages, saving the JSON list "repositories" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the catalog cannot be read to its end: {all.problem}"
    When I send a GET request to "/v2/_catalog?n=1"
    Then the capability is unsupported unless the status is 200 and the JSON list "repositories" has 1 item because "?n=1 of a catalog of at least 3 repositories did not answer one repository ({answer})"
    And I save the JSON field "repositories[0]" as "first"
    And the capability is unsupported unless the response header "Link" matches "^<[^>]+>; *rel=\x22?next\x22?" because "?n=1 of a catalog of at least 3 repositories has no RFC 5988 Link with rel=next: a client takes the one repository for the whole catalog"
    And I save the response header "Link" matching "<([^>]+)>" as "next"
    # One hop through the walk, not a GET of {next}: a Link off the
    # registry is refused there, with nothing sent.
    When I follow the Link headers to the end, at most 2 pages, saving the JSON list "repositories" as "firstTwo"
    Then the capability is unsupported when the variable "firstTwo.end" matches "^(cycle|refused|status|malformed)$" because "following the Link of ?n=1: {firstTwo.problem}"
    And the capability is unsupported unless the status is 200 and the JSON list "repositories" has 1 item because "following the Link to the next page ({next}) answered {answer}, not one repository"
    And the capability is unsupported when the JSON list "repositories" contains "{first}" because "the next page repeats the first page's {first}"
    # {scratch}-a sorts between {scratch} and {scratch2}: naming it, not
    # {scratch}, keeps Distribution's catalog walk out of {scratch}, where
    # the other scenarios write (with last={scratch} it answered 500 about
    # one run in six).
    When I send a GET request to "/v2/_catalog?n=1&last={scratch}-a"
    Then the capability is unsupported unless the status is 200 and the JSON list "repositories" has 1 item and the JSON field "repositories[0]" is "{scratch2}" because "?n=1&last={scratch}-a did not answer the repository after it in lexical order, {scratch2} ({answer})"
    And the capability is supported when the status is 200
