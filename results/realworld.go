package results

import (
	"fmt"
	"strings"
)

// FactReadAfterWrite names the fact a capability records when a read of an
// object it wrote answered 404 at first (a registry whose reads lag
// writes): "readable 480 ms after the write (GET …)", or "still 404 Not
// Found 5s after the write (consistency.wait): …".
const FactReadAfterWrite = "read after write"

// ReadLag sums up the registry's reads that lagged writes: how many
// capabilities waited for one, the longest delay seen in milliseconds,
// and how many gave up waiting. All zero when its reads never lagged.
func (reg *Registry) ReadLag() (waited int, longestMS int64, gaveUp int) {
	for _, c := range reg.Capabilities {
		w, g := false, false // a capability counts once, whatever its rows
		for _, f := range c.Facts {
			if f.Name != FactReadAfterWrite {
				continue
			}
			var ms int64
			if _, err := fmt.Sscanf(f.Value, "readable %d ms", &ms); err == nil {
				w = true
				longestMS = max(longestMS, ms)
			} else if strings.HasPrefix(f.Value, "still ") {
				g = true
			}
		}
		if w {
			waited++
		}
		if g {
			gaveUp++
		}
	}
	return waited, longestMS, gaveUp
}

// ReadLagLine says in words what ReadLag found, for the writers; "" when
// the registry's reads never lagged.
func (reg *Registry) ReadLagLine() string {
	waited, longest, gaveUp := reg.ReadLag()
	if waited == 0 && gaveUp == 0 {
		return ""
	}
	var parts []string
	if waited > 0 {
		parts = append(parts, fmt.Sprintf("%d capabilit%s read an object only some time after writing it, at most %d ms (consistency.wait)",
			waited, Plural(waited, "y", "ies"), longest))
	}
	if gaveUp > 0 {
		parts = append(parts, fmt.Sprintf("%d gave up waiting and counted a 404", gaveUp))
	}
	return "reads lag writes: " + strings.Join(parts, "; ")
}

// RateLimitedLine says how often the registry answered 429 Too Many
// Requests and how many capabilities it left in error for it; "" when it
// never did.
func (reg *Registry) RateLimitedLine() string {
	if reg.RateLimited == 0 {
		return ""
	}
	inError := 0
	for _, c := range reg.Capabilities {
		if c.Status == Error && strings.Contains(c.Reason, "rate limited") {
			inError++
		}
	}
	return fmt.Sprintf("rate limited: %d answer%s 429 Too Many Requests, %d capabilit%s in error for it (set rateLimit in registries.yaml)",
		reg.RateLimited, Plural(reg.RateLimited, "", "s"), inError, Plural(inError, "y", "ies"))
}

// Via says, for an exchange whose redirect the client followed, where it
// went: " via URL STATUS -> URL STATUS", a hop that was not sent with its
// reason; "" without hops. The writers append it to the answer.
func (e Exchange) Via() string {
	if len(e.Hops) < 2 {
		return ""
	}
	var parts []string
	for _, h := range e.Hops[1:] {
		if h.Error != "" {
			parts = append(parts, h.URL+" ("+h.Error+")")
		} else {
			parts = append(parts, fmt.Sprintf("%s %d", h.URL, h.Status))
		}
	}
	return " via " + strings.Join(parts, " -> ")
}
