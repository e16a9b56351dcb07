package config

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"registries:\n  - name: a\n    url: http://127.0.0.1:5000\n",
		"defaults:\n  retry: {max: 3, minWait: 10ms, maxWait: 1s}\n  timeouts: {request: 5s, registry: 1m}\n  run: 10m\nregistries:\n  - name: a\n    url: https://r.example\n    testRepository: library/alpine\n    testTag: v1\n    retry: {max: 0}\n",
		"registries: []\n",
		"registries:\n  - name: a\n   url: x\n",
		"- just a list\n",
		"registries:\n  - &a {name: x, url: 'http://h'}\n  - *a\n",
		"registries:\n  - name: a\n    url: http://h\n    timeouts: {request: -1s}\n",
		"",
		"registries:\n  - name: a\n    url: http://h\nregistries: []\n",
		"registries:\n  - name: a\n    url: http://h:99999\n---\nx: 1\n",
		"registries:\n  - name: a\x00\n    url: http://u:p@h\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v is not a list of positioned problems", err)
			}
			if len(es) > MaxProblems+1 {
				t.Fatalf("%d problems printed, at most %d and a count", len(es), MaxProblems)
			}
			for _, e := range es {
				if !strings.HasPrefix(e.Error(), "fuzz.yaml") {
					t.Fatalf("problem without the file name: %q", e.Error())
				}
			}
			return
		}
		if len(cfg.Registries) == 0 {
			t.Fatal("a valid configuration without registries")
		}
		for _, r := range cfg.Registries {
			if r.Name == "" || !strings.HasPrefix(r.URL, "http") || r.Timeouts.Request <= 0 || r.Retry.Max < 0 {
				t.Fatalf("accepted a bad registry: %+v", r)
			}
		}
	})
}
