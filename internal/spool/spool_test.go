package spool

import (
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func registry(i int) results.Registry {
	return results.Registry{Name: fmt.Sprintf("r%d", i), URL: "http://127.0.0.1:5000", Score: i,
		Capabilities: []results.Capability{{ID: "pull", Status: results.Supported, Exchanges: []results.Exchange{{
			Method: "GET", URL: "http://127.0.0.1:5000/v2/", Status: 200, Attempts: 1,
			ResponseHeaders: map[string][]string{"Content-Type": {"application/json"}}, Note: `{"a":"<b>&"}`,
			Command: &results.Command{Argv: []string{"oras", "pull"}, Output: "line\n"},
		}}}},
		Warnings: []string{"w"}}
}

// What goes in comes back the same, whatever the order of the puts (from
// many goroutines at once), and the spool leaves no file in its folder,
// even while it is open.
func TestPutAndReadBack(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the spool left %d entries in its folder", len(entries))
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Put(i, registry(i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i := range 50 {
		got, err := s.Registry(i)
		if err != nil {
			t.Fatal(err)
		}
		if want := registry(i); !reflect.DeepEqual(got, want) {
			t.Errorf("registry %d read back as %+v, want %+v", i, got, want)
		}
	}
	if _, err := s.Registry(50); err == nil {
		t.Error("a registry never put was read back")
	}
	if s.Err() != nil {
		t.Error(s.Err())
	}
}

// A write that fails is returned and kept for Err.
func TestWriteFailure(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.f.Close() // the next write fails
	if err := s.Put(0, registry(0)); err == nil {
		t.Fatal("a write to a closed file succeeded")
	}
	if s.Err() == nil {
		t.Error("Err forgot the failed write")
	}
}
