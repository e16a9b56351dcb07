@capability:tag-list @check:check.oci.spec.discovery @severity:warn
Feature: Tag listing
  Spec: OCI Distribution Spec v1.1, "Listing Tags" (end-8a): GET
  /v2/<name>/tags/list of a repository that exists MUST answer 200 with the
  JSON body {"name": "<name>", "tags": [...]}, the tags of the repository in
  lexical or ASCIIbetical order (the order is judged by tag-list-pagination).
  A MUST of the Content Discovery category, hence warn. Clients list tags to
  pick a version (crane ls, skopeo list-tags, oras repo tags) and mirrors
  list them to copy a repository.

  The probe lists the test repository and looks for the test tag: a first
  page with a Link header (the registry pages by default) may not hold it
  and is accepted. The verify scenario pushes a manifest under two tags to
  {scratch2} (where no other scenario tags anything) and finds both in the
  list.

  Both scenarios read the list to its end through the Link headers (at
  most 1000 pages): a Link back to a page already read, a list that does
  not end, or a Link off the registry is unsupported, and nothing is sent
  to such a Link.

  Common causes when missing:
  - The registry does not implement the tags endpoint, or only for some repositories.
  - A proxy in front of the registry does not route /v2/<name>/tags/list.
  - The list is not refreshed after a push (a cache in front of the tag store).

  How to fix:
  - Test it directly: curl https://registry.example.com/v2/<repository>/tags/list
  - Upgrade the registry, or route /v2/*/tags/list to it.
  - Invalidate caches of the tag list on push.

  Scenario: The test repository lists the test tag
    When I send a GET request to "/v2/{repository}/tags/list"
    Then the capability is unsupported unless the status is 200 because "GET /v2/{repository}/tags/list answered {answer}"
    And the capability is unsupported unless the JSON field "name" is "{repository}" because "the tag list does not name the repository {repository} in its name field"
    When I follow the Link headers to the end, at most 1000 pages, saving the JSON list "tags" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the tag list of {repository} cannot be read to its end: {all.problem}"
    And the capability is supported when the saved list "all" contains "{tag}"
    And otherwise the capability is unsupported because "the tag list of {repository}, all {all.pages} pages together, does not list the test tag {tag}"

  @verify
  Scenario: Pushed tags are listed
    # In {scratch2}, where no other scenario tags anything: the list is ours.
    Given I save 100 random bytes as "layer"
    And I push the saved body "layer" as a blob to "{scratch2}"
    And I save 60 random bytes as "config"
    And I push the saved body "config" as a blob to "{scratch2}"
    And I push the manifest to "{scratch2}:tag-list-one" and save its digest as "image":
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    And I push the manifest to "{scratch2}:tag-list-two" and save its digest as "image":
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}]}
      """
    # The test repository's list as the probe reads it: a verify that
    # walked fewer pages must not pass a list the probe found broken.
    When I send a GET request to "/v2/{repository}/tags/list"
    Then the capability is unsupported unless the status is 200 because "GET /v2/{repository}/tags/list answered {answer}"
    When I follow the Link headers to the end, at most 1000 pages, saving the JSON list "tags" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the tag list of {repository} cannot be read to its end: {all.problem}"
    When I send a GET request to "/v2/{scratch2}/tags/list"
    Then the capability is unsupported unless the status is 200 because "GET /v2/{scratch2}/tags/list answered {answer} after two tags were pushed"
    And the capability is unsupported unless the JSON field "name" is "{scratch2}" because "the tag list does not name the repository {scratch2} in its name field"
    When I follow the Link headers to the end, at most 1000 pages, saving the JSON list "tags" as "all"
    Then the capability is unsupported unless the variable "all.end" is "complete" because "the tag list of {scratch2} cannot be read to its end: {all.problem}"
    And the capability is unsupported unless the saved list "all" contains "tag-list-one" because "the tag list does not list the pushed tag tag-list-one"
    And the capability is supported when the saved list "all" contains "tag-list-two"
