// Package spool keeps the complete results of a run's registries on disk
// while the run goes on (runner.Spool), so that a fleet of thousands of
// registries is not held in memory: each registry's results are written
// once as it finishes and read back, one at a time, by the report writers.
package spool

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/ocicaps/ocicaps/results"
)

// Spool is one run's registries in a file that has no name: it is removed
// as soon as it is created and lives as long as it is open, so that it
// leaves nothing behind, even when the process is killed.
type Spool struct {
	f    *os.File
	mu   sync.Mutex
	end  int64
	at   map[int]span
	err  error // the first write that failed
	path string
}

type span struct{ off, n int64 }

// New makes a spool in dir (the report folder: on disk, where a temporary
// folder may be memory).
func New(dir string) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	f, err := os.CreateTemp(dir, ".ocicaps-spool-*")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &Spool{f: f, at: map[int]span{}, path: f.Name()}, nil
}

// Put writes registry i. A failed write is returned, and kept for Err.
func (s *Spool) Put(i int, r results.Registry) error {
	data, err := json.Marshal(r)
	if err != nil {
		return s.fail(fmt.Errorf("spool: encode %s: %w", r.Name, err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.f.WriteAt(data, s.end)
	if err != nil {
		e := fmt.Errorf("spool: write %s: %w", r.Name, err)
		s.record(e)
		return e
	}
	s.at[i] = span{s.end, int64(n)}
	s.end += int64(n)
	return nil
}

func (s *Spool) fail(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(err)
	return err
}

func (s *Spool) record(err error) {
	if s.err == nil {
		s.err = err
	}
}

// Registry reads registry i back.
func (s *Spool) Registry(i int) (results.Registry, error) {
	s.mu.Lock()
	sp, ok := s.at[i]
	s.mu.Unlock()
	if !ok {
		return results.Registry{}, fmt.Errorf("spool: no registry %d", i)
	}
	data := make([]byte, sp.n)
	if _, err := s.f.ReadAt(data, sp.off); err != nil {
		return results.Registry{}, fmt.Errorf("spool: read registry %d: %w", i, err)
	}
	var r results.Registry
	if err := json.Unmarshal(data, &r); err != nil {
		return results.Registry{}, fmt.Errorf("spool: decode registry %d: %w", i, err)
	}
	return r, nil
}

// Err is the first write that failed: those registries stayed in memory.
func (s *Spool) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close releases the file (and with it the disk space).
func (s *Spool) Close() error { return s.f.Close() }
