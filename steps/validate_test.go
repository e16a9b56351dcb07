package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
	"github.com/opencontainers/image-spec/schema"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// schemaValid validates a pushed body against the image-spec schema of
// its mediaType field, independently of the code under test.
func schemaValid(t *testing.T, what string, body []byte) {
	t.Helper()
	var m struct {
		MediaType string `json:"mediaType"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	v := schema.ValidatorMediaTypeManifest
	if m.MediaType == ocispec.MediaTypeImageIndex {
		v = schema.ValidatorMediaTypeImageIndex
	}
	if err := v.Validate(bytes.NewReader(body)); err != nil {
		t.Errorf("%s is not valid: %v\n%s", what, err, body)
	}
}

// Every document the push helpers build is valid, the artifact's subject
// descriptor included (it was written with "mediaType": "" before).
func TestBuiltinPushesValidate(t *testing.T) {
	ctx := context.Background()
	reg, st := newMemRegistry(t)
	if err := st.pushImage(ctx, "s:subject", "subject"); err != nil {
		t.Fatal(err)
	}
	if err := st.pushArtifact(ctx, "application/vnd.ocicaps.probe.v1", "{subject}", "s", "artifact"); err != nil {
		t.Fatal(err)
	}
	doc := &godog.DocString{MediaType: ocispec.MediaTypeImageIndex, Content: `{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
 "manifests": [ {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": {subject.size}, "digest": "{subject}", "platform": {"os": "linux", "architecture": "amd64"}} ]}`}
	if err := st.pushManifestDoc(ctx, "s:index", "index", doc); err != nil {
		t.Fatal(err)
	}
	if len(reg.pushed) != 3 {
		t.Fatalf("%d manifests pushed, want 3", len(reg.pushed))
	}
	for i, b := range reg.pushed {
		schemaValid(t, []string{"image", "artifact", "index"}[i], b)
	}
	var art ocispec.Manifest
	if err := json.Unmarshal(reg.pushed[1], &art); err != nil {
		t.Fatal(err)
	}
	if s := art.Subject; s == nil || s.MediaType != ocispec.MediaTypeImageManifest || s.Size != int64(len(reg.pushed[0])) || s.Digest.String() != st.vars["subject"] {
		t.Errorf("subject descriptor %+v, want the image's media type, size %d and digest", art.Subject, len(reg.pushed[0]))
	}
}

// An invalid document is refused before anything is sent.
func TestInvalidManifestIsNotSent(t *testing.T) {
	ctx := context.Background()
	reg, st := newMemRegistry(t)
	doc := &godog.DocString{Content: `{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": {"mediaType": "", "size": 2, "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}, "layers": []}`}
	err := st.pushManifestDoc(ctx, "s:bad", "bad", doc)
	if err == nil || !strings.Contains(err.Error(), "not valid against the OCI image-spec schema") {
		t.Fatalf("err %v", err)
	}
	if len(reg.pushed) != 0 {
		t.Errorf("the invalid manifest was sent")
	}
}

// The helpers read back what they push: a blob served with other bytes is
// an integrity failure, not a pass and not a plain error.
func TestPushReadsBack(t *testing.T) {
	ctx := context.Background()
	reg, st := newMemRegistry(t)
	reg.flip = true
	st.saved["blob"] = []byte("0123456789")
	err := st.pushSavedBlob(ctx, "blob", "s")
	if !errors.Is(err, godog.ErrSkip) {
		t.Fatalf("err %v, want the scenario ended unsupported", err)
	}
	o := st.outcome()
	if !strings.HasPrefix(o.Reason, results.IntegrityWords) || len(o.Deviations) != 1 || !o.Deviations[0].Integrity() {
		t.Errorf("outcome %q %+v", o.Reason, o.Deviations)
	}

	_, st = newMemRegistry(t)
	st.saved["blob"] = []byte("0123456789")
	if err := st.pushSavedBlob(ctx, "blob", "s"); err != nil {
		t.Fatalf("honest registry: %v", err)
	}
}

// The doc strings of the built-in suite that ocicaps pushes as manifests
// (by "I push the manifest …", by a PUT of "the request body is:" to
// /manifests/, and the padded large manifest) are valid, their
// placeholders filled in with plausible values.
func TestBuiltinDocStringsValidate(t *testing.T) {
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	n := 0
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			for _, step := range sc.Steps {
				if !step.DocString || !strings.Contains(step.Doc, `"schemaVersion"`) {
					continue
				}
				filled, ok := plausibleDoc(step.Doc)
				if !ok {
					t.Errorf("%s:%d: the doc string cannot be validated before the run", f.File, step.Line)
					continue
				}
				body := []byte(strings.Replace(filled, "PADDING", "x", 1))
				mt, err := manifestMediaType(step.DocType, body)
				if err != nil {
					t.Errorf("%s:%d: %v", f.File, step.Line, err)
					continue
				}
				if err := validateManifest(mt, body); err != nil {
					t.Errorf("%s:%d: %v", f.File, step.Line, err)
				}
				schemaValid(t, f.File, body)
				n++
			}
		}
	}
	if n < 10 {
		t.Errorf("%d manifest doc strings in the built-in suite, expected at least 10", n)
	}
}

// ocicaps validate refuses an invalid pushed doc string with its line.
func TestCheckDoc(t *testing.T) {
	text := `I push the manifest to "{scratch}:x" and save its digest as "x":`
	good := `{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": {config.size}, "digest": "{config.digest}"},
 "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": {layer.size}, "digest": "{layer.digest}"}],
 "annotations": {"a": "{note}"}}`
	if err := CheckDoc(text, "", good); err != nil {
		t.Errorf("good doc: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(good, `"mediaType": "application/vnd.oci.image.config.v1+json", `, "", 1), // a descriptor without mediaType
		strings.Replace(good, `"schemaVersion": 2`, `"schemaVersion": 1`, 1),
		strings.Replace(good, `"size": {layer.size}`, `"size": "{layer.size}"`, 1),
	} {
		err := CheckDoc(text, "", bad)
		var h interface{ Hint() string }
		if err == nil || !errors.As(err, &h) {
			t.Errorf("bad doc validates: %v\n%s", err, bad)
		}
	}
	// Other steps' doc strings are sent as written.
	if err := CheckDoc("the request body is:", "", `{"schemaVersion": 1}`); err != nil {
		t.Errorf("request body: %v", err)
	}
}

func TestPlausibleDoc(t *testing.T) {
	got, ok := plausibleDoc(`{"size": {a.size}, "digest": "{b}", "mediaType": "{t}", "x": "{y}", "n": {z.size}, "a": {"k": "v-{w}-\"{q}\""}}`)
	want := `{"size": 1, "digest": "sha256:` + strings.Repeat("0", 64) + `", "mediaType": "application/vnd.ocicaps.placeholder", "x": "x", "n": 1, "a": {"k": "v-x-\"x\""}}`
	if !ok || got != want {
		t.Errorf("got  %s %v\nwant %s", got, ok, want)
	}
	// Where a placeholder may stand for any JSON, or for part of a digest
	// or media type, the document waits for its real values.
	for _, doc := range []string{
		`{"layers": [{layers}]}`,
		`{"platform": {p}}`,
		`{"digest": "sha256:{hex}"}`,
		`{"mediaType": "application/{kind}+json"}`,
	} {
		if got, ok := plausibleDoc(doc); ok {
			t.Errorf("%s filled in as %s", doc, got)
		}
	}
}

// A manifest without layers is valid (the spec: layers SHOULD have an
// entry), though the schema's minItems says otherwise; everything else
// in it is still checked.
func TestManifestWithoutLayersIsValid(t *testing.T) {
	const desc = `{"mediaType": "application/vnd.oci.empty.v1+json", "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2}`
	if err := validateManifest(ocispec.MediaTypeImageManifest, []byte(`{"schemaVersion": 2, "config": `+desc+`, "layers": []}`)); err != nil {
		t.Errorf("no layers: %v", err)
	}
	if err := validateManifest(ocispec.MediaTypeImageManifest, []byte(`{"schemaVersion": 2, "config": {"size": 2}, "layers": []}`)); err == nil {
		t.Error("a config without digest and media type validates")
	}
}

// The schemas compiled once judge like the image-spec's own Validator
// (which compiles them on every call), on valid and invalid documents.
func TestCompiledSchemasAgreeWithImageSpec(t *testing.T) {
	const d = `"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"`
	desc := `{"mediaType": "application/vnd.oci.empty.v1+json", "digest": ` + d + `, "size": 2}`
	docs := map[schema.Validator][]string{
		schema.ValidatorMediaTypeManifest: {
			`{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": ` + desc + `, "layers": [` + desc + `]}`,
			`{"schemaVersion": 2, "config": ` + desc + `, "layers": []}`,
			`{"schemaVersion": 2, "config": {"mediaType": "", "digest": ` + d + `, "size": 2}, "layers": [` + desc + `]}`,
			`{"schemaVersion": 2, "config": ` + desc + `, "layers": [` + desc + `], "subject": {"digest": ` + d + `, "size": 2}}`,
			`{"schemaVersion": 3, "config": ` + desc + `, "layers": [` + desc + `]}`,
		},
		schema.ValidatorMediaTypeImageIndex: {
			`{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [` + desc + `]}`,
			`{"schemaVersion": 2, "manifests": [{"digest": "sha256:nothex", "size": 2, "mediaType": "a/b"}]}`,
			`{"schemaVersion": 2}`,
		},
	}
	for v, list := range docs {
		if _, err := compiledSchema(v); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		s, _ := compiledSchema(v)
		for _, doc := range list {
			var parsed any
			if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
				t.Fatal(err)
			}
			fast := s.Validate(parsed)
			slow := v.Validate(strings.NewReader(doc))
			if (fast == nil) != (slow == nil) {
				t.Errorf("%s\n%s: compiled once %v, image-spec %v", v, doc, fast, slow)
			}
		}
	}
}
