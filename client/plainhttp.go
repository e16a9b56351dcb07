package client

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// httpToHTTPS is net/http's text for a TLS handshake answered in plain
// HTTP; the transport does not type it.
const httpToHTTPS = "server gave HTTP response to HTTPS client"

// plainHTTPAnswer recognises an https:// request a plain-HTTP registry
// answered. Every retry gets the same answer, so it is permanent.
func plainHTTPAnswer(err error) bool {
	return err != nil && strings.Contains(err.Error(), httpToHTTPS)
}

// plainHTTPHint is what to type instead when an https:// URL reached a
// plain-HTTP registry: the same URL with http://, --plain-http for a bare
// reference, or url: http://… in registries.yaml.
func plainHTTPHint(err error) string {
	host := "HOST"
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			host = u.Host
		}
	}
	return fmt.Sprintf("the registry speaks plain HTTP, not HTTPS: give http://%s (url: http://%s in registries.yaml, or --plain-http with a bare reference)", host, host)
}
