package steps

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// rateLimited makes a scenario that met a 429 Too Many Requests its
// retries did not outlast an error saying so: the registry refused us for
// now, which says nothing about the capability, so it is never
// unsupported and never a deviation. A supported verdict stands: what it
// needed was answered.
func rateLimited(o *Outcome) {
	if o.Status == results.Supported {
		return
	}
	for _, ex := range o.Exchanges {
		if ex.Status != http.StatusTooManyRequests || ex.Cleanup {
			continue
		}
		switch {
		case strings.Contains(o.Reason, "rate limited"):
			o.Status = results.Error
			return
		case strings.Contains(o.Reason, "429 Too Many Requests"):
			o.Status, o.Reason = results.Error, "rate limited: "+o.Reason
			return
		}
		why := fmt.Sprintf("rate limited: %s %s answered 429 Too Many Requests after %d attempt%s (retry in registries.yaml; rateLimit paces the requests)",
			ex.Method, ex.URL, ex.Attempts, results.Plural(ex.Attempts, "", "s"))
		if o.Reason != "" {
			why += "; " + o.Reason
		}
		o.Status, o.Reason = results.Error, why
		return
	}
}
