package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/ocicaps/ocicaps/progress"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"golang.org/x/term"
)

// volatile matches what legitimately differs between two runs against the
// same registries: timings (durations, timestamps, Date headers) and the
// identifiers registries make up for each upload session (a UUID or
// number in the session URL, Distribution's signed _state token, which
// holds a timestamp, and the Docker-Upload-UUID header). Nothing else may
// differ.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`"durationMs": \d+`), `"durationMs": 0`},
	{regexp.MustCompile(`"(startedAt|finishedAt)": "[^"]*"`), `"$1": "T"`},
	{regexp.MustCompile(`("Date": \[\s*)"[^"]*"`), `$1"D"`},
	{regexp.MustCompile(`/blobs/uploads/[^/?"\s]+`), `/blobs/uploads/SESSION`},
	{regexp.MustCompile(`([?&]_?state=)[^&"\s]+`), `${1}STATE`},
	{regexp.MustCompile(`("Docker-Upload-Uuid": \[\s*)"[^"]*"`), `$1"UUID"`},
	// junit.xml: time and timestamp attributes, "(1 attempt, 3 ms)".
	{regexp.MustCompile(` (time|timestamp)="[^"]*"`), ` $1="T"`},
	{regexp.MustCompile(`, \d+ ms\)`), `, 0 ms)`},
}

func stable(data []byte) string {
	s := string(data)
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

func readStable(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return stable(data)
}

// diffLines shows the first differing line of two texts.
func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, x, y)
		}
	}
	return "no difference"
}

// TestParallelEqualsSequential: the zoo probed one registry at a time and
// all at once gives the same results.json and junit.xml, apart from
// timings and the session ids the registries make up.
func TestParallelEqualsSequential(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	seq := runOcicaps(t, "--config", cfg, "--parallel", "1")
	if seq.run == nil {
		t.Fatalf("sequential run: no results\n%s", seq.stderr)
	}
	for _, par := range []string{"2", fmt.Sprint(len(order)), "64"} {
		p := runOcicaps(t, "--config", cfg, "--parallel", par)
		if p.code != seq.code {
			t.Errorf("--parallel %s: exit %d, sequential %d", par, p.code, seq.code)
		}
		for _, f := range []string{"results.json", "junit.xml"} {
			a, b := readStable(t, filepath.Join(seq.out, f)), readStable(t, filepath.Join(p.out, f))
			if a != b {
				t.Errorf("--parallel %s: %s differs from the sequential run's at %s", par, f, diffLines(a, b))
			}
		}
		if a, b := stable([]byte(seq.stdout)), stable([]byte(p.stdout)); a != b {
			t.Errorf("--parallel %s: the matrix differs: %s", par, diffLines(a, b))
		}
	}
}

// TestShardsMergeEqualsSingleRun: for N from 1 to 4, the shards' registries
// are exactly the configured list without overlap, and `ocicaps merge` of
// their results writes the single run's reports.
func TestShardsMergeEqualsSingleRun(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	single := runOcicaps(t, "--config", cfg)
	if single.run == nil {
		t.Fatalf("single run: no results\n%s", single.stderr)
	}
	for n := 1; n <= 4; n++ {
		seen := map[string]int{}
		var files []string
		for k := 1; k <= n; k++ {
			r := runOcicaps(t, "--config", cfg, "--shard", fmt.Sprintf("%d/%d", k, n))
			if r.run == nil {
				t.Fatalf("shard %d/%d: no results\n%s", k, n, r.stderr)
			}
			if r.run.Shard == nil || r.run.Shard.Index != k || r.run.Shard.Count != n || r.run.Shard.Total != len(order) {
				t.Errorf("shard %d/%d: shard record %+v", k, n, r.run.Shard)
			}
			for _, reg := range r.run.Registries {
				if prev, dup := seen[reg.Name]; dup {
					t.Errorf("N=%d: %s probed by shard %d and %d", n, reg.Name, prev, k)
				}
				seen[reg.Name] = k
			}
			files = append(files, filepath.Join(r.out, "results.json"))
		}
		for _, name := range order {
			if _, ok := seen[name]; !ok {
				t.Errorf("N=%d: no shard probed %s", n, name)
			}
		}
		if len(seen) != len(order) {
			t.Errorf("N=%d: the shards probed %d registries, the list has %d", n, len(seen), len(order))
		}
		out := filepath.Join(t.TempDir(), "merged")
		cmd := exec.Command(ocicaps, append([]string{"merge", "--out", out}, files...)...)
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		if err := cmd.Run(); err != nil {
			t.Fatalf("N=%d: merge: %v\n%s", n, err, se.String())
		}
		for _, f := range []string{"results.json", "junit.xml"} {
			a, b := readStable(t, filepath.Join(single.out, f)), readStable(t, filepath.Join(out, f))
			if a != b {
				t.Errorf("N=%d: merged %s differs from the single run's at %s", n, f, diffLines(a, b))
			}
		}
		if a, b := stable([]byte(single.stdout)), stable(so.Bytes()); a != b {
			t.Errorf("N=%d: merge's matrix differs from the single run's: %s", n, diffLines(a, b))
		}
		validateJUnit(t, filepath.Join(out, "junit.xml"))
		merged, err := jsonfile.Read(filepath.Join(out, "results.json"))
		if err != nil {
			t.Fatal(err)
		}
		if merged.Shard != nil {
			t.Errorf("N=%d: merged results keep a shard record", n)
		}
	}
}

