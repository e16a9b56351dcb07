package steps

import (
	"fmt"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/program"
	"github.com/ocicaps/ocicaps/results"
)

// transcript is what the scenario's requests got, in order: every
// exchange (clean-ups included), which is the evidence of the verdict; the
// current response, which conditions judge; and every response so far,
// clean-ups aside, for the conditions about every response.
type transcript struct {
	exchanges []results.Exchange
	// The current observation (observation.go) is last, the current HTTP
	// response, or run, the current program's run; at most one is set.
	last     *client.Response
	run      *program.Result
	lastEx   int // index in exchanges of the request that answered last
	received []received
}

// received is one response of the scenario: the index of its exchange and
// the response, its body kept only for an error answer (describeStatus
// names its code), so that big blob and manifest bodies are not held.
type received struct {
	ex   int
	resp *client.Response
}

func keepReceived(ex int, r *client.Response) received {
	cp := *r
	if cp.Status < 400 {
		cp.Body = nil
	}
	return received{ex: ex, resp: &cp}
}

// answered records a request of a step and makes its response the current
// one; resp is nil when the request got no answer, and then there is no
// current response.
func (t *transcript) answered(ex results.Exchange, resp *client.Response) {
	t.exchanges = append(t.exchanges, ex)
	t.run = nil
	if resp == nil {
		t.last = nil
		return
	}
	t.last, t.lastEx = resp, len(t.exchanges)-1
	t.received = append(t.received, keepReceived(t.lastEx, resp))
}

// ran records a client program's run (package program) and makes it the
// current observation: conditions that judge a program's run judge it,
// and there is no current HTTP response. res is nil when the program gave
// no result (it could not start).
func (t *transcript) ran(ex results.Exchange, res *program.Result) {
	t.exchanges = append(t.exchanges, ex)
	t.last, t.run = nil, res
	if res != nil {
		t.lastEx = len(t.exchanges) - 1
	}
}

// observation is the current observation.
func (t *transcript) observation() (observation, error) {
	switch {
	case t.run != nil:
		return programObservation{t.run}, nil
	case t.last != nil:
		return httpObservation{t.last}, nil
	}
	return nil, fmt.Errorf("no response yet: send a request first (I send a GET request to \"/v2/\")")
}

func (t *transcript) response() (*client.Response, error) {
	if t.last == nil {
		return nil, fmt.Errorf("no response yet: send a request first (I send a GET request to \"/v2/\")")
	}
	return t.last, nil
}

// lastEvidence names the exchange of the current response (culprit, in
// every.go, names another for conditions about every response).
func (t *transcript) lastEvidence() results.Evidence {
	if t.run != nil && t.lastEx < len(t.exchanges) {
		if c := t.exchanges[t.lastEx].Command; c != nil {
			return results.Evidence{Command: c.Line(), Exchange: t.lastEx}
		}
	}
	if t.last == nil || t.lastEx < 0 || t.lastEx >= len(t.exchanges) {
		return results.Evidence{Exchange: -1}
	}
	ex := t.exchanges[t.lastEx]
	return results.Evidence{Method: ex.Method, URL: ex.URL, Status: t.last.Status, Answer: describeStatus(t.last), Exchange: t.lastEx}
}

// receivedName names a received response for a reason: method, path with
// digests shortened, and status.
func (t *transcript) receivedName(i int) string {
	rc := t.received[i]
	return fmt.Sprintf("the answer to %s %s (%s)", t.exchanges[rc.ex].Method,
		digestInPathRE.ReplaceAllString(rc.resp.URL.Path, "$1…"), describeStatus(rc.resp))
}

// receivedEvidence names the exchange of a received response.
func (t *transcript) receivedEvidence(i int) results.Evidence {
	rc := t.received[i]
	ex := t.exchanges[rc.ex]
	return results.Evidence{Method: ex.Method, URL: ex.URL, Status: rc.resp.Status, Answer: describeStatus(rc.resp), Exchange: rc.ex}
}
