package twist

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// The published incompatibilities of hosted registries (issue 21), each
// reproduced in front of a real registry. The Doc of each mode names the
// registry and the public report it comes from.

func init() {
	register(Mode{
		Name: "oci-subject-without-referrers",
		Doc: "answers the push of a manifest with a subject with OCI-Subject although the registry has no referrers API " +
			"(ECR, Docker Hub: sigstore/sigstore-js#1183, docker/hub-feedback#2372); put it in front of a registry without one",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body := readRequestBody(r)
				a := Forward(up, r)
				if r.Method == http.MethodPut && manifestPathRE.MatchString(r.URL.Path) && a.Status == http.StatusCreated {
					var m struct {
						Subject *struct {
							Digest string `json:"digest"`
						} `json:"subject"`
					}
					if json.Unmarshal(body, &m) == nil && m.Subject != nil {
						a.Header.Set("OCI-Subject", m.Subject.Digest)
					}
				}
				a.Write(w)
			})
		},
	})
	register(Mode{
		Name: "patch-201",
		Doc:  "answers a PATCH that takes a chunk with 201 Created instead of 202 Accepted (ECR: tart #273)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := Forward(up, r)
				if r.Method == http.MethodPatch && a.Status == http.StatusAccepted {
					a.Status = http.StatusCreated
				}
				a.Write(w)
			})
		},
	})
	register(Mode{
		Name: "mount-needs-manifest",
		Doc: "mounts a blob only when a manifest in the source repository references it, and otherwise opens an upload " +
			"session (202) as for a blob it lacks (ECR: aws/containers-roadmap#2860)",
		New: newMountNeedsManifest,
	})
	register(Mode{
		Name: "referrers-login-redirect",
		Doc: "redirects every request to the referrers API (302) to an HTML sign-in page that answers 200 " +
			"(Google Artifact Registry, for a repository without the referrers API)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case referrersPathRE.MatchString(r.URL.Path):
					http.Redirect(w, r, "/accounts/ServiceLogin?continue="+r.URL.Path, http.StatusFound)
				case r.URL.Path == "/accounts/ServiceLogin":
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in to continue</body></html>\n")
				default:
					up.ServeHTTP(w, r)
				}
			})
		},
	})
	register(Mode{
		Name: "body-cap-4mib",
		Doc:  "refuses a PATCH or PUT whose body is over 4 MiB with 416 (GHCR: ocx-sh/ocx#237)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPatch || r.Method == http.MethodPut {
					body := readRequestBody(r)
					if len(body) > 4<<20 {
						writeError(w, http.StatusRequestedRangeNotSatisfiable, "SIZE_INVALID", "request body too large")
						return
					}
				}
				up.ServeHTTP(w, r)
			})
		},
	})
	register(Mode{
		Name: "digest-tag-as-digest",
		Doc: "reads a sha256-<hex> tag as the digest sha256:<hex>, so the referrers tag of a subject serves the subject " +
			"itself (GitLab: oras-project/oras-go#1396); pushes to the tag are stored as they are",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if m := digestTagRE.FindStringSubmatch(r.URL.Path); m != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
					r.URL.Path = m[1] + m[2] + ":" + m[3]
					r.URL.RawPath = ""
					// Served whatever the client accepts, as oras-go met it
					// when asking for an index.
					r.Header.Set("Accept", anyManifest)
				}
				up.ServeHTTP(w, r)
			})
		},
	})
	register(Mode{
		Name: "digest-tag-refused",
		Doc:  "refuses the push of a manifest to a sha256-<hex> tag with 400 (Quay)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut && digestTagRE.MatchString(r.URL.Path) {
					writeError(w, http.StatusBadRequest, "TAG_INVALID", "tag name is not allowed")
					return
				}
				up.ServeHTTP(w, r)
			})
		},
	})
	register(Mode{
		Name: "config-allow-list",
		Doc: "refuses a manifest whose config media type is not an image config or a Helm chart config with 400 " +
			"MANIFEST_INVALID (Quay, GitLab: fluxcd/flux2#3724)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut && manifestPathRE.MatchString(r.URL.Path) {
					var m struct {
						Config *struct {
							MediaType string `json:"mediaType"`
						} `json:"config"`
					}
					if json.Unmarshal(readRequestBody(r), &m) == nil && m.Config != nil && !allowedConfig[m.Config.MediaType] {
						writeError(w, http.StatusBadRequest, "MANIFEST_INVALID", "manifest invalid")
						return
					}
				}
				up.ServeHTTP(w, r)
			})
		},
	})
	register(Mode{
		Name: "delete-unsupported",
		Doc:  "answers every DELETE with 405 UNSUPPORTED (GHCR: deletion only through the GitHub packages API)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete {
					writeError(w, http.StatusMethodNotAllowed, "UNSUPPORTED", "The operation is unsupported.")
					return
				}
				up.ServeHTTP(w, r)
			})
		},
	})
}

const anyManifest = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, " +
	"application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json"

var (
	digestTagRE = regexp.MustCompile(`^(/v2/.+/manifests/)(sha256|sha512)-([0-9a-f]{64}|[0-9a-f]{128})$`)
	uploadsRE   = regexp.MustCompile(`^/v2/(.+)/blobs/uploads/$`)
	// allowedConfig is the allow-list of config media types: image configs
	// (OCI and Docker) and Helm charts.
	allowedConfig = map[string]bool{
		"application/vnd.oci.image.config.v1+json":       true,
		"application/vnd.docker.container.image.v1+json": true,
		"application/vnd.cncf.helm.config.v1+json":       true,
	}
)

// readRequestBody reads r's body (small in the zoo, bounded at 32 MiB)
// and puts it back for the upstream.
func readRequestBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
	return b
}

// newMountNeedsManifest remembers the blobs each manifest pushed through it
// references, per repository, and mounts only those.
func newMountNeedsManifest(up http.Handler) http.Handler {
	var mu sync.Mutex
	referenced := map[string]bool{} // repository + "@" + digest
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && manifestPathRE.MatchString(r.URL.Path) {
			body := readRequestBody(r)
			a := Forward(up, r)
			if a.Status == http.StatusCreated {
				repo := r.URL.Path[len("/v2/"):strings.LastIndex(r.URL.Path, "/manifests/")]
				mu.Lock()
				for _, d := range referencedBlobs(body) {
					referenced[repo+"@"+d] = true
				}
				mu.Unlock()
			}
			a.Write(w)
			return
		}
		q := r.URL.Query()
		if r.Method == http.MethodPost && uploadsRE.MatchString(r.URL.Path) && q.Get("mount") != "" {
			mu.Lock()
			ok := referenced[q.Get("from")+"@"+q.Get("mount")]
			mu.Unlock()
			if !ok {
				q.Del("mount")
				q.Del("from")
				r.URL.RawQuery = q.Encode()
			}
		}
		up.ServeHTTP(w, r)
	})
}

// referencedBlobs lists the config and layer digests of a manifest.
func referencedBlobs(body []byte) []string {
	var m struct {
		Config *struct {
			Digest string `json:"digest"`
		} `json:"config"`
		Layers []struct {
			Digest string `json:"digest"`
		} `json:"layers"`
	}
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	var out []string
	if m.Config != nil {
		out = append(out, m.Config.Digest)
	}
	for _, l := range m.Layers {
		out = append(out, l.Digest)
	}
	return out
}
