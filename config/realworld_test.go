package config

import (
	"strings"
	"testing"
	"time"
)

func TestConsistencyAndRateLimitKeys(t *testing.T) {
	cfg, err := Parse("r.yaml", []byte(`defaults:
  consistency: {wait: 3s}
  rateLimit: {requestsPerSecond: 10, burst: 5}
registries:
  - name: a
    url: http://127.0.0.1:1
  - name: b
    url: http://127.0.0.1:2
    consistency: {wait: 0}
    rateLimit: {requestsPerSecond: 0.5}
`))
	if err != nil {
		t.Fatal(err)
	}
	a, b := cfg.Registries[0], cfg.Registries[1]
	if a.Consistency.Wait != 3*time.Second || a.RateLimit != (RateLimit{RequestsPerSecond: 10, Burst: 5}) {
		t.Errorf("a: %+v %+v, want the defaults", a.Consistency, a.RateLimit)
	}
	// Field by field: b keeps the defaults' burst.
	if b.Consistency.Wait != 0 || b.RateLimit != (RateLimit{RequestsPerSecond: 0.5, Burst: 5}) {
		t.Errorf("b: %+v %+v", b.Consistency, b.RateLimit)
	}
	cfg, err = Parse("r.yaml", []byte("registries:\n  - name: a\n    url: http://127.0.0.1:1\n    rateLimit: {requestsPerSecond: 2}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := cfg.Registries[0]; r.Consistency.Wait != DefaultConsistencyWait || r.RateLimit != (RateLimit{RequestsPerSecond: 2, Burst: 1}) {
		t.Errorf("built-in defaults: %+v %+v", r.Consistency, r.RateLimit)
	}
	cfg, _ = Parse("r.yaml", []byte("registries:\n  - name: a\n    url: http://127.0.0.1:1\n"))
	if r := cfg.Registries[0]; r.RateLimit != (RateLimit{}) {
		t.Errorf("no limit unless asked: %+v", r.RateLimit)
	}
}

func TestConsistencyAndRateLimitErrors(t *testing.T) {
	good := "registries:\n  - name: a\n    url: http://127.0.0.1:1\n"
	for _, tc := range []struct{ config, want string }{
		{good + "    consistency: {wait: soon}\n", `r.yaml:4: "wait": "soon" is not a duration`},
		{good + "    consistency: {wait: 3}\n", "add a unit: 3s"},
		{good + "    consistency: {wait: 10m}\n", `registry "a": consistency: "wait" must be at most 2m0s`},
		{good + "    consistency: {delay: 1s}\n", `r.yaml:4: unknown key "delay" in registry "a": consistency`},
		{good + "    consistency: 5s\n", "consistency must be a mapping"},
		{good + "    rateLimit: {requestsPerSecond: 0}\n", `r.yaml:4: registry "a": rateLimit: "requestsPerSecond" must be a number`},
		{good + "    rateLimit: {requestsPerSecond: fast}\n", `"requestsPerSecond" must be a number`},
		{good + "    rateLimit:\n      requestsPerSecond: 5\n      burst: 0\n", `r.yaml:6: registry "a": rateLimit: "burst" must be a whole number`},
		{good + "    rateLimit: {burst: 3}\n", `"burst" without "requestsPerSecond"`},
		{good + "    rateLimit: {rps: 3}\n", `unknown key "rps"`},
		{"defaults:\n  rateLimit: {requestsPerSecond: -1}\n" + good, `r.yaml:2: defaults.rateLimit: "requestsPerSecond"`},
		{"defaults:\n  consistency: {wait: -1s}\n" + good, `r.yaml:2: "wait" must be positive`},
	} {
		_, err := Parse("r.yaml", []byte(tc.config))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.config, err, tc.want)
		}
	}
}
