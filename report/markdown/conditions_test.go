package markdown

import (
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func TestConditionsListed(t *testing.T) {
	run := &results.Run{Registries: []results.Registry{
		{Name: "hub", Severity: results.Fail, RateLimited: 3, Capabilities: []results.Capability{
			{ID: "push", Status: results.Error, Reason: "rate limited: PUT … answered 429 Too Many Requests"},
		}},
		{Name: "s3", Severity: results.Pass, Capabilities: []results.Capability{
			{ID: "push", Status: results.Supported, Facts: []results.Fact{{Name: results.FactReadAfterWrite, Value: "readable 480 ms after the write (GET /v2/a/manifests/v1)"}}},
		}},
		{Name: "plain", Severity: results.Pass, Capabilities: []results.Capability{{ID: "push", Status: results.Supported}}},
	}}
	out := Render(run)
	for _, want := range []string{
		"### Registry conditions",
		"- **hub**: rate limited: 3 answers 429 Too Many Requests, 1 capability in error for it",
		"- **s3**: reads lag writes: 1 capability read an object only some time after writing it, at most 480 ms",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "**plain**:") {
		t.Error("a registry without conditions is listed")
	}
}
