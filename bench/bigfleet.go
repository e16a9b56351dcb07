package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
)

// bigFleet measures one fleet of n registries (the fleet-1000 and
// fleet-10000 cases): peak memory, wall and CPU per registry of
// `ocicaps run --parallel P`, the sizes of the reports it wrote, and two
// floors measured in the same run: the critical path (the longest chain of
// requests in a row, once per wave of P registries) and a bare Go client
// sending the same requests, P registries at a time. What must hold: the
// memory does not grow with n (issue 25).
func bigFleet(ctx context.Context, o options, insts []*zoo.Instance, n int) error {
	par := o.parallel[len(o.parallel)-1]
	logf("fleet of %d: %s added to every request, --parallel %d", n, o.latency, par)
	direct, base, err := directVerdicts(ctx, o, insts)
	if err != nil {
		return err
	}
	fo := o
	fo.fleet = n
	fcfg, backend, closeFleet, err := setupFleet(fo, insts)
	if err != nil {
		return err
	}
	defer closeFleet()
	out := filepath.Join(o.work, fmt.Sprintf("fleet-%d", n))
	os.RemoveAll(out)
	b0, t0 := machineCPU()
	kb, d, cpu, err := peakCPU(ctx, []string{o.ocicaps, "run", "--config", fcfg, "--parallel", strconv.Itoa(par), "--format", "quiet", "--out", out})
	if err != nil {
		return err
	}
	b1, t1 := machineCPU()
	sizes, err := reportSizes(out)
	if err != nil {
		return err
	}
	critical, err := checkFleet(out, n, backend, direct, base, o.latency)
	if err != nil {
		return err
	}
	waves := (n + par - 1) / par
	floor := time.Duration(waves) * critical
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bkb, bare, bcpu, err := peakCPU(ctx, []string{self, "--replay", fcfg, "--replay-parallel", strconv.Itoa(par)})
	if err != nil {
		return err
	}
	fmt.Printf("### A fleet of %d registries, %s added to every request\n\n", n, o.latency)
	fmt.Printf("`ocicaps run --config fleet.yaml --parallel %d --format quiet` (the default files), once, against %d loopback proxies to the %d zoo registries (as in the 100-registry case); its verdicts checked against a direct run on the zoo. Floors from the same run: the critical path (%s: the longest chain of requests in a row of one registry) once per wave of %d registries, and a bare Go client sending the seed probes' requests, %d registries at a time.\n\n",
		par, n, len(insts), ms(critical), par, par)
	fmt.Println("| | wall | peak RSS | CPU | CPU / registry | machine busy | wall / floor |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- |")
	util := "?"
	if t1 > t0 {
		util = fmt.Sprintf("%.0f%%", 100*float64(b1-b0)/float64(t1-t0))
	}
	fmt.Printf("| ocicaps | %s | **%s** | %s | %s | %s | **%.2f** (critical path × %d waves: %s); **%.2f** (bare client) |\n",
		ms(d), mib(kb), ms(cpu), ms(cpu/time.Duration(n)), util, float64(d)/float64(floor), waves, ms(floor), float64(d)/float64(bare))
	fmt.Printf("| bare Go client, same requests | %s | %s | %s | %s | | %.2f |\n\n", ms(bare), mib(bkb), ms(bcpu), ms(bcpu/time.Duration(n)), float64(bare)/float64(floor))
	fmt.Printf("Reports (`--out`): %s.\n\n", sizes)
	logf("fleet of %d: %s, peak %s", n, ms(d), mib(kb))
	return nil
}

// directVerdicts runs ocicaps on the zoo registries themselves and
// measures their base round trips: what every fleet endpoint must answer,
// and the part of its round trip that is not the added latency.
func directVerdicts(ctx context.Context, o options, insts []*zoo.Instance) (map[string]string, map[string]time.Duration, error) {
	direct := map[string]string{}
	base := map[string]time.Duration{}
	var cfg strings.Builder
	cfg.WriteString("registries:\n")
	for _, in := range insts {
		fmt.Fprintf(&cfg, "  - name: %s\n    url: %s\n", in.Spec.Name, in.URL)
		b, err := baseRTT(ctx, in.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("base round trip to %s: %w", in.Spec.Name, err)
		}
		base[in.Spec.Name] = b
	}
	dcfg := filepath.Join(o.work, "direct.yaml")
	if err := os.WriteFile(dcfg, []byte(cfg.String()), 0o644); err != nil {
		return nil, nil, err
	}
	dout := filepath.Join(o.work, "direct")
	if _, err := wall(ctx, []string{o.ocicaps, "run", "--config", dcfg, "--out", dout}); err != nil {
		return nil, nil, err
	}
	dres, err := readResults(filepath.Join(dout, "results.json"))
	if err != nil {
		return nil, nil, err
	}
	for _, r := range dres.Registries {
		direct[r.Name] = verdictLine(r.Capabilities)
	}
	return direct, base, nil
}

// checkFleet compares a fleet run's verdicts with the direct ones and
// returns the critical path: the longest chain of requests in a row of a
// registry, each the added latency plus its backend's base round trip.
func checkFleet(out string, n int, backend map[string]*zoo.Instance, direct map[string]string, base map[string]time.Duration, latency time.Duration) (time.Duration, error) {
	res, err := readResults(filepath.Join(out, "results.json"))
	if err != nil {
		return 0, err
	}
	if len(res.Registries) != n {
		return 0, fmt.Errorf("fleet run: %d registries in results, want %d", len(res.Registries), n)
	}
	var critical time.Duration
	for _, r := range res.Registries {
		be := backend[r.Name]
		if got, want := verdictLine(r.Capabilities), direct[be.Spec.Name]; got != want {
			return 0, fmt.Errorf("fleet of %d: %s (via %s) answered %q, directly %q: the benchmark is not measuring the same work", n, r.Name, be.Spec.Name, got, want)
		}
		k, _ := chains(r.Capabilities)
		critical = max(critical, time.Duration(k)*(latency+base[be.Spec.Name]))
	}
	return critical, nil
}

// reportSizes lists the report files' sizes: the main files, then the
// whole folder (per-registry files included).
func reportSizes(dir string) (string, error) {
	var parts []string
	for _, f := range []string{"results.json", "report.html", "junit.xml", "summary.md"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
			parts = append(parts, fmt.Sprintf("%s %s", f, size(st.Size())))
		}
	}
	var total int64
	files := 0
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
			files++
		}
		return err
	})
	parts = append(parts, fmt.Sprintf("all %d files %s", files, size(total)))
	return strings.Join(parts, ", "), err
}

func size(b int64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(b)/1e6)
	case b >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(b)/1e3)
	}
	return fmt.Sprintf("%d B", b)
}

// raiseFileLimit lifts this process's open-file limit (and so its
// children's) as far as it may: a fleet of 10,000 endpoints is 10,000
// listeners here plus the connections through them, past a soft limit of
// 20,000. Raising the hard limit needs root; otherwise the soft one goes up
// to the hard one.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	want := syscall.Rlimit{Cur: 1 << 20, Max: max(lim.Max, 1<<20)}
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
		return
	}
	lim.Cur = lim.Max
	_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}
