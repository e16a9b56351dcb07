package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// MaxTokenAnswer is the largest token service answer read: oras-go reads
// at most 128 KiB of it and then fails to decode the rest as "unexpected
// EOF", which was retried as if the network had failed. A larger answer is
// refused at once, with what it is.
const MaxTokenAnswer = 128 << 10

// ErrTokenAnswerTooLarge is a token service answer over MaxTokenAnswer. It
// is permanent: the service sends the same answer again.
var ErrTokenAnswerTooLarge = errors.New("the token service's answer is larger than a token answer may be")

// readTokenAnswer reads a successful token answer whole (up to
// MaxTokenAnswer), so that its size can be judged and its expires_in seen,
// and hands it back readable. expiresIn is -1 when the answer has none.
func readTokenAnswer(req *http.Request, resp *http.Response) (expiresIn int, err error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxTokenAnswer+1))
	resp.Body.Close()
	if err != nil {
		return -1, fmt.Errorf("reading the token service's answer to %s %s: %w", req.Method, RedactURL(req.URL), err)
	}
	if len(body) > MaxTokenAnswer {
		return -1, fmt.Errorf("%w: %s %s answered %s with more than %d bytes", ErrTokenAnswerTooLarge, req.Method, RedactURL(req.URL), resp.Status, MaxTokenAnswer)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var a struct {
		ExpiresIn *int `json:"expires_in"`
	}
	if json.Unmarshal(body, &a) != nil || a.ExpiresIn == nil {
		return -1, nil
	}
	return *a.ExpiresIn, nil
}

// challengeNote says why a challenge was left unanswered when nothing was
// sent: no challenge, or one that names no scheme ocicaps can answer
// (Basic, or Bearer with a realm). "" when the challenge looks answerable.
func challengeNote(h http.Header) string {
	v := strings.TrimSpace(h.Get("Www-Authenticate"))
	if v == "" {
		return "no credentials were sent: it sent no WWW-Authenticate challenge to answer"
	}
	scheme, rest, _ := strings.Cut(v, " ")
	switch {
	case strings.EqualFold(scheme, "basic"):
		return ""
	case strings.EqualFold(scheme, "bearer") && strings.Contains(strings.ToLower(rest), "realm="):
		return ""
	}
	return fmt.Sprintf("no credentials were sent: its challenge (WWW-Authenticate: %s) is not one a client can answer (Basic, or Bearer with a realm)", capValue(fmt.Sprintf("%q", v)))
}
