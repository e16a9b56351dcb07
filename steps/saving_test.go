package steps

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

func TestSaveHeaderMatch(t *testing.T) {
	u, _ := url.Parse("http://registry.test/v2/r/tags/list?n=1")
	st := newState(&Target{})
	st.last = &client.Response{Status: 200, URL: u, Header: http.Header{"Link": {`</v2/r/tags/list?last=a&n=1>; rel="next"`}}}
	ctx := context.Background()
	if err := st.saveHeaderMatch(ctx, "Link", `<([^>]+)>`, "next"); err != nil || st.vars["next"] != "/v2/r/tags/list?last=a&n=1" {
		t.Errorf("first group: %q %v", st.vars["next"], err)
	}
	if err := st.saveHeaderMatch(ctx, "link", `rel="\w+"`, "rel"); err != nil || st.vars["rel"] != `rel="next"` {
		t.Errorf("whole match: %q %v", st.vars["rel"], err)
	}
	for expr, want := range map[string]string{
		`^nope`: `does not match "^nope"`,
		`(`:     "bad regular expression",
	} {
		if err := st.saveHeaderMatch(ctx, "Link", expr, "x"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", expr, err, want)
		}
	}
	if err := st.saveHeaderMatch(ctx, "Location", `.`, "x"); err == nil || !strings.Contains(err.Error(), "has no Location header") {
		t.Errorf("missing header: %v", err)
	}
}

func TestSHA512Digests(t *testing.T) {
	const abc512 = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
	st := newState(&Target{})
	st.keep("b", []byte("abc"))
	if st.vars["b.sha512"] != abc512 || st.vars["b.digest"] != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("kept digests %q %q", st.vars["b.sha512"], st.vars["b.digest"])
	}
	u, _ := url.Parse("http://registry.test/v2/")
	st.last = &client.Response{Status: 200, URL: u, Body: []byte("abc")}
	if err := st.saveBodyDigestWith(context.Background(), "sha512", "d"); err != nil || st.vars["d"] != abc512 {
		t.Errorf("response digest %q %v", st.vars["d"], err)
	}
}
