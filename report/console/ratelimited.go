package console

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// rateLimitedLine names a registry that answered 429 Too Many Requests
// during the run, how often, and how many capabilities it left in error;
// "" when it never did.
func rateLimitedLine(reg results.Registry) string {
	if reg.RateLimited == 0 {
		return ""
	}
	inError := 0
	for _, c := range reg.Capabilities {
		if c.Status == results.Error && strings.Contains(c.Reason, "rate limited") {
			inError++
		}
	}
	return fmt.Sprintf("  %s: rate limited: %d answer%s 429 Too Many Requests, %d capabilit%s in error for it (set rateLimit in registries.yaml)",
		oneLine(reg.Name), reg.RateLimited, results.Plural(reg.RateLimited, "", "s"), inError, results.Plural(inError, "y", "ies"))
}
