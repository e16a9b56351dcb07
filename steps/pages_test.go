package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/retry"
)

// pagesServer serves /v2/r/tags/list pages in the given way; the Accept
// header of each request must be the one prepared before the walk.
// stateFor is a scenario's state against a registry the handler plays,
// without retries; both are closed when the test ends.
func stateFor(t *testing.T, h http.HandlerFunc) *state {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return newState(&Target{Client: c})
}

func pagesServer(t *testing.T, link func(r *http.Request, page int) string) (*state, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	st := stateFor(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Accept") != "application/json" {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if l := link(r, page); l != "" {
			w.Header().Set("Link", l)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"name":"r","tags":["t%d"]}`, page)
	})
	return st, &hits
}

func walkFrom(t *testing.T, st *state, pages int) {
	t.Helper()
	ctx := context.Background()
	st.header.Set("Accept", "application/json")
	if err := st.send(ctx, http.MethodGet, "/v2/r/tags/list?page=0"); err != nil {
		t.Fatal(err)
	}
	st.header.Set("Accept", "application/json")
	if err := st.walkPages(ctx, pages, "tags", "all"); err != nil {
		t.Fatal(err)
	}
}

func TestWalkPages(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request reached another origin: %s", r.URL)
	}))
	defer other.Close()
	cases := []struct {
		name      string
		link      func(r *http.Request, page int) string
		end       string
		hits      int32
		count     string
		problemIn string
	}{
		{"three pages", func(_ *http.Request, p int) string {
			if p < 2 {
				return fmt.Sprintf(`</v2/r/tags/list?page=%d>; rel="next"`, p+1)
			}
			return ""
		}, walkComplete, 3, "3", "3 pages read, 3 items"},
		{"a Link to itself", func(r *http.Request, _ int) string {
			return "<" + r.URL.RequestURI() + `>; rel=next`
		}, walkCycle, 1, "1", "leads back to page 1"},
		{"a cycle of two", func(_ *http.Request, p int) string {
			return fmt.Sprintf(`</v2/r/tags/list?page=%d>; rel="next"`, 1-p)
		}, walkCycle, 2, "2", "page 2 leads back to page 1"},
		{"a list that never ends", func(_ *http.Request, p int) string {
			return fmt.Sprintf(`</v2/r/tags/list?page=%d>; rel="next"`, p+1)
		}, walkBound, 5, "5", "after 5 pages (the bound, 5 pages)"},
		{"javascript:", func(*http.Request, int) string { return `<javascript:alert(1)>; rel="next"` }, walkRefused, 1, "1", `"javascript:alert(1)", which is not the registry`},
		{"file:", func(*http.Request, int) string { return `<file:///etc/passwd>; rel="next"` }, walkRefused, 1, "1", "file:///etc/passwd"},
		{"another origin", func(*http.Request, int) string { return "<" + other.URL + `/v2/r/tags/list?page=1>; rel="next"` }, walkRefused, 1, "1", other.URL},
		{"only a prev link", func(*http.Request, int) string { return `</v2/r/tags/list?page=9>; rel="prev"` }, walkComplete, 1, "1", "1 page read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, hits := pagesServer(t, c.link)
			walkFrom(t, st, 5)
			if st.vars["all.end"] != c.end || st.vars["all.count"] != c.count || hits.Load() != c.hits {
				t.Errorf("end %q count %q after %d requests, want %q %q %d (%s)", st.vars["all.end"], st.vars["all.count"], hits.Load(), c.end, c.count, c.hits, st.vars["all.problem"])
			}
			if !strings.Contains(st.vars["all.problem"], c.problemIn) {
				t.Errorf("problem %q lacks %q", st.vars["all.problem"], c.problemIn)
			}
			broken := c.end != walkComplete
			if recorded := len(st.facts) == 1 && st.facts[0].Name == FactListBroken && st.facts[0].Value == st.vars["all.problem"]; recorded != broken {
				t.Errorf("facts %v, want the broken list recorded: %v", st.facts, broken)
			}
		})
	}
}

