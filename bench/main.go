// Command bench measures ocicaps as docs/benchmarks.md describes; `make
// bench` runs it. It starts the zoo itself and prints its findings as
// Markdown on stdout (progress on stderr).
//
//  1. One zoo registry, the five seed probes: the whole process of
//     `ocicaps run` against bench/seed-probes.sh (the same probes with curl),
//     alternated, wall time and peak memory, and their ratio.
//  2. A fleet: this process serves N registry endpoints on loopback, each
//     a proxy (internal/faultproxy) to a zoo registry adding a fixed
//     latency to every request; `ocicaps run` probes all of them. Wall time,
//     peak memory, and the ratio to the critical path, for several
//     --parallel values.
//
// Wall times are taken here around the child process (fork to exit); peak
// memory is GNU time's "Maximum resident set size" (/usr/bin/time -v).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ocicaps/ocicaps/internal/faultproxy"
	"github.com/ocicaps/ocicaps/internal/zoo"
)

type options struct {
	ocicaps   string
	script    string
	reps      int
	fleet     int
	fleetReps int
	latency   time.Duration
	// cases are the measurements to make (--cases).
	cases string
	// verifyLatency is added to every request of the single-registry
	// `--check all --verify` case.
	verifyLatency time.Duration
	// verifyConcurrency, when not 0, is the registry's concurrency: in
	// that case (the default otherwise).
	verifyConcurrency int
	parallel          []int
	work              string
	serve             bool
	replay            string
	// replayParallel bounds the registries the bare client works on at
	// once (0: all of them).
	replayParallel int
}

func main() {
	var o options
	var par string
	flag.StringVar(&o.ocicaps, "ocicaps", "bin/ocicaps", "the ocicaps binary to measure")
	flag.StringVar(&o.script, "script", "bench/seed-probes.sh", "the curl script")
	flag.IntVar(&o.reps, "reps", 30, "timed runs of each side of the single-registry comparison")
	flag.IntVar(&o.fleet, "fleet", 100, "registry endpoints in the fleet")
	flag.IntVar(&o.fleetReps, "fleet-reps", 3, "timed fleet runs per --parallel value")
	flag.DurationVar(&o.latency, "latency", 25*time.Millisecond, "latency added to every fleet request")
	flag.DurationVar(&o.verifyLatency, "verify-latency", 100*time.Millisecond, "latency added to every request of the single-registry --check all --verify case")
	flag.IntVar(&o.verifyConcurrency, "verify-concurrency", 0, "the registry's concurrency: in the single-registry --check all --verify case (0: ocicaps' default)")
	flag.StringVar(&par, "parallel", "16,64,100", "--parallel values to run the fleet with")
	flag.StringVar(&o.cases, "cases", "single,verify,fleet,fleet-1000", "the measurements to make, comma-separated: single (ocicaps against the curl script), verify (one registry, --check all --verify), fleet (--fleet registries at each --parallel), fleet-1000 and fleet-10000 (that many registries, once, at the last --parallel; fleet-10000 takes a few minutes)")
	flag.BoolVar(&o.serve, "serve", false, "only set up the fleet, print its registries.yaml and wait for Ctrl-C (for profiling by hand)")
	flag.StringVar(&o.replay, "replay", "", "internal: send the seed probes' requests to the registries of this fleet.yaml with a bare Go HTTP client, 100 at once, and exit")
	flag.IntVar(&o.replayParallel, "replay-parallel", 0, "internal: with --replay, at most this many registries at once (0: all)")
	flag.Parse()
	if o.replay != "" {
		if err := replay(o.replay, o.replayParallel); err != nil {
			fail(err)
		}
		return
	}
	for _, p := range strings.Split(par, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			fail(fmt.Errorf("--parallel %q: not a positive number", p))
		}
		o.parallel = append(o.parallel, n)
	}
	raiseFileLimit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if err := run(ctx, o); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }

