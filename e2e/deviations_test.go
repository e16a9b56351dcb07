package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// deviationCaps are the built-in capabilities that record deviations from
// the spec (issue 12 item 2).
var deviationCaps = []string{"chunked-upload", "single-post-upload", "upload-status", "delete"}

func devWords(s string) map[string]results.Status { return statusWords(deviationCaps, s) }

// What each zoo registry does, seen with curl (docs/reports.md,
// "Deviations"):
//   - chunked (POST, PATCH 0-1499, PATCH 1500-2999, PUT ?digest=): 201 on
//     all five; Distribution and olareg send Location, crane does not.
//   - POST ?digest= with the blob: Distribution 202 with a session
//     Location (it ignores the digest); crane 201 without Location; olareg
//     201 with Location.
//   - GET on an empty session: Distribution 204 Range 0-0, olareg 204
//     Range 0--1, crane 400 (NAME_INVALID); after PATCH of 100 bytes:
//     Distribution and olareg 204 Range 0-99, crane 400 again.
//   - DELETE of a pushed blob: 202 on Distribution, crane, olareg; 405 with
//     deletes off. A second DELETE of that blob (now absent), and a DELETE
//     of a blob never pushed: Distribution and olareg 404 BLOB_UNKNOWN,
//     crane 500 INTERNAL_SERVER_ERROR "not found".
var (
	deviationVerified = map[string]map[string]results.Status{
		zoo.NameDistribution:         devWords("yes no yes yes"),
		zoo.NameDistributionNoDelete: devWords("yes no yes no"),
		zoo.NameCrane:                devWords("yes yes no yes"),
		zoo.NameOlareg:               devWords("yes yes yes yes"),
		zoo.NameOlaregNoReferrers:    devWords("yes yes yes no"),
	}
	// The probes: as in probe mode (OPTIONS decides delete).
	deviationProbed = map[string]map[string]results.Status{
		zoo.NameDistribution:         devWords("yes no yes yes"),
		zoo.NameDistributionNoDelete: devWords("yes no yes yes"),
		zoo.NameCrane:                devWords("yes yes no no"),
		zoo.NameOlareg:               devWords("yes yes yes no"),
		zoo.NameOlaregNoReferrers:    devWords("yes yes yes no"),
	}
	// capability → deviation section, with the status of its evidence.
	deviationsExpected = map[string]map[string]devWant{
		zoo.NameCrane: {
			"chunked-upload":     {"Pushing a blob in chunks", "PUT", 201},
			"single-post-upload": {"Single POST", "POST", 201},
			"delete":             {"Deleting Blobs", "DELETE", 500},
		},
	}
)

type devWant struct {
	section, method string
	status          int
}

func TestDeviations(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		reg := registry(t, r.run, name)
		verified, probed := map[string]results.Status{}, map[string]results.Status{}
		got := map[string]devWant{}
		for _, c := range reg.Capabilities {
			if !contains(deviationCaps, c.ID) {
				continue
			}
			verified[c.ID], probed[c.ID] = c.Verified, c.Probe
			if c.Status != c.Verified {
				t.Errorf("%s/%s: status %s, verified %s", name, c.ID, c.Status, c.Verified)
			}
			if len(c.Deviations) > 1 {
				t.Errorf("%s/%s: %d deviations, want at most one (probe and verify see the same rule once): %+v", name, c.ID, len(c.Deviations), c.Deviations)
			}
			for _, d := range c.Deviations {
				got[c.ID] = devWant{d.Section, d.Evidence.Method, d.Evidence.Status}
				checkEvidence(t, name, c, d)
			}
		}
		if !reflect.DeepEqual(verified, deviationVerified[name]) {
			t.Errorf("%s: verified\n got %v\nwant %v", name, verified, deviationVerified[name])
		}
		if !reflect.DeepEqual(probed, deviationProbed[name]) {
			t.Errorf("%s: probed\n got %v\nwant %v", name, probed, deviationProbed[name])
		}
		want := deviationsExpected[name]
		if want == nil {
			want = map[string]devWant{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: deviations\n got %v\nwant %v", name, got, want)
		}
		if len(got) > 0 && reg.Severity.Rank() < results.Info.Rank() {
			t.Errorf("%s: severity %s with deviations, want at least info", name, reg.Severity)
		}
		checkSinglePostTrace(t, reg)
	}
	// Every writer shows crane's deviations.
	if !strings.Contains(r.stdout, "yes (1 deviation)") ||
		!strings.Contains(r.stdout, `zoo-crane: delete: deviates from "Deleting Blobs": DELETE of a blob the registry does not hold MUST answer 404 Not Found; the registry answered 500 Internal Server Error`) {
		t.Errorf("the console does not show the deviations:\n%s", r.stdout)
	}
	for file, want := range map[string]string{
		"junit.xml":    `<property name="deviation" value="single-post-upload: Single POST: the 201 Created of a single-POST upload MUST carry Location`,
		"summary.md":   `- chunked-upload deviates from "Pushing a blob in chunks" on **zoo-crane**:`,
		"report.html":  `<h2 id="deviations-h">Deviations from the spec</h2>`,
		"results.json": `"section": "Deleting Blobs"`,
	} {
		data, err := os.ReadFile(filepath.Join(r.out, file))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %q (%v)", file, want, err)
		}
	}
	validateJUnit(t, filepath.Join(r.out, "junit.xml"))
}

