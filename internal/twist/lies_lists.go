package twist

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// Lies about lists (issue 20, items 2, 3 and 5): the tag list, the
// catalog and the referrers list answered with a Link a client must not
// follow for ever or at all, a referrers list that ignores its subject,
// and a referrers body that is not JSON.

func init() {
	register(Mode{
		Name: "referrers-ignore-subject",
		Doc:  "the referrers API lists every artifact with a subject pushed to the repository through the proxy, whatever the subject asked about (filtered by artifactType when asked)",
		New:  newIgnoreSubject,
	})
	register(Mode{
		Name: "link-self",
		Doc:  "every tag list, catalog and referrers list answered 200 carries a Link to itself: a client that follows it loops",
		New: func(up http.Handler) http.Handler {
			return onLists(up, func(r *http.Request, a *Answer) {
				a.Header.Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", r.URL.RequestURI()))
			})
		},
	})
	register(Mode{
		Name: "endless-pages",
		Doc:  "every tag list, catalog and referrers list answered 200 carries a Link to a new page (?endless=N+1) that answers the same list again: a list that never ends",
		New:  newEndless,
	})
	register(Mode{
		Name: "link-javascript",
		Doc:  "every tag list, catalog and referrers list answered 200 carries Link: <javascript:alert(document.domain)>; rel=\"next\"",
		New: func(up http.Handler) http.Handler {
			return onLists(up, func(_ *http.Request, a *Answer) {
				a.Header.Set("Link", `<javascript:alert(document.domain)>; rel="next"`)
			})
		},
	})
	register(Mode{
		Name: "link-file",
		Doc:  "every tag list, catalog and referrers list answered 200 carries Link: <file:///etc/passwd>; rel=\"next\"",
		New: func(up http.Handler) http.Handler {
			return onLists(up, func(_ *http.Request, a *Answer) {
				a.Header.Set("Link", `<file:///etc/passwd>; rel="next"`)
			})
		},
	})
	register(Mode{
		Name: "referrers-malformed",
		Doc:  "the referrers API answers 200 with the OCI index media type and truncated JSON ({\"schemaVersion\":2,\"manifests\":[{\"digest\": \"sha256:)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || listKind(r.URL.Path) != "referrers" {
					up.ServeHTTP(w, r)
					return
				}
				a := Forward(up, r)
				if a.Status == http.StatusOK {
					a.Header.Set("Content-Type", "application/vnd.oci.image.index.v1+json")
					a.Body = []byte(MalformedReferrers)
				}
				a.Write(w)
			})
		},
	})
}

// MalformedReferrers is the body referrers-malformed answers: truncated
// in the middle of a digest.
const MalformedReferrers = `{"schemaVersion":2,"manifests":[{"digest": "sha256:`

// listKind names the list a path asks for: "tags", "catalog",
// "referrers", or "" for anything else.
func listKind(path string) string {
	switch {
	case path == "/v2/_catalog":
		return "catalog"
	case tagsPathRE.MatchString(path):
		return "tags"
	case referrersPathRE.MatchString(path):
		return "referrers"
	}
	return ""
}

// onLists changes the 200 answers to GETs of lists with change and passes
// everything else through.
func onLists(up http.Handler, change func(*http.Request, *Answer)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || listKind(r.URL.Path) == "" {
			up.ServeHTTP(w, r)
			return
		}
		a := Forward(up, r)
		if a.Status == http.StatusOK {
			change(r, a)
		}
		a.Write(w)
	})
}

// newEndless answers page N of any list with the registry's answer to the
// request without ?endless=, and a Link to page N+1.
func newEndless(up http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || listKind(r.URL.Path) == "" {
			up.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		n, _ := strconv.Atoi(q.Get("endless"))
		q.Del("endless")
		fwd := r.Clone(r.Context())
		fwd.URL.RawQuery = q.Encode()
		fwd.RequestURI = ""
		a := Forward(up, fwd)
		if a.Status == http.StatusOK {
			q.Set("endless", strconv.Itoa(n+1))
			next := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
			a.Header.Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", next.RequestURI()))
		}
		a.Write(w)
	})
}

