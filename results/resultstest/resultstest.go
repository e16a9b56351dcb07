// Package resultstest builds results for writer tests: a run shaped like the
// zoo's, with an error, a trend, leftovers and hostile text, and copies of a
// run scaled to many registries.
package resultstest

import (
	"fmt"
	"strings"
	"time"

	"github.com/ocicaps/ocicaps/results"
)

// Nasty holds what breaks naive HTML, Markdown and terminals: markup, a
// script, entities, quotes, a Markdown link and image, a table pipe, control
// characters, an ANSI escape and invalid UTF-8.
const Nasty = "<script>alert(1)</script> & \"q\" 'a' [x](https://evil.example/) ![i](https://evil.example/i.png) | `c` \x00\x07\x1b[31m \xff end\nline2"

var caps = []struct {
	id, name string
	sev      results.Severity
}{
	{"distribution-version", "Distribution version", results.Info},
	{"referrers", "Referrers API", results.Warn},
	{"chunked-upload", "Chunked upload", results.Info},
	{"cross-repo-mount", "Cross-repository blob mount", results.Info},
	{"delete", "Delete support", results.Info},
}

// Sample returns a run of three registries: one at warn, one at fail (a
// refused connection and hostile text), one at pass; with capability
// descriptions, a trend against a baseline and a leftover.
func Sample() *results.Run {
	start := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	run := &results.Run{
		SchemaVersion: results.SchemaVersion,
		Tool:          results.Tool{Name: "ocicaps", Version: "v0.2.0"},
		StartedAt:     start, FinishedAt: start.Add(2500 * time.Millisecond), DurationMS: 2500,
		ConfigFile: "registries.yaml", Suite: "embedded", Selection: "@check:check.integration.oci.capabilities",
		FailOn: results.Fail,
	}
	for _, c := range caps {
		run.Capabilities = append(run.Capabilities, results.CapabilityInfo{
			ID: c.id, Check: "check.integration.oci.capabilities", Name: c.name, SeverityWhenMissing: c.sev,
			Description:  "What " + c.name + " is.",
			CommonCauses: []string{"Cause one of " + c.id + ".", "Cause two."},
			HowToFix:     []string{"Fix " + c.id + ":\ncurl -sv https://registry.example.com/v2/", "Upgrade."},
			Source:       "capabilities/" + c.id + ".feature",
		})
	}
	run.Registries = []results.Registry{
		registry("zoo-distribution", "http://127.0.0.1:5001", "yes no yes yes yes"),
		registry("refuses <b>"+Nasty, "http://127.0.0.1:1", "err err err err err"),
		registry("all-good", "http://127.0.0.1:5003", "yes yes yes yes yes"),
	}
	run.Registries[0].Leftovers = []results.Leftover{{What: "blob", URL: "http://127.0.0.1:5001/v2/ocicaps/mount-probe/blobs/sha256:abc", Reason: "DELETE answered 405"}}
	addDeviation(&run.Registries[0])
	run.Trend = &results.Trend{
		Baseline: results.Baseline{File: "previous/results.json", StartedAt: start.Add(-24 * time.Hour), ToolVersion: "v0.1.0"},
		Registries: []results.RegistryTrend{
			{Name: "zoo-distribution", ScoreBefore: 5, MaxScoreBefore: 5, Score: 4, MaxScore: 5, SeverityBefore: results.Pass, Severity: results.Warn,
				Changes: []results.CapabilityChange{{ID: "referrers", Kind: results.ChangeLost, Before: results.Supported, After: results.Unsupported, Reason: "referrers API answered 404 without an OCI index"}}},
			{Name: "all-good", ScoreBefore: 5, MaxScoreBefore: 5, Score: 5, MaxScore: 5, SeverityBefore: results.Pass, Severity: results.Pass, Changes: []results.CapabilityChange{}},
		},
		Added: []string{"refuses <b>" + Nasty}, Removed: []string{"retired"}, Lost: 1,
	}
	addFallbacks(run)
	return run
}

