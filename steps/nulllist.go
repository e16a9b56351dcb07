package steps

import (
	"encoding/json"
	"fmt"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/steps/jsonpath"
)

// The rule for null lists (docs/writing-scenarios.md, "null where a list
// belongs"): a registry that answers null where the spec has a list (Go
// encodes an empty slice so: Distribution 2.8.2's "tags": null after its
// last tag is deleted, olareg's "manifests": null) means no items, and a
// client of the spec's own language reads it so; where the spec requires
// a list, the scenario records a deviation with its own step. One answer,
// one judgement: before this rule the same "manifests": null made
// referrers-lookup unsupported and referrers-empty-list supported with a
// deviation.

// nullListConditions are the conditions of the rule, in the table of
// conditions.go (after its own).
var nullListConditions = []*condition{
	{
		pattern: `the JSON list ` + qName + ` is empty or null`,
		example: `the JSON list "tags" is empty or null`,
		doc: "The field (a dotted path) is an empty list, or null: by the rule for null lists, null where a list belongs means no items " +
			"(where the spec requires a list, record the deviation with its own step). A missing field is neither.",
		eval: jsonListEmptyOrNull,
	},
	{
		pattern: `the response body is an OCI image index whose manifests may be null`,
		example: `the response body is an OCI image index whose manifests may be null`,
		doc: "Like \"the response body is an OCI image index\", with \"manifests\": null read as an empty list " +
			"(the rule for null lists; record the deviation with its own step).",
		eval: indexManifestsMayBeNull,
	},
}

func jsonListEmptyOrNull(_ *state, r *client.Response, a []string) (bool, string, error) {
	if err := malformedJSON(r); err != nil {
		return false, "", err
	}
	v, ok, err := jsonpath.Value(r.Body, a[0])
	switch {
	case err != nil:
		return false, fmt.Sprintf("the body is not JSON (%s)", bodyGist(r)), nil
	case !ok:
		return false, "no field " + a[0], nil
	case v == nil:
		return true, fmt.Sprintf("list %s is null (no items)", a[0]), nil
	}
	items, isList := v.([]any)
	if !isList {
		return false, fmt.Sprintf("field %s is %s, not a list", a[0], clip(jsonpath.Render(v), 80)), nil
	}
	return len(items) == 0, fmt.Sprintf("list %s has %s", a[0], count(len(items), "item")), nil
}

// indexManifestsMayBeNull judges the body as an OCI image index after
// reading "manifests": null as [].
func indexManifestsMayBeNull(st *state, r *client.Response, a []string) (bool, string, error) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(r.Body, &doc) != nil || string(doc["manifests"]) != "null" {
		return ociIndex.eval(st, r, a)
	}
	doc["manifests"] = json.RawMessage("[]")
	b, err := json.Marshal(doc)
	if err != nil {
		return false, "", fmt.Errorf("re-encoding the index: %w", err)
	}
	cp := *r
	cp.Body = b
	ok, seen, err := ociIndex.eval(st, &cp, a)
	return ok, seen + " (manifests: null, read as an empty list)", err
}

// ociIndex is the condition "the response body is an OCI image index"
// (set in init: the table refers to this file's conditions).
var ociIndex *condition

func init() {
	for _, c := range conditions {
		if c.pattern == `the response body is an OCI image index` {
			ociIndex = c
			return
		}
	}
	panic("steps: no condition \"the response body is an OCI image index\"")
}
