package runner

import (
	"slices"
	"testing"
)

// A realm the clients would reach past the proxy must be one ocicaps
// itself may reach: never a metadata or link-local address, never plain
// HTTP to another host (credentials in clear); those go to the sink.
func TestDirectRealmHosts(t *testing.T) {
	realms := []string{
		"https://auth.127.0.0.2.nip.test/token",
		"http://127.0.0.1:5001/token",
		"http://127.0.0.3:5001/token",
		"https://169.254.169.254/latest",
		"https://metadata.google.internal/token",
		"https://[fe80::1]/token",
		"http://169.254.169.254/token",
	}
	got := directRealmHosts(realms, "127.0.0.1")
	want := []string{"auth.127.0.0.2.nip.test", "auth.127.0.0.2.nip.test", "127.0.0.1:5001", "127.0.0.1"}
	if !slices.Equal(got, want) {
		t.Errorf("direct hosts %q, want %q", got, want)
	}
}