func run(ctx context.Context, o options) error {
	for _, p := range []*string{&o.ocicaps, &o.script} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("%s: %w (run `make build` first)", *p, err)
		}
		*p = abs
	}
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		return errors.New("/usr/bin/time is missing: install the Debian package `time` (bench/run.sh does)")
	}
	root, err := zoo.RepoRoot()
	if err != nil {
		return err
	}
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "ocicaps-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	o.work = work
	logf("starting the zoo")
	insts, err := zoo.StartAll(ctx, bin, filepath.Join(work, "zoo"), zoo.Standard())
	if err != nil {
		return fmt.Errorf("starting the zoo: %w", err)
	}
	defer zoo.StopAll(insts)

	if o.serve {
		return serve(ctx, o, insts)
	}
	fmt.Printf("## Run of %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	machine()
	for _, c := range []struct {
		name string
		fn   func() error
	}{
		{"single", func() error { return single(ctx, o, insts[0]) }},
		{"verify", func() error { return verifyAll(ctx, o, insts[0]) }},
		{"fleet", func() error { return fleet(ctx, o, insts) }},
		{"fleet-1000", func() error { return bigFleet(ctx, o, insts, 1000) }},
		{"fleet-10000", func() error { return bigFleet(ctx, o, insts, 10000) }},
	} {
		if !slices.Contains(strings.Split(o.cases, ","), c.name) {
			continue
		}
		if err := c.fn(); err != nil {
			return err
		}
	}
	return nil
}

// machine prints what the numbers were measured on.
func machine() {
	fmt.Println("Machine:")
	fmt.Println()
	fmt.Println("```")
	fmt.Printf("$ nproc\n%s", output("nproc"))
	fmt.Printf("$ lscpu | head -n 15\n%s", head(output("lscpu"), 15))
	fmt.Printf("$ free -g | head -n 2\n%s", head(output("free", "-g"), 2))
	fmt.Printf("$ go version\n%s", output("go", "version"))
	fmt.Printf("$ uname -r\n%s", output("uname", "-r"))
	fmt.Println("```")
	fmt.Println()
}

func output(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return fmt.Sprintf("(%s: %v)\n", name, err)
	}
	return string(out)
}

func head(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[:min(n, len(lines))], "")
}

// wall runs a command and returns its whole-process wall time.
func wall(ctx context.Context, argv []string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		// Exit 1 is a registry at fail, a verdict; anything else is a
		// broken measurement.
		return d, fmt.Errorf("%s: %w\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	return d, nil
}

// peak runs a command under GNU time and returns its maximum resident set
// size in KiB (of the process, or of its largest descendant for a script:
// rusage reports the largest one, not a sum) and its wall time.
func peak(ctx context.Context, argv []string) (int, time.Duration, error) {
	kb, d, _, err := peakCPU(ctx, argv)
	return kb, d, err
}

// peakCPU is peak that also returns the process's CPU time (user + system).
func peakCPU(ctx context.Context, argv []string) (int, time.Duration, time.Duration, error) {
	f, err := os.CreateTemp("", "bench-time-")
	if err != nil {
		return 0, 0, 0, err
	}
	f.Close()
	defer os.Remove(f.Name())
	d, err := wall(ctx, append([]string{"/usr/bin/time", "-v", "-o", f.Name()}, argv...))
	if err != nil && !strings.Contains(err.Error(), "exit status 1") {
		return 0, d, 0, err
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		return 0, d, 0, err
	}
	kb := -1
	var cpu time.Duration
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "Maximum resident set size (kbytes): "); ok {
			if kb, err = strconv.Atoi(v); err != nil {
				return 0, d, 0, err
			}
		}
		for _, p := range []string{"User time (seconds): ", "System time (seconds): "} {
			if v, ok := strings.CutPrefix(line, p); ok {
				sec, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return 0, d, 0, err
				}
				cpu += time.Duration(sec * float64(time.Second))
			}
		}
	}
	if kb < 0 {
		return 0, d, 0, fmt.Errorf("no maximum resident set size in GNU time's output:\n%s", data)
	}
	return kb, d, cpu, nil
}

// machineCPU returns the busy and total CPU time of the whole machine so
// far, from /proc/stat, to tell how loaded it was during a run.
func machineCPU() (busy, total time.Duration) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	tick := 10 * time.Millisecond // USER_HZ is 100 on Linux
	for i, f := range fields[1:] {
		n, _ := strconv.ParseInt(f, 10, 64)
		total += time.Duration(n) * tick
		if i != 3 && i != 4 { // idle, iowait
			busy += time.Duration(n) * tick
		}
	}
	return busy, total
}

