package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ocicaps/ocicaps/results"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Read-back of what the push helpers store. A 201 is the registry's claim;
// the content read back with GET is the fact (issue 20): a helper that
// pushed something reads it back and compares it before any scenario
// builds on it, so that a registry that stores nothing, or other bytes,
// never gets a capability certified on top of the claim.

// readBackBlob GETs the blob just pushed to repo and compares its bytes
// and, when present, its Docker-Content-Digest with what was written.
func (st *state) readBackBlob(ctx context.Context, repo string, b []byte) (err error) {
	defer st.keepCurrent()(&err)
	d := digestOf(b)
	if err := st.send(ctx, http.MethodGet, "/v2/"+repo+"/blobs/"+d); err != nil {
		return err
	}
	what := fmt.Sprintf("GET of the %d-byte blob %s just pushed to %s", len(b), shortDigest(d), repo)
	if st.last.Status != http.StatusOK {
		return st.notStored(fmt.Sprintf("the registry answered 201 Created to the push of a blob, but %s answered %s: it did not store it, so the verification cannot be done", what, describeStatus(st.last)))
	}
	return st.compareReadBack(what, b, d)
}

// readBackManifest GETs the manifest just pushed to repo:ref and compares
// its bytes, its Docker-Content-Digest (when present) and its Content-Type
// with what was written.
func (st *state) readBackManifest(ctx context.Context, repo, ref, pushedType string, body []byte) (err error) {
	defer st.keepCurrent()(&err)
	d := digestOf(body)
	st.header.Set("Accept", pushedType+", "+manifestAcceptTypes)
	if err := st.send(ctx, http.MethodGet, st.manifestURL(repo, ref)); err != nil {
		return err
	}
	at := repo + ":" + ref
	if ref == d {
		at = repo + "@" + shortDigest(d)
	}
	what := fmt.Sprintf("GET of the manifest %s just pushed to %s", shortDigest(d), at)
	if st.last.Status != http.StatusOK {
		return st.notStored(fmt.Sprintf("the registry answered 201 Created to the push of a manifest, but %s answered %s: it did not store it, so the verification cannot be done", what, describeStatus(st.last)))
	}
	if err := st.compareReadBack(what, body, d); err != nil {
		return err
	}
	if got := mediaType(st.last); got != pushedType {
		return st.markUnsupported(fmt.Sprintf("%s answered the pushed bytes with Content-Type %s, not the %s they were pushed as", what, quoteOrMissing(got, got != ""), pushedType))
	}
	return nil
}

// compareReadBack ends the scenario with an integrity failure when the
// current response's body is not b or its Docker-Content-Digest names
// other content than d.
func (st *state) compareReadBack(what string, b []byte, d string) error {
	seen := ""
	switch got := st.last.Header.Get("Docker-Content-Digest"); {
	case string(st.last.Body) != string(b):
		seen = fmt.Sprintf("%s returned %d bytes (%s), not the %d bytes written (%s)", what, len(st.last.Body), shortDigest(digestOf(st.last.Body)), len(b), shortDigest(d))
	case got != "" && got != d && !otherAlgorithmOfSame(got, b):
		seen = fmt.Sprintf("%s returned the bytes written with a Docker-Content-Digest naming other content: %s, not %s", what, shortDigest(got), shortDigest(d))
	default:
		return nil
	}
	return st.integrityFailure(seen)
}

// integrityFailure ends the scenario unsupported with the integrity words
// and records the integrity deviation, the current response as evidence.
func (st *state) integrityFailure(seen string) error {
	rule := results.IntegrityWords + ": " + seen
	st.deviations = append(st.deviations, results.Deviation{Section: results.IntegritySection, Rule: rule, Evidence: st.lastEvidence(), Kind: results.KindIntegrity})
	st.unsupported = rule
	return &errUnsupported{reason: rule}
}

// otherAlgorithmOfSame reports a digest in another algorithm that names
// the same bytes (a registry may answer a sha256 push with a sha512
// header, or the reverse).
func otherAlgorithmOfSame(header string, b []byte) bool {
	d, err := digest.Parse(header)
	return err == nil && d.Algorithm().Available() && d.Algorithm().FromBytes(b) == d
}

// describeManifest is the descriptor of the manifest repo@dgst, as a
// subject descriptor needs it: its real media type and size. HEAD gives
// both on most registries; where it lacks Content-Type or
// Content-Length, a GET of the manifest gives them (its body's mediaType
// field, its length). A descriptor with an empty media type is invalid
// (image-spec), and registries that validate refuse it.
func (st *state) describeManifest(ctx context.Context, repo, dgst string) (ocispec.Descriptor, error) {
	desc := ocispec.Descriptor{Digest: digest.Digest(dgst)}
	for _, method := range []string{http.MethodHead, http.MethodGet} {
		st.header.Set("Accept", manifestAcceptTypes)
		if err := st.send(ctx, method, "/v2/"+repo+"/manifests/"+dgst); err != nil {
			return desc, err
		}
		if st.last.Status != http.StatusOK {
			return desc, fmt.Errorf("the subject %s is not in %s: %s", shortDigest(dgst), repo, describeStatus(st.last))
		}
		mt := mediaType(st.last)
		size, err := strconv.ParseInt(st.last.Header.Get("Content-Length"), 10, 64)
		if method == http.MethodGet {
			if digestOf(st.last.Body) != dgst && !otherAlgorithmOfSame(dgst, st.last.Body) {
				return desc, st.integrityFailure(fmt.Sprintf("GET of the subject %s in %s returned %d bytes whose digest is %s", shortDigest(dgst), repo, len(st.last.Body), shortDigest(digestOf(st.last.Body))))
			}
			size, err = int64(len(st.last.Body)), nil
			if mt == "" {
				mt = bodyMediaType(st.last.Body)
			}
		}
		if mt != "" && err == nil {
			desc.MediaType, desc.Size = mt, size
			return desc, nil
		}
	}
	return desc, fmt.Errorf("the subject %s in %s has no media type: neither the Content-Type of its HEAD and GET nor its mediaType field names one", shortDigest(dgst), repo)
}

// bodyMediaType is the mediaType field of a JSON manifest, "" without.
func bodyMediaType(b []byte) string {
	var m struct {
		MediaType string `json:"mediaType"`
	}
	_ = json.Unmarshal(b, &m)
	return m.MediaType
}

// keepCurrent keeps the push's own answer the current response across a
// read-back that holds: steps after a push step judge the PUT's answer
// (its OCI-Subject, its Location), as they did before pushes were read
// back, and the read-back stays in the transcript as evidence. A read-back
// that fails stays current, for the reason to name. Use as
// defer st.keepCurrent()(&err).
func (st *state) keepCurrent() func(*error) {
	last, lastEx := st.last, st.lastEx
	return func(err *error) {
		if *err == nil {
			st.last, st.lastEx = last, lastEx
		}
	}
}

// notStored ends the scenario on a read-back that did not find what the
// registry had just accepted. A 404 (after the wait for reads that lag
// writes) is an answer about the registry, as when a feature reads back
// itself: unsupported. Any other status (401, 429, 5xx) says nothing about
// the capability: an error.
func (st *state) notStored(msg string) error {
	if st.last.Status == http.StatusNotFound {
		st.unsupported = msg
		return &errUnsupported{reason: msg}
	}
	return errors.New(msg)
}
