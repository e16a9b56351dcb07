package junit

import (
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// hopsNote is what an exchange line adds for a redirect the client
// followed: " via A -> B" with each later hop's URL and status, or the
// reason a hop was not sent; "" without hops.
func hopsNote(e results.Exchange) string {
	if len(e.Hops) < 2 {
		return ""
	}
	var parts []string
	for _, h := range e.Hops[1:] {
		switch {
		case h.Error != "":
			parts = append(parts, h.URL+" ("+h.Error+")")
		default:
			parts = append(parts, h.URL+" "+strconv.Itoa(h.Status))
		}
	}
	return " via " + strings.Join(parts, " -> ")
}