type stats struct{ min, median, p90, max time.Duration }

func summarize(ds []time.Duration) stats {
	s := slices.Clone(ds)
	slices.Sort(s)
	return stats{s[0], s[len(s)/2], s[(len(s)*9)/10], s[len(s)-1]}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(kb int) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }

// single compares `ocicaps run` with the curl script on one registry.
func single(ctx context.Context, o options, inst *zoo.Instance) error {
	cfg := filepath.Join(o.work, "one.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("registries:\n  - name: %s\n    url: %s\n", inst.Spec.Name, inst.URL)), 0o644); err != nil {
		return err
	}
	out := filepath.Join(o.work, "one")
	sides := []struct {
		name string
		argv []string
	}{
		{"ocicaps run", []string{o.ocicaps, "run", "--config", cfg, "--out", out}},
		{"seed-probes.sh (curl)", []string{"bash", o.script, inst.URL}},
	}
	// The script must reach the verdicts ocicaps reaches, or it is not
	// doing the same work.
	verdicts, err := exec.CommandContext(ctx, "bash", o.script, inst.URL).Output()
	if err != nil {
		return fmt.Errorf("curl script: %w", err)
	}
	if _, err := wall(ctx, sides[0].argv); err != nil {
		return err
	}
	mine, err := ocicapsVerdicts(filepath.Join(out, "results.json"))
	if err != nil {
		return err
	}
	if got := strings.TrimSpace(string(verdicts)); got != mine {
		return fmt.Errorf("the curl script's verdicts %q differ from ocicaps' %q on %s", got, mine, inst.Spec.Name)
	}
	logf("single registry: %d alternating runs of each side", o.reps)
	times := make([][]time.Duration, len(sides))
	for i := 0; i < o.reps+3; i++ {
		for j, s := range sides {
			d, err := wall(ctx, s.argv)
			if err != nil {
				return err
			}
			if i >= 3 { // three warm-up rounds: page cache, zoo caches
				times[j] = append(times[j], d)
			}
		}
	}
	rss := make([]int, len(sides))
	for range 5 {
		for j, s := range sides {
			kb, _, err := peak(ctx, s.argv)
			if err != nil {
				return err
			}
			rss[j] = max(rss[j], kb)
		}
	}
	fmt.Printf("### One registry, the five seed probes\n\n")
	fmt.Printf("Registry: %s (%s), verdicts of both sides: `%s`.\n", inst.Spec.Name, inst.URL, mine)
	fmt.Printf("%d runs of each side, alternated, after 3 warm-up rounds; peak memory is the largest of 5 runs under `/usr/bin/time -v`.\n\n", o.reps)
	fmt.Println("| | wall min | wall median | wall p90 | wall max | peak RSS |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	st := make([]stats, len(sides))
	for j, s := range sides {
		st[j] = summarize(times[j])
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", s.name, ms(st[j].min), ms(st[j].median), ms(st[j].p90), ms(st[j].max), mib(rss[j]))
	}
	ratio := float64(st[0].median) / float64(st[1].median)
	fmt.Printf("\nRatio of medians, ocicaps / curl script: **%.2f** (target ≤ 0.25: %s). Peak memory ratio: %.2f.\n\n", ratio, met(ratio <= 0.25), float64(rss[0])/float64(rss[1]))
	return nil
}

type resultsFile struct {
	Registries []struct {
		Name         string      `json:"name"`
		DurationMS   int64       `json:"durationMs"`
		Capabilities []capResult `json:"capabilities"`
	} `json:"registries"`
}

type capResult struct {
	ID        string            `json:"id"`
	Status    string            `json:"status"`
	Exchanges []json.RawMessage `json:"exchanges"`
}

func readResults(path string) (*resultsFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r resultsFile
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

func verdictLine(caps []capResult) string {
	var parts []string
	for _, c := range caps {
		v := map[string]string{"supported": "yes", "unsupported": "no"}[c.Status]
		if v == "" {
			v = "ERROR"
		}
		parts = append(parts, c.ID+"="+v)
	}
	return strings.Join(parts, " ")
}

func ocicapsVerdicts(path string) (string, error) {
	r, err := readResults(path)
	if err != nil {
		return "", err
	}
	if len(r.Registries) != 1 {
		return "", fmt.Errorf("%s: %d registries", path, len(r.Registries))
	}
	return verdictLine(r.Registries[0].Capabilities), nil
}

// baseRTT is the median round trip of GET /v2/ to a zoo registry through
// a proxy adding no latency, over a kept-alive connection: the part of
// every fleet round trip that is not the added latency. GET /v2/ is the
// cheapest request, so the critical path built on it is a lower bound.
func baseRTT(ctx context.Context, target string) (time.Duration, error) {
	p, err := faultproxy.New(target, 0, nil)
	if err != nil {
		return 0, err
	}
	defer p.Close()
	client := &http.Client{Timeout: 10 * time.Second}
	var ds []time.Duration
	for i := range 220 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/v2/", nil)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if i >= 20 {
			ds = append(ds, time.Since(start))
		}
	}
	return summarize(ds).median, nil
}

