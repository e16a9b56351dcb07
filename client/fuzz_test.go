package client

import (
	"net/http"
	"testing"
)

func FuzzRedactHeaders(f *testing.F) {
	f.Add("Authorization", "Bearer abc")
	f.Add("authorization", "Basic xyz")
	f.Add("X-Other", "v")
	f.Fuzz(func(t *testing.T, k, v string) {
		out := RedactHeaders(http.Header{k: {v}})
		if secretHeaders[http.CanonicalHeaderKey(k)] && len(v) > 0 {
			for _, got := range out[http.CanonicalHeaderKey(k)] {
				if got == v && v != Redacted {
					t.Fatalf("%s leaked", k)
				}
			}
		}
	})
}
