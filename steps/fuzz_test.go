package steps

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// FuzzConditions evaluates every condition against an arbitrary response:
// status, Content-Type, another header and a body, as a hostile registry
// could send them. Nothing may panic, and a reason must always be given.
func FuzzConditions(f *testing.F) {
	f.Add(404, "application/vnd.oci.image.index.v1+json", "GET, DELETE", []byte(`{"schemaVersion":2,"manifests":null}`))
	f.Add(200, "application/json", "", []byte(`{"errors":[{"code":"X","message":"y"}]}`))
	f.Add(503, "text/plain; charset=\xff", "\x00", []byte("\xff"))
	f.Add(0, "", ",,,", []byte(nil))
	u, _ := url.Parse("http://registry.test/v2/")
	f.Fuzz(func(t *testing.T, status int, ctype, allow string, body []byte) {
		r := &client.Response{Status: status, Header: http.Header{"Content-Type": {ctype}, "Allow": {allow}, "Location": {allow}}, Body: body, URL: u}
		st := &state{memory: newMemory(map[string]string{"x": allow}), transcript: transcript{last: r}}
		for _, c := range conditions {
			a := []string{"Allow", "DELETE", "{x}", "x", "{x}"}[:c.re.NumSubexp()]
			switch {
			case c.statuses != nil:
				a = []string{"200 or 404"}
			case c.re.NumSubexp() == 1 && strings.Contains(c.pattern, "JSON"):
				a = []string{"manifests[0].digest"}
			case c.re.NumSubexp() == 3:
				a = []string{"manifests", "digest", "{x}"}
			case c.re.NumSubexp() == 5:
				a = []string{"manifests", "digest", "{x}", "artifactType", "{x}"}
			}
			ok, obs, err := c.eval(st, r, a)
			if err == nil && !ok && obs == "" {
				t.Fatalf("%s: no observation for a failed condition", c.pattern)
			}
		}
		describeStatus(r)
		bodyGist(r)
	})
}
