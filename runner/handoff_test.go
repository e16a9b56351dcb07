package runner

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
)

// memSpool keeps what it is given; refuse makes Put fail for a name.
type memSpool struct {
	mu     sync.Mutex
	regs   map[int]results.Registry
	refuse string
}

func (m *memSpool) Put(i int, r results.Registry) error {
	if r.Name == m.refuse {
		return errors.New("disk full")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.regs[i] = r
	return nil
}

func (m *memSpool) Registry(i int) (results.Registry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.regs[i]
	if !ok {
		return r, errors.New("not spooled")
	}
	return r, nil
}

// With a spool, the run keeps light copies (no exchanges) and gives back,
// through Full and Each, the complete registries the spool took, each
// with its index in the file; a registry the spool refuses stays complete
// in the run. The verdicts are those of a run without a spool.
func TestSpoolKeepsEvidenceOutOfTheRun(t *testing.T) {
	srv := httptest.NewServer(&fake{})
	t.Cleanup(srv.Close)
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var regs []config.Registry
	for _, name := range []string{"a", "b", "c"} {
		regs = append(regs, config.Registry{Name: name, URL: srv.URL, TestRepository: "library/alpine", TestTag: "latest", MountRepository: "ocicaps/mount-probe",
			Retry: config.Retry{Max: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond}, Timeouts: config.Timeouts{Request: 5 * time.Second, Registry: 20 * time.Second}})
	}
	listed := append([]config.Registry{{Name: "first in the file"}}, regs...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opts := Options{Registries: regs, Listed: listed, Suite: s, Scenarios: s.Select("@check:" + suite.DefaultCheck), Parallel: 2}
	plain, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	sp := &memSpool{regs: map[int]results.Registry{}, refuse: "b"}
	opts.Spool = sp
	run, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if run.Details == nil {
		t.Fatal("no Details on a spooled run")
	}
	for i, r := range run.Registries {
		exchanges := 0
		for _, c := range r.Capabilities {
			exchanges += len(c.Exchanges)
		}
		if kept := r.Name == "b"; kept != (exchanges > 0) {
			t.Errorf("%s: %d exchanges in the run (refused by the spool: %v)", r.Name, exchanges, kept)
		}
		if r.Index != i+1 {
			t.Errorf("%s: index %d, want %d (its place in the file)", r.Name, r.Index, i+1)
		}
		full, err := run.Full(i)
		if err != nil {
			t.Fatal(err)
		}
		if full.Index != i+1 || full.Name != r.Name {
			t.Errorf("read back %s index %d for %s index %d", full.Name, full.Index, r.Name, i+1)
		}
		if got, want := verdicts(full), verdicts(plain.Registries[i]); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: verdicts %v, without a spool %v", r.Name, got, want)
		}
		for _, c := range full.Capabilities {
			if len(c.Exchanges) == 0 {
				t.Errorf("%s %s: no exchanges read back", r.Name, c.ID)
			}
		}
	}
	if _, ok := sp.regs[1]; ok {
		t.Error("the refused registry is in the spool")
	}
}

func verdicts(r results.Registry) map[string]results.Status {
	out := map[string]results.Status{}
	for _, c := range r.Capabilities {
		out[c.ID] = c.Status
	}
	return out
}
