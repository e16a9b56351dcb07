// Package results is the one model every writer reads: a run holds
// registries, a registry holds capabilities, a capability holds the HTTP
// exchanges behind its verdict. Writers never see godog types and the runner
// never formats output; this package is the contract between them.
package results

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SchemaVersion is the version of the results.json schema (docs/reports.md).
// Bump the minor for added fields, the major for removed or renamed ones.
// 1.1 added failOn, failOnRegression, capabilities (the suite's description
// and remediation of each capability), trend and shard on the run; index,
// mode, scratch, credentials and warnings on a registry; probe, verified,
// mismatch and explanation on a capability; retries and auth on an
// exchange; repository, digest and tag on a leftover.
// 1.2 added deviations on a capability (the MUSTs of the spec the registry
// broke while the operation worked; [] when none), and fallbacks on a
// capability info (the declared relation) and on an unsupported capability
// (how each fallback fared; see Fallback).
// 1.3 added hops on an exchange (the chain of a followed redirect),
// rateLimited on a registry (how many 429 answers it gave), command on an
// exchange (a client program a scenario ran, instead of an HTTP request;
// absent otherwise), note on an exchange (an answer that counts although
// its body ended before its Content-Length) and kind on a deviation:
// "integrity" marks content read back that differs from what was written
// (see Deviation.Kind); such a deviation makes the registry's severity fail.
// 1.4 added clients on a registry: the readiness of client workflows
// (ClientWorkflow), present when the run was asked for it (--clients).
const SchemaVersion = "1.4"

// Status is the verdict on one capability.
type Status string

const (
	Supported   Status = "supported"
	Unsupported Status = "unsupported"
	// Error means no answer about the capability was obtained: connection
	// refused, TLS failure, timeout after retries, unexpected 5xx, 401/403.
	Error Status = "error"
)

// Severity is the seed's pass/info/warn/fail rule applied to a registry.
type Severity string

const (
	Pass Severity = "pass"
	Info Severity = "info"
	Warn Severity = "warn"
	Fail Severity = "fail"
)

// Rank orders severities from best (pass) to worst (fail).
func (s Severity) Rank() int {
	switch s {
	case Pass:
		return 0
	case Info:
		return 1
	case Warn:
		return 2
	case Fail:
		return 3
	}
	return -1
}

// FailsAt reports whether severity s reaches the threshold failOn: a
// registry at s fails the run. An empty or unknown threshold means the
// default, fail, so that a run never fails on findings by accident.
func (s Severity) FailsAt(failOn Severity) bool {
	if failOn.Rank() < Info.Rank() {
		failOn = Fail
	}
	return s.Rank() >= failOn.Rank()
}

// ParseSeverity accepts the four severity words.
func ParseSeverity(s string) (Severity, bool) {
	switch Severity(s) {
	case Pass, Info, Warn, Fail:
		return Severity(s), true
	}
	return "", false
}

// Run is one invocation of `ocicaps run`.
type Run struct {
	SchemaVersion string    `json:"schemaVersion"`
	Tool          Tool      `json:"tool"`
	StartedAt     time.Time `json:"startedAt"`
	FinishedAt    time.Time `json:"finishedAt"`
	DurationMS    int64     `json:"durationMs"`
	// ConfigFile is the registries.yaml path the run read.
	ConfigFile string `json:"configFile"`
	// Suite says where the feature files came from: "embedded" or a folder.
	Suite string `json:"suite"`
	// Selection is the tag expression that chose the scenarios.
	Selection string `json:"selection"`
	// Incomplete is true when the run was interrupted before every
	// registry finished.
	Incomplete bool `json:"incomplete"`
	// FailOn is the severity from which a registry fails the run (exit 1):
	// fail unless --fail-on lowered it to warn or info. Writers use it to
	// show findings at or above it as failures. Empty in 1.0 files: fail.
	FailOn Severity `json:"failOn,omitempty"`
	// FailOnRegression is true when a capability lost since the baseline
	// fails the run (--fail-on-regression).
	FailOnRegression bool `json:"failOnRegression,omitempty"`
	// Capabilities describes each capability the run selected, once, in
	// suite order: what it is, and what to do when it is missing. The text
	// comes from the feature file's description, so a new capability brings
	// its own remediation.
	Capabilities []CapabilityInfo `json:"capabilities"`
	// Shard is set when the run probed one share of the registries
	// (`ocicaps run --shard K/N`); `ocicaps merge` checks it and drops it,
	// so a merged run reads like a single one.
	Shard      *Shard     `json:"shard,omitempty"`
	Registries []Registry `json:"registries"`
	// Trend compares this run with a baseline results.json (--baseline);
	// nil without one.
	Trend *Trend `json:"trend,omitempty"`
	// Details, when set, holds the complete registries of which
	// Registries are light copies (detail.go); not part of results.json,
	// which holds the complete registries either way.
	Details Details `json:"-"`
}

