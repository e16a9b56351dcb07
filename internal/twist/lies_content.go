package twist

// Lies about content (issue 20): registries that answer every write as
// if it worked, and then serve other bytes, or nothing. A certificate
// must not be fooled by any of them: each mode here is one row of the
// issue's table, and e2e/liar_content_test.go checks that no capability
// the lie breaks is certified.

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

func init() {
	register(Mode{
		Name: "range-from-zero",
		Doc:  "answers a Range request with the right status, Content-Range and Content-Length, but with the blob's bytes from offset 0",
		New:  rangeFromZero,
	})
	register(Mode{
		Name: "mount-links-nothing",
		Doc:  "answers every cross-repository mount 201 Created and links nothing; HEAD of a blob answers 200 in every repository once the blob is pushed anywhere, GET only where it was pushed",
		New:  func(up http.Handler) http.Handler { return &mountLinksNothing{up: up, pushedIn: map[string]string{}} },
	})
	register(Mode{
		Name: "stores-nothing",
		Doc:  "stores nothing and forwards nothing: answers every write 201 or 202 (with the Location an upload needs) and every read 200, with empty bodies",
		New:  func(http.Handler) http.Handler { return &storesNothing{} },
	})
	register(Mode{
		Name: "stores-nothing-plausible",
		Doc:  "stores nothing, but answers like a registry that did: Docker-Content-Digest and OCI-Subject on a manifest PUT, 201 to every mount, and reads answered 200 with a fixed, well-formed manifest or blob",
		New:  func(http.Handler) http.Handler { return &storesNothing{plausible: true} },
	})
	register(Mode{
		Name: "stores-nothing-remembers-deletes",
		Doc:  "like stores-nothing-plausible, and after a DELETE answers every request to that path 404, as if the object had been there and was now gone",
		New: func(http.Handler) http.Handler {
			return &storesNothing{plausible: true, deleted: map[string]bool{}}
		},
	})
	register(Mode{
		Name: "subject-dropped",
		Doc:  "answers the PUT of a manifest with a subject 201 Created with OCI-Subject and Docker-Content-Digest, and drops the manifest",
		New:  subjectDropped,
	})
	register(Mode{
		Name: "flip-byte",
		Doc:  "flips one byte (the middle one) of every blob body it serves, whole or in part",
		New:  flipByte,
	})
}

func sha256Of(b []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(b)) }

// rangeFromZero keeps the upstream's 206 headers and replaces its bytes
// with as many from the start of the blob.
func rangeFromZero(up http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Range") == "" || !blobPathRE.MatchString(r.URL.Path) {
			up.ServeHTTP(w, r)
			return
		}
		a := Forward(up, r)
		if a.Status == http.StatusPartialContent {
			whole := r.Clone(r.Context())
			whole.Header.Del("Range")
			if all := Forward(up, whole); all.Status == http.StatusOK && len(all.Body) >= len(a.Body) {
				a.Body = all.Body[:len(a.Body)]
			}
		}
		a.Write(w)
	})
}

// mountLinksNothing answers mounts itself and lies on HEAD.
type mountLinksNothing struct {
	up       http.Handler
	mu       sync.Mutex
	pushedIn map[string]string // blob digest → a repository it was pushed to
}

func (m *mountLinksNothing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && q.Get("mount") != "" && uploadPathRE.MatchString(r.URL.Path):
		repo := uploadPathRE.FindStringSubmatch(r.URL.Path)[1]
		d := q.Get("mount")
		w.Header().Set("Location", "/v2/"+repo+"/blobs/"+d)
		w.Header().Set("Docker-Content-Digest", d)
		w.WriteHeader(http.StatusCreated)
	case r.Method == http.MethodPut && q.Get("digest") != "" && uploadPathRE.MatchString(r.URL.Path):
		a := Forward(m.up, r)
		if a.Status == http.StatusCreated {
			m.mu.Lock()
			m.pushedIn[q.Get("digest")] = uploadPathRE.FindStringSubmatch(r.URL.Path)[1]
			m.mu.Unlock()
		}
		a.Write(w)
	case r.Method == http.MethodHead && blobPathRE.MatchString(r.URL.Path):
		a := Forward(m.up, r)
		d := blobPathRE.FindStringSubmatch(r.URL.Path)[2]
		m.mu.Lock()
		repo, ok := m.pushedIn[d]
		m.mu.Unlock()
		if a.Status == http.StatusNotFound && ok {
			// The HEAD everywhere: asked where the blob really is.
			there := r.Clone(r.Context())
			there.URL.Path = "/v2/" + repo + "/blobs/" + d
			a = Forward(m.up, there)
		}
		for k, v := range a.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(a.Status)
	default:
		m.up.ServeHTTP(w, r)
	}
}