// fleet runs ocicaps against N proxied endpoints with added latency.
func fleet(ctx context.Context, o options, insts []*zoo.Instance) error {
	logf("fleet: %d endpoints, %s added to every request", o.fleet, o.latency)
	// What each zoo registry answers without the proxy: the fleet's
	// verdicts must be the same, or the benchmark measured something else.
	direct := map[string]string{}
	base := map[string]time.Duration{}
	var cfgDirect strings.Builder
	cfgDirect.WriteString("registries:\n")
	for _, in := range insts {
		fmt.Fprintf(&cfgDirect, "  - name: %s\n    url: %s\n", in.Spec.Name, in.URL)
		b, err := baseRTT(ctx, in.URL)
		if err != nil {
			return fmt.Errorf("base round trip to %s: %w", in.Spec.Name, err)
		}
		base[in.Spec.Name] = b
	}
	dcfg := filepath.Join(o.work, "direct.yaml")
	os.WriteFile(dcfg, []byte(cfgDirect.String()), 0o644)
	dout := filepath.Join(o.work, "direct")
	if _, err := wall(ctx, []string{o.ocicaps, "run", "--config", dcfg, "--out", dout}); err != nil {
		return err
	}
	dres, err := readResults(filepath.Join(dout, "results.json"))
	if err != nil {
		return err
	}
	for _, r := range dres.Registries {
		direct[r.Name] = verdictLine(r.Capabilities)
	}

	fcfg, backend, closeFleet, err := setupFleet(o, insts)
	if err != nil {
		return err
	}
	defer closeFleet()

	fmt.Printf("### A fleet of %d registries, %s added to every request\n\n", o.fleet, o.latency)
	fmt.Printf("One process (this benchmark) serves %d loopback endpoints, each a reverse proxy (internal/faultproxy) adding %s to every request before forwarding it to one of the %d zoo registries (round-robin); every endpoint mounts into its own repository. `ocicaps run --config fleet.yaml --parallel P` probes them all with the seed's five capabilities.\n\n", o.fleet, o.latency, len(insts))
	fmt.Println("Base round trip (median GET /v2/ through a proxy adding nothing, kept-alive connection):")
	fmt.Println()
	for _, in := range insts {
		fmt.Printf("- %s: %s\n", in.Spec.Name, ms(base[in.Spec.Name]))
	}
	fmt.Println()

	var critical time.Duration
	var criticalName string
	var criticalN int
	var longestCap time.Duration
	fmt.Println("| --parallel | runs | wall min | wall median | wall max | peak RSS (max) | ocicaps CPU (median) | CPU / registry | machine busy | median / requests in a row | median / longest capability |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, par := range o.parallel {
		var ds, cpus []time.Duration
		var busy, total time.Duration
		maxRSS := 0
		for rep := range o.fleetReps {
			out := filepath.Join(o.work, fmt.Sprintf("fleet-%d-%d", par, rep))
			b0, t0 := machineCPU()
			kb, d, cpu, err := peakCPU(ctx, []string{o.ocicaps, "run", "--config", fcfg, "--parallel", strconv.Itoa(par), "--out", out})
			if err != nil {
				return err
			}
			b1, t1 := machineCPU()
			busy, total = busy+b1-b0, total+t1-t0
			ds = append(ds, d)
			cpus = append(cpus, cpu)
			maxRSS = max(maxRSS, kb)
			res, err := readResults(filepath.Join(out, "results.json"))
			if err != nil {
				return err
			}
			if len(res.Registries) != o.fleet {
				return fmt.Errorf("fleet run: %d registries in results, want %d", len(res.Registries), o.fleet)
			}
			for _, r := range res.Registries {
				be := backend[r.Name]
				if got, want := verdictLine(r.Capabilities), direct[be.Spec.Name]; got != want {
					return fmt.Errorf("fleet run --parallel %d: %s (via %s) answered %q, directly %q: the benchmark is not measuring the same work", par, r.Name, be.Spec.Name, got, want)
				}
				// The critical path: the registry with the longest chain
				// of sequential round trips, each the added latency plus
				// its backend's base round trip.
				n, longest := chains(r.Capabilities)
				if cp := time.Duration(n) * (o.latency + base[be.Spec.Name]); cp > critical {
					critical, criticalName, criticalN = cp, r.Name, n
				}
				longestCap = max(longestCap, time.Duration(longest)*(o.latency+base[be.Spec.Name]))
			}
		}
		st := summarize(ds)
		util := "?"
		if total > 0 {
			util = fmt.Sprintf("%.0f%%", 100*float64(busy)/float64(total))
		}
		cpu := summarize(cpus).median
		fmt.Printf("| %d | %d | %s | %s | %s | %s | %s | %s | %s | **%.2f** | **%.2f** |\n", par, len(ds), ms(st.min), ms(st.median), ms(st.max), mib(maxRSS), ms(cpu), ms(cpu/time.Duration(o.fleet)), util, float64(st.median)/float64(critical), float64(st.median)/float64(longestCap))
		logf("fleet --parallel %d: median %s, peak %s", par, ms(st.median), mib(maxRSS))
	}
	// The floor of this harness: the same requests from a bare Go client
	// with no scenarios, no evidence and no reports, all registries at once.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var bare []time.Duration
	var bareCPU []time.Duration
	bareRSS := 0
	for range o.fleetReps {
		kb, d, cpu, err := peakCPU(ctx, []string{self, "--replay", fcfg})
		if err != nil {
			return err
		}
		bare, bareCPU, bareRSS = append(bare, d), append(bareCPU, cpu), max(bareRSS, kb)
	}
	bst := summarize(bare)
	fmt.Printf("| bare Go client, same requests one after another | %d | %s | %s | %s | %s | %s | | | **%.2f** | |\n", len(bare), ms(bst.min), ms(bst.median), ms(bst.max), mib(bareRSS), ms(summarize(bareCPU).median), float64(bst.median)/float64(critical))
	be := backend[criticalName]
	fmt.Printf("\nRequests in a row (%s): %s (via %s) makes %d requests, each %s added + %s base round trip = %s: the floor when a registry's scenarios run one after another. Longest capability: %s, the floor when they run side by side (a capability's requests depend on each other). Targets at --parallel 100: wall ≤ 400 ms, peak ≤ 60 MiB, CPU ≤ 5 ms a registry.\n\n",
		ms(critical), criticalName, be.Spec.Name, criticalN, o.latency, ms(base[be.Spec.Name]), ms(critical), ms(longestCap))
	fmt.Printf("Machine busy is the share of all %d CPUs' time that was not idle during the runs (/proc/stat): ocicaps, the %d proxies in this process and the zoo registries share them.\n\n", runtime.NumCPU(), o.fleet)
	return nil
}

