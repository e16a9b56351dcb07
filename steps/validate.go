package steps

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/opencontainers/image-spec/schema"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Every manifest and index ocicaps builds, or takes from the doc string of
// "I push the manifest …", is validated against the OCI image-spec JSON
// schemas (github.com/opencontainers/image-spec/schema, the spec's own
// files) before it is sent: a registry that validates descriptors refuses
// an invalid document, and the capability would then be in error for our
// mistake. Docker's schema 2 manifest and manifest list have the same
// shape as their OCI counterparts and are validated by the OCI schema.
// Bodies of "the request body is …" are sent as written, unvalidated: a
// scenario may send an invalid document on purpose.

// docValidators maps the manifest media types ocicaps knows to the schema
// that validates them.
var docValidators = map[string]schema.Validator{
	ocispec.MediaTypeImageManifest:                              schema.ValidatorMediaTypeManifest,
	"application/vnd.docker.distribution.manifest.v2+json":      schema.ValidatorMediaTypeManifest,
	ocispec.MediaTypeImageIndex:                                 schema.ValidatorMediaTypeImageIndex,
	"application/vnd.docker.distribution.manifest.list.v2+json": schema.ValidatorMediaTypeImageIndex,
}

// validateManifest checks a manifest or index of a known media type
// against its schema; other media types are not checked (no schema says
// what they hold).
func validateManifest(mediaType string, body []byte) error {
	v, ok := docValidators[mediaType]
	if !ok {
		return nil
	}
	if err := v.Validate(bytes.NewReader(body)); err != nil {
		return fmt.Errorf("the %s to push is not valid against the OCI image-spec schema: %s", mediaType, oneLineErr(err))
	}
	return nil
}

// oneLineErr flattens the schema library's multi-line error.
func oneLineErr(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// docPlaceholderRE finds a placeholder with what precedes it on its line
// in a JSON document: the key it is the value of, and whether it is
// quoted.
var docPlaceholderRE = regexp.MustCompile(`(?:"([A-Za-z]+)"\s*:\s*)?("?)\{([A-Za-z0-9_.-]+)\}`)

// plausibleDoc fills the placeholders of a doc string with values of the
// kind their place asks for, so that the document can be validated
// before a run, when the values are not known yet: a digest where the key
// is "digest", a number where it is "size" (or the name ends in .size), a
// media type where it is "mediaType" or "artifactType", and a word
// elsewhere. A document that is invalid with every such value is invalid
// at run time too; one that is valid here is validated again, with the
// real values, before it is sent.
func plausibleDoc(doc string) string {
	return docPlaceholderRE.ReplaceAllStringFunc(doc, func(m string) string {
		g := docPlaceholderRE.FindStringSubmatch(m)
		key, quote, name := g[1], g[2], g[3]
		prefix := m[:len(m)-len(quote)-len(name)-2]
		var v string
		switch {
		case key == "digest" || strings.HasSuffix(name, ".digest") || strings.HasSuffix(name, ".sha512"):
			v = "sha256:" + strings.Repeat("0", 64)
		case key == "size" || strings.HasSuffix(name, ".size"):
			v = "1"
		case key == "mediaType" || key == "artifactType":
			v = "application/vnd.ocicaps.placeholder"
		case quote == "":
			v = "1"
		default:
			v = "x"
		}
		return prefix + quote + v
	})
}

// CheckDoc validates, before any run, the doc string of a step that pushes
// it as a manifest ("I push the manifest …:"), its placeholders filled in
// with plausible values (plausibleDoc). docType is what follows the
// opening quotes. Other steps' doc strings are not checked.
func CheckDoc(text, docType, doc string) error {
	if !isPushManifestDoc(text) {
		return nil
	}
	body := []byte(plausibleDoc(doc))
	mt, err := manifestMediaType(docType, body)
	if err != nil {
		return &CheckError{msg: err.Error(), hint: `write the manifest as JSON with a "mediaType" field`, err: err}
	}
	if err := validateManifest(mt, body); err != nil {
		return &CheckError{msg: err.Error(), hint: "fix the document: the image-spec's descriptors need mediaType, digest and size; manifests need schemaVersion 2, config and layers; indexes need manifests", err: err}
	}
	return nil
}

// isPushManifestDoc reports whether the step text is "I push the manifest
// to … and save its digest as …:".
func isPushManifestDoc(text string) bool {
	for _, d := range defs {
		if strings.HasPrefix(d.Pattern, "^I push the manifest to ") {
			return d.Matches(text)
		}
	}
	return false
}
