package runner

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
)

// Verify mode's preflight: before any verify scenario of a registry, open
// and cancel one upload session in each scratch repository. Every verify
// scenario starts by pushing there, so when the registry refuses, each of
// them would fail to set itself up with the same refusal; saying it once,
// and attempting nothing else, is clearer and leaves nothing behind.

// preflight returns "" when every scratch repository accepts an upload
// session, else one reason naming the repository (the first refused, in
// order), the answer and what to change. The repositories are tried side by
// side, and the sessions are closed in the background while the scenarios
// run: one round trip before them instead of four, which on a far registry
// alone is a tenth of its run (docs/benchmarks.md). closed waits for the
// sessions to be closed.
func preflight(ctx context.Context, cl *client.Client, scratch []string) (reason string, closed func()) {
	reasons, sessions := make([]string, len(scratch)), make([]string, len(scratch))
	var tries sync.WaitGroup
	for i, repo := range scratch {
		tries.Go(func() { reasons[i], sessions[i] = tryUpload(ctx, cl, repo) })
	}
	tries.Wait()
	var closing sync.WaitGroup
	for _, loc := range sessions {
		if loc != "" {
			closing.Go(func() { cancelSession(ctx, cl, loc) })
		}
	}
	for _, r := range reasons {
		if r != "" {
			return r, closing.Wait
		}
	}
	return "", closing.Wait
}

// tryUpload opens an upload session in repo; it returns why it could not,
// or the session's Location to close.
func tryUpload(ctx context.Context, cl *client.Client, repo string) (reason, session string) {
	resp, _, err := cl.Do(ctx, client.Request{Method: http.MethodPost, Target: "/v2/" + repo + "/blobs/uploads/"})
	if err != nil {
		return fmt.Sprintf("verify mode could not open an upload session in its scratch repository %s: %v", repo, err), ""
	}
	if resp.Status == http.StatusTooManyRequests {
		return fmt.Sprintf("rate limited: verify mode could not open an upload session in its scratch repository %s: POST answered %s "+
			"after the retries; set rateLimit (and retry) in registries.yaml, or run later; no verify scenario was attempted", repo, resp.Describe()), ""
	}
	if resp.Status != http.StatusAccepted {
		return fmt.Sprintf("verify mode could not open an upload session in its scratch repository %s: POST answered %s; "+
			"verify needs a repository the credentials may push to (set scratchRepository, or grant push), "+
			"or a registry that accepts pushes; no verify scenario was attempted", repo, resp.Describe()), ""
	}
	return "", resp.Header.Get("Location")
}

// cancelSession closes a preflight session. Best effort on a detached
// context: a session left open is what the zoo's upload checks catch, and
// the registry expires it.
func cancelSession(ctx context.Context, cl *client.Client, loc string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), steps.CleanupTimeout)
	defer cancel()
	_, _, _ = cl.Do(cctx, client.Request{Method: http.MethodDelete, Target: loc, Cleanup: true})
}

// preflightRefused is each verify scenario's reason when the preflight was
// refused; the full reason is said once, as a warning of the registry.
const preflightRefused = "not attempted: verify mode could not write to its scratch repository (see the registry's warning)"

// refuseVerify decides every verify scenario as an error without running
// it: the scratch repositories refused the preflight upload, for why.
func (rr *registryRun) refuseVerify(why string) {
	reason := preflightRefused
	if strings.HasPrefix(why, "rate limited") {
		reason = "rate limited: " + reason
	}
	for i, sc := range rr.scenarios {
		if sc.Verify {
			rr.outcomes[i] = []row{{name: sc.Name, o: steps.Outcome{Status: results.Error, Reason: reason}}}
		}
	}
}