// Off a terminal (here a pipe, as in CI logs) stderr holds one plain line
// per registry and no control characters.
func TestProgressOnAPipe(t *testing.T) {
	r := runOcicaps(t, "--config", writeConfig(t, order, nil), "--parallel", "5")
	if strings.ContainsAny(r.stderr, "\r\x1b") {
		t.Errorf("control characters in piped stderr: %q", r.stderr)
	}
	for _, name := range order {
		re := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + ` +\d/5 (pass|info|warn|fail) +\(\d+\.\ds\)$`)
		if n := len(re.FindAllString(r.stderr, -1)); n != 1 {
			t.Errorf("%d progress lines for %s, want 1:\n%s", n, name, r.stderr)
		}
	}
}

// On a terminal the live line is drawn and erased, and every other line
// arrives whole.
func TestProgressOnATerminal(t *testing.T) {
	// A slow registry keeps the run going long enough for the status line
	// to be redrawn: each of its answers takes five redraw intervals, so
	// however its scenarios are scheduled side by side (and however few
	// requests they share), it runs alone for several of them.
	slow := slowRegistry(t, 5*progress.Interval)
	cfg := writeConfig(t, order, map[string]string{"slow": slow})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ocicaps, "run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "r"))
	var stdout bytes.Buffer
	s := runOnTerminal(t, cmd, 160, func(tty *os.File) { cmd.Stdout, cmd.Stderr = &stdout, tty })
	status := regexp.MustCompile(`registries: (\d+) done, (\d+) running, (\d+) left \(\d+\.\ds\)`)
	if !status.MatchString(s) || !strings.Contains(s, "\r\x1b[K") {
		t.Fatalf("no live status line on the terminal:\n%q", s)
	}
	// While only the slow registry runs, nothing else happens: the elapsed
	// time still moves, so the line is drawn with several times.
	alone := map[string]bool{}
	for _, m := range regexp.MustCompile(`registries: 5 done, 1 running, 0 left \((\d+\.\d)s\)`).FindAllStringSubmatch(s, -1) {
		alone[m[1]] = true
	}
	if len(alone) < 2 {
		t.Errorf("the status line was not redrawn while the slow registry ran alone:\n%q", s)
	}
	// Every status line is erased before anything else is written, and
	// without status lines and erasures what is left is whole lines.
	all := len(status.FindAllString(s, -1))
	if erased := len(regexp.MustCompile(status.String()+`\r\x1b\[K`).FindAllString(s, -1)); erased != all {
		t.Errorf("%d status lines, %d of them erased before the next output:\n%q", all, erased, s)
	}
	rest := strings.ReplaceAll(status.ReplaceAllString(s, ""), "\r\x1b[K", "")
	for _, name := range append(append([]string(nil), order...), "slow") {
		re := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + ` +\d/5 (pass|info|warn|fail) +\(\d+\.\ds\)$`)
		if !re.MatchString(rest) {
			t.Errorf("no whole progress line for %s:\n%q", name, rest)
		}
	}
	if strings.ContainsAny(rest, "\r\x1b") {
		t.Errorf("control characters outside the status line:\n%q", rest)
	}
	if !strings.Contains(stdout.String(), "zoo-distribution") {
		t.Errorf("the matrix is not on stdout:\n%s", stdout.String())
	}
}

// slowRegistry answers every request after delay: GET /v2/ with 200, the
// rest with 404.
func slowRegistry(t *testing.T, delay time.Duration) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		if r.URL.Path != "/v2/" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// runOnTerminal runs cmd with the streams attach connects to a
// pseudo-terminal of cols columns (raw, as a terminal program sees one)
// and returns what the terminal received once cmd has exited.
func runOnTerminal(t *testing.T, cmd *exec.Cmd, cols uint16, attach func(tty *os.File)) string {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	if _, err := term.MakeRaw(int(tty.Fd())); err != nil {
		t.Fatal(err)
	}
	attach(tty)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close() // the child holds its own copy
	var screen bytes.Buffer
	copied := make(chan error)
	go func() {
		_, err := io.Copy(&screen, ptmx)
		if errors.Is(err, syscall.EIO) {
			err = nil // the child closed its side
		}
		copied <- err
	}()
	cmd.Wait()
	if err := <-copied; err != nil {
		t.Errorf("reading the terminal: %v", err)
	}
	return screen.String()
}
