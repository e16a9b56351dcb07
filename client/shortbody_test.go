package client

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/retry"
)

// serveShort answers every request with the status, a Content-Length of
// 130 and 33 bytes of body, then closes: Distribution 2.8.2's 416 (curl:
// "transfer closed with 16 bytes remaining to read").
func serveShort(t *testing.T, status int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = http.ReadRequest(bufio.NewReader(conn))
			_, _ = conn.Write([]byte("HTTP/1.1 " + strconv.Itoa(status) + " x\r\nContent-Length: 130\r\nContent-Type: text/plain\r\n\r\nrequested range not satisfiable\n"))
			_ = conn.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}

// A body cut short on an answer whose status decides (416) keeps the
// status, the bytes that came and a note; on a 200 the content is missing
// and the request is an error.
func TestShortBodyOnADecidingStatus(t *testing.T) {
	c, err := New(serveShort(t, 416), Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	resp, ex, err := c.Do(context.Background(), Request{Method: http.MethodGet, Target: "/v2/r/blobs/sha256:ab"})
	if err != nil {
		t.Fatalf("416 with a short body: %v", err)
	}
	if resp.Status != 416 || string(resp.Body) != "requested range not satisfiable\n" {
		t.Errorf("got %d %q", resp.Status, resp.Body)
	}
	if !strings.Contains(ex.Note, "ended after 32 of the 130 bytes") || ex.Error != "" {
		t.Errorf("note %q, error %q", ex.Note, ex.Error)
	}

	c, err = New(serveShort(t, 200), Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ex, err := c.Do(context.Background(), Request{Method: http.MethodGet, Target: "/v2/r/blobs/sha256:ab"}); err == nil || ex.Error == "" {
		t.Errorf("200 with a short body: no error (%+v)", ex)
	}
}
