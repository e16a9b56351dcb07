package runner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

const deviatingFeature = `@capability:closing-upload @check:check.test @severity:warn
Feature: Closing an upload
  A test capability whose registry closes uploads without Location.

  Scenario: first
    When I send a GET request to "/v2/"
    When I send a PUT request to "/v2/r/blobs/uploads/x"
    Then the registry deviates from "Pushing blobs" when the response header "Location" is absent because "the 201 MUST carry Location ({status})"
    And the capability is supported when the status is 201

  Scenario: second
    When I send a PUT request to "/v2/r/blobs/uploads/y"
    Then the registry deviates from "Pushing blobs" when the response header "Location" is absent because "the 201 MUST carry Location ({status})"
    When I send a DELETE request to "/v2/r/blobs/sha256:absent"
    Then the registry deviates from "Deleting Blobs" unless the status is 404 because "an absent blob MUST answer 404, not {status}"
    And the capability is supported when the status is 500
`

// A capability's deviations are the union of its scenarios', once per
// section and rule, each naming its scenario and its exchange among the
// capability's; a supported capability stays supported and scores, and
// its registry's severity is info.
func TestDeviationsFoldIntoTheCapability(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPut:
			w.WriteHeader(201)
		case http.MethodDelete:
			w.WriteHeader(500)
		}
	}))
	t.Cleanup(srv.Close)
	s, problems := suite.Load(fstest.MapFS{"c.feature": {Data: []byte(deviatingFeature)}}, "test")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if p := s.Validate(steps.Check); len(p) > 0 {
		t.Fatal(p)
	}
	reg := config.Registry{Name: "fake", URL: srv.URL, TestRepository: "r", TestTag: "latest", MountRepository: "r-mount", Concurrency: 1,
		Timeouts: config.Timeouts{Request: 5 * time.Second, Registry: 20 * time.Second}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := Run(ctx, Options{Registries: []config.Registry{reg}, Suite: s, Scenarios: s.Select("")})
	if err != nil {
		t.Fatal(err)
	}
	r := run.Registries[0]
	c := capability(t, r, "closing-upload")
	if c.Status != results.Supported || r.Score != 1 || r.Severity != results.Info {
		t.Errorf("%s, score %d, severity %s; want supported, 1, info", c.Status, r.Score, r.Severity)
	}
	if len(c.Deviations) != 2 {
		t.Fatalf("deviations %+v, want 2", c.Deviations)
	}
	for _, d := range c.Deviations {
		ex := c.Exchanges[d.Evidence.Exchange]
		if ex.Method != d.Evidence.Method || ex.URL != d.Evidence.URL || ex.Status != d.Evidence.Status {
			t.Errorf("%s: evidence %+v is not exchange %d (%s %s %d)", d.Section, d.Evidence, d.Evidence.Exchange, ex.Method, ex.URL, ex.Status)
		}
	}
	if d := c.Deviations[0]; d.Section != "Pushing blobs" || d.Rule != "the 201 MUST carry Location (201)" || d.Evidence.Scenario != "first" {
		t.Errorf("first deviation %+v", d)
	}
	if d := c.Deviations[1]; d.Section != "Deleting Blobs" || d.Evidence.Status != 500 || d.Evidence.Scenario != "second" || d.Evidence.Method != "DELETE" {
		t.Errorf("second deviation %+v", d)
	}
}
