package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/steps/jsonpath"
)

// Walking a paginated list (tags, catalog, referrers) to its end: a
// client follows Link: <url>; rel="next" until there is none, so a
// registry whose Link loops, never ends, or leads off the registry breaks
// every client that lists, whatever its first page looks like.

// Bounds of a walk. The number of pages is the step's own; the time and
// the page count a step may ask for are fixed here and documented in the
// step's text.
const (
	maxWalkPages = 10000
	walkTimeout  = 60 * time.Second
)

// How a walk ended: the value of {name.end}.
const (
	walkComplete  = "complete"  // the last page had no Link to a next page
	walkCycle     = "cycle"     // a Link led to a page already read
	walkBound     = "bound"     // the page bound or the time bound was reached with a Link still there
	walkRefused   = "refused"   // a Link led off the registry (another origin, or not http(s)): nothing was sent
	walkStatus    = "status"    // a page answered other than 200
	walkMalformed = "malformed" // a page's body was not JSON, or had no list at the path
)

// nextLinkRE finds the target of the rel="next" link of a Link header
// value (RFC 8288; several links may be listed, separated by commas).
var nextLinkRE = regexp.MustCompile(`<([^>]*)>\s*((?:;\s*[A-Za-z*]+\s*=\s*(?:"[^"]*"|[^;,]*)\s*)*)`)
var relNextRE = regexp.MustCompile(`(?i);\s*rel\s*=\s*(?:"(?:[^"]*\s)?next(?:\s[^"]*)?"|next(?:[;,\s]|$))`)

// nextLink is the rel="next" target of the response's Link headers, or ""
// when there is none.
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for _, m := range nextLinkRE.FindAllStringSubmatch(v, -1) {
			if relNextRE.MatchString(m[2]) {
				return m[1]
			}
		}
	}
	return ""
}

// walk is one walk's record, saved as variables at its end.
type walk struct {
	name, path string
	items      []any
	pages      int
	visited    map[string]int // absolute URL → page number (from 1)
	end        string
	problem    string
	bytes      int // of the pages read, bounded by MaxVariablesBytes
}

// walkPages follows the Link headers from the current response to the end,
// at most pages pages (the current one included), collecting the JSON list
// at path of every page under name. Headers prepared before the step apply
// to every page it requests; the Link carries the query. It saves {name.end}
// (how the walk ended), {name.pages}, {name.count}, {name.problem} (the
// evidence in words) and the list itself, for the "saved list" conditions.
func (st *state) walkPages(ctx context.Context, pages int, path, name string) error {
	if pages < 1 || pages > maxWalkPages {
		return fmt.Errorf("at most %d pages: choose 1 to %d", pages, maxWalkPages)
	}
	r, err := st.response()
	if err != nil {
		return err
	}
	header := st.header
	st.header = http.Header{}
	w := &walk{name: name, path: path, visited: map[string]int{}}
	deadline := time.Now().Add(walkTimeout)
	for {
		w.pages++
		w.visited[r.URL.String()] = w.pages
		if !w.read(r) {
			break
		}
		next, stop := st.nextPage(w, r, pages, deadline)
		if stop {
			break
		}
		st.header = header.Clone()
		if err := st.send(ctx, http.MethodGet, next); err != nil {
			return err
		}
		r = st.last
		if nonAnswer(r.Status) {
			// A 401, 429 or 5xx on a later page is about us or the
			// moment, not the list: an error, like any unnamed non-answer.
			return fmt.Errorf("page %d of the list: %s", w.pages+1, nonAnswerMessage(st, r))
		}
	}
	return st.saveWalk(w)
}

// read takes the list of one page; false ends the walk.
func (w *walk) read(r *client.Response) bool {
	page := fmt.Sprintf("page %d (%s)", w.pages, client.RedactURL(r.URL))
	if r.Status != http.StatusOK {
		w.end, w.problem = walkStatus, fmt.Sprintf("%s answered %s", page, describeStatus(r))
		return false
	}
	// The list is kept for later steps: a registry sending page after
	// page of a big list must not fill memory (no bound is reached by an
	// honest list of 10000 pages of small names).
	if w.bytes += len(r.Body); w.bytes > MaxVariablesBytes {
		w.end, w.problem = walkBound, fmt.Sprintf("after %s the list's pages hold more than %d bytes, the bound of what a scenario keeps: the list does not end within it", count(w.pages, "page"), MaxVariablesBytes)
		return false
	}
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		w.end, w.problem = walkMalformed, fmt.Sprintf("%s answered 200 with a body that is not JSON: %v", page, err)
		return false
	}
	got, ok := jsonpath.Lookup(v, w.path)
	items, isList := got.([]any)
	if !ok || (!isList && got != nil) {
		w.end, w.problem = walkMalformed, fmt.Sprintf("%s answered 200 without a list %s (%s)", page, w.path, quoteOrMissing(jsonpath.Render(got), ok))
		return false
	}
	w.items = append(w.items, items...)
	return true
}

