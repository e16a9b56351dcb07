package client

import (
	"encoding/base64"
	"strings"
	"testing"

	"oras.land/oras-go/v2/registry/remote/auth"
)

// A credential scrubber knows the password, its URL-encoded form and the
// base64 of user:password; With knows both scrubbers' secrets, and the
// client's scrubber learns what the client learns later.
func TestScrubber(t *testing.T) {
	cred := CredentialScrubber(auth.Credential{Username: "alice", Password: "pa ss/word"})
	basic := base64.StdEncoding.EncodeToString([]byte("alice:pa ss/word"))
	in := "pw=pa ss/word q=pa+ss%2Fword auth=" + basic + " user=alice"
	if got, want := cred.Scrub(in), "pw=[REDACTED] q=[REDACTED] auth=[REDACTED] user=alice"; got != want {
		t.Errorf("Scrub = %q, want %q", got, want)
	}
	c, err := New("http://127.0.0.1:1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	both := c.Scrubber().With(cred)
	c.secrets.add("token-issued-later")
	got := string(both.ScrubBytes([]byte("token-issued-later pa ss/word")))
	if strings.Contains(got, "token-issued-later") || strings.Contains(got, "pa ss/word") {
		t.Errorf("ScrubBytes = %q", got)
	}
}
