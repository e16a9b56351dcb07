package steps

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Steps that create content, for verify scenarios. Every object they
// create gets a clean-up registered at once, so it is deleted when the
// scenario ends, or listed as a leftover when the registry refuses.

const (
	mtImageConfig = "application/vnd.oci.image.config.v1+json"
	mtLayer       = "application/vnd.oci.image.layer.v1.tar"
	mtEmpty       = "application/vnd.oci.empty.v1+json"
)

// emptyJSON is the OCI empty descriptor's content, "{}".
var emptyJSON = []byte("{}")

type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int    `json:"size"`
}

type manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	ArtifactType  string       `json:"artifactType,omitempty"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
	Subject       *descriptor  `json:"subject,omitempty"`
}

func init() {
	def("Requests", `^I save (\d+) random bytes as "([^"]+)"$`,
		`I save 3000 random bytes as "blob"`,
		"Keeps fresh random bytes (at most 16 MiB) under the name, with {name.digest} and {name.size}, for bodies and comparisons.",
		func(ctx context.Context, n int, name string) error {
			return with(ctx, func(st *state) error {
				if n < 0 || n > 16<<20 {
					return fmt.Errorf("%d random bytes: choose 0 to 16777216", n)
				}
				b := make([]byte, n)
				if _, err := rand.Read(b); err != nil {
					return fmt.Errorf("random bytes: %w", err)
				}
				st.keep(name, b)
				return nil
			})
		})
	def("Requests", `^the request body is bytes (\d+) to (\d+) of the saved body "([^"]+)"$`,
		`the request body is bytes 0 to 1499 of the saved body "blob"`,
		"Sets the next request's body to a slice of a saved body, both ends included: a chunk for a chunked upload.",
		func(ctx context.Context, from, to int, name string) error {
			return with(ctx, func(st *state) error {
				b, ok := st.saved[name]
				if !ok {
					return fmt.Errorf("no saved body %q: save one first (I save 3000 random bytes as %q)", name, name)
				}
				if from < 0 || to < from || to >= len(b) {
					return fmt.Errorf("bytes %d to %d are outside the %d saved bytes of %q", from, to, len(b), name)
				}
				st.setBody(b[from : to+1])
				return nil
			})
		})
	def("Saving and recording", `^I record the response status as "([^"]+)"$`,
		`I record the response status as "fallback tag lookup"`,
		"Shows the current response's status (with the registry's error code) in every report as a fact.",
		func(ctx context.Context, name string) error {
			return with(ctx, func(st *state) error {
				r, err := st.response()
				if err != nil {
					return err
				}
				st.record(name, st.requestName()+": "+describeStatus(r))
				return nil
			})
		})
	def("Registry helpers", `^I save the referrers tag of "([^"]+)" as "([^"]+)"$`,
		`I save the referrers tag of "{subject}" as "fallbackTag"`,
		"Saves the tag the referrers tag schema uses for a digest (sha256:abc… → sha256-abc…), where clients without the referrers API keep the list of referrers.",
		func(ctx context.Context, digest, name string) error {
			return with(ctx, func(st *state) error {
				d, err := st.expand(digest)
				if err != nil {
					return err
				}
				alg, hex, ok := strings.Cut(d, ":")
				if !ok || alg == "" || hex == "" {
					return fmt.Errorf("%q is not a digest (algorithm:hex)", d)
				}
				st.vars[name] = alg + "-" + hex
				return nil
			})
		})
	def("Registry helpers", `^I push the saved body "([^"]+)" as a blob to "([^"]+)"$`,
		`I push the saved body "blob" as a blob to "{scratch}"`,
		"Uploads the saved bytes as a blob (POST, then PUT with ?digest=) and registers its deletion for the end of the scenario. A registry that refuses makes the scenario an error: the verification cannot be done.",
		func(ctx context.Context, name, repo string) error {
			return with(ctx, func(st *state) error {
				b, ok := st.saved[name]
				if !ok {
					return fmt.Errorf("no saved body %q: save one first (I save 3000 random bytes as %q)", name, name)
				}
				r, err := st.expand(repo)
				if err != nil {
					return err
				}
				return st.pushBlob(ctx, r, b)
			})
		})
	def("Registry helpers", `^I push an image to "([^"]+)" and save its digest as "([^"]+)"$`,
		`I push an image to "{scratch}:subject" and save its digest as "subject"`,
		"Pushes a small image made fresh for this scenario (a random layer, a config, an OCI manifest) to repository:tag, saves the manifest digest as {name} (and {name.layer}, {name.config}), and registers the deletion of all of it.",
		func(ctx context.Context, ref, name string) error {
			return with(ctx, func(st *state) error { return st.pushImage(ctx, ref, name) })
		})
	def("Registry helpers", `^I push an artifact of type "([^"]+)" referring to "([^"]+)" to "([^"]+)" and save its digest as "([^"]+)"$`,
		`I push an artifact of type "application/vnd.ocicaps.probe.v1" referring to "{subject}" to "{scratch}" and save its digest as "artifact"`,
		"Pushes an artifact manifest whose subject is the given manifest digest in that repository (by digest, no tag), records the registry's OCI-Subject header as a fact, saves the artifact's digest, and registers its deletion.",
		func(ctx context.Context, artifactType, subject, repo, name string) error {
			return with(ctx, func(st *state) error { return st.pushArtifact(ctx, artifactType, subject, repo, name) })
		})
}

