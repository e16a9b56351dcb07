package steps

import (
	"encoding/json"
	"testing"

	"github.com/opencontainers/go-digest"
	"github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// The manifests pushed by verify scenarios are image-spec types; their
// JSON must stay the bytes the hand-written types produced, field order
// included, since digests are computed from what is sent.
func TestManifestWireFormat(t *testing.T) {
	empty := descriptorOf(ocispec.MediaTypeEmptyJSON, emptyJSON)
	m := ocispec.Manifest{
		Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageManifest, ArtifactType: "application/x.test",
		Config: empty, Layers: []ocispec.Descriptor{empty},
		Subject: &ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: digest.Digest("sha256:ab"), Size: 7},
	}
	got, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	e := `{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}`
	want := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/x.test",` +
		`"config":` + e + `,"layers":[` + e + `],` +
		`"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:ab","size":7}}`
	if string(got) != want {
		t.Errorf("manifest JSON\n got %s\nwant %s", got, want)
	}
	image := ocispec.Manifest{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageManifest,
		Config: descriptorOf(ocispec.MediaTypeImageConfig, []byte("{}")), Layers: []ocispec.Descriptor{}}
	got, _ = json.Marshal(image)
	want = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}`
	if string(got) != want {
		t.Errorf("image manifest JSON\n got %s\nwant %s", got, want)
	}
}