// setupFleet starts o.fleet proxies with o.latency in front of the zoo
// registries, round-robin, and writes their registries.yaml.
func setupFleet(o options, insts []*zoo.Instance) (string, map[string]*zoo.Instance, func(), error) {
	backend := map[string]*zoo.Instance{}
	var proxies []*faultproxy.Proxy
	closeAll := func() {
		for _, p := range proxies {
			p.Close()
		}
	}
	var cfg strings.Builder
	cfg.WriteString("registries:\n")
	for i := range o.fleet {
		in := insts[i%len(insts)]
		p, err := faultproxy.New(in.URL, o.latency, nil)
		if err != nil {
			closeAll()
			return "", nil, nil, err
		}
		proxies = append(proxies, p)
		name := fmt.Sprintf("fleet-%03d", i)
		backend[name] = in
		// Each endpoint mounts into its own repository, so that endpoints
		// sharing a zoo registry never delete each other's mounted blob.
		fmt.Fprintf(&cfg, "  - name: %s\n    url: %s\n    mountRepository: ocicaps/mount-probe-%03d\n", name, p.URL, i)
	}
	fcfg := filepath.Join(o.work, "fleet.yaml")
	if err := os.WriteFile(fcfg, []byte(cfg.String()), 0o644); err != nil {
		closeAll()
		return "", nil, nil, err
	}
	return fcfg, backend, closeAll, nil
}

