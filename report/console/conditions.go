package console

import (
	"github.com/ocicaps/ocicaps/results"
)

// conditionLines name what the registry made ocicaps put up with: 429s
// (and the capabilities they left in error), and reads that lagged writes.
func conditionLines(reg results.Registry) []string {
	var out []string
	for _, l := range []string{reg.RateLimitedLine(), reg.ReadLagLine()} {
		if l != "" {
			out = append(out, "  "+oneLine(reg.Name)+": "+l)
		}
	}
	return out
}
