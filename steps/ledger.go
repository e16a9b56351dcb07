package steps

import (
	"context"
	"net/url"

	"github.com/ocicaps/ocicaps/results"
)

// ledger is what the scenario must undo when it ends: the clean-ups it
// registered, run last registered first, and what they could not remove.
type ledger struct {
	cleanups  []cleanup
	leftovers []results.Leftover
}

type cleanup struct {
	what   string // "upload session", "blob", ... for the leftover list
	method string
	target string
	// What an operator needs to remove a leftover by hand.
	repository, digest, tag string
	// expand, when set, finds the deletions when the scenario ends, by
	// asking the registry (what a client program pushed,
	// clientcleanup.go): they are sent in its place.
	expand func(context.Context, *cleanupWalk)
}

// add registers c unless a clean-up of the same URL is registered.
func (l *ledger) add(c cleanup) {
	for _, have := range l.cleanups {
		if have.target == c.target {
			return
		}
	}
	l.cleanups = append(l.cleanups, c)
}

func (l *ledger) dropCleanup(u string) {
	for i, c := range l.cleanups {
		if c.target == u {
			l.cleanups = append(l.cleanups[:i], l.cleanups[i+1:]...)
			return
		}
	}
}

// sessionClosed drops the cancelling of the upload session at u, which a
// PUT answered 201 has closed: cancelling it later would only draw an
// error from registries that cannot tell (crane).
func (l *ledger) sessionClosed(u *url.URL) {
	for i := len(l.cleanups) - 1; i >= 0; i-- {
		if c := l.cleanups[i]; c.what == "upload session" && samePath(c.target, u) {
			l.cleanups = append(l.cleanups[:i], l.cleanups[i+1:]...)
		}
	}
}

// leave records what a clean-up could not remove.
func (l *ledger) leave(left results.Leftover) {
	l.leftovers = append(l.leftovers, left)
}

func samePath(target string, u *url.URL) bool {
	t, err := url.Parse(target)
	return err == nil && t.Host == u.Host && t.Path == u.Path
}