// storesNothing answers every request itself; the upstream is never
// asked.
type storesNothing struct {
	plausible bool
	mu        sync.Mutex
	next      int
	deleted   map[string]bool // paths DELETEd, when it remembers them
}

// plausibleManifest is what a plausible liar serves for every manifest:
// a well-formed OCI image manifest naming nothing it holds.
var plausibleManifest = []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}`)

// plausibleBlob is what it serves for every blob.
var plausibleBlob = []byte("ocicaps liar: a blob that was never stored")

func (s *storesNothing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	gone := s.deleted != nil && s.deleted[r.URL.Path]
	if s.deleted != nil && r.Method == http.MethodDelete {
		s.deleted[r.URL.Path] = true
	}
	s.next++
	n := s.next
	s.mu.Unlock()
	if gone {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	p, q := r.URL.Path, r.URL.Query()
	switch r.Method {
	case http.MethodPost:
		s.post(w, p, q.Get("mount"), q.Get("digest"), n)
	case http.MethodPatch:
		w.Header().Set("Location", p)
		if s.plausible {
			w.Header().Set("Range", fmt.Sprintf("0-%d", len(body)-1))
		}
		w.WriteHeader(http.StatusAccepted)
	case http.MethodPut:
		s.put(w, p, q.Get("digest"), body)
	case http.MethodDelete:
		w.WriteHeader(http.StatusAccepted)
	default:
		s.read(w, r)
	}
}

func (s *storesNothing) post(w http.ResponseWriter, p, mount, digest string, n int) {
	m := uploadPathRE.FindStringSubmatch(p)
	if m == nil {
		w.WriteHeader(http.StatusCreated)
		return
	}
	if s.plausible && (mount != "" || digest != "") {
		d := mount + digest
		w.Header().Set("Location", "/v2/"+m[1]+"/blobs/"+d)
		w.Header().Set("Docker-Content-Digest", d)
		w.WriteHeader(http.StatusCreated)
		return
	}
	// Even the emptiest liar names a session: nothing proceeds without.
	w.Header().Set("Location", fmt.Sprintf("/v2/%s/blobs/uploads/liar-%d", m[1], n))
	w.WriteHeader(http.StatusAccepted)
}

func (s *storesNothing) put(w http.ResponseWriter, p, digest string, body []byte) {
	if s.plausible {
		if m := manifestPathRE.FindStringSubmatch(p); m != nil {
			d := sha256Of(body)
			w.Header().Set("Location", "/v2/"+m[1]+"/manifests/"+d)
			w.Header().Set("Docker-Content-Digest", d)
			if subject := subjectOf(body); subject != "" {
				w.Header().Set("OCI-Subject", subject)
			}
		} else if m := uploadPathRE.FindStringSubmatch(p); m != nil && digest != "" {
			w.Header().Set("Location", "/v2/"+m[1]+"/blobs/"+digest)
			w.Header().Set("Docker-Content-Digest", digest)
		}
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *storesNothing) read(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if s.plausible {
		switch {
		case manifestPathRE.MatchString(r.URL.Path):
			body = plausibleManifest
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			w.Header().Set("Docker-Content-Digest", sha256Of(body))
		case blobPathRE.MatchString(r.URL.Path):
			body = plausibleBlob
			// The lie: the digest asked for, on other bytes.
			w.Header().Set("Docker-Content-Digest", blobPathRE.FindStringSubmatch(r.URL.Path)[2])
		}
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// subjectOf is the subject digest of a manifest, "" without one.
func subjectOf(body []byte) string {
	var m struct {
		Subject *struct {
			Digest string `json:"digest"`
		} `json:"subject"`
	}
	if json.Unmarshal(body, &m) != nil || m.Subject == nil {
		return ""
	}
	return m.Subject.Digest
}

// subjectDropped answers the PUT of a manifest with a subject itself.
func subjectDropped(up http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := manifestPathRE.FindStringSubmatch(r.URL.Path)
		if r.Method != http.MethodPut || m == nil {
			up.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		subject := subjectOf(body)
		if subject == "" {
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			r.ContentLength = int64(len(body))
			up.ServeHTTP(w, r)
			return
		}
		d := sha256Of(body)
		w.Header().Set("Location", "/v2/"+m[1]+"/manifests/"+d)
		w.Header().Set("Docker-Content-Digest", d)
		w.Header().Set("OCI-Subject", subject)
		w.WriteHeader(http.StatusCreated)
	})
}

// flipByte changes the middle byte of every blob body served.
func flipByte(up http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !blobPathRE.MatchString(r.URL.Path) {
			up.ServeHTTP(w, r)
			return
		}
		a := Forward(up, r)
		if (a.Status == http.StatusOK || a.Status == http.StatusPartialContent) && len(a.Body) > 0 {
			a.Body = append([]byte(nil), a.Body...)
			a.Body[len(a.Body)/2] ^= 0x01
		}
		a.Write(w)
	})
}
