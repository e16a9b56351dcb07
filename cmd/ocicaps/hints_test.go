package main

import (
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// The hint comes from the status the registry answered, not from the
// words of a reason: a 401 on a request of an unsupported or failed
// capability of a registry given no credentials; not for a clean-up, a
// supported capability, or a registry that was given credentials.
func TestCredentialHintsFromStatus(t *testing.T) {
	reg := func(name, creds string, c results.Capability) results.Registry {
		return results.Registry{Name: name, URL: "http://127.0.0.1:5000", Credentials: creds, Capabilities: []results.Capability{c}}
	}
	got401 := []results.Exchange{{Method: "GET", Status: 200}, {Method: "GET", Status: 401}}
	run := &results.Run{Registries: []results.Registry{
		reg("hint", "none", results.Capability{Status: results.Unsupported, Reason: "not configured", Exchanges: got401}),
		reg("worded", "none", results.Capability{Status: results.Error, Reason: "it said 401 Unauthorized", Exchanges: []results.Exchange{{Status: 404}}}),
		reg("cleanup", "none", results.Capability{Status: results.Error, Exchanges: []results.Exchange{{Status: 401, Cleanup: true}}}),
		reg("supported", "none", results.Capability{Status: results.Supported, Exchanges: got401}),
		reg("given", "username alice, password from $P", results.Capability{Status: results.Error, Exchanges: got401}),
	}}
	hints := credentialHints(run)
	if len(hints) != 1 || !strings.HasPrefix(hints[0], "ocicaps: hint asks for credentials") || !strings.Contains(hints[0], `docker login 127.0.0.1:5000`) {
		t.Errorf("hints %q, want one for registry hint", hints)
	}
}
