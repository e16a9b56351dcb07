package runner

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

func seedSuite(t testing.TB) (*suite.Suite, []*suite.Scenario) {
	t.Helper()
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatalf("embedded suite: %v", problems)
	}
	if p := s.Validate(steps.Check); len(p) > 0 {
		t.Fatalf("embedded suite does not validate: %v", p)
	}
	return s, s.Select("@check:" + suite.DefaultCheck)
}

func fakeRegistry(name, url string) config.Registry {
	return config.Registry{Name: name, URL: url, TestRepository: "library/alpine", TestTag: "latest", MountRepository: "ocicaps/mount-probe",
		Retry:    config.Retry{Max: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxRetryAfter: time.Second},
		Timeouts: config.Timeouts{Request: 5 * time.Second, Registry: 20 * time.Second}}
}

// A registry's scenarios run at most its concurrency at once: one after
// another over one kept-alive connection at 1, never more requests in
// flight than scenarios at 3. Every response body is read to its end and
// closed, so connections are reused.
func TestConnectionsPerRegistry(t *testing.T) {
	for _, conc := range []int{1, 3} {
		var mu sync.Mutex
		var conns, active, peak int
		f := &fake{versionHeaders: map[string]string{"OCI-Distribution-API-Version": "1.1"}}
		srv := httptest.NewUnstartedServer(f)
		srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
			mu.Lock()
			defer mu.Unlock()
			switch st {
			case http.StateNew:
				conns++
			case http.StateActive:
				active++
				peak = max(peak, active)
			case http.StateIdle:
				active--
			}
		}
		srv.Start()
		s, sc := seedSuite(t)
		reg := fakeRegistry("fake", srv.URL)
		reg.Concurrency = conc
		run, err := Run(context.Background(), Options{Registries: []config.Registry{reg}, Suite: s, Scenarios: sc})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		n := len(f.requests)
		f.mu.Unlock()
		mu.Lock()
		if n < 9 {
			t.Fatalf("concurrency %d: only %d requests: %+v", conc, n, run.Registries[0])
		}
		if conc == 1 && conns != 1 {
			t.Errorf("concurrency 1: %d requests over %d connections, want one connection", n, conns)
		}
		if peak < 1 || peak > conc {
			t.Errorf("concurrency %d: %d requests in flight at once", conc, peak)
		}
		mu.Unlock()
	}
}

// Started and Finished come once per registry, starts in config order
// (the first entries start first), and results stay in config order
// whatever finishes first.
func TestStartOrderAndResultOrder(t *testing.T) {
	s, sc := seedSuite(t)
	var regs []config.Registry
	for i := range 12 {
		// Later registries answer faster, so they finish first.
		delay := time.Duration(12-i) * time.Millisecond
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay)
			(&fake{}).ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		regs = append(regs, fakeRegistry(fmt.Sprintf("r%02d", i), srv.URL))
	}
	var mu sync.Mutex
	var started, finished []string
	run, err := Run(context.Background(), Options{
		Registries: regs, Suite: s, Scenarios: sc, Parallel: 3,
		Started:  func(r config.Registry) { mu.Lock(); started = append(started, r.Name); mu.Unlock() },
		Finished: func(r results.Registry) { mu.Lock(); finished = append(finished, r.Name); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for i, r := range regs {
		want = append(want, r.Name)
		got = append(got, run.Registries[i].Name)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results in order %v, want config order", got)
	}
	if len(finished) != len(regs) {
		t.Errorf("%d finished calls for %d registries", len(finished), len(regs))
	}
	// With 3 workers, registry i cannot start before registry i-3 has.
	pos := map[string]int{}
	for i, n := range started {
		pos[n] = i
	}
	for i := 3; i < len(regs); i++ {
		if pos[regs[i].Name] < pos[regs[i-3].Name] {
			t.Errorf("%s started before %s: starts %v", regs[i].Name, regs[i-3].Name, started)
		}
	}
}