// addFallbacks declares two fallbacks of referrers and gives the one
// registry where it is unsupported their outcome: one verified to work,
// one not run (with hostile text in its hint).
func addFallbacks(run *results.Run) {
	run.Capabilities[1].Fallbacks = []string{"referrers-tag-fallback", "tag-listing"}
	run.Registries[0].Capabilities[1].Fallbacks = []results.Fallback{
		{Capability: "referrers-tag-fallback", Check: "check.oci.spec.discovery", Status: results.Supported, Verified: true},
		{Capability: "tag-listing", Check: "check.x", Status: results.NotRun, Hint: "select --check check.x " + Nasty},
	}
}

func registry(name, url, verdicts string) results.Registry {
	reg := results.Registry{Name: name, URL: url, TestRepository: "library/alpine", TestTag: "latest", DurationMS: 120}
	words := strings.Fields(verdicts)
	for i, c := range caps {
		capab := results.Capability{
			ID: c.id, Check: "check.integration.oci.capabilities", Name: c.name, SeverityWhenMissing: c.sev,
			Source: fmt.Sprintf("capabilities/%s.feature:%d", c.id, 16), DurationMS: int64(3 + i),
			Facts: []results.Fact{},
		}
		path := "/v2/library/alpine/" + c.id
		switch words[i] {
		case "yes":
			capab.Status = results.Supported
			capab.Exchanges = []results.Exchange{{
				Method: "GET", URL: url + path, Status: 200, Attempts: 1, DurationMS: 2,
				RequestHeaders:  map[string][]string{"Authorization": {"REDACTED"}, "User-Agent": {"ocicaps/v0.2.0"}},
				ResponseHeaders: map[string][]string{"Docker-Distribution-Api-Version": {"registry/2.0"}, "Content-Type": {"application/json"}},
			}}
			if c.id == "distribution-version" {
				capab.Facts = []results.Fact{{Name: "distribution version", Value: "registry/2.0"}}
			}
		case "no":
			capab.Status = results.Unsupported
			capab.Reason = "referrers API answered 404 without an OCI index"
			capab.Exchanges = []results.Exchange{
				{Method: "HEAD", URL: url + "/v2/library/alpine/manifests/latest", Status: 200, Attempts: 1, DurationMS: 1},
				{Method: "GET", URL: url + path, Status: 404, Attempts: 1, DurationMS: 2,
					ResponseHeaders: map[string][]string{"Content-Type": {"application/json"}}},
			}
		default:
			capab.Status = results.Error
			capab.Reason = "connection refused " + Nasty
			capab.Exchanges = []results.Exchange{{
				Method: "GET", URL: url + path, Attempts: 3, DurationMS: 1500,
				Error: "dial tcp 127.0.0.1:1: connect: connection refused " + Nasty,
			}}
		}
		reg.Capabilities = append(reg.Capabilities, capab)
	}
	results.Summarize(&reg)
	return reg
}

// addDeviation gives reg's chunked-upload (supported) a closing PUT
// answered 201 without Location, and the deviation it is evidence of.
func addDeviation(reg *results.Registry) {
	for i := range reg.Capabilities {
		c := &reg.Capabilities[i]
		if c.ID != "chunked-upload" || c.Status != results.Supported {
			continue
		}
		put := results.Exchange{Method: "PUT", URL: reg.URL + "/v2/library/alpine/blobs/uploads/7?digest=sha256:abc", Status: 201, Attempts: 1, DurationMS: 2}
		c.Exchanges = append(c.Exchanges, put)
		c.Deviations = []results.Deviation{{
			Section: "Pushing a blob in chunks",
			Rule:    "the 201 Created closing an upload session MUST carry Location: <blob-location>; the registry answered 201 Created without it",
			Evidence: results.Evidence{Scenario: "A blob uploaded in two chunks reads back the same", Method: put.Method, URL: put.URL,
				Status: 201, Answer: "201 Created", Exchange: len(c.Exchanges) - 1},
		}}
	}
	results.Summarize(reg)
}

// Scale returns a copy of run with n registries, cycling through run's
// registries and numbering their names, so a real run can stand in for a
// large fleet. The trend is dropped: its names would not match.
func Scale(run *results.Run, n int) *results.Run {
	out := *run
	out.Trend = nil
	out.Registries = make([]results.Registry, 0, n)
	for i := 0; i < n && len(run.Registries) > 0; i++ {
		r := run.Registries[i%len(run.Registries)]
		r.Name = fmt.Sprintf("%s-%03d", r.Name, i)
		out.Registries = append(out.Registries, r)
	}
	return &out
}
