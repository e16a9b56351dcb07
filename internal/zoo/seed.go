package zoo

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Media types of the seed image.
const (
	MediaTypeOCIManifest = "application/vnd.oci.image.manifest.v1+json"
	MediaTypeOCIConfig   = "application/vnd.oci.image.config.v1+json"
	MediaTypeOCILayer    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// SeedRepo and SeedTag name the image Start seeds into every registry.
const (
	SeedRepo = "library/alpine"
	SeedTag  = "latest"
)

// Image is the small deterministic OCI image that Seed pushes. Its bytes, and
// therefore its digests, are the same on every run and every machine, so
// tests may compare against them.
type Image struct {
	Config, Layer, Manifest                   []byte
	ConfigDigest, LayerDigest, ManifestDigest string // "sha256:<hex>"
}

var (
	seedOnce  sync.Once
	seedImage Image
	seedErr   error
)

// SeedImage returns the image Seed pushes.
func SeedImage() (Image, error) {
	seedOnce.Do(func() { seedImage, seedErr = buildSeedImage() })
	return seedImage, seedErr
}

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// buildSeedImage builds the image bytes. Everything that could vary is pinned:
// tar header fields and format, the gzip header (no name, zero mtime) and the
// compression level. NoCompression matters: it emits stored deflate blocks,
// whose bytes do not depend on the Go version's compressor, so the digests
// cannot drift when the toolchain is upgraded.
func buildSeedImage() (Image, error) {
	content := []byte("ocicaps zoo seed image\n")
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	hdrs := []*tar.Header{
		{Typeflag: tar.TypeDir, Name: "etc/", Mode: 0o755},
		{Typeflag: tar.TypeReg, Name: "etc/ocicaps-zoo", Mode: 0o644, Size: int64(len(content))},
	}
	for _, h := range hdrs {
		h.ModTime = time.Unix(0, 0)
		h.Format = tar.FormatUSTAR
		if err := tw.WriteHeader(h); err != nil {
			return Image{}, fmt.Errorf("zoo: seed layer tar header: %w", err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write(content); err != nil {
				return Image{}, fmt.Errorf("zoo: seed layer tar body: %w", err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		return Image{}, fmt.Errorf("zoo: seed layer tar: %w", err)
	}
	diffID := sha256Digest(tarBuf.Bytes())

	var gzBuf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gzBuf, gzip.NoCompression)
	if err != nil {
		return Image{}, fmt.Errorf("zoo: seed layer gzip: %w", err)
	}
	if _, err := zw.Write(tarBuf.Bytes()); err != nil {
		return Image{}, fmt.Errorf("zoo: seed layer gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return Image{}, fmt.Errorf("zoo: seed layer gzip: %w", err)
	}
	layer := gzBuf.Bytes()

	type descriptor struct {
		MediaType string `json:"mediaType"`
		Digest    string `json:"digest"`
		Size      int    `json:"size"`
	}
	type rootFS struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	}
	type imageConfig struct {
		Architecture string `json:"architecture"`
		OS           string `json:"os"`
		RootFS       rootFS `json:"rootfs"`
	}
	type manifest struct {
		SchemaVersion int          `json:"schemaVersion"`
		MediaType     string       `json:"mediaType"`
		Config        descriptor   `json:"config"`
		Layers        []descriptor `json:"layers"`
	}
	// encoding/json output is deterministic for structs (field order) — no maps.
	config, err := json.Marshal(imageConfig{
		Architecture: "amd64",
		OS:           "linux",
		RootFS:       rootFS{Type: "layers", DiffIDs: []string{diffID}},
	})
	if err != nil {
		return Image{}, fmt.Errorf("zoo: seed config: %w", err)
	}
	img := Image{
		Config:       config,
		Layer:        layer,
		ConfigDigest: sha256Digest(config),
		LayerDigest:  sha256Digest(layer),
	}
	img.Manifest, err = json.Marshal(manifest{
		SchemaVersion: 2,
		MediaType:     MediaTypeOCIManifest,
		Config:        descriptor{MediaType: MediaTypeOCIConfig, Digest: img.ConfigDigest, Size: len(config)},
		Layers:        []descriptor{{MediaType: MediaTypeOCILayer, Digest: img.LayerDigest, Size: len(layer)}},
	})
	if err != nil {
		return Image{}, fmt.Errorf("zoo: seed manifest: %w", err)
	}
	img.ManifestDigest = sha256Digest(img.Manifest)
	return img, nil
}

// Seed pushes SeedImage to baseURL (e.g. "http://127.0.0.1:5001") as
// repo:tag with plain HTTP: each blob as a monolithic upload (POST to open a
// session, PUT ?digest= with the whole body), then the manifest by tag. It
// returns the manifest digest, which it checks against the registry's
// Docker-Content-Digest when the registry sends one.
func Seed(ctx context.Context, baseURL, repo, tag string) (string, error) {
	return seed(ctx, &http.Client{Timeout: 30 * time.Second}, nil, baseURL, repo, tag)
}

// seed is Seed with the client and the credentials of a secured instance.
func seed(ctx context.Context, client *http.Client, authorize func(*http.Request), baseURL, repo, tag string) (string, error) {
	img, err := SeedImage()
	if err != nil {
		return "", err
	}
	base, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil {
		return "", fmt.Errorf("zoo: seed: bad registry URL %q: %w", baseURL, err)
	}
	do := func(ctx context.Context, client *http.Client, method, u, contentType string, body []byte) (*http.Response, error) {
		return doAuth(ctx, client, authorize, method, u, contentType, body)
	}
	for _, blob := range []struct {
		what, digest string
		data         []byte
	}{
		{"config", img.ConfigDigest, img.Config},
		{"layer", img.LayerDigest, img.Layer},
	} {
		if err := pushBlob(ctx, client, authorize, base, repo, blob.digest, blob.data); err != nil {
			return "", fmt.Errorf("zoo: seed %s %s: %w", blob.what, blob.digest, err)
		}
	}
	u := base.JoinPath("v2", repo, "manifests", tag)
	resp, err := do(ctx, client, http.MethodPut, u.String(), MediaTypeOCIManifest, img.Manifest)
	if err != nil {
		return "", fmt.Errorf("zoo: seed manifest: %w", err)
	}
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("zoo: seed manifest: PUT %s: %s", u, describe(resp))
	}
	if got := resp.Header.Get("Docker-Content-Digest"); got != "" && got != img.ManifestDigest {
		return "", fmt.Errorf("zoo: seed manifest: registry says digest %s, pushed %s", got, img.ManifestDigest)
	}
	return img.ManifestDigest, nil
}

func pushBlob(ctx context.Context, client *http.Client, authorize func(*http.Request), base *url.URL, repo, digest string, data []byte) error {
	do := func(ctx context.Context, client *http.Client, method, u, contentType string, body []byte) (*http.Response, error) {
		return doAuth(ctx, client, authorize, method, u, contentType, body)
	}
	start := base.JoinPath("v2", repo, "blobs", "uploads") // JoinPath drops the trailing slash
	startURL := start.String() + "/"
	resp, err := do(ctx, client, http.MethodPost, startURL, "", nil)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("POST %s: %s", startURL, describe(resp))
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("POST %s: 202 without Location", startURL)
	}
	// Location may be relative (olareg, crane) or absolute (Distribution).
	put, err := start.Parse(loc)
	if err != nil {
		return fmt.Errorf("POST %s: bad Location %q: %w", startURL, loc, err)
	}
	// Append to the raw query rather than re-encoding it: the session state
	// some registries put there must come back byte for byte.
	if put.RawQuery != "" {
		put.RawQuery += "&"
	}
	put.RawQuery += "digest=" + url.QueryEscape(digest)
	resp, err = do(ctx, client, http.MethodPut, put.String(), "application/octet-stream", data)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("PUT %s: %s", put, describe(resp))
	}
	return nil
}

// do sends one request and returns the response with its body already read
// (kept in the response for describe) and closed.
func do(ctx context.Context, client *http.Client, method, u, contentType string, body []byte) (*http.Response, error) {
	return doAuth(ctx, client, nil, method, u, contentType, body)
}

func doAuth(ctx context.Context, client *http.Client, authorize func(*http.Request), method, u, contentType string, body []byte) (*http.Response, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, u, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if authorize != nil {
		authorize(req)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading response: %w", method, u, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// describe renders a response status with the start of its body, for errors.
func describe(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	if s == "" {
		return resp.Status
	}
	return resp.Status + ": " + s
}