// CapabilityInfo is what the suite says about one capability.
type CapabilityInfo struct {
	ID                  string   `json:"id"`
	Check               string   `json:"check"`
	Name                string   `json:"name"`
	SeverityWhenMissing Severity `json:"severityWhenMissing"`
	// Description is the feature description's prose: what the capability
	// is and how it is probed.
	Description string `json:"description"`
	// CommonCauses and HowToFix are the items of the description's
	// "Common causes when missing:" and "How to fix:" blocks. An item may
	// span lines (a command under its explanation).
	CommonCauses []string `json:"commonCauses"`
	HowToFix     []string `json:"howToFix"`
	// Source is the feature file.
	Source string `json:"source"`
	// Fallbacks are the capabilities a client can use instead when this
	// one is missing, in order of preference (the feature's @fallback:
	// tags); absent when it declares none.
	Fallbacks []string `json:"fallbacks,omitempty"`
}

// Info returns the description of capability id, if the run has it.
func (r *Run) Info(id string) (CapabilityInfo, bool) {
	for _, c := range r.Capabilities {
		if c.ID == id {
			return c, true
		}
	}
	return CapabilityInfo{}, false
}

// Failing lists the registries whose severity reaches r.FailOn.
func (r *Run) Failing() []string {
	var out []string
	for _, reg := range r.Registries {
		if reg.Severity.FailsAt(r.FailOn) {
			out = append(out, reg.Name)
		}
	}
	return out
}

// Shard says which share of the registries a run probed, and of what list,
// so that shard files can be merged and checked for completeness.
type Shard struct {
	// Index is K in K/N, from 1.
	Index int `json:"index"`
	// Count is N in K/N.
	Count int `json:"count"`
	// Total is the number of registries all the shards share out.
	Total int `json:"total"`
	// ListDigest is "sha256:" and the hex SHA-256 of the names of those
	// registries, in run order, one per line: shards with equal digests
	// shared out the same list.
	ListDigest string `json:"listDigest"`
}

// Tool names the program that wrote the results.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Registry is the outcome for one entry of registries.yaml.
type Registry struct {
	// Index is the entry's position in registries.yaml, from 0. Run order
	// is by Index; merge uses it to restore that order across shards.
	Index          int      `json:"index"`
	Name           string   `json:"name"`
	URL            string   `json:"url"`
	TestRepository string   `json:"testRepository"`
	TestTag        string   `json:"testTag"`
	Score          int      `json:"score"`
	MaxScore       int      `json:"maxScore"`
	Severity       Severity `json:"severity"`
	// DistributionVersion is the API version the registry advertised, when a
	// capability recorded a fact named "distribution version".
	DistributionVersion string       `json:"distributionVersion,omitempty"`
	DurationMS          int64        `json:"durationMs"`
	Capabilities        []Capability `json:"capabilities"`
	// Leftovers lists what the run created on the registry and could not
	// remove, so that an operator can remove it by hand.
	Leftovers []Leftover `json:"leftovers"`
	// Mode is "probe" or "verify"; Scratch names the repositories verify
	// mode wrote to.
	Mode    string   `json:"mode"`
	Scratch []string `json:"scratch,omitempty"`
	// Credentials names what was presented to the registry ("none",
	// "username alice, password from $VAR", "Docker config …"); never a
	// secret.
	Credentials string `json:"credentials,omitempty"`
	// Warnings are things about the run an operator must not miss, such
	// as TLS verification turned off for this registry.
	Warnings []string `json:"warnings"`
	// RateLimited counts the answers 429 Too Many Requests the registry
	// and its token service gave during the run, retried ones included;
	// absent when none.
	RateLimited int `json:"rateLimited,omitempty"`
	// Clients is the readiness of client workflows on this registry
	// (clients.go), in workflow file order; absent unless the run was
	// asked for it (--clients).
	Clients []ClientWorkflow `json:"clients,omitempty"`
}

