package steps

import "github.com/ocicaps/ocicaps/client"

// followSession points the clean-up of an upload session at the Location
// a PATCH to it answered: the session's URL after the chunk, which is the
// one the registry will cancel. Distribution signs the session's state in
// the URL and answers a DELETE of the URL before the chunk 416
// RANGE_INVALID (curl), so the session stayed open and was listed as a
// leftover whenever a scenario ended between a PATCH and the closing PUT.
func (st *state) followSession(resp *client.Response) {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return
	}
	u, err := st.target.Client.Resolve(loc)
	if err != nil {
		return
	}
	for i, c := range st.cleanups {
		if c.what == "upload session" && samePath(c.target, resp.URL) {
			st.cleanups[i].target = u.String()
		}
	}
}
