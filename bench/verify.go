package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ocicaps/ocicaps/internal/faultproxy"
	"github.com/ocicaps/ocicaps/internal/zoo"
)

// chains returns a run's registry's requests in a row if its scenarios ran
// one after another (all its exchanges) and its longest capability (the
// most exchanges of one capability): the floors of a sequential and of a
// side-by-side run.
func chains(caps []capResult) (all, longest int) {
	for _, c := range caps {
		all += len(c.Exchanges)
		longest = max(longest, len(c.Exchanges))
	}
	return all, longest
}

// verifyAll runs `--check all --verify` against one zoo registry behind a
// proxy adding o.verifyLatency to every request, and compares its wall
// time with its longest capability's chain of round trips.
func verifyAll(ctx context.Context, o options, inst *zoo.Instance) error {
	logf("one registry, %s added, --check all --verify", o.verifyLatency)
	base, err := baseRTT(ctx, inst.URL)
	if err != nil {
		return err
	}
	direct, err := verifyVerdicts(ctx, o, inst.Spec.Name, inst.URL, "verify-direct")
	if err != nil {
		return err
	}
	p, err := faultproxy.New(inst.URL, o.verifyLatency, nil)
	if err != nil {
		return err
	}
	defer p.Close()
	cfg := filepath.Join(o.work, "verify100.yaml")
	yaml := fmt.Sprintf("registries:\n  - name: %s\n    url: %s\n", inst.Spec.Name, p.URL)
	if o.verifyConcurrency > 0 {
		yaml += fmt.Sprintf("    concurrency: %d\n", o.verifyConcurrency)
	}
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		return err
	}
	var ds, cpus []time.Duration
	var all, longest, maxRSS int
	for rep := range o.fleetReps + 1 {
		out := filepath.Join(o.work, fmt.Sprintf("verify100-%d", rep))
		kb, d, cpu, err := peakCPU(ctx, []string{o.ocicaps, "run", "--config", cfg, "--check", "all", "--verify", "--out", out})
		if err != nil {
			return err
		}
		res, err := readResults(filepath.Join(out, "results.json"))
		if err != nil {
			return err
		}
		if got := verdictLine(res.Registries[0].Capabilities); got != direct {
			return fmt.Errorf("--check all --verify through the proxy answered %q, directly %q", got, direct)
		}
		if rep == 0 {
			continue // warm-up
		}
		a, l := chains(res.Registries[0].Capabilities)
		all, longest = max(all, a), max(longest, l)
		ds, cpus, maxRSS = append(ds, d), append(cpus, cpu), max(maxRSS, kb)
	}
	rt := o.verifyLatency + base
	st := summarize(ds)
	floor := time.Duration(longest) * rt
	ratio := float64(st.median) / float64(floor)
	fmt.Printf("### One registry, %s added to every request, `--check all --verify`\n\n", o.verifyLatency)
	fmt.Printf("Registry: %s behind one proxy adding %s (base round trip %s). %d runs after a warm-up; verdicts as on the registry directly: `%s`.\n\n", inst.Spec.Name, o.verifyLatency, ms(base), len(ds), direct)
	fmt.Println("| wall min | wall median | wall max | peak RSS | ocicaps CPU (median) | requests | one after another | longest capability | median / longest capability |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	fmt.Printf("| %s | %s | %s | %s | %s | %d | %s | %s (%d requests) | **%.2f** (target ≤ 1.40: %s) |\n\n",
		ms(st.min), ms(st.median), ms(st.max), mib(maxRSS), ms(summarize(cpus).median), all,
		ms(time.Duration(all)*rt), ms(floor), longest, ratio, met(ratio <= 1.4))
	return nil
}

// verifyVerdicts runs `--check all --verify` on a registry directly.
func verifyVerdicts(ctx context.Context, o options, name, url, dir string) (string, error) {
	cfg := filepath.Join(o.work, dir+".yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("registries:\n  - name: %s\n    url: %s\n", name, url)), 0o644); err != nil {
		return "", err
	}
	out := filepath.Join(o.work, dir)
	if _, err := wall(ctx, []string{o.ocicaps, "run", "--config", cfg, "--check", "all", "--verify", "--out", out}); err != nil {
		return "", err
	}
	return ocicapsVerdicts(filepath.Join(out, "results.json"))
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