// Capability is the verdict on one capability of one registry.
type Capability struct {
	ID    string `json:"id"`
	Check string `json:"check"`
	// Name is the human title: the feature's name.
	Name string `json:"name"`
	// SeverityWhenMissing is the severity an unsupported verdict gives.
	SeverityWhenMissing Severity `json:"severityWhenMissing"`
	Status              Status   `json:"status"`
	// Reason says why the capability is unsupported or in error; for a
	// supported one it may name what was seen.
	Reason string `json:"reason"`
	// Facts are values the scenario recorded, e.g. "distribution version".
	Facts []Fact `json:"facts"`
	// In verify mode, Probe is the verdict of asking the registry (the
	// seed's probe) and Verified the verdict of doing the thing; Status is
	// Verified. Mismatch is true when the two are supported/unsupported and
	// disagree, and Explanation then says why in one sentence.
	Probe       Status `json:"probe,omitempty"`
	Verified    Status `json:"verified,omitempty"`
	Mismatch    bool   `json:"mismatch"`
	Explanation string `json:"explanation,omitempty"`
	// Fallbacks says, for an unsupported capability that declares
	// fallbacks, how each fared on this registry in this run, in order of
	// preference (fallback.go); absent otherwise.
	Fallbacks  []Fallback `json:"fallbacks,omitempty"`
	Source     string     `json:"source"` // feature file and line of the scenario
	DurationMS int64      `json:"durationMs"`
	Exchanges  []Exchange `json:"exchanges"`
	// Deviations are the spec's MUSTs the registry broke while doing what
	// the capability asks (a 201 without Location, a 500 where 404 is
	// required), from every scenario of the capability, once per section
	// and rule. They do not change Status; Summarize makes the registry's
	// severity at least info for them. Always present in results.json
	// ([] when none), like every list of a capability.
	Deviations []Deviation `json:"deviations"`
}

// Deviation is one rule of the spec a registry broke, with the exchange
// that shows it.
type Deviation struct {
	// Section is the spec's section, e.g. "Pushing blobs".
	Section string `json:"section"`
	// Rule says what the spec requires and what the registry did, its
	// placeholders filled in.
	Rule     string   `json:"rule"`
	Evidence Evidence `json:"evidence"`
	// Kind is empty for a rule of the spec broken on the way, and
	// KindIntegrity when the registry returned different bytes than were
	// written (or a digest naming other content): not a missing feature
	// but corrupted data, which makes the registry fail whatever the
	// capability's severity. Absent in results.json when empty, so a
	// reader of 1.2 files reads a 1.3 file's deviations as before.
	Kind string `json:"kind,omitempty"`
}

// KindIntegrity is the Kind of a deviation that is an integrity failure.
const KindIntegrity = "integrity"

// IntegritySection is the section every integrity failure is filed under.
const IntegritySection = "Content integrity"

// IntegrityWords starts the rule and the capability's reason of every
// integrity failure, so that no report can show it as a missing feature.
const IntegrityWords = "the registry returned different bytes than were written"

// Integrity reports whether the deviation is an integrity failure.
func (d Deviation) Integrity() bool { return d.Kind == KindIntegrity }

// Corrupted reports whether the capability saw an integrity failure.
func (c Capability) Corrupted() bool {
	for _, d := range c.Deviations {
		if d.Integrity() {
			return true
		}
	}
	return false
}

// Evidence is the exchange a deviation was seen on.
type Evidence struct {
	// Scenario is the scenario that saw it.
	Scenario string `json:"scenario,omitempty"`
	Method   string `json:"method"`
	URL      string `json:"url"`
	Status   int    `json:"status"`
	// Answer is the status in words with the registry's error code, e.g.
	// "500 Internal Server Error (BLOB_UNKNOWN: …)".
	Answer string `json:"answer,omitempty"`
	// Exchange is the exchange's index in the capability's Exchanges, -1
	// when the deviation was seen without a request.
	Exchange int `json:"exchange"`
	// Command is the command line (Command.Line) when the exchange was a
	// client program's run; Method, URL and Status are empty then (1.3).
	Command string `json:"command,omitempty"`
}

