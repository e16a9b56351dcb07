package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// Three rules of the spec that every zoo registry keeps, judged inside
// existing verify scenarios (docs/spec-coverage.md #22, #40, #64), seen
// with curl on the five:
//   - #40 (Push; code-5): a PUT of a manifest whose layer was never pushed
//     (its config pushed) is refused 400 MANIFEST_BLOB_UNKNOWN by
//     Distribution (both) and olareg (both), and HEAD of it then answers
//     404; crane accepts it (201: it checks no blobs), which the spec
//     allows. The two manifests pushed before it read back with GET 200,
//     the bytes, Content-Type and Docker-Content-Digest pushed, on all
//     five (curl, issue 20);
//   - #64 (Deleting Manifests): DELETE of a manifest digest in a
//     repository nothing created answers 404 on Distribution
//     (MANIFEST_UNKNOWN), crane (NAME_UNKNOWN) and olareg
//     (MANIFEST_UNKNOWN); the two with deletes off answer it 405 like every
//     DELETE, and the scenario never sends it there (their first DELETE
//     already says deletion is disabled);
//   - #22 (Pushing a blob in chunks): after PATCH 0-9 and the 416 for
//     20-29, a closing PUT ?digest= carrying bytes 10-29 answers 201 on
//     all five (the blob then reads back the 30 bytes).
//
// specRuleExchanges are, per registry, the statuses of those requests in
// the order sent: capability, method and a pattern of the URL → statuses.
type ruleRequest struct {
	capability, method string
	url                *regexp.Regexp
}

var (
	sparsePut      = ruleRequest{"manifest-push", "PUT", regexp.MustCompile(`/manifests/`)}
	sparseHead     = ruleRequest{"manifest-push", "HEAD", regexp.MustCompile(`/manifests/`)}
	readBackGet    = ruleRequest{"manifest-push", "GET", regexp.MustCompile(`/manifests/`)}
	absentDelete   = ruleRequest{"delete-manifest", "DELETE", regexp.MustCompile(`/library/ocicaps-verify-[^/]+-absent/manifests/sha256:`)}
	finalChunkPut  = ruleRequest{"chunked-out-of-order", "PUT", regexp.MustCompile(`/blobs/uploads/`)}
	outOfOrderPtch = ruleRequest{"chunked-out-of-order", "PATCH", regexp.MustCompile(`/blobs/uploads/`)}
)

var specRuleExchanges = map[string]map[ruleRequest][]int{
	zoo.NameDistribution: {
		sparsePut: {201, 201, 400}, sparseHead: {404}, readBackGet: {200, 200},
		absentDelete:  {404},
		finalChunkPut: {201}, outOfOrderPtch: {202, 416},
	},
	zoo.NameDistributionNoDelete: {
		sparsePut: {201, 201, 400}, sparseHead: {404}, readBackGet: {200, 200},
		absentDelete:  nil,
		finalChunkPut: {201}, outOfOrderPtch: {202, 416},
	},
	zoo.NameCrane: {
		sparsePut: {201, 201, 201}, sparseHead: nil, readBackGet: {200, 200},
		absentDelete:  {404},
		finalChunkPut: {201}, outOfOrderPtch: {202, 416},
	},
	zoo.NameOlareg: {
		sparsePut: {201, 201, 400}, sparseHead: {404}, readBackGet: {200, 200},
		absentDelete:  {404},
		finalChunkPut: {201}, outOfOrderPtch: {202, 416},
	},
	zoo.NameOlaregNoReferrers: {
		sparsePut: {201, 201, 400}, sparseHead: {404}, readBackGet: {200, 200},
		absentDelete:  nil,
		finalChunkPut: {201}, outOfOrderPtch: {202, 416},
	},
}

// ruleStatuses returns the statuses of the requests (not clean-ups) that
// capability sent with method to a URL matching the pattern, in order.
func ruleStatuses(reg results.Registry, q ruleRequest) []int {
	c, ok := reg.Capability(q.capability)
	if !ok {
		return []int{-1}
	}
	var out []int
	for _, ex := range c.Exchanges {
		if !ex.Cleanup && ex.Method == q.method && q.url.MatchString(ex.URL) {
			out = append(out, ex.Status)
		}
	}
	return out
}

// TestDeviationsOfRulesKeptOnTheZoo: the requests judging #22, #40 and #64 were
// sent in the shared --verify --check all run and got the answers seen
// with curl; no zoo registry deviates from these rules (the verdicts and
// deviations of the three capabilities are asserted by TestSpecPushBlobs,
// TestSpecPushManifests and TestSpecManagement).
func TestDeviationsOfRulesKeptOnTheZoo(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		reg := registry(t, r.run, name)
		for q, want := range specRuleExchanges[name] {
			if got := ruleStatuses(reg, q); !reflect.DeepEqual(got, want) {
				t.Errorf("%s/%s: %s %s answered %v, want %v", name, q.capability, q.method, q.url, got, want)
			}
		}
		for _, id := range []string{"manifest-push", "delete-manifest", "chunked-out-of-order"} {
			c, _ := reg.Capability(id)
			for _, d := range c.Deviations {
				if d.Section == "Push" || strings.Contains(d.Rule, "does not exist") || strings.Contains(d.Rule, "final chunk") {
					t.Errorf("%s/%s: deviation %q %q: curl saw every zoo registry keep this rule", name, id, d.Section, d.Rule)
				}
			}
		}
	}
}

