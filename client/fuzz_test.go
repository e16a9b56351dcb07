package client

import (
	"net/http"
	"testing"
	"time"
)

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "-5", "Fri, 27 Nov 2026 12:00:30 GMT", "Friday, 27-Nov-26 12:00:30 GMT", "Fri Nov 27 12:00:30 2026", "1e9", "", " 7 "} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("%q: %s %v", v, d, ok)
		}
	})
}

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
