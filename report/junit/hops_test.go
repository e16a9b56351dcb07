package junit

import (
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func TestExchangeLineShowsHops(t *testing.T) {
	e := results.Exchange{Method: "GET", URL: "http://r/v2/a/blobs/sha256:1", Status: 200, Attempts: 1, DurationMS: 3, Hops: []results.Exchange{
		{Method: "GET", URL: "http://r/v2/a/blobs/sha256:1", Status: 307},
		{Method: "GET", URL: "http://s/data?sig=[REDACTED]", Status: 200},
	}}
	if got, want := ExchangeLine(e), "GET http://r/v2/a/blobs/sha256:1 -> 200 (1 attempt, 3 ms) via http://s/data?sig=[REDACTED] 200"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	e.Status, e.Hops[1] = 307, results.Exchange{Method: "GET", URL: "file:///etc/passwd", Error: "not sent: \"file:\" is not an http or https URL"}
	if got, want := ExchangeLine(e), `GET http://r/v2/a/blobs/sha256:1 -> 307 (1 attempt, 3 ms) via file:///etc/passwd (not sent: "file:" is not an http or https URL)`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	e.Hops = nil
	if got := ExchangeLine(e); got != "GET http://r/v2/a/blobs/sha256:1 -> 307 (1 attempt, 3 ms)" {
		t.Errorf("without hops: %q", got)
	}
}
