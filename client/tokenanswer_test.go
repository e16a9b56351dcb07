package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/retry"
	"oras.land/oras-go/v2/registry/remote/auth"
)

// bearerRegistry challenges for a token from tokens and accepts what valid
// says is a good token.
func tokenCheckingRegistry(t *testing.T, tokens *httptest.Server, valid func(token string) bool) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !valid(tok) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+tokens.URL+`/token",service="reg"`)
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(200)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func withCredentials(regURL string) Options {
	u, _ := url.Parse(regURL)
	return Options{Retry: quickRetry(retry.Default.Max, time.Millisecond, time.Millisecond),
		Credential: auth.StaticCredential(u.Host, auth.Credential{Username: "alice", Password: "secret"})}
}

// Single-use tokens with expires_in: 0 and requests side by side: oras-go
// fetches a token once for every request waiting on it, so a request may be
// refused a token another one used, without ever asking for the
// credentials itself. That was reported as "the anonymous bearer token"
// although credentials were configured.
func TestSingleUseTokensAreNotCalledAnonymous(t *testing.T) {
	var mu sync.Mutex
	used := map[string]bool{}
	var n atomic.Int64
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := r.BasicAuth(); !ok {
			w.WriteHeader(401)
			return
		}
		fmt.Fprintf(w, `{"token":"t%d","expires_in":0}`, n.Add(1))
	}))
	defer tokens.Close()
	reg := tokenCheckingRegistry(t, tokens, func(tok string) bool {
		mu.Lock()
		defer mu.Unlock()
		fresh := !used[tok]
		used[tok] = true
		return fresh
	})
	c, _ := New(reg.URL, withCredentials(reg.URL))
	var wg sync.WaitGroup
	var refused, anonymous atomic.Int32
	notes := make(chan string, 64)
	for range 64 {
		wg.Go(func() {
			resp, _, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/manifests/latest"})
			if err != nil || resp.Status != 401 {
				return
			}
			refused.Add(1)
			if strings.Contains(resp.AuthNote, "anonymous") {
				anonymous.Add(1)
			}
			select {
			case notes <- resp.AuthNote:
			default:
			}
		})
	}
	wg.Wait()
	close(notes)
	if anonymous.Load() > 0 {
		t.Errorf("%d of %d refusals called the token anonymous although credentials were configured", anonymous.Load(), refused.Load())
	}
	for note := range notes {
		if !strings.Contains(note, "expires_in: 0") || !strings.Contains(note, "configured credentials") {
			t.Errorf("note %q does not say what happened", note)
		}
	}
	t.Logf("%d of 64 requests refused", refused.Load())
}

// A challenge a client cannot answer is named in the note, not reported as
// refused credentials.
func TestMalformedChallengeIsNamed(t *testing.T) {
	for _, challenge := range []string{`Bearer service="reg"`, `Negotiate`, `"Bearer realm=x`} {
		reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", challenge)
			w.WriteHeader(401)
		}))
		c, _ := New(reg.URL, withCredentials(reg.URL))
		resp, _, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/manifests/latest"})
		reg.Close()
		if err != nil || resp.Status != 401 {
			t.Fatalf("%s: %v %v", challenge, resp, err)
		}
		want := fmt.Sprintf("no credentials were sent: its challenge (WWW-Authenticate: %q) is not one a client can answer", challenge)
		if !strings.HasPrefix(resp.AuthNote, want) {
			t.Errorf("note %q\nwant %q", resp.AuthNote, want)
		}
	}
}

// A 50 MiB token answer: refused at once, saying so, instead of oras-go's
// "unexpected EOF" after four attempts.
func TestHugeTokenAnswerRefusedOnce(t *testing.T) {
	var calls atomic.Int32
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.WriteString(w, `{"token":"`)
		chunk := strings.Repeat("a", 1<<20)
		for range 50 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `"}`)
	}))
	defer tokens.Close()
	reg := tokenCheckingRegistry(t, tokens, func(string) bool { return true })
	c, _ := New(reg.URL, withCredentials(reg.URL))
	_, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/manifests/latest"})
	if !errors.Is(err, ErrTokenAnswerTooLarge) || !strings.Contains(err.Error(), "more than 131072 bytes") {
		t.Fatalf("error %v", err)
	}
	if calls.Load() != 1 || ex.Attempts != 1 {
		t.Errorf("%d token requests, %d attempts: the same answer comes again, so it is not retried", calls.Load(), ex.Attempts)
	}
}
