package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/internal/editdistance"
	"github.com/ocicaps/ocicaps/internal/names"
)

// CommandLine is what Config.File says for registries given as TARGET
// arguments instead of a file.
const CommandLine = "(command line)"

// Docker Hub's registry answers on another host than the one its
// references name, as every client knows.
const (
	dockerHubName = "docker.io"
	dockerHubHost = "registry-1.docker.io"
)

// notNameRE matches what a host may hold but a registry name may not.
var notNameRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// FromTargets turns TARGET arguments into a configuration with the built-in
// defaults. A TARGET is a registry URL (http://127.0.0.1:5000), a URL with a
// repository and tag (https://ghcr.io/acme/app:1.0, which sets
// testRepository and testTag), or a bare reference as crane and oras take it
// (ghcr.io/acme/app:1.0): HTTPS, or plain HTTP for a loopback host or with
// plainHTTP. Names come from the hosts; a host given twice gets "-2", "-3".
func FromTargets(targets []string, plainHTTP bool) (*Config, error) {
	cfg := &Config{File: CommandLine, Defaults: BuiltinDefaults}
	var errs Errors
	seen := map[string]int{}
	for _, t := range targets {
		r, err := target(t, plainHTTP)
		if err != nil {
			errs = append(errs, &Error{File: "TARGET " + t, Msg: err.Error()})
			continue
		}
		if seen[r.Name]++; seen[r.Name] > 1 {
			r.Name += "-" + strconv.Itoa(seen[r.Name])
		}
		cfg.Registries = append(cfg.Registries, r)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// target parses one TARGET.
func target(t string, plainHTTP bool) (Registry, error) {
	d := BuiltinDefaults
	r := Registry{Retry: d.Retry, Timeouts: d.Timeouts, Concurrency: d.Concurrency, Consistency: d.Consistency, RateLimit: d.RateLimit, Mode: ModeProbe,
		TestRepository: DefaultTestRepository, TestTag: DefaultTestTag}
	scheme, host, ref, err := splitTarget(t, plainHTTP)
	if err != nil {
		return r, err
	}
	r.Name = registryName(host)
	if host == dockerHubName || host == "index."+dockerHubName {
		host = dockerHubHost
		if ref != "" && !strings.Contains(ref, "/") {
			ref = "library/" + ref
		}
	}
	if r.URL, err = checkURL(scheme + "://" + host); err != nil {
		return r, err
	}
	if ref != "" {
		if err := r.setReference(ref); err != nil {
			return r, err
		}
	}
	// The same default a registries.yaml entry gets: next to the test
	// repository, where a namespaced token may push.
	r.MountRepository = DefaultMountRepositoryFor(r.TestRepository)
	return r, nil
}

// splitTarget returns the scheme, host[:port] and repository[:tag] of a
// TARGET.
func splitTarget(t string, plainHTTP bool) (scheme, host, ref string, err error) {
	if strings.Contains(t, "://") {
		u, err := url.Parse(t)
		switch {
		case err != nil:
			return "", "", "", fmt.Errorf("not a URL: %w", err)
		case u.Scheme != "http" && u.Scheme != "https":
			return "", "", "", fmt.Errorf("the scheme must be http:// or https://")
		case u.User != nil:
			return "", "", "", fmt.Errorf("credentials do not belong in the URL; ocicaps takes them from the Docker config (docker login %s)", u.Host)
		case u.RawQuery != "" || u.Fragment != "":
			return "", "", "", fmt.Errorf("give scheme, host and optionally repository:tag, no query or fragment")
		}
		return u.Scheme, u.Host, strings.Trim(u.Path, "/"), nil
	}
	host, ref, slash := strings.Cut(t, "/")
	if !isHost(host, slash) {
		// As docker, crane, oras and skopeo read a reference: a first
		// component that is no host is a Docker Hub repository
		// (alpine, user/app:tag).
		if host == "" || strings.HasPrefix(t, "/") {
			return "", "", "", fmt.Errorf("%q is not a registry host: start with the registry, e.g. docker.io/library/alpine:latest, ghcr.io/acme/app:1.0 or http://127.0.0.1:5000", host)
		}
		return "https", dockerHubName, t, nil
	}
	scheme = "https"
	if plainHTTP || loopback(host) {
		scheme = "http"
	}
	return scheme, host, ref, nil
}

// isHost tells whether the first component of a reference names a
// registry, as docker reads it: with a '.', ':' or IPv6 bracket, or
// localhost, when a repository follows ("r:5000/app"). Alone, it is a host
// when the part before any ':' has a '.' or is localhost (r.example,
// localhost:5000); else a Docker Hub repository and tag ("alpine:3.20").
func isHost(first string, slash bool) bool {
	if slash {
		return strings.ContainsAny(first, ".:[") || first == "localhost"
	}
	name, _, _ := strings.Cut(first, ":")
	return strings.ContainsAny(name, ".[") || name == "localhost"
}

// setReference sets testRepository and testTag from repository[:tag].
func (r *Registry) setReference(ref string) error {
	if strings.Contains(ref, "@") {
		return fmt.Errorf("%q names a digest; give repository:tag (the test image is looked up by tag)", ref)
	}
	repo, tag := ref, ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repo, tag = ref[:i], ref[i+1:]
	}
	if !names.Repository(repo) {
		return fmt.Errorf("repository %q is not a valid repository name (lower-case path components such as library/alpine)", repo)
	}
	r.TestRepository = repo
	if tag != "" {
		if !names.Tag(tag) {
			return fmt.Errorf("tag %q is not a valid tag (letters, digits, '_', '.', '-'; at most 128)", tag)
		}
		r.TestTag = tag
	}
	if r.MountRepository == r.TestRepository {
		r.MountRepository += "-2"
	}
	return nil
}

// registryName makes a registry name of a host: "127.0.0.1:5000" becomes
// "127.0.0.1-5000", so the same host always gets the same name.
func registryName(host string) string {
	n := strings.Trim(notNameRE.ReplaceAllString(host, "-"), "-._")
	if n == "" {
		return "registry"
	}
	return n
}

// Closest returns the word of allowed closest to a misspelt one (a small
// edit distance for its length, or a shortened form), or "" when none is
// close; for "did you mean" in the CLI and in messages about the file.
func Closest(got string, allowed []string) string {
	best, bestD := "", min(4, len(got)/3+2)
	g := strings.ToLower(got)
	for _, a := range allowed {
		al := strings.ToLower(a)
		d := editdistance.Levenshtein(g, al)
		if len(g) >= 4 && (strings.HasPrefix(al, g) || strings.HasPrefix(g, al)) {
			d = 1
		}
		if d < bestD {
			best, bestD = a, d
		}
	}
	return best
}
