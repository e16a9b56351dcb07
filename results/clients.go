package results

// Outcome is what a client workflow does on a registry (client readiness).
type Outcome string

// The outcomes of a client workflow, best first.
const (
	// Works: the workflow works as the client does it by default, or
	// with the settings named, through the capabilities it needs.
	Works Outcome = "works"
	// WorksWithFallback: the capabilities the workflow prefers are
	// missing and the client gets there another way (the referrers tag
	// schema instead of the referrers API), perhaps with settings.
	WorksWithFallback Outcome = "works-with-fallback"
	// Fails: the client stops with an error; nothing is lost.
	Fails Outcome = "fails"
	// Unsafe: the client reports success although the result is missing
	// or wrong, or it damages data on the way (a tag overwritten).
	Unsafe Outcome = "unsafe"
	// Unknown: neither a prediction nor a run could decide (a capability
	// it needs was not judged, or was in error; the client could not be
	// run to an end).
	Unknown Outcome = "unknown"
)

// ClientWorkflow is the readiness of one workflow of one client on a
// registry: predicted from the registry's capabilities, and confirmed
// when the real client ran it (ocicaps run --clients). Added in 1.4.
type ClientWorkflow struct {
	// Client and Workflow are the ids: the workflow file's @client: and
	// the scenario's @workflow: tag ("oras", "attach"). Stable; a
	// release keeps their meaning.
	Client   string `json:"client"`
	Workflow string `json:"workflow"`
	// Name is the scenario's title, for people.
	Name string `json:"name"`
	// Outcome is the confirmed outcome when Confirmed, else Predicted.
	Outcome   Outcome `json:"outcome"`
	Predicted Outcome `json:"predicted"`
	// Confirmed is true when a run of the real client decided Outcome.
	Confirmed bool `json:"confirmed"`
	// Via are the capability ids the outcome relied on: the workflow's
	// needs, or the fallback it took; for fails and unsafe, the missing
	// ones.
	Via []string `json:"via"`
	// Settings are the recommended flags or environment for this
	// registry, as one would type them ("--distribution-spec
	// v1.1-referrers-tag"); empty when the defaults do.
	Settings string `json:"settings,omitempty"`
	// Advice says in words what to do ("use `oras attach
	// --distribution-spec v1.1-referrers-tag`", "do not run `regctl tag
	// delete` here: …").
	Advice string `json:"advice,omitempty"`
	// Reason says why the outcome is what it is: for a prediction which
	// capabilities decided it, for a confirmation what the client did
	// and what the registry held afterwards; for a disagreement between
	// the two, both, and the workflow file to fix.
	Reason string `json:"reason"`
	// Mismatch is true when a confirmed outcome differs from the
	// prediction.
	Mismatch bool `json:"mismatch"`
	// Version is the client's version as it reported it, when it ran.
	Version string `json:"version,omitempty"`
	// Source is the workflow's scenario, file:line.
	Source     string `json:"source"`
	DurationMS int64  `json:"durationMs"`
	// Evidence are the client's runs (exchanges with Command) and the
	// requests ocicaps sent to check the outcome through the registry;
	// [] for a prediction alone.
	Evidence []Exchange `json:"evidence"`
	// Egress lists what the client tried to reach other than the
	// registry (the loopback proxy every client runs behind answers
	// nothing): "CONNECT tuf-repo-cdn.sigstore.dev:443".
	Egress []string `json:"egress,omitempty"`
}
