package steps

import (
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func TestRateLimitedIsNeverUnsupported(t *testing.T) {
	throttled := results.Exchange{Method: "PATCH", URL: "http://r/v2/x/blobs/uploads/1", Status: 429, Attempts: 4}
	cases := []struct {
		name       string
		in         Outcome
		wantStatus results.Status
		wantReason string
	}{
		{"unsupported after a 429", Outcome{Status: results.Unsupported, Reason: "the status was 429", Exchanges: []results.Exchange{throttled}},
			results.Error, "rate limited: PATCH http://r/v2/x/blobs/uploads/1 answered 429 Too Many Requests after 4 attempts"},
		{"error naming the 429", Outcome{Status: results.Error, Reason: "PATCH /v2/x answered 429 Too Many Requests, which says nothing", Exchanges: []results.Exchange{throttled}},
			results.Error, "rate limited: PATCH /v2/x answered 429 Too Many Requests, which says nothing"},
		{"supported stands", Outcome{Status: results.Supported, Reason: "ok", Exchanges: []results.Exchange{throttled}},
			results.Supported, "ok"},
		{"a clean-up's 429 is no verdict", Outcome{Status: results.Unsupported, Reason: "404", Exchanges: []results.Exchange{{Status: 429, Cleanup: true}}},
			results.Unsupported, "404"},
	}
	for _, tc := range cases {
		o := tc.in
		rateLimited(&o)
		if o.Status != tc.wantStatus || !strings.HasPrefix(o.Reason, tc.wantReason) {
			t.Errorf("%s: %s %q, want %s %q", tc.name, o.Status, o.Reason, tc.wantStatus, tc.wantReason)
		}
	}
}
