package client

import (
	"strings"
	"testing"
)

// Describe says the status, the registry's first error code and message,
// and what was presented for a 401, in that order.
func TestResponseDescribe(t *testing.T) {
	long := strings.Repeat("m", 200)
	cases := []struct {
		name string
		r    Response
		want string
	}{
		{"plain", Response{Status: 202}, "202 Accepted"},
		{"error document", Response{Status: 404, Body: []byte(`{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"},{"code":"X"}]}`)},
			"404 Not Found (NAME_UNKNOWN: repository name not known)"},
		{"code without message", Response{Status: 405, Body: []byte(`{"errors":[{"code":"UNSUPPORTED"}]}`)}, "405 Method Not Allowed (UNSUPPORTED)"},
		{"not an error document", Response{Status: 500, Body: []byte(`<html>oops</html>`)}, "500 Internal Server Error"},
		{"auth note", Response{Status: 401, AuthNote: "no credentials are configured"}, "401 Unauthorized; no credentials are configured"},
		{"long message clipped", Response{Status: 400, Body: []byte(`{"errors":[{"code":"DENIED","message":"` + long + `"}]}`)},
			"400 Bad Request (DENIED: " + long[:120] + "…)"},
		{"unknown status", Response{Status: 599}, "599"},
	}
	for _, c := range cases {
		if got := c.r.Describe(); got != c.want {
			t.Errorf("%s: Describe() = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestOCIErrors(t *testing.T) {
	if _, ok := OCIErrors([]byte(`{"errors":[]}`)); ok {
		t.Error("an empty error list is no error document")
	}
	errs, ok := OCIErrors([]byte(`{"errors":[{"code":"BLOB_UNKNOWN"}]}`))
	if !ok || errs[0].Code != "BLOB_UNKNOWN" {
		t.Errorf("OCIErrors = %v, %v", errs, ok)
	}
}