// keep saves bytes under name with their digest and size as variables.
func (st *state) keep(name string, b []byte) {
	st.saved[name] = b
	st.vars[name+".digest"] = digestOf(b)
	st.vars[name+".size"] = strconv.Itoa(len(b))
}

// pushBlob uploads b to repo with POST then PUT and registers its deletion.
func (st *state) pushBlob(ctx context.Context, repo string, b []byte) error {
	d := digestOf(b)
	if err := st.send(ctx, http.MethodPost, "/v2/"+repo+"/blobs/uploads/"); err != nil {
		return err
	}
	switch st.last.Status {
	case http.StatusCreated:
		// Some registries complete a POST without body at once; unusual.
	case http.StatusAccepted:
	default:
		return fmt.Errorf("could not start a blob upload in %s for the verification: %s", repo, describeStatus(st.last))
	}
	loc := st.last.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("the upload session in %s has no Location header", repo)
	}
	u, err := st.target.Client.Resolve(loc)
	if err != nil {
		return err
	}
	// Cancel the session if the PUT does not complete it.
	session := u.String()
	st.addCleanupURL("upload session", session, repo, "", "")
	q := u.Query()
	q.Set("digest", d)
	u.RawQuery = q.Encode()
	st.header.Set("Content-Type", "application/octet-stream")
	st.body = b
	if err := st.send(ctx, http.MethodPut, u.String()); err != nil {
		return err
	}
	if st.last.Status != http.StatusCreated {
		return fmt.Errorf("could not push a %d-byte blob to %s for the verification: %s", len(b), repo, describeStatus(st.last))
	}
	// The PUT closed the session; some registries (crane) answer a DELETE
	// on a closed session with an error that is no leftover.
	st.dropCleanup(session)
	st.addCleanupURL("blob", st.blobURL(repo, d), repo, d, "")
	return nil
}

func (st *state) blobURL(repo, digest string) string {
	u, _ := st.target.Client.Resolve("/v2/" + repo + "/blobs/" + digest)
	return u.String()
}

func (st *state) manifestURL(repo, ref string) string {
	u, _ := st.target.Client.Resolve("/v2/" + repo + "/manifests/" + url.PathEscape(ref))
	return u.String()
}

