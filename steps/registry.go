package steps

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Registry helper steps: OCI operations that take several requests.

func (st *state) saveManifestDigest(ctx context.Context, ref, v string) error {
	return st.saveFound(ctx, st.resolveManifest, ref, v)
}

func (st *state) saveBlobOfManifest(ctx context.Context, ref, v string) error {
	return st.saveFound(ctx, st.blobOfManifest, ref, v)
}

// saveFound saves as v what find says of the manifest ref.
func (st *state) saveFound(ctx context.Context, find func(context.Context, string) (string, error), ref, v string) error {
	d, err := find(ctx, ref)
	if err != nil {
		return err
	}
	st.vars[v] = d
	return nil
}

func (st *state) saveReferrersTag(_ context.Context, digest, name string) error {
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
}

func (st *state) pushSavedBlob(ctx context.Context, name, repo string) error {
	b, ok := st.saved[name]
	if !ok {
		return fmt.Errorf("no saved body %q: save one first (I save 3000 random bytes as %q)", name, name)
	}
	r, err := st.expand(repo)
	if err != nil {
		return err
	}
	return st.pushBlob(ctx, r, b)
}

func digestOf(b []byte) string { return digestWith("sha256", b) }

// digestWith is the OCI digest of b with the algorithm sha256 or sha512.
func digestWith(alg string, b []byte) string {
	if alg == "sha512" {
		sum := sha512.Sum512(b)
		return "sha512:" + hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// splitRef splits repository:tag or repository@digest.
func splitRef(ref string) (repo, reference string, err error) {
	if i := strings.LastIndex(ref, "@"); i > 0 {
		return ref[:i], ref[i+1:], nil
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") && i > 0 {
		return ref[:i], ref[i+1:], nil
	}
	return "", "", fmt.Errorf("manifest reference %q: write repository:tag or repository@digest", ref)
}

func (st *state) resolveManifest(ctx context.Context, ref string) (string, error) {
	ref, repo, reference, err := st.manifestRef(ref)
	if err != nil {
		return "", err
	}
	path := "/v2/" + repo + "/manifests/" + reference
	st.header.Set("Accept", manifestAcceptTypes)
	if err := st.send(ctx, http.MethodHead, path); err != nil {
		return "", err
	}
	if st.last.Status == http.StatusOK {
		if d := st.last.Header.Get("Docker-Content-Digest"); d != "" {
			return d, nil
		}
	}
	// Some registries omit the digest header on HEAD or refuse HEAD: GET
	// the manifest and hash it.
	st.header.Set("Accept", manifestAcceptTypes)
	if err := st.send(ctx, http.MethodGet, path); err != nil {
		return "", err
	}
	if st.last.Status != http.StatusOK {
		return "", missingManifest(ref, st.last.Status, describeStatus(st.last))
	}
	if d := st.last.Header.Get("Docker-Content-Digest"); d != "" {
		return d, nil
	}
	return digestOf(st.last.Body), nil
}

// manifestRef expands ref ("{repository}:{tag}") and splits it into its
// repository and tag or digest.
func (st *state) manifestRef(ref string) (expanded, repo, reference string, err error) {
	if expanded, err = st.expand(ref); err != nil {
		return "", "", "", err
	}
	repo, reference, err = splitRef(expanded)
	return expanded, repo, reference, err
}

func missingManifest(ref string, status int, desc string) error {
	if status == http.StatusNotFound {
		return fmt.Errorf("the manifest %s is not there (%s): push an image to the test repository or set testRepository/testTag in the configuration", ref, desc)
	}
	return fmt.Errorf("fetching the manifest %s answered %s", ref, desc)
}

// blobRefs is what blobOfManifest reads of a manifest or an index: only
// digests, so that odd fields elsewhere do not stop it.
type blobRefs struct {
	Manifests []struct {
		Digest string `json:"digest"`
	} `json:"manifests"`
	Config struct {
		Digest string `json:"digest"`
		Size   int64  `json:"size"`
	} `json:"config"`
	Layers []struct {
		Digest string `json:"digest"`
		Size   int64  `json:"size"`
	} `json:"layers"`
}

func (st *state) blobOfManifest(ctx context.Context, ref string) (string, error) {
	d, _, err := st.blobDescriptorOfManifest(ctx, ref)
	return d, err
}

// blobDescriptorOfManifest is the digest and size of the manifest's first
// layer, or of its config when it has no layers.
func (st *state) blobDescriptorOfManifest(ctx context.Context, ref string) (string, int64, error) {
	ref, repo, reference, err := st.manifestRef(ref)
	if err != nil {
		return "", 0, err
	}
	for hop := 0; hop < 2; hop++ {
		st.header.Set("Accept", manifestAcceptTypes)
		if err := st.send(ctx, http.MethodGet, "/v2/"+repo+"/manifests/"+reference); err != nil {
			return "", 0, err
		}
		if st.last.Status != http.StatusOK {
			return "", 0, missingManifest(repo+":"+reference, st.last.Status, describeStatus(st.last))
		}
		var m blobRefs
		if err := json.Unmarshal(st.last.Body, &m); err != nil {
			return "", 0, fmt.Errorf("the manifest %s is not JSON: %w", ref, err)
		}
		switch {
		case len(m.Layers) > 0 && m.Layers[0].Digest != "":
			return m.Layers[0].Digest, m.Layers[0].Size, nil
		case m.Config.Digest != "":
			return m.Config.Digest, m.Config.Size, nil
		case len(m.Manifests) > 0 && m.Manifests[0].Digest != "":
			reference = m.Manifests[0].Digest
		default:
			return "", 0, fmt.Errorf("the manifest %s names no blob", ref)
		}
	}
	return "", 0, errors.New("the index " + ref + " points to another index: give a platform manifest as the test tag")
}