// proxyBreaking serves zoo-olareg (deletes on) through a proxy that
// answers some requests itself (answer returns true) and rewrites the
// registry's answers to others.
func proxyBreaking(t *testing.T, answer func(http.ResponseWriter, *http.Request) bool, rewrite func(*http.Response)) string {
	t.Helper()
	backend, _ := url.Parse(instances[zoo.NameOlareg].URL)
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.ModifyResponse = func(r *http.Response) error {
		rewrite(r)
		return nil
	}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answer(w, r) {
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front.URL
}

// setBody replaces an answer's body.
func setBody(r *http.Response, body string) {
	r.Body.Close()
	r.Body = io.NopCloser(strings.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Length", fmt.Sprint(len(body)))
}

// runRuleFeatures runs the built-in features named (paths under
// features/) in verify mode against u, as the registry name.
func runRuleFeatures(t *testing.T, name, u string, files ...string) results.Registry {
	t.Helper()
	return runFeaturesAt(t, name, u, []string{"--verify"}, files...)
}

// runFeaturesAt runs copies of the built-in features named (paths under
// features/) against u, as the registry name, with the extra arguments.
func runFeaturesAt(t *testing.T, name, u string, args []string, files ...string) results.Registry {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, "features", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(f)), string(b), 0o644)
	}
	cfg := writeRawConfig(t, "registries:\n  - name: "+name+"\n    url: "+u+"\n")
	r := runOcicaps(t, append([]string{"--config", cfg, "--features", dir}, args...)...)
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return registry(t, r.run, name)
}

var absentRepoDelete = regexp.MustCompile(`-absent/manifests/`)

// No zoo registry breaks #22, #40 or #64, so a proxy in front of olareg
// does: it refuses a closing PUT that carries a chunk (Content-Range) with
// 400 BLOB_UPLOAD_INVALID without passing it on, answers a DELETE in the
// absent repository 202 Accepted itself, and turns olareg's 400
// MANIFEST_BLOB_UNKNOWN for the manifest naming a layer never pushed into
// 400 MANIFEST_INVALID. The three capabilities still work; each names the
// rule broken, with the exchange.
func TestDeviationsOfRulesNoZooRegistryBreaks(t *testing.T) {
	front := proxyBreaking(t, func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/blobs/uploads/") && r.Header.Get("Content-Range") != "":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"a closing PUT must be empty"}]}`)
			return true
		case r.Method == http.MethodDelete && absentRepoDelete.MatchString(r.URL.Path):
			w.WriteHeader(http.StatusAccepted)
			return true
		}
		return false
	}, func(r *http.Response) {
		if r.Request.Method == http.MethodPut && strings.Contains(r.Request.URL.Path, "/manifests/") && r.StatusCode == http.StatusBadRequest {
			setBody(r, `{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}`)
		}
	})
	reg := runRuleFeatures(t, "olareg-behind-proxy", front,
		"spec/push/manifest-push.feature", "spec/push/chunked-out-of-order.feature", "spec/management/delete-manifest.feature")
	want := map[string][]string{
		"manifest-push":        {"Push: a manifest refused for a blob the registry does not hold MUST be answered with MANIFEST_BLOB_UNKNOWN errors; the registry refused the manifest naming the layer sha256:"},
		"chunked-out-of-order": {"Pushing a blob in chunks: the final chunk MAY be uploaded in the closing PUT, so a PUT ?digest= carrying bytes 10-29 MUST close the session holding 0-9 with 201 Created; the registry answered 400 Bad Request (BLOB_UPLOAD_INVALID"},
		"delete-manifest":      {"Deleting Manifests: a DELETE of a manifest in a repository that does not exist MUST answer 404 Not Found; the registry answered 202 Accepted"},
	}
	evidence := map[string]string{"manifest-push": "PUT 400", "chunked-out-of-order": "PUT 400", "delete-manifest": "DELETE 202"}
	checkRuleDeviations(t, reg, want, evidence)
	if c, _ := reg.Capability("manifest-push"); len(c.Deviations) == 1 && !strings.Contains(c.Deviations[0].Rule, "with 400 Bad Request (MANIFEST_INVALID") {
		t.Errorf("manifest-push: the rule does not quote the answer: %q", c.Deviations[0].Rule)
	}
	if len(reg.Leftovers) != 0 {
		t.Errorf("olareg deletes what is pushed and cancels open sessions; leftovers %+v", reg.Leftovers)
	}
}

