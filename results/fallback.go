package results

// NotRun is a fallback's status when the run gave the fallback capability
// no verdict on the registry: it was not selected, it has only @verify
// scenarios and the registry ran without --verify, or the suite has no
// such capability. Fallback.Hint then says how to get a verdict. It never
// appears as a capability's own status.
const NotRun Status = "not run"

// Fallback is how one declared fallback of an unsupported capability fared
// on the same registry in the same run: a client that finds the capability
// missing does this instead. The relation comes from the feature file
// (@fallback:<id>), never from code.
type Fallback struct {
	// Capability is the fallback capability's id; Check its check, empty
	// when the suite has no such capability.
	Capability string `json:"capability"`
	Check      string `json:"check,omitempty"`
	// Status is the fallback capability's status on this registry in this
	// run (supported, unsupported, error), or "not run".
	Status Status `json:"status"`
	// Verified is true when Status came from the fallback's @verify
	// scenarios (verify mode did it), false when it came from asking.
	Verified bool `json:"verified"`
	// Deviations counts the spec's MUSTs the fallback capability broke on
	// this registry while it worked (its own deviations list has them).
	Deviations int `json:"deviations,omitempty"`
	// Hint says how to judge the fallback when this run could not: "select
	// --check <its check>", "needs --verify", or that the suite lacks it;
	// for a status that was only asked, that --verify would do it.
	Hint string `json:"hint,omitempty"`
}

// Works reports whether the fallback is supported on the registry.
func (f Fallback) Works() bool { return f.Status == Supported }
