package steps

import (
	"net/url"
	"strings"

	"github.com/ocicaps/ocicaps/client"
)

// refusedRedirect makes a blob or manifest read that the registry
// redirected where no client can follow (client/redirect.go: a loop, a
// scheme other than http(s), https to plain http, a link-local or metadata
// address, too many hops) the scenario's verdict: the registry does not
// serve what it holds to clients, so the capability is unsupported, with
// the chain as the reason. Nothing was sent where it must not go.
func (st *state) refusedRedirect(r *client.Response) error {
	reason := st.requestName() + " " + r.RedirectRefused
	if len(r.Redirects) > 1 {
		reason += " (chain: " + strings.Join(r.Redirects, " → ") + ")"
	}
	st.unsupported = reason
	return &errUnsupported{reason: reason}
}

// redirectedTo names, for an answer that came from where a redirect sent
// the request, the host it came from: " (redirected to 127.0.0.2:8080)",
// so that a reason never blames the registry for storage's answer.
func redirectedTo(r *client.Response) string {
	if len(r.Redirects) == 0 || r.RedirectRefused != "" {
		return ""
	}
	u, err := url.Parse(r.Redirects[len(r.Redirects)-1])
	if err != nil || u.Host == "" {
		return ""
	}
	return " (redirected to " + u.Host + ")"
}
