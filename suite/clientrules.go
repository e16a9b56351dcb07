package suite

import (
	"regexp"
	"strings"
)

// The steps of one kind of file that mean nothing in the other: a client
// workflow decides its outcome with the workflow's verdict steps, not a
// capability's; a capability asks the registry, it runs no client.
var (
	capabilityOutcomeRE = regexp.MustCompile(`^(the capability is |otherwise the capability is |the registry deviates from |the registry corrupts content )`)
	clientStepRE        = regexp.MustCompile(`^(I run "|I write the file "|the program environment variable "|I save the output matching "|the workflow (fails|is unsafe|falls back) (when|unless) )`)
	envStepRE           = regexp.MustCompile(`^the program environment variable "((?:\\"|[^"])+)" is `)
)

// ReservedEnv tells whether a workflow may not set the environment
// variable name (any case): those that would undo the run's safety, the
// proxy that keeps clients on the registry (any *_PROXY), the home and
// Docker config ocicaps writes, the CA bundle, where programs are found.
func ReservedEnv(name string) bool {
	n := strings.ToUpper(name)
	if strings.HasSuffix(n, "_PROXY") {
		return true
	}
	switch n {
	case "HOME", "DOCKER_CONFIG", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "PATH":
		return true
	}
	return false
}

// clientRules checks what a client scenario may hold: no Scenario
// Outline, no capability outcome, no reserved environment variable, at
// least one program run.
func (ps *problems) clientRules(f *Feature, sc *Scenario) {
	if sc.outline != 0 {
		ps.add(f.File, sc.outline, "write one Scenario: per workflow, its values in its steps", "workflow %q is a Scenario Outline: a client workflow runs once, as written", sc.Name)
	}
	runs := false
	for _, st := range sc.Steps {
		runs = runs || runStepRE.MatchString(st.Text)
		if capabilityOutcomeRE.MatchString(st.Text) {
			ps.add(f.File, st.Line, "decide a workflow's outcome with the workflow's steps: the workflow fails/is unsafe/falls back when … because \"…\"",
				"step %q decides a capability's verdict, which a client workflow has none of", st.Text)
		}
		if m := envStepRE.FindStringSubmatch(st.Text); m != nil && ReservedEnv(m[1]) {
			ps.add(f.File, st.Line, "ocicaps sets the proxies, HOME, DOCKER_CONFIG, TMPDIR, SSL_CERT_FILE, SSL_CERT_DIR and PATH for every client run; set another variable, or use a flag of the client",
				"step %q sets %s, which would undo what keeps the run safe", st.Text, m[1])
		}
	}
	if !runs && len(sc.Steps) > 0 {
		ps.add(f.File, sc.Line, "run the client: I run \""+f.Client+" …\"", "workflow %q runs no client program, so it cannot show what the client does", sc.Name)
	}
}

// capabilityRules refuses the client workflow steps in a capability's
// scenario.
func (ps *problems) capabilityRules(f *Feature, sc *Scenario) {
	for _, st := range sc.Steps {
		if clientStepRE.MatchString(st.Text) {
			ps.add(f.File, st.Line, "run client programs in a client workflow file (features/clients/<client>.feature, tagged @client:<id>)",
				"step %q belongs to client workflows: a capability asks the registry itself", st.Text)
		}
	}
}