// The other answers: a refusal of the manifest with no error document is
// a deviation too; a 403 to the DELETE in the absent repository is an
// answer about us (real registries give it for repositories the
// credentials cannot see) and records nothing, without making the
// scenario an error.
func TestDeviationsOfRulesOtherAnswers(t *testing.T) {
	front := proxyBreaking(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodDelete && absentRepoDelete.MatchString(r.URL.Path) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}`)
			return true
		}
		return false
	}, func(r *http.Response) {
		if r.Request.Method == http.MethodPut && strings.Contains(r.Request.URL.Path, "/manifests/") && r.StatusCode == http.StatusBadRequest {
			setBody(r, "")
		}
	})
	reg := runRuleFeatures(t, "olareg-behind-proxy", front, "spec/push/manifest-push.feature", "spec/management/delete-manifest.feature")
	checkRuleDeviations(t, reg, map[string][]string{
		"manifest-push":   {"Push: a manifest refused for a blob the registry does not hold MUST be answered with MANIFEST_BLOB_UNKNOWN errors; the registry refused the manifest naming the layer sha256:"},
		"delete-manifest": nil,
	}, map[string]string{"manifest-push": "PUT 400"})
	if st := ruleStatuses(reg, absentDelete); !reflect.DeepEqual(st, []int{403}) {
		t.Errorf("delete-manifest: the DELETE in the absent repository answered %v, want the proxy's 403", st)
	}
}

// checkRuleDeviations: every capability is supported, with exactly the
// deviations whose "section: rule" start as listed, each with the
// evidence "METHOD status".
func checkRuleDeviations(t *testing.T, reg results.Registry, want map[string][]string, evidence map[string]string) {
	t.Helper()
	if len(reg.Capabilities) != len(want) {
		t.Errorf("%d capabilities, want %d", len(reg.Capabilities), len(want))
	}
	for _, c := range reg.Capabilities {
		if c.Status != results.Supported {
			t.Errorf("%s: %s %q: the registry behind the proxy still does it", c.ID, c.Status, c.Reason)
		}
		for _, d := range c.Deviations {
			if e := fmt.Sprintf("%s %d", d.Evidence.Method, d.Evidence.Status); e != evidence[c.ID] {
				t.Errorf("%s: deviation evidence %s, want %s", c.ID, e, evidence[c.ID])
			}
		}
		checkDeviationsStart(t, c, want[c.ID])
	}
}

// checkDeviationsStart: the capability's deviations, as "section: rule"
// in sorted order, are exactly as many as want and start as its entries.
func checkDeviationsStart(t *testing.T, c results.Capability, want []string) {
	t.Helper()
	var got []string
	for _, d := range c.Deviations {
		got = append(got, d.Section+": "+d.Rule)
	}
	sort.Strings(got)
	if len(got) != len(want) {
		t.Errorf("%s: deviations %q, want %d: %q", c.ID, got, len(want), want)
		return
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("%s: deviation %q, want it to start %q", c.ID, got[i], want[i])
		}
	}
}

// TestRefusedManifestStoredIsCleanedUp: crane stores a manifest naming a
// layer it does not hold (curl: 201). A proxy answers that PUT (the third
// manifest PUT of manifest-push's one scenario) 400 MANIFEST_BLOB_UNKNOWN
// although crane stored it: HEAD of it answers 200, so manifest-push says
// the refused manifest is stored, and the clean-up still deletes it.
func TestRefusedManifestStoredIsCleanedUp(t *testing.T) {
	backend, _ := url.Parse(instances[zoo.NameCrane].URL)
	proxy := httputil.NewSingleHostReverseProxy(backend)
	var mu sync.Mutex
	puts := 0
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.Method != http.MethodPut || !strings.Contains(r.Request.URL.Path, "/manifests/") {
			return nil
		}
		mu.Lock()
		puts++
		third := puts == 3
		mu.Unlock()
		if third && r.StatusCode == http.StatusCreated {
			r.StatusCode, r.Status = http.StatusBadRequest, "400 Bad Request"
			r.Header.Set("Content-Type", "application/json")
			r.Header.Del("Location")
			setBody(r, `{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry"}]}`)
		}
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	reg := runRuleFeatures(t, zoo.NameCrane, front.URL, "spec/push/manifest-push.feature")
	c, _ := reg.Capability("manifest-push")
	if c.Status != results.Unsupported || !strings.Contains(c.Reason, "the refused manifest is stored") {
		t.Errorf("manifest-push %s %q, want unsupported: the refused manifest is stored", c.Status, c.Reason)
	}
	for _, d := range c.Deviations { // crane's 201 without Location is one (Pushing Manifests)
		if d.Section == "Push" {
			t.Errorf("deviation %+v: the refusal carried MANIFEST_BLOB_UNKNOWN", d)
		}
	}
	var sparse string
	for _, ex := range c.Exchanges {
		if ex.Method == http.MethodHead && ex.Status == 200 && strings.Contains(ex.URL, "/manifests/sha256:") {
			sparse = ex.URL
		}
	}
	if sparse == "" {
		t.Fatalf("no HEAD of the refused manifest answered 200: %+v", c.Exchanges)
	}
	direct := strings.Replace(sparse, front.URL, instances[zoo.NameCrane].URL, 1)
	if st := head(t, direct); st != http.StatusNotFound {
		t.Errorf("the refused-but-stored manifest %s answers HEAD %d after the run, want 404 (deleted)", direct, st)
	}
}