// The evidence is one of the capability's exchanges, the one the rule is
// about.
func checkEvidence(t *testing.T, name string, c results.Capability, d results.Deviation) {
	t.Helper()
	e := d.Evidence
	if e.Exchange < 0 || e.Exchange >= len(c.Exchanges) {
		t.Errorf("%s/%s: evidence index %d out of %d exchanges", name, c.ID, e.Exchange, len(c.Exchanges))
		return
	}
	ex := c.Exchanges[e.Exchange]
	if ex.Method != e.Method || ex.URL != e.URL || ex.Status != e.Status || ex.Cleanup {
		t.Errorf("%s/%s: evidence %+v is not exchange %d %s %s %d", name, c.ID, e, e.Exchange, ex.Method, ex.URL, ex.Status)
	}
	if e.Scenario == "" || !strings.Contains(d.Rule, "MUST") {
		t.Errorf("%s/%s: deviation %+v names no scenario or no rule", name, c.ID, d)
	}
	if _, ok := ex.ResponseHeaders["Location"]; ok && e.Status == 201 {
		t.Errorf("%s/%s: a 201 with Location is evidence of a missing Location", name, c.ID)
	}
}

// A blob stored by a single POST in a scratch repository is gone after
// the run, or listed as left over (checkVerifyTrace looks at PUTs only).
func checkSinglePostTrace(t *testing.T, reg results.Registry) {
	t.Helper()
	c, ok := reg.Capability("single-post-upload")
	if !ok {
		t.Fatalf("%s: no single-post-upload", reg.Name)
	}
	var blobs []string
	for _, ex := range c.Exchanges {
		u, err := url.Parse(ex.URL)
		if err != nil || ex.Cleanup || ex.Method != "POST" || ex.Status != 201 || !strings.Contains(u.Path, "/library/ocicaps-verify-") {
			continue
		}
		repo, _, _ := splitObject(u.Path)
		blobs = append(blobs, instances[reg.Name].URL+"/v2/"+repo+"/blobs/"+u.Query().Get("digest"))
	}
	// The probe's blob (in {mountRepository}, the second scratch
	// repository in verify mode) and the verify scenario's.
	sort.Strings(blobs)
	if (c.Verified == results.Supported) != (len(blobs) == 2) {
		t.Errorf("%s: verified %s with %d single-POST blobs in scratch, want 2 when supported, else 0", reg.Name, c.Verified, len(blobs))
	}
	for _, b := range blobs {
		if st := head(t, b); st == 200 && !listedRepoObject(reg, b) {
			t.Errorf("%s: %s is still there and not listed as a leftover", reg.Name, b)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Rules every zoo registry keeps, so only a proxy that breaks them shows
// their deviations. Seen with curl on all five: a PATCH of 1500 bytes
// answers 202 with Range 0-1499; the status GET of a session 204 with its
// Location (crane 400); a mount from another repository 201 with Location
// (crane 202); olareg's referrers list is served as
// application/vnd.oci.image.index.v1+json, each descriptor with its
// artifactType. The proxy in front of olareg drops the Range of PATCH
// answers, the Location of upload status and mount answers, and serves
// the referrers list as application/json: the four capabilities still
// work and each names the rule broken. (A blob read with a wrong digest
// is no longer a deviation only: TestWrongBlobDigestIsCorruption.)
func TestDeviationsOfHeadersAProxyDrops(t *testing.T) {
	front := proxyRewriting(t, zoo.NameOlareg, func(r *http.Response) {
		q, p := r.Request, r.Request.URL.Path
		switch {
		case q.Method == http.MethodPatch:
			r.Header.Del("Range")
		case q.Method == http.MethodGet && strings.Contains(p, "/blobs/uploads/"):
			r.Header.Del("Location")
		case q.Method == http.MethodPost && q.URL.Query().Get("mount") != "" && r.StatusCode == http.StatusCreated:
			r.Header.Del("Location")
		case strings.Contains(p, "/referrers/"):
			r.Header.Set("Content-Type", "application/json")
		}
	})
	dir := t.TempDir()
	for _, f := range []string{"capabilities/02-referrers.feature", "capabilities/03-chunked-upload.feature",
		"capabilities/04-cross-repo-mount.feature", "extended/upload-status.feature"} {
		b, err := os.ReadFile(filepath.Join(root, "features", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(f)), string(b), 0o644)
	}
	cfg := writeRawConfig(t, "registries:\n  - name: olareg-behind-proxy\n    url: "+front+"\n")
	r := runOcicaps(t, "--config", cfg, "--features", dir, "--verify", "--check", "all")
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want := map[string][]string{
		"chunked-upload":   {"Pushing a blob in chunks: the 202 Accepted of a PATCH MUST carry Range: 0-<last byte held>, here 0-1499", "Pushing a blob in chunks: the 202 Accepted of a PATCH MUST carry Range: 0-<last byte held>, here 0-2999"},
		"upload-status":    {"Pushing a blob in chunks: the 204 No Content of an upload session's status MUST carry its Location"},
		"cross-repo-mount": {"Mounting a blob from another repository: the 201 of a successful mount MUST carry a Location header"},
		"referrers":        {"Listing Referrers: the referrers list MUST be served with Content-Type: application/vnd.oci.image.index.v1+json"},
	}
	reg := registry(t, r.run, "olareg-behind-proxy")
	for _, c := range reg.Capabilities {
		if c.Status != results.Supported {
			t.Errorf("%s: %s %q: the registry behind the proxy still does it", c.ID, c.Status, c.Reason)
		}
		checkDeviationsStart(t, c, want[c.ID])
	}
	if len(reg.Capabilities) != len(want) {
		t.Errorf("%d capabilities, want %d", len(reg.Capabilities), len(want))
	}
}

// A blob GET carries Docker-Content-Digest equal to the body's on every
// zoo registry (curl: GET /v2/<name>/blobs/<digest> answers the digest
// asked for). A proxy in front of olareg serves blob reads with the right
// bytes under a digest naming other content: the spec's rule is broken
// ("Pulling blobs", a deviation), and a client that trusts the header
// stores the blob under another digest, so it is an integrity failure
// too (issue 20): monolithic-upload is unsupported with the integrity
// words, and the registry fails.
func TestWrongBlobDigestIsCorruption(t *testing.T) {
	front := proxyRewriting(t, zoo.NameOlareg, func(r *http.Response) {
		if r.Request.Method == http.MethodGet && strings.Contains(r.Request.URL.Path, "/blobs/sha256:") {
			r.Header.Set("Docker-Content-Digest", "sha256:"+strings.Repeat("0", 64))
		}
	})
	reg := runRuleFeatures(t, "olareg-wrong-digest", front, "spec/push/monolithic-upload.feature")
	c, ok := reg.Capability("monolithic-upload")
	if !ok {
		t.Fatal("monolithic-upload not run")
	}
	if c.Status != results.Unsupported || !strings.HasPrefix(c.Reason, results.IntegrityWords) || !strings.Contains(c.Reason, "Docker-Content-Digest") {
		t.Errorf("monolithic-upload %s %q, want unsupported: returned different bytes (a Docker-Content-Digest naming other content)", c.Status, c.Reason)
	}
	if reg.Severity != results.Fail {
		t.Errorf("severity %s, want fail", reg.Severity)
	}
	checkDeviationsStart(t, c, []string{
		results.IntegritySection + ": " + results.IntegrityWords,
		"Pulling blobs: a blob's Docker-Content-Digest, if present, MUST be the digest of the body",
	})
}

// TestDeviationLocationNotTheBlob: the closing 201 of a blob upload MUST
// carry a Location that serves the blob. Every zoo registry's does or
// sends none (curl: Distribution and olareg give /v2/<name>/blobs/<digest>,
// whose GET is 200 with the bytes; crane none). A proxy in front of olareg
// points it at a URL that serves nothing: monolithic-upload still works,
// names the rule, and its clean-up deletes the blob at its own URL, so
// nothing is left although the Location answers 400 (olareg: BLOB_UPLOAD_UNKNOWN).
func TestDeviationLocationNotTheBlob(t *testing.T) {
	front := proxyRewriting(t, zoo.NameOlareg, func(r *http.Response) {
		q := r.Request
		if q.Method == http.MethodPut && strings.Contains(q.URL.Path, "/blobs/uploads/") && r.StatusCode == http.StatusCreated {
			r.Header.Set("Location", "/v2/library/ocicaps-nowhere/blobs/uploads/not-a-blob")
		}
	})
	reg := runRuleFeatures(t, zoo.NameOlareg, front, "spec/push/monolithic-upload.feature")
	c := capability(t, reg, "monolithic-upload")
	if c.Status != results.Supported {
		t.Errorf("monolithic-upload %s %q: the blob is stored and reads back at its own URL", c.Status, c.Reason)
	}
	want := "Pushing a blob monolithically: the Location of the closing 201 MUST be a pullable blob URL; GET /v2/library/ocicaps-nowhere/blobs/uploads/not-a-blob answered 400 Bad Request"
	if len(c.Deviations) != 1 || !strings.HasPrefix(c.Deviations[0].Section+": "+c.Deviations[0].Rule, want) {
		t.Errorf("deviations %+v, want one starting %q", c.Deviations, want)
	}
	if len(reg.Leftovers) != 0 {
		t.Errorf("leftovers %+v: the blob is deleted at /v2/<name>/blobs/<digest>", reg.Leftovers)
	}
	checkVerifyTrace(t, reg)
}

// No zoo registry sends a Warning header (curl, on all five: none on the
// answers error-format gets, nor on /v2/ or the test image's manifest), and
// every error document they send lists one error with a code of the table.
// A proxy in front of zoo-distribution breaks the error answers
// error-format judges: it adds a warning with a warn-date to the unknown
// manifest's 404, three well-formed warnings of 1508 bytes each (4524 in
// all, more than the spec's 4096) to the unknown blob's 404, two
// well-formed warnings in one line, one with a \" in its text, to the
// malformed digest's 400 (which the spec allows), and a second error with
// a code outside the table to the unknown upload's 404 (its first stays
// BLOB_UPLOAD_UNKNOWN). error-format stays supported with one deviation per
// rule, each naming the answer that broke it.
func TestDeviationsOfErrorAnswersAProxyBreaks(t *testing.T) {
	big := `299 - "` + strings.Repeat("w", 1500) + `"`
	twoErrors := `{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry"},{"code":"UPLOAD_GONE","message":"not in the table"}]}`
	front := proxyRewriting(t, zoo.NameDistribution, func(r *http.Response) {
		p := r.Request.URL.Path
		switch {
		case strings.HasSuffix(p, "/manifests/ocicaps-absent-tag"):
			r.Header.Add("Warning", `299 - "this repository is deprecated" "Wed, 21 Oct 2015 07:28:00 GMT"`)
		case strings.HasSuffix(p, "/blobs/sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"):
			for range 3 {
				r.Header.Add("Warning", big)
			}
		case strings.HasSuffix(p, "/blobs/sha256:not-a-digest"):
			r.Header.Add("Warning", `299 - "a \"quoted\" word", 299 - "a second warning"`)
		case strings.Contains(p, "/blobs/uploads/") && r.StatusCode == http.StatusNotFound:
			r.Body.Close()
			r.Body = io.NopCloser(strings.NewReader(twoErrors))
			r.ContentLength = int64(len(twoErrors))
			r.Header.Set("Content-Length", strconv.Itoa(len(twoErrors)))
		}
	})
	reg := runFeaturesAt(t, "distribution-behind-proxy", front, []string{"--check", "all"}, "spec/management/error-format.feature")
	c, ok := reg.Capability("error-format")
	if !ok || len(reg.Capabilities) != 1 {
		t.Fatalf("capabilities %+v, want error-format alone", reg.Capabilities)
	}
	if c.Status != results.Supported {
		t.Errorf("error-format %s %q: the registry behind the proxy still answers with the spec's error document", c.Status, c.Reason)
	}
	// rule prefix → section and the path of the answer that broke it
	want := map[string][2]string{
		"a Warning header MUST have warn-code 299, warn-agent - and no warn-date": {"Warnings", "/manifests/ocicaps-absent-tag"},
		"a registry MUST NOT send more than 4096 bytes of warning data":           {"Warnings", "/blobs/sha256:2d711642b726"},
		"an error code MUST be one of the spec's table; an unknown upload":        {"Error Codes", "/blobs/uploads/"},
	}
	if len(c.Deviations) != len(want) {
		t.Fatalf("deviations %+v, want one per rule: %v", c.Deviations, want)
	}
	for _, d := range c.Deviations {
		checkEvidence(t, reg.Name, c, d)
		var w [2]string
		for rule, sp := range want {
			if strings.HasPrefix(d.Rule, rule) {
				w = sp
			}
		}
		if d.Section != w[0] {
			t.Errorf("deviation %s: %q, want one of %v", d.Section, d.Rule, want)
			continue
		}
		if !strings.Contains(d.Evidence.URL, w[1]) || d.Evidence.Method != "GET" || d.Evidence.Status != 404 {
			t.Errorf("deviation %q: evidence %+v, want the GET of %s answered 404", d.Rule, d.Evidence, w[1])
		}
		if _, ok := c.Exchanges[d.Evidence.Exchange].ResponseHeaders["Warning"]; !ok && w[0] == "Warnings" {
			t.Errorf("deviation %q: the evidence's exchange has no Warning header", d.Rule)
		}
	}
	if reg.Severity.Rank() < results.Info.Rank() {
		t.Errorf("severity %s with deviations, want at least info", reg.Severity)
	}
}

// TestDeviationPullOfANonexistentRepository: "an attempt to pull a
// nonexistent repository MUST return 404". Every zoo registry does (curl:
// GET of a manifest in library/alpine-ocicaps-absent is 404 everywhere,
// MANIFEST_UNKNOWN or crane's NAME_UNKNOWN). A proxy in front of
// Distribution answers that request 400 instead: missing-content stays
// supported (the test repository's absent content is still 404) and names
// the rule; a 401 there is an answer about the credentials and records
// nothing.
func TestDeviationPullOfANonexistentRepository(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   string // the deviation's rule starts so; "" for none
	}{
		{http.StatusBadRequest, "an attempt to pull a nonexistent repository MUST return 404 Not Found; GET of a manifest in library/alpine-ocicaps-absent answered 400 Bad Request"},
		{http.StatusUnauthorized, ""},
	} {
		front := proxyRewriting(t, zoo.NameDistribution, func(r *http.Response) {
			if strings.Contains(r.Request.URL.Path, "-ocicaps-absent/manifests/") {
				r.StatusCode, r.Status = tc.status, fmt.Sprintf("%d %s", tc.status, http.StatusText(tc.status))
			}
		})
		reg := runFeaturesAt(t, "behind-proxy", front, []string{"--check", "all"}, "spec/pull/missing-content.feature")
		c := capability(t, reg, "missing-content")
		if c.Status != results.Supported {
			t.Errorf("%d: missing-content %s %q", tc.status, c.Status, c.Reason)
		}
		switch {
		case tc.want == "" && len(c.Deviations) != 0:
			t.Errorf("%d: deviations %+v, want none", tc.status, c.Deviations)
		case tc.want != "" && (len(c.Deviations) != 1 || c.Deviations[0].Section != "Pulling manifests" || !strings.HasPrefix(c.Deviations[0].Rule, tc.want)):
			t.Errorf("%d: deviations %+v, want one from Pulling manifests starting %q", tc.status, c.Deviations, tc.want)
		}
	}
}

// TestDeviationReferrerWithoutAnnotations: a referrers list MUST repeat
// each referrer's annotations. olareg does (curl: the descriptor of an
// artifact pushed with org.ocicaps.probe: referrer carries it). A proxy in
// front of olareg drops the annotations from the referrers lists it
// serves: referrers still works and names the rule.
func TestDeviationReferrerWithoutAnnotations(t *testing.T) {
	front := proxyRewriting(t, zoo.NameOlareg, func(r *http.Response) {
		if !strings.Contains(r.Request.URL.Path, "/referrers/") || r.StatusCode != http.StatusOK {
			return
		}
		var idx map[string]any
		b, err := io.ReadAll(r.Body)
		if err != nil || json.Unmarshal(b, &idx) != nil {
			setBody(r, string(b))
			return
		}
		list, _ := idx["manifests"].([]any)
		for _, m := range list {
			if d, ok := m.(map[string]any); ok {
				delete(d, "annotations")
			}
		}
		out, _ := json.Marshal(idx)
		setBody(r, string(out))
	})
	reg := runRuleFeatures(t, zoo.NameOlareg, front, "capabilities/02-referrers.feature")
	c, _ := reg.Capability("referrers")
	if c.Status != results.Supported {
		t.Errorf("referrers %s %q: the list still holds the artifact", c.Status, c.Reason)
	}
	want := "each descriptor of the referrers list MUST carry the artifact's annotations; the registry answered 200 OK without org.ocicaps.probe: referrer"
	if len(c.Deviations) != 1 || c.Deviations[0].Section != "Listing Referrers" || !strings.HasPrefix(c.Deviations[0].Rule, want) {
		t.Errorf("deviations %+v, want one from Listing Referrers starting %q", c.Deviations, want)
	}
	if len(reg.Leftovers) != 0 {
		t.Errorf("leftovers %+v", reg.Leftovers)
	}
}
