package faultproxy

import (
	"net/http/httptest"
	"testing"
)

// TestShareNeverFaultsARequestTwice: with identical requests interleaved
// (scenarios side by side), a request that was faulted once is never
// faulted again, so its retry gets through; and the rule does fault.
func TestShareNeverFaultsARequestTwice(t *testing.T) {
	rule := Share(0.9, 7, Unavailable, Reset)
	paths := []string{"/v2/a/blobs/uploads/", "/v2/a/blobs/uploads/", "/v2/b/manifests/x"}
	faulted := map[string]int{}
	for i := 0; i < 300; i++ {
		r := httptest.NewRequest("POST", paths[i%len(paths)], nil)
		if rule(r, i+1) != None {
			faulted[r.URL.Path]++
		}
	}
	if len(faulted) == 0 {
		t.Fatal("share 0.9 faulted nothing")
	}
	for p, n := range faulted {
		if n > 1 {
			t.Errorf("%s faulted %d times", p, n)
		}
	}
}