// AddDeviations adds ds to c's deviations, leaving out those whose
// section and rule it already has.
func (c *Capability) AddDeviations(ds ...Deviation) {
	for _, d := range ds {
		dup := false
		for _, have := range c.Deviations {
			if have.Section == d.Section && have.Rule == d.Rule {
				dup = true
				break
			}
		}
		if !dup {
			c.Deviations = append(c.Deviations, d)
		}
	}
}

// Deviations counts the deviations over the registry's capabilities.
func (reg *Registry) Deviations() int {
	n := 0
	for _, c := range reg.Capabilities {
		n += len(c.Deviations)
	}
	return n
}

// Fact is a named value a scenario recorded for the reports.
type Fact struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Exchange is one HTTP request and its final answer. Headers are redacted
// before they reach this model.
type Exchange struct {
	Method          string              `json:"method"`
	URL             string              `json:"url"`
	RequestHeaders  map[string][]string `json:"requestHeaders,omitempty"`
	Status          int                 `json:"status"`
	ResponseHeaders map[string][]string `json:"responseHeaders,omitempty"`
	// Attempts counts the tries, retries included.
	Attempts int `json:"attempts"`
	// Retries says what each attempt before the last got, e.g. "503
	// Service Unavailable" or "connection reset by peer".
	Retries    []string `json:"retries,omitempty"`
	DurationMS int64    `json:"durationMs"`
	// Error is set when no HTTP answer was obtained.
	Error string `json:"error,omitempty"`
	// Note says what was odd about an answer that still counts, e.g. a
	// body shorter than its Content-Length on a status that decides
	// (schema 1.3).
	Note string `json:"note,omitempty"`
	// Cleanup marks requests sent to undo what a scenario created.
	Cleanup bool `json:"cleanup,omitempty"`
	// Auth lists the requests made to answer the registry's challenge
	// (token service): method, URL without secret query values, status.
	// Their headers and bodies (credentials, tokens) are never recorded.
	Auth []Exchange `json:"auth,omitempty"`
	// Hops is the chain of a redirect the client followed (a blob read
	// sent to storage on another host): every request of it in order,
	// the first being the one above, each with its own URL, request
	// headers as sent (showing that no credentials went to another
	// origin), status and Location. Status and ResponseHeaders above are
	// the last answer's. A hop that was not sent (a loop, a forbidden
	// address, too many redirects) ends the chain with Error "not sent:
	// …". Absent when no redirect was followed.
	Hops []Exchange `json:"hops,omitempty"`
	// Command is set when the exchange is a client program the scenario
	// ran (package program) rather than an HTTP request: then Method, URL
	// and Status are empty, and Error says why it got no result.
	Command *Command `json:"command,omitempty"`
}

// Command is one run of a client program (oras, crane, …) against the
// registry: what was run and how it ended. Secrets are scrubbed from
// everything in it; credentials are never on its command line.
type Command struct {
	// Argv is the command line, program first.
	Argv []string `json:"argv"`
	// ExitCode is the program's exit status; -1 when it did not exit by
	// itself (stopped at the time limit, killed by a signal).
	ExitCode int `json:"exitCode"`
	// TimedOut is true when the program was stopped at its time limit.
	TimedOut bool `json:"timedOut,omitempty"`
	// Output is the program's standard output and error as they came,
	// at most a bounded number of bytes (OutputBytes says how many it wrote).
	Output      string `json:"output"`
	OutputBytes int64  `json:"outputBytes"`
	DurationMS  int64  `json:"durationMs"`
}

