package runner

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/argv"
	"github.com/ocicaps/ocicaps/internal/proxysink"
	"github.com/ocicaps/ocicaps/program"
	"github.com/ocicaps/ocicaps/readiness"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// Client readiness (ocicaps run --clients, issue 23): after a registry's
// capabilities are judged, every client workflow of the suite is
// predicted from them (package readiness); in verify mode, each client
// found (registries.yaml clients:, else PATH) then runs its workflows
// against the registry's scratch repository, one at a time, behind a
// loopback proxy that answers nothing, and the run confirms or corrects
// the prediction. Nothing of it changes a capability's verdict, the
// score, the severity or the exit code.

// clientPlan is what a run of client workflows needs, made once per
// run: the scenarios, their step definitions and feature files, where
// each client is, each client's version.
type clientPlan struct {
	scenarios []*suite.Scenario
	defs      []*steps.Def
	fsys      fs.FS
	paths     map[string]string
	versions  sync.Map // client id → *versionOnce
}

type versionOnce struct {
	once sync.Once
	v    string
}

// newClientPlan is the client part of a run's plan: nil without
// --clients.
func newClientPlan(opt Options) *clientPlan {
	if !opt.Clients || opt.Suite == nil {
		return nil
	}
	scs := opt.Suite.ClientScenarios()
	return &clientPlan{scenarios: scs, defs: steps.Needed(parsePickles(scs).texts(scs)), fsys: suite.Only(scs, false), paths: opt.ClientPaths}
}

// workflowOf is what readiness reads of a client scenario.
func workflowOf(sc *suite.Scenario) readiness.Workflow {
	w := sc.Workflow
	return readiness.Workflow{
		Client: sc.Feature.Client, ID: w.ID, Name: sc.Name, Source: sc.Source(),
		Needs: w.Needs, Fallbacks: w.Fallbacks, FailsWithout: w.FailsWithout, Otherwise: results.Outcome(w.Otherwise),
		Settings: w.Settings, FallbackSettings: w.FallbackSettings, WhenItFails: w.WhenItFails,
	}
}

// clientReadiness predicts every workflow from the registry's verdicts
// and, when it can, confirms them by running the clients; it returns the
// workflows and what their clean-ups left over. ctx is the run's: the
// clients get a registry deadline (timeouts.registry) of their own after
// the capabilities', which a slow client would otherwise eat into.
func (cp *clientPlan) clientReadiness(ctx context.Context, reg config.Registry, target *steps.Target, copt client.Options, caps []results.Capability, refused string) ([]results.ClientWorkflow, []results.Leftover) {
	ctx, cancel := context.WithTimeoutCause(ctx, reg.Timeouts.Registry,
		fmt.Errorf("the client workflows' deadline passed (timeouts.registry: %s)", reg.Timeouts.Registry))
	defer cancel()
	verdicts := map[string]results.Status{}
	for _, c := range caps {
		verdicts[c.ID] = c.Status
	}
	out := make([]results.ClientWorkflow, len(cp.scenarios))
	for i, sc := range cp.scenarios {
		out[i] = readiness.Predict(workflowOf(sc), verdicts)
	}
	why := ""
	switch {
	case reg.Mode != config.ModeVerify:
		why = "clients run only in verify mode (--verify): they push to the registry's scratch repository"
	case refused != "":
		why = refused
	case target.Client == nil:
		why = "the registry could not be reached"
	case ctx.Err() != nil:
		why = "not run: " + context.Cause(ctx).Error()
	}
	if why != "" {
		for i := range out {
			out[i].Reason += "; not confirmed: " + why
		}
		return out, nil
	}
	runs, left := cp.confirm(ctx, reg, target, copt)
	for i, sc := range cp.scenarios {
		if r, ok := runs[sc.Ref()]; ok {
			out[i] = readiness.Confirm(workflowOf(sc), out[i], r)
		}
	}
	return out, left
}

// ran is a client scenario's run and what its clean-ups left.
type ran struct {
	run       readiness.Run
	leftovers []results.Leftover
}

