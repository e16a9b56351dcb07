// Package results is the one model every writer reads: a run holds
// registries, a registry holds capabilities, a capability holds the HTTP
// exchanges behind its verdict. Writers never see godog types and the runner
// never formats output; this package is the contract between them.
package results

import "time"

// SchemaVersion is the version of the results.json schema (docs/reports.md).
// Bump the minor for added fields, the major for removed or renamed ones.
// 1.1 added registries[].index and shard, for `ocicaps run --shard` and
// `ocicaps merge`.
const SchemaVersion = "1.1"

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
	// Shard is set when the run probed one share of the registries
	// (`ocicaps run --shard K/N`); `ocicaps merge` checks it and drops it,
	// so a merged run reads like a single one.
	Shard      *Shard     `json:"shard,omitempty"`
	Registries []Registry `json:"registries"`
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
	Facts      []Fact     `json:"facts"`
	Source     string     `json:"source"` // feature file and line of the scenario
	DurationMS int64      `json:"durationMs"`
	Exchanges  []Exchange `json:"exchanges"`
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
	// Cleanup marks requests sent to undo what a scenario created.
	Cleanup bool `json:"cleanup,omitempty"`
}

// Leftover is something the run created and could not delete.
type Leftover struct {
	// What names the object, e.g. "upload session" or "blob".
	What   string `json:"what"`
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Summarize sets a registry's score, maximum score and severity from its
// capabilities: score counts supported capabilities; severity is fail on any
// error, else warn if an unsupported capability is warn-when-missing, else
// info if any is unsupported, else pass.
func Summarize(r *Registry) {
	r.Score, r.MaxScore = 0, len(r.Capabilities)
	sev := Pass
	for _, c := range r.Capabilities {
		var s Severity
		switch c.Status {
		case Supported:
			r.Score++
			continue
		case Unsupported:
			s = c.SeverityWhenMissing
			if s.Rank() < Info.Rank() {
				// Validation rejects a missing or unknown severity tag; should
				// one slip through, absence is reported, not hidden as pass.
				s = Info
			}
		default:
			s = Fail
		}
		if s.Rank() > sev.Rank() {
			sev = s
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