// referrer is an artifact with a subject, as the referrers list
// describes it.
type referrer struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
}

// ignoreSubject remembers, per repository, every manifest with a subject
// pushed through the proxy (and not deleted since), in push order.
type ignoreSubject struct {
	up        http.Handler
	mu        sync.Mutex
	referrers map[string][]referrer
}

func newIgnoreSubject(up http.Handler) http.Handler {
	return &ignoreSubject{up: up, referrers: map[string][]referrer{}}
}

func (s *ignoreSubject) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch m := manifestPathRE.FindStringSubmatch(r.URL.Path); {
	case m != nil && r.Method == http.MethodPut:
		s.put(w, r, m[1])
	case m != nil && r.Method == http.MethodDelete:
		a := Forward(s.up, r)
		if a.Status == http.StatusAccepted {
			s.forget(m[1], m[2])
		}
		a.Write(w)
	case r.Method == http.MethodGet && listKind(r.URL.Path) == "referrers":
		s.list(w, r)
	default:
		s.up.ServeHTTP(w, r)
	}
}

// put forwards a manifest push and remembers the manifest when it has a
// subject and the registry stored it.
func (s *ignoreSubject) put(w http.ResponseWriter, r *http.Request, repo string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20+1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	a := Forward(s.up, r)
	var m struct {
		MediaType    string `json:"mediaType"`
		ArtifactType string `json:"artifactType"`
		Config       struct{ MediaType string }
		Subject      *json.RawMessage  `json:"subject"`
		Annotations  map[string]string `json:"annotations"`
	}
	if a.Status == http.StatusCreated && json.Unmarshal(body, &m) == nil && m.Subject != nil {
		at := m.ArtifactType
		if at == "" {
			at = m.Config.MediaType
		}
		mt := m.MediaType
		if mt == "" {
			mt = r.Header.Get("Content-Type")
		}
		d := fmt.Sprintf("sha256:%x", sha256.Sum256(body))
		s.mu.Lock()
		s.referrers[repo] = append(s.referrers[repo], referrer{MediaType: mt, Digest: d, Size: int64(len(body)), ArtifactType: at, Annotations: m.Annotations})
		s.mu.Unlock()
	}
	a.Write(w)
}

func (s *ignoreSubject) forget(repo, digest string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.referrers[repo]
	for i, x := range list {
		if x.Digest == digest {
			s.referrers[repo] = append(list[:i:i], list[i+1:]...)
			return
		}
	}
}

// list answers a referrers request the registry answered 200 with every
// remembered artifact of the repository, whatever the subject.
func (s *ignoreSubject) list(w http.ResponseWriter, r *http.Request) {
	a := Forward(s.up, r)
	if a.Status != http.StatusOK {
		a.Write(w)
		return
	}
	repo := referrersPathRE.FindStringSubmatch(r.URL.Path)[1]
	want := r.URL.Query().Get("artifactType")
	s.mu.Lock()
	out := []referrer{}
	for _, x := range s.referrers[repo] {
		if want == "" || x.ArtifactType == want {
			out = append(out, x)
		}
	}
	s.mu.Unlock()
	if len(out) == 0 {
		// Nothing to add: the registry's own answer (olareg's
		// "manifests": null included), so that the lie is the only change.
		a.Write(w)
		return
	}
	a.Body, _ = json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": out,
	})
	a.Header.Set("Content-Type", "application/vnd.oci.image.index.v1+json")
	a.Header.Del("Link")
	if want != "" {
		a.Header.Set("OCI-Filters-Applied", "artifactType")
	} else {
		a.Header.Del("OCI-Filters-Applied")
	}
	a.Write(w)
}
