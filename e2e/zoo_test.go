package e2e

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

var seedCaps = []string{"distribution-version", "referrers", "chunked-upload", "cross-repo-mount", "delete"}

// expected is what the seed's probes find on each zoo registry. It was
// checked against the registries by hand with curl (zoo/README.md has the
// observations): Distribution's OPTIONS lists DELETE even with deletes
// disabled, crane and olareg do not answer OPTIONS with an Allow header, and
// only olareg (with referrers on) has the referrers API.
var expected = map[string]struct {
	caps     map[string]results.Status
	score    int
	severity results.Severity
}{
	zoo.NameDistribution: {caps: verdicts("yes no yes yes yes"), score: 4, severity: results.Warn},
	// OPTIONS still lists DELETE: the seed's probe trusts it (issue 6 is
	// about catching exactly this).
	zoo.NameDistributionNoDelete: {caps: verdicts("yes no yes yes yes"), score: 4, severity: results.Warn},
	zoo.NameCrane:                {caps: verdicts("yes no yes yes no"), score: 3, severity: results.Warn},
	zoo.NameOlareg:               {caps: verdicts("yes yes yes yes no"), score: 4, severity: results.Info},
	zoo.NameOlaregNoReferrers:    {caps: verdicts("yes no yes yes no"), score: 3, severity: results.Warn},
}

func verdicts(s string) map[string]results.Status { return statusWords(seedCaps, s) }

// statusWords maps "yes no …" onto the capability ids, in order.
func statusWords(ids []string, s string) map[string]results.Status {
	m := map[string]results.Status{}
	for i, w := range strings.Fields(s) {
		m[ids[i]] = map[string]results.Status{"yes": results.Supported, "no": results.Unsupported}[w]
	}
	return m
}

func TestZooMatrix(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	r := runOcicaps(t, "--config", cfg)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (no registry at fail)\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if r.run == nil {
		t.Fatal("no results.json")
	}
	if len(r.run.Registries) != len(order) {
		t.Fatalf("%d registries in results, want %d", len(r.run.Registries), len(order))
	}
	for _, name := range order {
		reg := registry(t, r.run, name)
		want := expected[name]
		got := map[string]results.Status{}
		var ids []string
		for _, c := range reg.Capabilities {
			got[c.ID] = c.Status
			ids = append(ids, c.ID)
			if c.Status != results.Supported && c.Reason == "" {
				t.Errorf("%s/%s: %s without a reason", name, c.ID, c.Status)
			}
			if len(c.Exchanges) == 0 {
				t.Errorf("%s/%s: no HTTP exchanges recorded as evidence", name, c.ID)
			}
		}
		if !reflect.DeepEqual(ids, seedCaps) {
			t.Errorf("%s: capabilities %v, want %v in the seed's order", name, ids, seedCaps)
		}
		if !reflect.DeepEqual(got, want.caps) {
			t.Errorf("%s: verdicts %v, want %v", name, got, want.caps)
		}
		if reg.Score != want.score || reg.MaxScore != 5 || reg.Severity != want.severity {
			t.Errorf("%s: %d/%d %s, want %d/5 %s", name, reg.Score, reg.MaxScore, reg.Severity, want.score, want.severity)
		}
		if reg.DistributionVersion != "registry/2.0" {
			t.Errorf("%s: distribution version %q", name, reg.DistributionVersion)
		}
		checkNoTrace(t, reg)
	}
	// The console shows the matrix.
	for _, name := range order {
		if !strings.Contains(r.stdout, name) {
			t.Errorf("console matrix lacks %s:\n%s", name, r.stdout)
		}
	}
	junit := filepath.Join(r.out, "junit.xml")
	validateJUnit(t, junit)
	checkJUnitNames(t, junit)
}