// Line is the command line as a shell would show it: arguments with
// spaces or quotes are quoted, so that it reads as one line.
func (c *Command) Line() string {
	parts := make([]string, len(c.Argv))
	for i, a := range c.Argv {
		parts[i] = a
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`") {
			parts[i] = strconv.Quote(a)
		}
	}
	return strings.Join(parts, " ")
}

// Ending says how the command ended: "exit 0", "exit 1", "stopped at the
// time limit".
func (c *Command) Ending() string {
	switch {
	case c.TimedOut:
		return "stopped at the time limit"
	case c.ExitCode < 0:
		return "killed"
	}
	return "exit " + strconv.Itoa(c.ExitCode)
}

// Leftover is something the run created and could not delete.
type Leftover struct {
	// What names the object, e.g. "upload session", "blob" or "manifest".
	What string `json:"what"`
	URL  string `json:"url"`
	// Repository, Digest and Tag say what to remove, where known.
	Repository string `json:"repository,omitempty"`
	Digest     string `json:"digest,omitempty"`
	Tag        string `json:"tag,omitempty"`
	Reason     string `json:"reason"`
}

// Summarize sets a registry's score, maximum score and severity from its
// capabilities: score counts supported capabilities; severity is fail on any
// error, else warn if an unsupported capability is warn-when-missing, else
// info if any is unsupported or any capability has a deviation, else pass.
// A deviation never changes a capability's status or the score; an
// integrity failure makes the severity fail (EffectiveSeverity).
func Summarize(r *Registry) {
	r.Score, r.MaxScore = 0, len(r.Capabilities)
	sev := Pass
	for _, c := range r.Capabilities {
		if c.Status == Supported {
			r.Score++
		}
		if s := c.EffectiveSeverity(); s.Rank() > sev.Rank() {
			sev = s
		}
		if len(c.Deviations) > 0 && sev.Rank() < Info.Rank() {
			// A deviation must not pass silently: --fail-on info fails on it.
			sev = Info
		}
	}
	r.Severity = sev
	for _, c := range r.Capabilities {
		for _, f := range c.Facts {
			if f.Name == "distribution version" && r.DistributionVersion == "" {
				r.DistributionVersion = f.Value
			}
		}
	}
}

// Unreachable reports whether the registry never answered at all
// (connection refused, DNS, TLS, timeout): every capability is in error and
// no request of any got an HTTP answer. reason is the first capability's
// reason, which stands for all of them. A registry that answered even once,
// with a 5xx or a 401, is not unreachable: its capabilities say different
// things.
func (reg *Registry) Unreachable() (reason string, ok bool) {
	if len(reg.Capabilities) == 0 {
		return "", false
	}
	for _, c := range reg.Capabilities {
		if c.Status != Error || len(c.Exchanges) == 0 {
			return "", false
		}
		for _, e := range c.Exchanges {
			if e.Error == "" || e.Status != 0 {
				return "", false
			}
		}
	}
	return reg.Capabilities[0].Reason, true
}

// Threshold is the run's --fail-on severity: fail when unset or unknown
// (a 1.0 file has none), so that a run never fails on findings by accident.
func (r *Run) Threshold() Severity {
	if r.FailOn.Rank() < Info.Rank() {
		return Fail
	}
	return r.FailOn
}

// Plural returns one when n is 1 and many otherwise, for the writers'
// counts: fmt.Sprintf("%d registr%s", n, Plural(n, "y", "ies")).
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// SeverityCounts says how many registries are at each severity, best first,
// leaving out the empty ones: ["3 warn", "1 fail"].
func (r *Run) SeverityCounts() []string {
	counts := map[Severity]int{}
	for _, reg := range r.Registries {
		counts[reg.Severity]++
	}
	var out []string
	for _, s := range []Severity{Pass, Info, Warn, Fail} {
		if counts[s] > 0 {
			out = append(out, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return out
}

// Worst returns the worst severity over all registries (pass for none).
func (r *Run) Worst() Severity {
	w := Pass
	for _, reg := range r.Registries {
		if reg.Severity.Rank() > w.Rank() {
			w = reg.Severity
		}
	}
	return w
}

// Trend is the comparison of a run with a baseline run.
type Trend struct {
	Baseline Baseline `json:"baseline"`
	// Registries holds one entry per registry present in both runs, in the
	// current run's order, changed or not.
	Registries []RegistryTrend `json:"registries"`
	// Added and Removed name the registries only in this run and only in
	// the baseline.
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	// Lost and Gained count capabilities over all registries.
	Lost   int `json:"lost"`
	Gained int `json:"gained"`
}

// Baseline identifies the run compared with.
type Baseline struct {
	File        string    `json:"file"`
	StartedAt   time.Time `json:"startedAt"`
	ToolVersion string    `json:"toolVersion"`
}

// RegistryTrend is how one registry changed between the two runs.
type RegistryTrend struct {
	Name           string             `json:"name"`
	ScoreBefore    int                `json:"scoreBefore"`
	MaxScoreBefore int                `json:"maxScoreBefore"`
	Score          int                `json:"score"`
	MaxScore       int                `json:"maxScore"`
	SeverityBefore Severity           `json:"severityBefore"`
	Severity       Severity           `json:"severity"`
	Changes        []CapabilityChange `json:"changes"`
}

// Changed reports whether anything differs for the registry.
func (t RegistryTrend) Changed() bool {
	return len(t.Changes) > 0 || t.ScoreChanged() || t.SeverityChanged()
}

// ScoreChanged reports whether the score or the maximum score moved.
func (t RegistryTrend) ScoreChanged() bool {
	return t.ScoreBefore != t.Score || t.MaxScoreBefore != t.MaxScore
}

// SeverityChanged reports whether the severity moved.
func (t RegistryTrend) SeverityChanged() bool { return t.SeverityBefore != t.Severity }

// ChangedRegistries are the registries present in both runs that changed,
// in run order: the rows every writer shows under "changes since".
func (t *Trend) ChangedRegistries() []RegistryTrend {
	var out []RegistryTrend
	for _, r := range t.Registries {
		if r.Changed() {
			out = append(out, r)
		}
	}
	return out
}

// NoChanges reports whether nothing differs from the baseline: no
// registry changed, none was added or removed.
func (t *Trend) NoChanges() bool { return len(t.Entries()) == 0 }

// TrendEntry is one line of the "changes since the baseline" list.
type TrendEntry struct {
	Name string
	// Registry is the change of a registry in both runs; nil for one that
	// was added or removed, which Note then says.
	Registry *RegistryTrend
	Note     string
}

// Entries are the lines of the changes list, as every writer orders them:
// the changed registries in run order, then the added, then the removed.
func (t *Trend) Entries() []TrendEntry {
	var out []TrendEntry
	for _, r := range t.ChangedRegistries() {
		out = append(out, TrendEntry{Name: r.Name, Registry: &r})
	}
	for _, n := range t.Added {
		out = append(out, TrendEntry{Name: n, Note: "added (not in the baseline)"})
	}
	for _, n := range t.Removed {
		out = append(out, TrendEntry{Name: n, Note: "removed (only in the baseline)"})
	}
	return out
}

// Word is the status as the reports print it in a change: "not run" for
// the empty status of a capability one of the two runs did not have.
func (s Status) Word() string {
	if s == "" {
		return "not run"
	}
	return string(s)
}

// ChangeKind says how a capability changed between two runs.
type ChangeKind string

const (
	// ChangeLost: supported before, unsupported or in error now. A
	// regression.
	ChangeLost ChangeKind = "lost"
	// ChangeGained: not supported before, supported now.
	ChangeGained ChangeKind = "gained"
	// ChangeOther: not supported in either run, for another reason now
	// (unsupported became error, or the other way).
	ChangeOther ChangeKind = "changed"
	// ChangeNew: run now, not in the baseline (the selection or suite grew).
	ChangeNew ChangeKind = "new"
	// ChangeDropped: in the baseline, not run now.
	ChangeDropped ChangeKind = "dropped"
)

// CapabilityChange is one capability whose status differs between runs.
// Before or After is empty when the capability was not run.
type CapabilityChange struct {
	ID     string     `json:"id"`
	Kind   ChangeKind `json:"kind"`
	Before Status     `json:"before"`
	After  Status     `json:"after"`
	// Reason is the current reason (for lost and changed capabilities).
	Reason string `json:"reason,omitempty"`
}

// CapabilityIDs is the union of the capability ids over the registries, in
// the order of the first registry that has each: the suite's order for a
// normal run, and still stable when registries ran different capabilities.
// The matrix writers use it for their columns.
func (r *Run) CapabilityIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for _, reg := range r.Registries {
		for _, c := range reg.Capabilities {
			if !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
	}
	return ids
}

// Capability returns the first capability of reg with id.
func (reg *Registry) Capability(id string) (Capability, bool) {
	for _, c := range reg.Capabilities {
		if c.ID == id {
			return c, true
		}
	}
	return Capability{}, false
}

// EffectiveSeverity is the severity a capability gives its registry, as
// Summarize counts it: none when supported, its severity when missing
// (at least info) when unsupported, fail for an error or unknown status,
// and fail whatever the status when the registry returned different bytes
// than were written.
func (c Capability) EffectiveSeverity() Severity {
	if c.Corrupted() {
		// Data corruption is never a missing feature.
		return Fail
	}
	switch c.Status {
	case Supported:
		return Pass
	case Unsupported:
		if c.SeverityWhenMissing.Rank() < Info.Rank() {
			// Validation rejects a missing or unknown severity tag; should
			// one slip through, absence is reported, not hidden as pass.
			return Info
		}
		return c.SeverityWhenMissing
	}
	return Fail
}