// confirm runs the client scenarios of the clients installed, one at a
// time, and returns each one's run by scenario ref (a workflow whose
// client is not installed too, with why), and what the clean-ups left.
func (cp *clientPlan) confirm(ctx context.Context, reg config.Registry, capTarget *steps.Target, copt client.Options) (map[string]readiness.Run, []results.Leftover) {
	runs := map[string]readiness.Run{}
	all := func(r readiness.Run) (map[string]readiness.Run, []results.Leftover) {
		for _, sc := range cp.scenarios {
			runs[sc.Ref()] = r
		}
		return runs, nil
	}
	sink, err := proxysink.Start()
	if err != nil {
		return all(readiness.Run{Outcome: results.Unknown, Reason: "the proxy clients run behind could not start: " + err.Error()})
	}
	defer sink.Close()
	progs, err := cp.programs(ctx, reg, capTarget.Client, copt, sink)
	if err != nil {
		return all(readiness.Run{Outcome: results.Unknown, Reason: err.Error()})
	}
	var refs []string
	for _, sc := range cp.scenarios {
		if _, err := progs.Resolve(sc.Feature.Client); err != nil {
			runs[sc.Ref()] = readiness.Run{Reason: err.Error()}
			continue
		}
		refs = append(refs, sc.Ref())
	}
	if len(refs) == 0 {
		return runs, nil
	}
	target := &steps.Target{Registry: reg, Client: capTarget.Client, Scratch: capTarget.Scratch, Credentials: capTarget.Credentials, Programs: progs}
	done := map[string]ran{}
	var mu sync.Mutex
	report := func(sc *godog.Scenario, o steps.Outcome) {
		egress := sink.Drain() // one scenario at a time: what it asked
		mu.Lock()
		defer mu.Unlock()
		done[sc.Uri] = ran{run: runOf(o, egress), leftovers: o.Leftovers}
	}
	ts := godog.TestSuite{
		Name: reg.Name + " clients",
		TestSuiteInitializer: func(ts *godog.TestSuiteContext) {
			steps.Register(ts.ScenarioContext(), target, report, cp.defs...)
		},
		Options: &godog.Options{
			FS: cp.fsys, Paths: refs, Format: discardFormat, Output: io.Discard,
			NoColors: true, Strict: true, DefaultContext: ctx,
			// One at a time: what the proxy saw is the scenario's, and a
			// client's clean-up never deletes a blob another is pushing.
			Concurrency: 1,
		},
	}
	ts.Run()
	left := target.Finish(ctx)
	for _, sc := range cp.scenarios {
		r, ok := done[sc.Ref()]
		if !ok {
			if _, skipped := runs[sc.Ref()]; !skipped {
				runs[sc.Ref()] = readiness.Run{Outcome: results.Unknown, Reason: "the workflow did not run"}
			}
			continue
		}
		r.run.Version = cp.version(ctx, sc.Feature, progs)
		runs[sc.Ref()] = r.run
		left = append(left, r.leftovers...)
	}
	return runs, left
}

// runOf is a client scenario's outcome as a run of the workflow.
func runOf(o steps.Outcome, egress []string) readiness.Run {
	r := readiness.Run{Reason: o.Reason, Evidence: o.Exchanges, Egress: egress, Duration: o.Duration}
	if w := o.Workflow; w != nil {
		r.Outcome, r.Confirmed, r.Reason = w.Outcome, w.Confirmed, w.Reason
	}
	if r.Evidence == nil {
		r.Evidence = []results.Exchange{}
	}
	return r
}

