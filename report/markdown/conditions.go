package markdown

import (
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// conditions lists, under "Registry conditions", the registries that
// answered 429 Too Many Requests or whose reads lagged writes: at pass or
// not, a reader should know the verdicts were had under those.
func conditions(b *strings.Builder, run *results.Run) {
	var lines []string
	for _, r := range run.Registries {
		for _, l := range []string{r.RateLimitedLine(), r.ReadLagLine()} {
			if l != "" {
				lines = append(lines, "- **"+text(r.Name)+"**: "+text(l))
			}
		}
	}
	if len(lines) == 0 {
		return
	}
	b.WriteString("\n### Registry conditions\n\n" + strings.Join(lines, "\n") + "\n")
}
