package steps

import (
	"context"
	"fmt"
	"sync"

	"github.com/ocicaps/ocicaps/results"
)

// sharedPush is a blob that several scenarios of one registry push alike
// (the empty JSON "{}" config of every artifact), pushed once per registry
// run into each repository. Pushing the same blob into the same repository
// from several scenarios at once made a namespaced Distribution behind a
// token service answer a manifest PUT naming it 404 BLOB_UNKNOWN, a moment
// after its own blob PUT had answered 201 (issue 21: one of referrers,
// referrers-pagination, referrers-filter or artifact-manifest in error in
// 5 of 10 runs): the verdicts then depended on which scenarios overlapped.
type sharedPush struct {
	once sync.Once
	err  error
	// exchanges are the requests of the push, recorded by every scenario
	// that relies on it, so that each one's evidence shows the blob stored.
	exchanges []results.Exchange
}

func (s *shared) push(key string) *sharedPush {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pushes == nil {
		s.pushes = map[string]*sharedPush{}
	}
	p, ok := s.pushes[key]
	if !ok {
		p = &sharedPush{}
		s.pushes[key] = p
	}
	return p
}

// pushBlobShared pushes b to repo once for all the registry's scenarios:
// the first to ask pushes it and leaves its deletion to the end of the
// registry's run (Target.Finish); the others wait for that push and record
// its exchanges as their own evidence. A push that failed fails every
// scenario that needs the blob, with the same reason, so that no verdict
// depends on which scenario came first.
func (st *state) pushBlobShared(ctx context.Context, repo string, b []byte) error {
	d := digestOf(b)
	p := st.target.shared.push(repo + "@" + d)
	first := false
	p.once.Do(func() {
		first = true
		n := len(st.exchanges)
		p.err = st.pushBlob(ctx, repo, b)
		p.exchanges = append([]results.Exchange(nil), st.exchanges[n:]...)
		st.cleanupLast(st.blobURL(repo, d))
	})
	if first {
		return p.err
	}
	st.exchanges = append(st.exchanges, p.exchanges...)
	if p.err != nil {
		return fmt.Errorf("the %d-byte blob %s that every artifact of %s shares could not be pushed: %w", len(b), shortDigest(d), repo, p.err)
	}
	return nil
}
