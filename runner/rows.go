package runner

import (
	"sort"
	"strings"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
)

// row is the outcome of one run of a scenario: the scenario itself, or one
// Examples row of a Scenario Outline (godog runs each row as a scenario of
// its own, all with the outline's file:line).
type row struct {
	key  string // orders the rows the same whatever order they finished in
	name string
	o    steps.Outcome
}

// rowKey tells the rows of an outline apart by what they run: the name and
// the step texts and doc strings with the row's values filled in.
func rowKey(p *godog.Scenario) string {
	var b strings.Builder
	b.WriteString(p.Name)
	for _, st := range p.Steps {
		b.WriteString("\n" + st.Text)
		if st.Argument != nil && st.Argument.DocString != nil {
			b.WriteString("\n" + st.Argument.DocString.Content)
		}
	}
	return b.String()
}

// sortedRows orders a scenario's rows by key, so that a run's results are
// the same at any concurrency.
func sortedRows(rows []row) []row {
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].key < rows[b].key })
	return rows
}

// addOutcome adds one row's facts, deviations, exchanges and time to its
// capability and returns its leftovers. several says the capability's
// verdict is made of more than one row, so each keeps its own as a fact.
func addOutcome(c *results.Capability, r row, several bool) []results.Leftover {
	o := r.o
	if several {
		v := string(o.Status)
		if o.Status != results.Supported && o.Reason != "" {
			v += ": " + o.Reason
		}
		c.Facts = append(c.Facts, results.Fact{Name: r.name, Value: v})
	}
	c.Facts = append(c.Facts, o.Facts...)
	c.AddDeviations(shiftDeviations(o.Deviations, r.name, len(c.Exchanges))...)
	c.Exchanges = append(c.Exchanges, o.Exchanges...)
	c.DurationMS += o.Duration.Milliseconds()
	return o.Leftovers
}