// A later page that answers 401, 429 or 5xx says nothing about the list:
// the walk is an error; a 404 there is a list that breaks off.
func TestWalkLaterPageStatus(t *testing.T) {
	for status, wantErr := range map[int]bool{http.StatusServiceUnavailable: true, http.StatusUnauthorized: true, http.StatusNotFound: false} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "1" {
				w.WriteHeader(status)
				return
			}
			w.Header().Set("Link", `</v2/r/tags/list?page=1>; rel="next"`)
			fmt.Fprint(w, `{"tags":["a"]}`)
		}))
		c, err := client.New(srv.URL, client.Options{Retry: &retry.Policy{}})
		if err != nil {
			t.Fatal(err)
		}
		st := newState(&Target{Client: c})
		ctx := context.Background()
		if err := st.send(ctx, http.MethodGet, "/v2/r/tags/list?page=0"); err != nil {
			t.Fatal(err)
		}
		err = st.walkPages(ctx, 10, "tags", "all")
		if (err != nil) != wantErr || (!wantErr && (st.vars["all.end"] != walkStatus || !strings.Contains(st.vars["all.problem"], "page 2"))) {
			t.Errorf("%d on page 2: %v, end %q %q", status, err, st.vars["all.end"], st.vars["all.problem"])
		}
		c.Close()
		srv.Close()
	}
}

// The saved list conditions judge every page's items together.
func TestSavedListConditions(t *testing.T) {
	st, _ := pagesServer(t, func(_ *http.Request, p int) string {
		if p < 2 {
			return fmt.Sprintf(`</v2/r/tags/list?page=%d>; rel="next"`, p+1)
		}
		return ""
	})
	walkFrom(t, st, 10)
	for text, want := range map[string]bool{
		`the saved list "all" contains "t0"`:                                       true,
		`the saved list "all" contains "t2"`:                                       true,
		`the saved list "all" contains "t3"`:                                       false,
		`the saved list "all" has 3 items`:                                         true,
		`the saved list "all" has 2 items`:                                         false,
		`the variable "all.end" is "complete" and the variable "all.pages" is "3"`: true,
	} {
		if ok, obs := judgeText(t, st, text); ok != want {
			t.Errorf("%s: %v (%s), want %v", text, ok, obs, want)
		}
	}
	conds, _ := parseConditions(`the saved list "none" has 1 item`)
	if _, _, err := evalAll(st, conds); err == nil || !strings.Contains(err.Error(), "no saved list") {
		t.Errorf("an unknown saved list: %v", err)
	}
}

// A body that claims to be JSON and is not makes an outcome step
// unsupported, naming the parse failure; a deviation step records nothing.
func TestMalformedJSONIsUnsupported(t *testing.T) {
	st := stateFor(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
		fmt.Fprint(w, `{"schemaVersion":2,"manifests":[{"digest": "sha256:`)
	})
	ctx := context.Background()
	if err := st.send(ctx, http.MethodGet, "/v2/r/referrers/sha256:x"); err != nil {
		t.Fatal(err)
	}
	if err := st.deviatesWhen(ctx, "Listing Referrers", `the JSON field "manifests" is "null"`, "rule"); err != nil || len(st.deviations) != 0 {
		t.Fatalf("deviation step: %v, %d deviations", err, len(st.deviations))
	}
	err := st.supportedWhen(ctx, `the status is 200 and the response body is an OCI image index`)
	var u *errUnsupported
	if !errors.As(err, &u) || !strings.Contains(u.reason, "malformed JSON") || !strings.Contains(u.reason, "unexpected end of JSON input") {
		t.Fatalf("got %v, want unsupported naming the parse failure", err)
	}
}

// A registry sending page after page of a big list fills no memory: the
// walk stops at MaxVariablesBytes of pages, long before its page bound,
// and says so.
func TestWalkBoundsTheBytesKept(t *testing.T) {
	big := `{"tags":["` + strings.Repeat("x", 1<<20) + `"]}` // one 1 MiB tag a page
	st := stateFor(t, func(w http.ResponseWriter, r *http.Request) {
		p, _ := strconv.Atoi(r.URL.Query().Get("page"))
		w.Header().Set("Link", fmt.Sprintf(`</v2/r/tags/list?page=%d>; rel="next"`, p+1))
		fmt.Fprint(w, big)
	})
	ctx := context.Background()
	if err := st.send(ctx, http.MethodGet, "/v2/r/tags/list?page=0"); err != nil {
		t.Fatal(err)
	}
	if err := st.walkPages(ctx, 1000, "tags", "all"); err != nil {
		t.Fatal(err)
	}
	pages, _ := strconv.Atoi(st.vars["all.pages"])
	if st.vars["all.end"] != walkBound || pages > MaxVariablesBytes>>20+1 || !strings.Contains(st.vars["all.problem"], "bytes") {
		t.Errorf("end %q after %d pages: %s", st.vars["all.end"], pages, st.vars["all.problem"])
	}
	if len(st.saved["all"]) > MaxVariablesBytes {
		t.Errorf("kept %d bytes", len(st.saved["all"]))
	}
}
