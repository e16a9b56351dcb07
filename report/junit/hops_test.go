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

// An answer that counts although something about it was odd says so on
// its line (schema 1.3's note), as report.html does beside the status.
func TestExchangeLineShowsNote(t *testing.T) {
	e := results.Exchange{Method: "GET", URL: "http://r/v2/a/blobs/sha256:1", Status: 416, Attempts: 1, DurationMS: 2,
		Note: "the body ended after 33 of the 49 bytes its Content-Length declared; the status decides"}
	if got, want := ExchangeLine(e), "GET http://r/v2/a/blobs/sha256:1 -> 416 (1 attempt, 2 ms) (the body ended after 33 of the 49 bytes its Content-Length declared; the status decides)"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
