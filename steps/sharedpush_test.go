package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// Scenarios that push the same blob into the same repository at the same
// time send one upload between them: each records the push as evidence,
// and a second repository gets its own push.
func TestSharedBlobPushedOnce(t *testing.T) {
	var mu sync.Mutex
	puts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			w.Header().Set("Location", r.URL.Path+"s1")
			w.WriteHeader(http.StatusAccepted)
		case http.MethodPut:
			mu.Lock()
			puts[strings.TrimSuffix(r.URL.Path, "/blobs/uploads/s1")]++
			mu.Unlock()
			w.WriteHeader(http.StatusCreated)
		case http.MethodGet:
			// The read-back of what was pushed.
			_, _ = w.Write(emptyJSON)
		default:
			w.WriteHeader(http.StatusAccepted)
		}
	}))
	defer srv.Close()
	c, err := client.New(srv.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := &Target{Client: c}
	var wg sync.WaitGroup
	states := make([]*state, 8)
	for i := range states {
		states[i] = newState(target)
		repo := "r"
		if i == 7 {
			repo = "q"
		}
		wg.Add(1)
		go func(st *state, repo string) {
			defer wg.Done()
			if err := st.pushBlobShared(context.Background(), repo, emptyJSON); err != nil {
				t.Error(err)
			}
		}(states[i], repo)
	}
	wg.Wait()
	if puts["/v2/r"] != 1 || puts["/v2/q"] != 1 {
		t.Errorf("blob PUTs per repository: %v, want one each", puts)
	}
	for i, st := range states {
		if len(st.exchanges) != 3 || st.exchanges[1].Method != http.MethodPut || st.exchanges[2].Method != http.MethodGet {
			t.Errorf("scenario %d recorded %+v, want the shared POST, PUT and read-back GET", i, st.exchanges)
		}
		if len(st.cleanups) != 0 {
			t.Errorf("scenario %d deletes %+v itself; the blob is deleted at the end of the run", i, st.cleanups)
		}
	}
	if left := target.Finish(context.Background()); len(left) != 0 {
		t.Errorf("leftovers %+v", left)
	}
}

// A shared push that failed fails every scenario that needs the blob, with
// the registry's answer.
func TestSharedBlobPushFailureIsEveryones(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	c, err := client.New(srv.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := &Target{Client: c}
	for i := 0; i < 2; i++ {
		st := newState(target)
		err := st.pushBlobShared(context.Background(), "r", emptyJSON)
		if err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("scenario %d: %v, want the 404 named", i, err)
		}
	}
}