// serve keeps a fleet up until interrupted, for measuring by hand.
func serve(ctx context.Context, o options, insts []*zoo.Instance) error {
	fcfg, _, closeFleet, err := setupFleet(o, insts)
	if err != nil {
		return err
	}
	defer closeFleet()
	fmt.Println(fcfg)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case <-sig:
	case <-ctx.Done():
	}
	return nil
}

// replay sends, for every registry of a fleet.yaml at once, the requests
// the seed's five scenarios send (GET /v2/; HEAD manifest, GET referrers;
// POST upload, DELETE session; GET manifest, POST mount, DELETE; OPTIONS),
// one after another per registry, with a bare HTTP client: the least any
// client can do in this harness.
func replay(cfgPath string, parallel int) error {
	data, err := os.ReadFile(cfgPath)
	if err != nil {
		return err
	}
	type target struct{ url, mount string }
	var targets []target
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "url: "); ok {
			targets = append(targets, target{url: v})
		}
		if v, ok := strings.CutPrefix(line, "mountRepository: "); ok && len(targets) > 0 {
			targets[len(targets)-1].mount = v
		}
	}
	// A client per registry, closed when it is done, as ocicaps does: one
	// shared client would keep an idle connection to every registry of a
	// fleet of 10,000 open to the end.
	newClient := func() *http.Client {
		return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	do := func(client *http.Client, method, u string, h map[string]string) (*http.Response, []byte, error) {
		req, err := http.NewRequest(method, u, nil)
		if err != nil {
			return nil, nil, err
		}
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}
	abs := func(base, loc string) string {
		if strings.HasPrefix(loc, "http") {
			return loc
		}
		return base + loc
	}
	accept := map[string]string{"Accept": "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json"}
	errs := make(chan error, len(targets))
	if parallel <= 0 {
		parallel = len(targets)
	}
	slots := make(chan struct{}, parallel)
	for _, t := range targets {
		go func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			errs <- func() error {
				client := newClient()
				defer client.CloseIdleConnections()
				m := t.url + "/v2/library/alpine/manifests/latest"
				if _, _, err := do(client, "GET", t.url+"/v2/", nil); err != nil {
					return err
				}
				resp, _, err := do(client, "HEAD", m, accept)
				if err != nil {
					return err
				}
				if _, _, err := do(client, "GET", t.url+"/v2/library/alpine/referrers/"+resp.Header.Get("Docker-Content-Digest"), nil); err != nil {
					return err
				}
				resp, _, err = do(client, "POST", t.url+"/v2/library/alpine/blobs/uploads/", nil)
				if err != nil {
					return err
				}
				if loc := resp.Header.Get("Location"); loc != "" {
					do(client, "DELETE", abs(t.url, loc), nil)
				}
				_, body, err := do(client, "GET", m, accept)
				if err != nil {
					return err
				}
				var man struct {
					Layers []struct{ Digest string } `json:"layers"`
				}
				json.Unmarshal(body, &man)
				if len(man.Layers) == 0 {
					return fmt.Errorf("%s: no layer in the manifest", t.url)
				}
				resp, _, err = do(client, "POST", t.url+"/v2/"+t.mount+"/blobs/uploads/?mount="+man.Layers[0].Digest+"&from=library/alpine", nil)
				if err != nil {
					return err
				}
				if loc := resp.Header.Get("Location"); loc != "" {
					do(client, "DELETE", abs(t.url, loc), nil)
				}
				_, _, err = do(client, "OPTIONS", m, nil)
				return err
			}()
		}()
	}
	for range targets {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}
