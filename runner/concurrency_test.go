package runner

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// startZoo starts the given zoo registries (the standard ones when none
// are given) for one test and stops them when it ends.
func startZoo(t *testing.T, specs ...zoo.Spec) []*zoo.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	root, err := zoo.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		t.Fatalf("building the zoo: %v", err)
	}
	if len(specs) == 0 {
		specs = zoo.Standard()
	}
	insts, err := zoo.StartAll(ctx, bin, filepath.Join(t.TempDir(), "zoo"), specs)
	if err != nil {
		t.Fatalf("starting the zoo: %v", err)
	}
	t.Cleanup(func() { zoo.StopAll(insts) })
	return insts
}

// What differs between two verify runs however they are scheduled: timings,
// the scratch repository (named by the run id), the random bytes pushed
// (their digests) and the identifiers registries make up for uploads.
var runVolatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`"(durationMs|startedAt|finishedAt)":("[^"]*"|\d+)`), `"$1":0`},
	{regexp.MustCompile(`"Date":\["[^"]*"\]`), `"Date":["D"]`},
	{regexp.MustCompile(`ocicaps(/|%2F)verify-[0-9a-z-]+`), `SCRATCH`},
	{regexp.MustCompile(`sha(256|512)([:-]|%3A)[0-9a-f]{12,128}`), `DIGEST`},
	{regexp.MustCompile(`/blobs/uploads/[^/?"\s\\]+`), `/blobs/uploads/SESSION`},
	{regexp.MustCompile(`([?&]_?state=)[^&"\s\\]+`), `${1}STATE`},
	{regexp.MustCompile(`"Docker-Upload-Uuid":\["[^"]*"\]`), `"Docker-Upload-Uuid":["U"]`},
	// A registry that sets no Content-Type on a range answer gets one
	// sniffed by net/http from the random bytes it sends (text/plain for
	// about a third of 10-byte ranges): blob-range's verify scenario.
	// Lists of what the registry holds: crane lists the catalog in no
	// order (another first repository on every ?n=1) and answers a page
	// after the last tag with the start of the list, which holds whatever
	// tags the scenarios beside have pushed at that moment. The verdicts
	// do not depend on it.
	{regexp.MustCompile(`("url":"[^"]*(?:/_catalog|/tags/list)[^"]*","status":\d+,"responseHeaders":\{"Content-Length":\[)"\d+"`), `${1}"N"`},
	{regexp.MustCompile(`("requestHeaders":\{"Range":\["[^"]*"\]\},"status":\d+,"responseHeaders":\{(?:"Content-Length":\["\d+"\],)?(?:"Content-Range":\["[^"]*"\],)?"Content-Type":\[)"[^"]*"`), `${1}"SNIFFED"`},
	// The same for a whole blob of random bytes read back (issue 20: the
	// push helpers and the features read back what they store).
	{regexp.MustCompile(`("method":"GET","url":"[^"]*/blobs/DIGEST","status":200,"responseHeaders":\{(?:"Content-Length":\["\d+"\],)?"Content-Type":\[)"[^"]*"`), `${1}"SNIFFED"`},
}

func stableRun(t *testing.T, run *results.Run) string {
	t.Helper()
	for _, reg := range run.Registries {
		for _, c := range reg.Capabilities {
			for i := range c.Exchanges {
				dropTransportRetries(&c.Exchanges[i])
			}
		}
	}
	data, err := json.Marshal(run.Registries)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, v := range runVolatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// Every scenario of the suite, probes and verifications, against every
// zoo registry: whatever the concurrency, the results are those of a run
// that takes the scenarios one after another, in the same order, apart
// from timings and what each run makes up (scratch name, random digests).
// Run with -race, this is also the check that scenarios run side by side
// share nothing they write.
func TestConcurrencyEqualsSequential(t *testing.T) {
	insts := startZoo(t)
	s, _ := seedSuite(t)
	all := s.Select("")
	run := func(conc int) *results.Run {
		var regs []config.Registry
		for _, in := range insts {
			r := fakeRegistry(in.Spec.Name, in.URL)
			r.Mode, r.Concurrency = config.ModeVerify, conc
			// The whole suite one scenario after another takes more than
			// fakeRegistry's 20 s on a loaded machine; what is compared is
			// the results, so no deadline may decide them.
			r.Timeouts.Registry = 10 * time.Minute
			// One scratch repository for every run, so that the catalog
			// (which lists it) says the same whenever it is asked.
			r.ScratchRepository = "ocicaps/verify-concurrency"
			regs = append(regs, r)
		}
		out, err := Run(context.Background(), Options{Registries: regs, Suite: s, Scenarios: all})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// Leftovers are part of the comparison: registries that cannot delete
	// keep the same objects however the scenarios were scheduled.
	// The first run creates the scratch repositories; the compared runs
	// all find them there.
	run(1)
	want := stableRun(t, run(1))
	for _, conc := range []int{3, 64} {
		if got := stableRun(t, run(conc)); got != want {
			t.Errorf("concurrency %d: results differ from the sequential run's at %s", conc, diffAt(want, got))
		}
	}
}

// dropTransportRetries leaves out of the comparison the attempts that got
// no HTTP answer. An HTTP/1.1 connection the server closes while the client
// takes it from the idle pool fails with EOF however carefully the run is
// scheduled (RFC 9112 §9.3.1 expects clients to retry it); net/http retries
// that silently for GET and HEAD only, so a DELETE or PUT shows a second
// attempt. The evidence is true, and stays in results.json, but it is the
// network's, not the scheduler's: what must be equal is what the registry
// answered, including every retried answer (a 503 or 429 it sent).
func dropTransportRetries(ex *results.Exchange) {
	var answered []string
	for _, r := range ex.Retries {
		if httpAnswer.MatchString(r) {
			answered = append(answered, r)
		}
	}
	if ex.Attempts > 0 {
		ex.Retries, ex.Attempts = answered, len(answered)+1
	}
	for i := range ex.Auth {
		dropTransportRetries(&ex.Auth[i])
	}
}

// httpAnswer matches how client records an attempt the registry answered
// ("503 Service Unavailable"); transport errors are described in words.
var httpAnswer = regexp.MustCompile(`^\d{3} `)

// diffAt shows where two long strings first differ.
func diffAt(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return "\n  sequential: …" + a[lo:min(len(a), i+200)] + "\n  concurrent: …" + b[lo:min(len(b), i+200)]
}
