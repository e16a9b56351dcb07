package config

import (
	"strings"
	"testing"
)

func TestConcurrencyKey(t *testing.T) {
	cfg, err := Parse("r.yaml", []byte("defaults:\n  concurrency: 2\nregistries:\n  - name: a\n    url: http://127.0.0.1:1\n  - name: b\n    url: http://127.0.0.1:2\n    concurrency: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := cfg.Registries[0].Concurrency, cfg.Registries[1].Concurrency; a != 2 || b != 1 {
		t.Errorf("concurrency a=%d b=%d, want 2 (defaults) and 1 (its own)", a, b)
	}
	cfg, err = Parse("r.yaml", []byte("registries:\n  - name: a\n    url: http://127.0.0.1:1\n"))
	if err != nil || cfg.Registries[0].Concurrency != AutoConcurrency {
		t.Errorf("no key: %v, concurrency %d, want %d (automatic)", err, cfg.Registries[0].Concurrency, AutoConcurrency)
	}
	for _, bad := range []string{"0", "65", "two", "[1]"} {
		_, err := Parse("r.yaml", []byte("registries:\n  - name: a\n    url: http://127.0.0.1:1\n    concurrency: "+bad+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), "r.yaml:4: ") || !strings.Contains(err.Error(), `"concurrency" must be`) {
			t.Errorf("concurrency %s: error %v, want one at r.yaml:4", bad, err)
		}
	}
}
