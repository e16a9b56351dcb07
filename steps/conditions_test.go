package steps

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// holds evaluates a condition text against a response with a JSON body.
func holds(t *testing.T, text, body string) (bool, string) {
	t.Helper()
	u, _ := url.Parse("http://registry.test/v2/r/referrers/x")
	st := newState(&Target{})
	st.last = &client.Response{Status: 200, URL: u, Body: []byte(body), Header: http.Header{"Content-Type": {"application/json"}}}
	return judgeText(t, st, text)
}

func TestJSONFieldAbsentAndListLength(t *testing.T) {
	cases := []struct {
		cond, body string
		want       bool
		seen       string
	}{
		{`the JSON field "subject" is absent`, `{"manifests":[]}`, true, "no field subject"},
		{`the JSON field "subject" is absent`, `{"subject":null}`, false, "field subject is null"},
		{`the JSON field "a.b" is absent`, `{"a":{"b":1}}`, false, "field a.b is 1"},
		{`the JSON field "a" is absent`, `not json`, false, "the body is not JSON (8 bytes of text/plain): invalid character 'o' in literal null (expecting 'u')"},
		{`the JSON list "manifests" has 0 items`, `{"manifests":[]}`, true, "list manifests has 0 items"},
		{`the JSON list "manifests" has 1 item`, `{"manifests":[{"digest":"x"}]}`, true, "list manifests has 1 item"},
		{`the JSON list "manifests" has 2 items`, `{"manifests":[{}]}`, false, "list manifests has 1 item"},
		{`the JSON list "manifests" has 0 items`, `{"manifests":null}`, false, `the JSON body has no list manifests ("null")`},
		{`the JSON list "manifests" has 0 items`, `{}`, false, "the JSON body has no list manifests (missing)"},
	}
	for _, c := range cases {
		body := c.body
		ok, seen := false, ""
		if body == "not json" {
			ok, seen = holdsPlain(t, c.cond, body)
		} else {
			ok, seen = holds(t, c.cond, body)
		}
		if ok != c.want || seen != c.seen {
			t.Errorf("%s on %s: %v %q, want %v %q", c.cond, c.body, ok, seen, c.want, c.seen)
		}
	}
}

// holdsPlain is holds with a text/plain body, which may be anything.
func holdsPlain(t *testing.T, text, body string) (bool, string) {
	t.Helper()
	u, _ := url.Parse("http://registry.test/v2/")
	st := newState(&Target{})
	st.last = &client.Response{Status: 200, URL: u, Body: []byte(body), Header: http.Header{"Content-Type": {"text/plain"}}}
	conds, _ := parseConditions(text)
	ok, obs, err := evalAll(st, conds)
	if err != nil {
		t.Fatal(err)
	}
	return ok, obs
}

func TestJSONListContains(t *testing.T) {
	cases := []struct {
		cond, body string
		want       bool
		seen       string
	}{
		{`the JSON list "tags" contains "latest"`, `{"name":"r","tags":["a","latest"]}`, true, "tags lists latest"},
		{`the JSON list "tags" contains "late"`, `{"tags":["a","latest"]}`, false, "none of the 2 items of tags is late"},
		{`the JSON list "tags" contains "x"`, `{"tags":[]}`, false, "none of the 0 items of tags is x"},
		{`the JSON list "tags" contains "x"`, `{"tags":null}`, false, `the JSON body has no list tags ("null")`},
		{`the JSON list "tags" contains "x"`, `{}`, false, "the JSON body has no list tags (missing)"},
		{`the JSON list "n" contains "2"`, `{"n":[1,2]}`, true, "n lists 2"},
		{`the JSON list "repositories" contains "library/alpine"`, `{"repositories":["library/alpine"]}`, true, "repositories lists library/alpine"},
		// An object item is not the value, even when one of its fields is.
		{`the JSON list "manifests" contains "x"`, `{"manifests":[{"digest":"x"}]}`, false, "none of the 1 item of manifests is x"},
	}
	for _, c := range cases {
		ok, seen := holds(t, c.cond, c.body)
		if ok != c.want || seen != c.seen {
			t.Errorf("%s on %s: %v %q, want %v %q", c.cond, c.body, ok, seen, c.want, c.seen)
		}
	}
}

// "If present, it MUST be": an absent header holds, a present one must be
// the value, and "is absent" / "is" keep their own meaning beside it.
func TestHeaderAbsentOrIs(t *testing.T) {
	cases := []struct {
		cond string
		want bool
		seen string
	}{
		{`the response header "Docker-Content-Digest" is absent or is "sha256:a"`, true, "header Docker-Content-Digest is missing"},
		{`the response header "Content-Type" is absent or is "application/json"`, true, `header Content-Type is "application/json"`},
		{`the response header "Content-Type" is absent or is "text/plain"`, false, `header Content-Type is "application/json"`},
		{`the response header "Content-Type" is "application/json"`, true, `header Content-Type is "application/json"`},
		{`the response header "Content-Type" is absent`, false, `header Content-Type is "application/json"`},
	}
	for _, c := range cases {
		ok, seen := holds(t, c.cond, `{}`)
		if ok != c.want || seen != c.seen {
			t.Errorf("%s: %v %q, want %v %q", c.cond, ok, seen, c.want, c.seen)
		}
	}
}

// A field of the one item a scenario can tell apart, whatever else the
// list holds and in whatever order.
func TestJSONListItemWith(t *testing.T) {
	body := `{"manifests":[{"digest":"sha256:b","artifactType":"x/other"},{"digest":"sha256:a","artifactType":"x/a","annotations":{"org.ocicaps.probe":"referrer"}}]}`
	for text, want := range map[string]bool{
		`the JSON list "manifests" has an item whose "digest" is "sha256:a" and whose "artifactType" is "x/a"`:                          true,
		`the JSON list "manifests" has an item whose "digest" is "sha256:b" and whose "artifactType" is "x/a"`:                          false,
		`the JSON list "manifests" has an item whose "digest" is "sha256:a" and whose "annotations['org.ocicaps.probe']" is "referrer"`: true,
		`the JSON list "manifests" has an item whose "digest" is "sha256:c" and whose "artifactType" is "x/a"`:                          false,
		`the status is 200 and the JSON list "manifests" has an item whose "digest" is "sha256:a" and whose "artifactType" is "x/a"`:    true,
	} {
		if ok, obs := holds(t, text, body); ok != want {
			t.Errorf("%s: %v (%s), want %v", text, ok, obs, want)
		}
	}
}
