package html

import (
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func TestExchangeViewShowsHops(t *testing.T) {
	e := results.Exchange{Method: "GET", URL: "http://r/v2/a/blobs/sha256:1", Status: 200, Attempts: 1, Hops: []results.Exchange{
		{Method: "GET", URL: "http://r/v2/a/blobs/sha256:1", Status: 307},
		{Method: "GET", URL: "http://127.0.0.2:9/data", Status: 200},
	}}
	if got, want := exchangeView(1, e).Answer, "200 via http://127.0.0.2:9/data 200"; got != want {
		t.Errorf("answer %q, want %q", got, want)
	}
}
