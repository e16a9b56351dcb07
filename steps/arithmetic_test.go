package steps

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// The new general steps of issue 24 item 12 are in the vocabulary: each
// example validates.
func TestFirstHourStepsValidate(t *testing.T) {
	for _, text := range []string{
		`I save the response header "Range" matching "^0-([0-9]+)$" plus 1 as "next"`,
		`I save the number "{blob.size}" plus -1 as "last"`,
		`the request body is bytes "{next}" to the end of the saved body "blob"`,
		`I record "0-0" as "empty session range" when the response header "Range" is "0-0"`,
		`I record "gone" as "after cancel" when the status is 404 and the response body is empty`,
		`I save a blob digest and size of the manifest "{repository}:{tag}" as "blob"`,
		`the capability is supported when the status is 304 and the response body is empty`,
	} {
		if err := Check(text, false); err != nil {
			t.Errorf("%s: %v", text, err)
		}
	}
	if err := Check(`I record "x" as "y" when the stauts is 200`, false); err == nil || !strings.Contains(err.Error(), "unknown condition") {
		t.Errorf("a record-when with a bad condition validates: %v", err)
	}
}

func TestSavePlus(t *testing.T) {
	u, _ := url.Parse("http://registry.test/v2/r/blobs/uploads/1")
	st := newState(&Target{})
	st.last = &client.Response{Status: 202, URL: u, Header: http.Header{"Range": {"0-1499"}}}
	ctx := context.Background()
	if err := st.saveHeaderMatchPlus(ctx, "Range", `^0-([0-9]+)$`, 1, "next"); err != nil || st.vars["next"] != "1500" {
		t.Errorf("Range plus 1: %q %v", st.vars["next"], err)
	}
	if err := st.saveNumberPlus(ctx, "{next}", -1500, "zero"); err != nil || st.vars["zero"] != "0" {
		t.Errorf("number plus -1500: %q %v", st.vars["zero"], err)
	}
	st.last.Header.Set("Range", "0-x")
	if err := st.saveHeaderMatchPlus(ctx, "Range", `^0-(.+)$`, 1, "bad"); err == nil || !strings.Contains(err.Error(), "not a whole number") {
		t.Errorf("not a number: %v", err)
	}
	if _, ok := st.vars["bad"]; ok {
		t.Error("a failed step left its variable behind")
	}
	if err := st.saveNumberPlus(ctx, "9223372036854775807", 1, "big"); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("overflow: %v", err)
	}
}

func TestBodyFrom(t *testing.T) {
	st := newState(&Target{})
	st.keep("blob", []byte("0123456789"))
	st.vars["next"] = "4"
	if err := st.bodyFrom(context.Background(), "{next}", "blob"); err != nil || string(st.body) != "456789" {
		t.Errorf("body %q %v", st.body, err)
	}
	if st.vars["bodyDigest"] != digestOf([]byte("456789")) {
		t.Error("bodyDigest not set")
	}
	for _, from := range []string{"11", "-1", "x"} {
		if err := st.bodyFrom(context.Background(), from, "blob"); err == nil {
			t.Errorf("from %s: no error", from)
		}
	}
}

func TestRecordWhenAndEmptyBody(t *testing.T) {
	u, _ := url.Parse("http://registry.test/v2/r/blobs/uploads/1")
	st := newState(&Target{})
	st.last = &client.Response{Status: 204, URL: u, Header: http.Header{"Range": {"0-0"}}}
	ctx := context.Background()
	if err := st.recordWhen(ctx, "0-0", "empty range", `the response header "Range" is "0-0" and the response body is empty`); err != nil {
		t.Fatal(err)
	}
	if err := st.recordWhen(ctx, "0--1", "empty range olareg", `the response header "Range" is "0--1"`); err != nil {
		t.Fatal(err)
	}
	if len(st.facts) != 1 || st.facts[0].Name != "empty range" {
		t.Errorf("facts %v, want only the one whose condition held", st.facts)
	}
	st.last.Body = []byte("x")
	ok, obs := judgeText(t, st, "the response body is empty")
	if ok || !strings.Contains(obs, "the body has 1 bytes") {
		t.Errorf("a body of 1 byte is empty: %v %s", ok, obs)
	}
}

// At run time too, a near miss of a saved name says "did you mean".
func TestExpandSuggestsTheSavedName(t *testing.T) {
	st := newState(&Target{})
	st.keep("blob", []byte("abc"))
	_, err := st.expand("{blob.sise}")
	if err == nil || !strings.Contains(err.Error(), "did you mean {blob.size}?") {
		t.Errorf("got %v", err)
	}
}
