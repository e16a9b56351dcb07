package client

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"testing"
)

// A body whose Content-Length is known is read into one buffer of its
// size: a 4 MiB manifest costs 4 MiB of allocation, not the 12 MiB that
// growing by doubling (or growing a full buffer for the final EOF) costs,
// each of it fresh memory to clear.
func TestReadBodySizedByContentLength(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 4<<20)
	read := func() uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		resp := &http.Response{ContentLength: int64(len(body)), Body: io.NopCloser(bytes.NewReader(body))}
		b, err := readBody(resp, 8<<20)
		runtime.ReadMemStats(&after)
		if err != nil || !bytes.Equal(b, body) {
			t.Fatalf("read %d bytes, %v", len(b), err)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	read() // warm-up
	if got := read(); got > 5<<20 {
		t.Errorf("reading 4 MiB allocated %d bytes", got)
	}
}

// Past the limit, one byte more than allowed is read, whatever the
// Content-Length says, so that the caller can tell a body too large.
func TestReadBodyStopsPastTheLimit(t *testing.T) {
	for _, cl := range []int64{-1, 100, 1 << 20} {
		resp := &http.Response{ContentLength: cl, Body: io.NopCloser(bytes.NewReader(make([]byte, 1<<20)))}
		b, err := readBody(resp, 1000)
		if err != nil || len(b) != 1001 {
			t.Errorf("Content-Length %d: read %d bytes, %v; want 1001", cl, len(b), err)
		}
	}
}
