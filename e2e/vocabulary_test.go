package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// The vocabulary issue 12 asked for, run in verify mode against the zoo:
// sha512 digests, a manifest pushed from a doc string with computed
// digests, an absent field, a list's length, a quote inside an argument,
// a regular-expression capture following a Link header. The verdicts are
// what direct requests showed (curl): all three registries store and
// serve a sha512 blob and an index pushed by digest-filled JSON;
// Distribution and olareg answer tags/list?n=1 with a Link to the next
// page, crane without one. All three answer GET /v2/ with 200 and a
// manifest of an absent repository with 404, which a Scenario Outline with
// a Background checks (both rows must hold).
func TestVocabularyAgainstTheZoo(t *testing.T) {
	dir := t.TempDir()
	for name, body := range vocabularyFeatures {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := runValidate(t, dir); err != nil {
		t.Fatalf("validate: %v\n%s", err, out)
	}
	names := []string{zoo.NameDistribution, zoo.NameCrane, zoo.NameOlareg}
	r := runOcicaps(t, "--config", writeConfig(t, names, nil), "--features", dir, "--verify")
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	all := map[string]results.Status{"vocab-sha512": results.Supported, "vocab-index-doc": results.Supported, "vocab-tag-pages": results.Supported, "vocab-outline": results.Supported}
	want := map[string]map[string]results.Status{
		zoo.NameDistribution: all,
		zoo.NameOlareg:       all,
		zoo.NameCrane:        {"vocab-sha512": results.Supported, "vocab-index-doc": results.Supported, "vocab-tag-pages": results.Unsupported, "vocab-outline": results.Supported},
	}
	for _, name := range names {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		for _, c := range reg.Capabilities {
			// Status is the verified verdict where a @verify scenario
			// exists, the probe's otherwise (the outline).
			got[c.ID] = c.Status
			if c.Status != want[name][c.ID] {
				t.Logf("%s/%s: %s: %s", name, c.ID, c.Status, c.Reason)
			}
		}
		if !reflect.DeepEqual(got, want[name]) {
			t.Errorf("%s: got %v, want %v", name, got, want[name])
		}
		if len(reg.Leftovers) != 0 {
			t.Errorf("%s: leftovers %+v", name, reg.Leftovers)
		}
		for _, repo := range reg.Scratch {
			assertNoTags(t, instances[name].URL+"/v2/"+repo+"/tags/list")
		}
	}
}

// assertNoTags checks by a direct request that a scratch repository holds
// no tag after the run.
func assertNoTags(t *testing.T, u string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct{ Tags []string }
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || len(doc.Tags) > 0 {
			t.Errorf("%s: tags %v left (%v)", u, doc.Tags, err)
		}
	}
}

var vocabularyFeatures = map[string]string{
	"outline.feature": `@capability:vocab-outline @check:check.example.vocabulary @severity:info
Feature: A Scenario Outline with a Background
  Background:
    Given the request header "Accept" is "application/vnd.oci.image.manifest.v1+json"

  Scenario Outline: <path> answers <status>
    When I send a GET request to "<path>"
    Then the capability is supported when the status is <status>

    Examples:
      | path                               | status |
      | /v2/                               | 200    |
      | /v2/ocicaps/absent/manifests/none  | 404    |
`,
	"sha512.feature": `@capability:vocab-sha512 @check:check.example.vocabulary @severity:info
Feature: sha512 blobs
  Scenario: The API answers
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200

  @verify
  Scenario: A blob pushed with a sha512 digest reads back
    Given I save 3000 random bytes as "blob"
    When I send a POST request to "/v2/{scratch}/blobs/uploads/"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 202 because ""
    And I save the response header "Location" as "session"
    Given the request query parameter "digest" is "{blob.sha512}"
    And the request header "Content-Type" is "application/octet-stream"
    And the request body is the saved body "blob"
    When I send a PUT request to "{session}"
    And I delete what the response created when the scenario ends
    Then the capability is unsupported unless the status is 201 because ""
    When I send a GET request to "/v2/{scratch}/blobs/{blob.sha512}"
    Then the capability is supported when the status is 200 and the response body is the saved body "blob"
`,
	"index.feature": `@capability:vocab-index-doc @check:check.example.vocabulary @severity:info
Feature: An index written as a doc string
  Scenario: The API answers
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200

  @verify
  Scenario: An index pushed from a doc string reads back
    Given I push an image to "{scratch}:img" and save its digest as "image"
    And I push the manifest to "{scratch}:index" and save its digest as "index":
      """application/vnd.oci.image.index.v1+json
      {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
       "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{image}", "size": {image.size}}],
       "annotations": {"said": "say \"hi\""}}
      """
    And the request header "Accept" is "application/vnd.oci.image.index.v1+json"
    When I send a GET request to "/v2/{scratch}/manifests/index"
    Then the status is 200
    And I save the digest of the response body as "got"
    And the variable "got" is "{index}"
    And the capability is supported when the JSON list "manifests" has 1 item and the JSON field "manifests[0].digest" is "{image}" and the JSON field "subject" is absent and the JSON field "annotations.said" is "say \"hi\""
`,
	"pages.feature": `@capability:vocab-tag-pages @check:check.example.vocabulary @severity:info
Feature: Following a Link to the next page of tags
  Scenario: The API answers
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200

  @verify
  Scenario: The second page of tags is where the Link says
    Given I push an image to "{scratch}:a" and save its digest as "a"
    And I push an image to "{scratch}:b" and save its digest as "b"
    When I send a GET request to "/v2/{scratch}/tags/list?n=1"
    Then the capability is unsupported when the response header "Link" is absent because "no Link header: {answer}"
    And the JSON list "tags" has 1 item
    And I save the response header "Link" matching "<([^>]+)>" as "next"
    When I send a GET request to "{next}"
    Then the capability is supported when the JSON list "tags" has 1 item and the JSON field "tags[0]" is "b"
`,
}