// putManifest uploads m to repo under ref (a tag or its digest) and
// registers the deletion of the manifest by digest.
func (st *state) putManifest(ctx context.Context, repo, ref, tag string, m manifest) (string, int, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return "", 0, fmt.Errorf("encoding the manifest: %w", err)
	}
	d := digestOf(body)
	if ref == "" {
		ref = d
	}
	st.header.Set("Content-Type", m.MediaType)
	st.body = body
	if err := st.send(ctx, http.MethodPut, "/v2/"+repo+"/manifests/"+ref); err != nil {
		return "", 0, err
	}
	if st.last.Status != http.StatusCreated {
		return "", 0, fmt.Errorf("could not push a manifest to %s:%s for the verification: %s", repo, ref, describeStatus(st.last))
	}
	st.addCleanupURL("manifest", st.manifestURL(repo, d), repo, d, tag)
	if tag != "" {
		// Deleting by digest leaves the tag behind on some registries
		// (crane); delete the tag first (clean-ups run in reverse).
		st.addCleanupURL("manifest tag", st.manifestURL(repo, tag), repo, d, tag)
	}
	return d, len(body), nil
}

func (st *state) pushImage(ctx context.Context, ref, name string) error {
	ref, err := st.expand(ref)
	if err != nil {
		return err
	}
	repo, tag, err := splitRef(ref)
	if err != nil {
		return err
	}
	layer := make([]byte, 512)
	if _, err := rand.Read(layer); err != nil {
		return fmt.Errorf("random layer: %w", err)
	}
	config, _ := json.Marshal(map[string]any{
		"architecture": "amd64", "os": "linux",
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{digestOf(layer)}},
	})
	if err := st.pushBlob(ctx, repo, config); err != nil {
		return err
	}
	if err := st.pushBlob(ctx, repo, layer); err != nil {
		return err
	}
	m := manifest{
		SchemaVersion: 2, MediaType: mtOCIManifest,
		Config: descriptor{MediaType: mtImageConfig, Digest: digestOf(config), Size: len(config)},
		Layers: []descriptor{{MediaType: mtLayer, Digest: digestOf(layer), Size: len(layer)}},
	}
	d, size, err := st.putManifest(ctx, repo, tag, tag, m)
	if err != nil {
		return err
	}
	st.vars[name] = d
	st.vars[name+".size"] = strconv.Itoa(size)
	st.vars[name+".layer"] = digestOf(layer)
	st.vars[name+".config"] = digestOf(config)
	return nil
}

func (st *state) pushArtifact(ctx context.Context, artifactType, subject, repo, name string) error {
	var err error
	if artifactType, err = st.expand(artifactType); err != nil {
		return err
	}
	if subject, err = st.expand(subject); err != nil {
		return err
	}
	if repo, err = st.expand(repo); err != nil {
		return err
	}
	// The subject descriptor needs the manifest's media type and size.
	st.header.Set("Accept", manifestAcceptTypes)
	if err := st.send(ctx, http.MethodHead, "/v2/"+repo+"/manifests/"+subject); err != nil {
		return err
	}
	if st.last.Status != http.StatusOK {
		return fmt.Errorf("the subject %s is not in %s: %s", shortDigest(subject), repo, describeStatus(st.last))
	}
	size, err := strconv.Atoi(st.last.Header.Get("Content-Length"))
	if err != nil {
		return fmt.Errorf("HEAD of the subject %s gave no Content-Length", shortDigest(subject))
	}
	if err := st.pushBlob(ctx, repo, emptyJSON); err != nil {
		return err
	}
	empty := descriptor{MediaType: mtEmpty, Digest: digestOf(emptyJSON), Size: len(emptyJSON)}
	m := manifest{
		SchemaVersion: 2, MediaType: mtOCIManifest, ArtifactType: artifactType,
		Config: empty, Layers: []descriptor{empty},
		Subject: &descriptor{MediaType: mediaType(st.last), Digest: subject, Size: size},
	}
	d, _, err := st.putManifest(ctx, repo, "", "", m)
	if err != nil {
		return err
	}
	if v := st.last.Header.Get("OCI-Subject"); v != "" {
		st.record("OCI-Subject header", shortDigest(v))
	} else {
		st.record("OCI-Subject header", "absent")
	}
	st.vars[name] = d
	return nil
}
