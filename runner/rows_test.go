package runner

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
)

// Every Examples row of a Scenario Outline counts, the worst deciding
// (docs/writing-scenarios.md §8): the rows share the outline's file:line,
// and once only the row that finished last was kept, so an outline whose
// failing row finished first read "supported". On the zoo's Distribution,
// /v2/ and a tag list answer 200 and an absent manifest 404, whichever row runs first.
func TestOutlineRowsAllCount(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	insts := startZoo(t, zoo.Standard()[0])
	outline := func(rows ...string) string {
		return "@capability:rows @check:check.t.rows @severity:info\nFeature: rows\n" +
			"  Scenario Outline: GET <path>\n    When I send a GET request to \"<path>\"\n" +
			"    Then the capability is supported when the status is 200\n\n    Examples:\n      | path |\n" +
			"      | " + strings.Join(rows, " |\n      | ") + " |\n"
	}
	absent := "/v2/library/alpine/manifests/ocicaps-absent"
	for _, c := range []struct {
		name string
		rows []string
		want results.Status
	}{
		{"failing row first", []string{absent, "/v2/"}, results.Unsupported},
		{"failing row last", []string{"/v2/", absent}, results.Unsupported},
		{"all rows pass", []string{"/v2/", "/v2/library/alpine/tags/list"}, results.Supported},
	} {
		for _, conc := range []int{1, 8} {
			s, problems := suite.Load(fstest.MapFS{"rows.feature": {Data: []byte(outline(c.rows...))}}, "test")
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			reg := fakeRegistry("zoo", insts[0].URL)
			reg.Concurrency = conc
			out, err := Run(ctx, Options{Registries: []config.Registry{reg}, Suite: s, Scenarios: s.Select("")})
			if err != nil {
				t.Fatal(err)
			}
			got := capability(t, out.Registries[0], "rows")
			if got.Status != c.want || len(got.Exchanges) != 2 {
				t.Errorf("%s, concurrency %d: %s (%s) from %d exchanges, want %s from 2",
					c.name, conc, got.Status, got.Reason, len(got.Exchanges), c.want)
			}
			if c.want == results.Unsupported && !strings.Contains(got.Reason, "404") {
				t.Errorf("%s: the reason does not say what the failing row saw: %q", c.name, got.Reason)
			}
		}
	}
}