// nextPage finds where the walk goes from r, or says why it stops there:
// no Link (the end), a Link off the registry (refused: nothing is sent),
// a page already read (a cycle), or a bound reached.
func (st *state) nextPage(w *walk, r *client.Response, pages int, deadline time.Time) (string, bool) {
	link := nextLink(r.Header)
	if link == "" {
		w.end = walkComplete
		w.problem = fmt.Sprintf("%s read, %s, the last without a Link to a next page", count(w.pages, "page"), count(len(w.items), "item"))
		return "", true
	}
	ref, err := url.Parse(link)
	if err != nil {
		w.end, w.problem = walkRefused, fmt.Sprintf("the Link of page %d, %q, is not a URL (%v): nothing was sent to it", w.pages, clip(link, 120), err)
		return "", true
	}
	u := r.URL.ResolveReference(ref)
	origin, _ := st.target.Client.Resolve("/")
	if (u.Scheme != "http" && u.Scheme != "https") || !client.SameOrigin(u, origin) {
		w.end, w.problem = walkRefused, fmt.Sprintf("the Link of page %d leads to %q, which is not the registry (%s://%s): nothing was sent to it", w.pages, clip(redactedLocation(link), 120), origin.Scheme, origin.Host)
		return "", true
	}
	if p, seen := w.visited[u.String()]; seen {
		w.end, w.problem = walkCycle, fmt.Sprintf("the Link of page %d leads back to page %d (%s): the list never ends for a client that follows it", w.pages, p, client.RedactURL(u))
		return "", true
	}
	if w.pages >= pages || time.Now().After(deadline) {
		bound := count(pages, "page")
		if w.pages < pages {
			bound = walkTimeout.String()
		}
		w.end, w.problem = walkBound, fmt.Sprintf("after %s (the bound, %s) the Link still leads to a next page (%s): the list does not end", count(w.pages, "page"), bound, client.RedactURL(u))
		return "", true
	}
	return u.String(), false
}

// FactListBroken names the fact a walk records when a list cannot be read
// to its end (a cycle, a bound, a refused Link, a later page that fails):
// the runner keeps a probe's unsupported verdict that carries it against a
// verify that read fewer pages (runner.combine).
const FactListBroken = "list not readable to its end"

// broken reports whether the walk found the list itself broken, not merely
// a first page that answered otherwise (which the scenario judges).
func (w *walk) broken() bool {
	switch w.end {
	case walkCycle, walkBound, walkRefused:
		return true
	case walkStatus, walkMalformed:
		return w.pages > 1
	}
	return false
}

func (st *state) saveWalk(w *walk) error {
	if w.broken() {
		st.record(FactListBroken, w.problem)
	}
	if w.items == nil {
		w.items = []any{}
	}
	b, err := json.Marshal(w.items)
	if err != nil {
		return fmt.Errorf("keeping the list %s: %w", w.path, err)
	}
	st.saved[w.name] = b
	st.vars[w.name] = string(b)
	st.vars[w.name+".end"] = w.end
	st.vars[w.name+".pages"] = strconv.Itoa(w.pages)
	st.vars[w.name+".count"] = strconv.Itoa(len(w.items))
	st.vars[w.name+".problem"] = w.problem
	return nil
}

// savedList is a list kept by a walk.
func (st *state) savedList(name string) ([]any, error) {
	b, ok := st.saved[name]
	if !ok {
		return nil, fmt.Errorf("no saved list %q: save one first (I follow the Link headers to the end, at most 100 pages, saving the JSON list \"tags\" as %q)", name, name)
	}
	var items []any
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("the saved %q is not a list: save it with \"I follow the Link headers to the end …\"", name)
	}
	return items, nil
}

func savedListContains(st *state, _ *client.Response, a []string) (bool, string, error) {
	want, err := st.expand(a[1])
	if err != nil {
		return false, "", err
	}
	items, err := st.savedList(a[0])
	if err != nil {
		return false, "", err
	}
	for _, it := range items {
		if jsonpath.Render(it) == want {
			return true, fmt.Sprintf("the saved list %s holds %s", a[0], shortDigest(want)), nil
		}
	}
	return false, fmt.Sprintf("none of the %s of the saved list %s is %s", count(len(items), "item"), a[0], shortDigest(want)), nil
}

func savedListItem(st *state, _ *client.Response, a []string) (bool, string, error) {
	want, err := st.expand(a[2])
	if err != nil {
		return false, "", err
	}
	items, err := st.savedList(a[0])
	if err != nil {
		return false, "", err
	}
	for _, it := range items {
		if got, ok := jsonpath.Lookup(it, a[1]); ok && jsonpath.Render(got) == want {
			return true, fmt.Sprintf("the saved list %s holds an item with %s %s", a[0], a[1], shortDigest(want)), nil
		}
	}
	return false, fmt.Sprintf("none of the %s of the saved list %s has %s %s", count(len(items), "item"), a[0], a[1], shortDigest(want)), nil
}

func savedListLength(st *state, _ *client.Response, a []string) (bool, string, error) {
	want, err := strconv.Atoi(a[1])
	if err != nil {
		return false, "", fmt.Errorf("list length %q: %w", a[1], err)
	}
	items, err := st.savedList(a[0])
	if err != nil {
		return false, "", err
	}
	return len(items) == want, fmt.Sprintf("the saved list %s has %s", a[0], count(len(items), "item")), nil
}
