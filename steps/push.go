package steps

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	"github.com/opencontainers/go-digest"
	"github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Steps that create content, for verify scenarios. Every object they
// create gets a clean-up registered at once, so it is deleted when the
// scenario ends, or listed as a leftover when the registry refuses.

// emptyJSON is the OCI empty descriptor's content, "{}".
var emptyJSON = ocispec.DescriptorEmptyJSON.Data

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
	return st.readBackBlob(ctx, repo, b)
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
func (st *state) putManifest(ctx context.Context, repo, ref, tag string, m ocispec.Manifest) (string, int, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return "", 0, fmt.Errorf("encoding the manifest: %w", err)
	}
	d, err := st.putManifestBody(ctx, repo, ref, tag, m.MediaType, body)
	return d, len(body), err
}

// putManifestBody uploads a manifest's bytes as they are (by ref, or by
// their digest when ref is empty), registers its deletion by digest, and
// reads it back.
func (st *state) putManifestBody(ctx context.Context, repo, ref, tag, mediaType string, body []byte) (string, error) {
	d, err := st.putManifestUnread(ctx, repo, ref, tag, mediaType, body)
	if err != nil {
		return "", err
	}
	return d, st.readBackManifest(ctx, repo, refOr(ref, d), mediaType, body)
}

// refOr is ref, or the digest d a manifest pushed without ref went to.
func refOr(ref, d string) string {
	if ref == "" {
		return d
	}
	return ref
}

// putManifestUnread is putManifestBody without the read-back, for a
// caller that reads the PUT's answer first; st.last is the PUT's answer.
func (st *state) putManifestUnread(ctx context.Context, repo, ref, tag, mediaType string, body []byte) (string, error) {
	if err := validateManifest(mediaType, body); err != nil {
		return "", err
	}
	d := digestOf(body)
	if ref == "" {
		ref = d
	}
	st.header.Set("Content-Type", mediaType)
	st.body = body
	if err := st.send(ctx, http.MethodPut, "/v2/"+repo+"/manifests/"+ref); err != nil {
		return "", err
	}
	if st.last.Status != http.StatusCreated {
		return "", fmt.Errorf("could not push a manifest to %s:%s for the verification: %s", repo, ref, describeStatus(st.last))
	}
	st.addCleanupURL("manifest", st.manifestURL(repo, d), repo, d, tag)
	if tag != "" {
		// Deleting by digest leaves the tag behind on some registries
		// (crane); delete the tag first (clean-ups run in reverse).
		st.addCleanupURL("manifest tag", st.manifestURL(repo, tag), repo, d, tag)
	}
	return d, nil
}

// pushManifestDoc pushes a manifest or index written in a doc string, its
// placeholders filled in ({blob.digest}, {blob.size}, {image}, …), to
// repository:tag, or to repository by digest, and saves its digest and
// size as {name} and {name.size}.
func (st *state) pushManifestDoc(ctx context.Context, ref, name string, doc *godog.DocString) error {
	ref, err := st.expand(ref)
	if err != nil {
		return err
	}
	repo, tag := ref, ""
	if strings.Contains(ref[strings.LastIndex(ref, "/")+1:], ":") {
		if repo, tag, err = splitRef(ref); err != nil {
			return err
		}
	}
	body, err := st.expand(doc.Content)
	if err != nil {
		return err
	}
	mt, err := manifestMediaType(doc.MediaType, []byte(body))
	if err != nil {
		return err
	}
	d, err := st.putManifestBody(ctx, repo, tag, tag, mt, []byte(body))
	if err != nil {
		return err
	}
	st.vars[name] = d
	st.vars[name+".size"] = strconv.Itoa(len(body))
	return nil
}

// manifestMediaType is the Content-Type of a manifest written in a doc
// string: the doc string's media type, else its mediaType field.
func manifestMediaType(docType string, body []byte) (string, error) {
	if strings.Contains(docType, "/") {
		return docType, nil
	}
	var m struct {
		MediaType string `json:"mediaType"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return "", fmt.Errorf("the manifest is not JSON: %w", err)
	}
	if m.MediaType == "" {
		return "", errors.New(`the manifest names no media type: add a "mediaType" field, or write it after the quotes ("""application/vnd.oci.image.index.v1+json)`)
	}
	return m.MediaType, nil
}

// descriptorOf describes content by its media type, digest and size.
func descriptorOf(mediaType string, b []byte) ocispec.Descriptor {
	return ocispec.Descriptor{MediaType: mediaType, Digest: digest.Digest(digestOf(b)), Size: int64(len(b))}
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
	m := ocispec.Manifest{
		Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageManifest,
		Config: descriptorOf(ocispec.MediaTypeImageConfig, config),
		Layers: []ocispec.Descriptor{descriptorOf(ocispec.MediaTypeImageLayer, layer)},
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

// artifactAnnotation is the annotation every artifact pushed by "I push an
// artifact …" carries (value "referrer"), for scenarios that check the
// referrers list repeats it.
const artifactAnnotation = "org.ocicaps.probe"

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
	subjectDesc, err := st.describeManifest(ctx, repo, subject)
	if err != nil {
		return err
	}
	// Every artifact's config is the same "{}" blob, pushed by other
	// scenarios of the registry too: pushed once, deleted when all are done.
	if err := st.pushBlobShared(ctx, repo, emptyJSON); err != nil {
		return err
	}
	empty := descriptorOf(ocispec.MediaTypeEmptyJSON, emptyJSON)
	m := ocispec.Manifest{
		Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageManifest, ArtifactType: artifactType,
		Config: empty, Layers: []ocispec.Descriptor{empty},
		Subject: &subjectDesc,
		// The referrers list must repeat a referrer's annotations.
		Annotations: map[string]string{artifactAnnotation: "referrer"},
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding the manifest: %w", err)
	}
	d, err := st.putManifestUnread(ctx, repo, "", "", m.MediaType, body)
	if err != nil {
		return err
	}
	if v := st.last.Header.Get("OCI-Subject"); v != "" {
		st.record("OCI-Subject header", shortDigest(v))
	} else {
		st.record("OCI-Subject header", "absent")
	}
	st.vars[name] = d
	// The header is a claim; the manifest read back is the fact.
	return st.readBackManifest(ctx, repo, d, m.MediaType, body)
}