// programs is how the registry's clients run: its credentials in their
// Docker config, a scrubber that knows them, the proxy variables, the CA
// bundle, and the built-in variables.
func (cp *clientPlan) programs(ctx context.Context, reg config.Registry, cl *client.Client, copt client.Options, sink *proxysink.Sink) (*steps.Programs, error) {
	scrub := cl.Scrubber()
	var creds []program.Credential
	if copt.Credential != nil {
		c, err := copt.Credential(ctx, reg.Host())
		if err != nil {
			return nil, fmt.Errorf("the credentials for the clients' Docker config: %w", err)
		}
		if c != auth.EmptyCredential {
			creds = append(creds, program.Credential{Host: reg.Host(), Credential: c})
			scrub = scrub.With(client.CredentialScrubber(c))
		}
	}
	noProxy := append([]string{reg.Host(), hostname(reg.Host())}, tokenHosts(ctx, cl, reg.Host())...)
	env := []string{}
	for _, name := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
		env = append(env, name+"="+sink.URL())
	}
	for _, name := range []string{"NO_PROXY", "no_proxy"} {
		env = append(env, name+"="+strings.Join(dedupe(noProxy), ","))
	}
	if reg.TLS.CAFile != "" {
		env = append(env, "SSL_CERT_FILE="+reg.TLS.CAFile)
	}
	plain := "false"
	if strings.HasPrefix(reg.URL, "http://") {
		plain = "true"
	}
	verify := "true"
	if reg.TLS.InsecureSkipVerify {
		verify = "false"
	}
	return &steps.Programs{
		Driver: &program.Driver{Scrubber: scrub, Credentials: creds},
		Paths:  cp.paths, Env: env,
		Vars: map[string]string{"host": reg.Host(), "plainHTTP": plain, "tlsVerify": verify, "caFile": reg.TLS.CAFile},
	}, nil
}

// tokenHosts are the hosts of the registry's token service (its
// challenge's realm), which clients must reach directly too.
func tokenHosts(ctx context.Context, cl *client.Client, registryHost string) []string {
	resp, ex, err := cl.Do(ctx, client.Request{Method: http.MethodGet, Target: "/v2/"})
	var realms []string
	for _, a := range ex.Auth {
		realms = append(realms, a.URL)
	}
	if err == nil && resp != nil {
		if m := realmRE.FindStringSubmatch(resp.Header.Get("WWW-Authenticate")); m != nil {
			realms = append(realms, m[1])
		}
	}
	return directRealmHosts(realms, hostname(registryHost))
}

// directRealmHosts are the hosts of the realms clients may reach past
// the proxy: never a link-local or metadata address (client.ForbiddenHost,
// the rule of ocicaps' own requests), nor a plain http:// realm on a host
// other than the registry's, where a client would send credentials in
// clear. Those go to the sink, which refuses them and names them.
func directRealmHosts(realms []string, registryHostname string) []string {
	var out []string
	for _, r := range realms {
		u, err := url.Parse(r)
		if err != nil || u.Host == "" || client.ForbiddenHost(u.Hostname()) != "" {
			continue
		}
		if u.Scheme != "https" && !strings.EqualFold(u.Hostname(), registryHostname) {
			continue
		}
		out = append(out, u.Host, u.Hostname())
	}
	return out
}

var realmRE = regexp.MustCompile(`realm="([^"]+)"`)

func hostname(hostport string) string {
	u := url.URL{Host: hostport}
	return u.Hostname()
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// versionTimeout bounds a client's Version: command.
const versionTimeout = 30 * time.Second

// version is the first line of what the client's Version: command
// writes, run once per run and client ("" when it has none or it fails).
func (cp *clientPlan) version(ctx context.Context, f *suite.Feature, progs *steps.Programs) string {
	if f.VersionCommand == "" {
		return ""
	}
	vo, _ := cp.versions.LoadOrStore(f.Client, &versionOnce{})
	v := vo.(*versionOnce)
	v.once.Do(func() {
		words, err := argv.Split(f.VersionCommand)
		if err != nil || len(words) == 0 {
			return
		}
		path, err := progs.Resolve(words[0])
		if err != nil {
			return
		}
		words[0] = path
		d := &program.Driver{Scrubber: progs.Driver.Scrubber, Timeout: versionTimeout}
		res, err := d.Run(ctx, words, progs.Env)
		if err != nil || res == nil || res.ExitCode != 0 {
			return
		}
		line, _, _ := strings.Cut(strings.TrimSpace(string(res.Output)), "\n")
		v.v = strings.TrimSpace(line)
	})
	return v.v
}
