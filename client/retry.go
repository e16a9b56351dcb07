package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/ocicaps/ocicaps/retry"
)

// retryableStatus are the answers worth asking again: rate limits and
// gateway or availability failures. 500 and 501 are answers (a bug or "not
// implemented"), and other 4xx never change on retry.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// checkRetry says what is retried: connection errors and retryableStatus,
// unless the context is done, the error is one a retry cannot fix (TLS
// verification, bad URL), or the registry asks to wait longer than the cap.
func checkRetry(p retry.Policy) retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if err != nil {
			return !permanent(err), nil
		}
		if !retryableStatus(resp.StatusCode) {
			return false, nil
		}
		if d, ok := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && d > p.MaxRetryAfter {
			// Waiting less than asked would only be refused again; waiting
			// longer than the cap would stall the run. Give up with the
			// registry's answer, which the verdict then names.
			return false, nil
		}
		return true, nil
	}
}

func permanent(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var recordHeader tls.RecordHeaderError
	var policy *PolicyError
	switch {
	case errors.As(err, &policy), headersTooLarge(err), refusedRealm(err), plainHTTPAnswer(err), errors.Is(err, ErrTokenAnswerTooLarge):
		return true
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify), errors.As(err, &recordHeader):
		return true
	case strings.Contains(err.Error(), "unsupported protocol scheme"), strings.Contains(err.Error(), "stopped after"):
		return true
	}
	return false
}
