package runner

import (
	"io"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"
)

// discardFormat is the godog formatter of a run without cucumber JSON: it
// does nothing. Outcomes come from the hooks (steps.Register) and godog's
// text is never shown, so the progress formatter that ran before only
// wrote to io.Discard, and at the end looked every step result up again in
// godog's store for a summary nobody read.
const discardFormat = "ocicaps-discard"

func init() {
	godog.Format(discardFormat, "prints nothing: ocicaps collects outcomes from its hooks",
		func(string, io.Writer) formatters.Formatter { return discard{} })
}

type discard struct{}

func (discard) TestRunStarted()                                                            {}
func (discard) Feature(*messages.GherkinDocument, string, []byte)                          {}
func (discard) Pickle(*messages.Pickle)                                                    {}
func (discard) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (discard) Failed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
func (discard) Passed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition)    {}
func (discard) Skipped(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition)   {}
func (discard) Undefined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (discard) Pending(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition)   {}
func (discard) Ambiguous(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
func (discard) Summary() {}