// checkNoTrace looks at the registry, not at ocicaps' bookkeeping: every
// upload session a probe opened must be gone, and every blob a mount created
// must be gone, unless the report lists it as a leftover, in which case it
// must really be there.
func checkNoTrace(t *testing.T, reg results.Registry) {
	t.Helper()
	inst := instances[reg.Name]
	left := map[string]results.Leftover{}
	for _, l := range reg.Leftovers {
		left[l.URL] = l
	}
	base, _ := url.Parse(inst.URL)
	var sessions, sessionLeftovers int
	for _, c := range reg.Capabilities {
		for _, ex := range c.Exchanges {
			loc := ""
			if v := ex.ResponseHeaders["Location"]; len(v) > 0 {
				loc = v[0]
			}
			if ex.Cleanup || loc == "" {
				continue
			}
			ref, err := url.Parse(loc)
			if err != nil {
				t.Errorf("%s: bad Location %q", reg.Name, loc)
				continue
			}
			abs := base.ResolveReference(ref).String()
			_, listed := left[abs]
			switch ex.Status {
			case 202:
				sessions++
				if listed {
					sessionLeftovers++
				}
			case 201:
				// A mounted blob: it must be gone, or listed and present.
				st := httpStatus(t, "HEAD", abs)
				if listed && st != 200 {
					t.Errorf("%s: leftover %s is listed but the registry answers HEAD %d", reg.Name, abs, st)
				}
				if !listed && st != 404 {
					t.Errorf("%s: %s was created by a probe, not listed as leftover, and still there (HEAD %d)", reg.Name, abs, st)
				}
			}
		}
	}
	if sessions == 0 {
		t.Errorf("%s: no upload session was opened; the probes did not run as expected", reg.Name)
	}
	open, err := inst.OpenUploads()
	switch {
	case errors.Is(err, zoo.ErrNotObservable):
		// crane keeps sessions in memory and cannot cancel them: every
		// session it opened must be in the report.
		if sessionLeftovers != sessions {
			t.Errorf("%s: %d sessions opened, %d reported as leftovers; an unobservable registry must have all of them reported or cancelled", reg.Name, sessions, sessionLeftovers)
		}
	case err != nil:
		t.Errorf("%s: looking at the registry's uploads: %v", reg.Name, err)
	default:
		if len(open) != sessionLeftovers {
			t.Errorf("%s: the registry holds %d open upload sessions %v, the report lists %d", reg.Name, len(open), open, sessionLeftovers)
		}
	}
}

type junitDoc struct {
	Suites []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// checkJUnitNames pins the testcase names dashboards track history by.
func checkJUnitNames(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	var got, want []string
	seen := map[string]bool{} // GitLab keeps only the first of equal names
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			got = append(got, fmt.Sprintf("%s/%s/%s", s.Name, c.Classname, c.Name))
			if seen[c.Name] {
				t.Errorf("testcase name %q twice in junit.xml", c.Name)
			}
			seen[c.Name] = true
		}
	}
	for _, n := range order {
		for _, c := range seedCaps {
			want = append(want, fmt.Sprintf("%s/ocicaps.%s/%s [%s]", n, n, c, n))
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("junit testcases:\n got %v\nwant %v", got, want)
	}
}

// TestRefusedRegistry: a registry that refuses connections is at fail, the
// run exits 1, and the reports still hold the registries that answered.
func TestRefusedRegistry(t *testing.T) {
	dead := fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))
	cfg := writeConfig(t, []string{zoo.NameDistribution}, map[string]string{"refuses": dead})
	r := runOcicaps(t, "--config", cfg)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r.run == nil {
		t.Fatal("results.json not written")
	}
	d := registry(t, r.run, "refuses")
	if d.Severity != results.Fail || d.Score != 0 {
		t.Errorf("refusing registry: %d/%d %s, want 0/5 fail", d.Score, d.MaxScore, d.Severity)
	}
	for _, c := range d.Capabilities {
		if c.Status != results.Error || !strings.Contains(c.Reason, "connection refused") {
			t.Errorf("%s: %s %q, want error naming the refused connection", c.ID, c.Status, c.Reason)
		}
	}
	ok := registry(t, r.run, zoo.NameDistribution)
	if ok.Score != expected[zoo.NameDistribution].score {
		t.Errorf("the answering registry's score changed: %d", ok.Score)
	}
	validateJUnit(t, filepath.Join(r.out, "junit.xml"))
	if !strings.Contains(r.stdout, "refuses") || !strings.Contains(r.stdout, "fail") {
		t.Errorf("console lacks the failing registry:\n%s", r.stdout)
	}
}

// TestRegistryAndTagSelection: --registry narrows the run, --tags selects
// capabilities, and the score's maximum follows the selection.
func TestRegistryAndTagSelection(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	r := runOcicaps(t, "--config", cfg, "--registry", zoo.NameOlareg, "--tags", "@capability:referrers,@capability:delete")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if len(r.run.Registries) != 1 {
		t.Fatalf("%d registries, want 1", len(r.run.Registries))
	}
	reg := r.run.Registries[0]
	if reg.MaxScore != 2 || reg.Score != 1 || reg.Severity != results.Info {
		t.Errorf("%d/%d %s, want 1/2 info (referrers yes, delete no)", reg.Score, reg.MaxScore, reg.Severity)
	}
}
