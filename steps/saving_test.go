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
