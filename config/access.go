package config

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
	"oras.land/oras-go/v2/registry/remote/credentials"
)

// Credentials says what ocicaps presents when a registry asks for
// credentials. The file never holds a secret: passwords and tokens are read
// from environment variables it names, or from the user's Docker config.
// The zero value is anonymous access.
type Credentials struct {
	// Username goes with PasswordEnv (or, optionally, IdentityTokenEnv).
	Username string
	// PasswordEnv names the variable holding the password or a personal
	// access token used as one (Basic auth, or the Basic credentials of a
	// token request).
	PasswordEnv string
	// IdentityTokenEnv names the variable holding an identity (OAuth2
	// refresh) token, the kind `docker login` stores as "identitytoken".
	IdentityTokenEnv string
	// DockerConfig is the Docker config file to take credentials from
	// (credential helpers and identity tokens included); empty when the
	// Docker config is not used.
	DockerConfig string
	// DockerDefault is set when DockerConfig was not asked for but is the
	// default of a registry without credentials, as with every registry
	// client after `docker login`.
	DockerDefault bool
	// Anonymous is an explicit "anonymous: true" (or --anonymous): nothing
	// is presented, not even what the Docker config holds.
	Anonymous bool
	// Line is where the credentials mapping starts.
	Line int
}

// Configured reports whether any credential source is set.
func (c Credentials) Configured() bool {
	return c.PasswordEnv != "" || c.IdentityTokenEnv != "" || c.DockerConfig != ""
}

// Describe names the source in words that never hold a secret, for reports.
func (c Credentials) Describe() string {
	switch {
	case c.DockerConfig != "" && c.DockerDefault:
		return "Docker config " + c.DockerConfig + " (the default)"
	case c.DockerConfig != "":
		return "Docker config " + c.DockerConfig
	case c.Anonymous:
		return "none (anonymous)"
	case c.PasswordEnv != "":
		return fmt.Sprintf("username %s, password from $%s", c.Username, c.PasswordEnv)
	case c.IdentityTokenEnv != "" && c.Username != "":
		return fmt.Sprintf("username %s, identity token from $%s", c.Username, c.IdentityTokenEnv)
	case c.IdentityTokenEnv != "":
		return "identity token from $" + c.IdentityTokenEnv
	}
	return "none"
}

// TLS holds a registry's TLS settings. The zero value means the system's
// roots and no client certificate.
type TLS struct {
	// CAFile is a PEM bundle of extra roots, trusted besides the system's.
	CAFile string
	// CertFile and KeyFile are a client certificate and its key (mTLS).
	CertFile, KeyFile string
	// InsecureSkipVerify turns certificate verification off. It is only
	// ever set by an explicit "insecureSkipVerify: true", and every report
	// of the run then carries a warning.
	InsecureSkipVerify bool
	Line               int
}

// Config builds the crypto/tls configuration, or nil when nothing differs
// from the defaults.
func (t TLS) Config() (*tls.Config, error) {
	if t == (TLS{Line: t.Line}) {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: t.InsecureSkipVerify}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("caFile: %w", unwrapPathErr(err))
		}
		// The extra CA is added to the system roots, not put in their
		// place: a private registry's token service is often public.
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("caFile %s holds no PEM certificate", t.CAFile)
		}
		cfg.RootCAs = pool
	}
	if t.CertFile != "" {
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("certFile/keyFile: %w", unwrapPathErr(err))
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

var (
	credentialKeys = []string{"username", "passwordEnv", "identityTokenEnv", "dockerConfig", "anonymous"}
	tlsKeys        = []string{"caFile", "certFile", "keyFile", "insecureSkipVerify"}
	// Keys people write when they mean to put a secret in the file.
	secretKeys = map[string]string{
		"password": "passwordEnv", "token": "identityTokenEnv", "identityToken": "identityTokenEnv",
		"identitytoken": "identityTokenEnv", "auth": "dockerConfig", "accessToken": "passwordEnv",
	}
	envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// mapping checks that v is a mapping of known keys holding scalars, and
// returns the values by key.
func (p *parser) scalarMapping(what, reg string, v *yaml.Node, allowed []string) map[string]*yaml.Node {
	if v.Kind != yaml.MappingNode {
		p.add(v.Line, "registry %q: %q must be a mapping with the keys %s, found %s", reg, what, strings.Join(allowed, ", "), kindName(v))
		return nil
	}
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if hint, ok := secretKeys[k.Value]; ok && !contains(allowed, k.Value) && what == "credentials" {
			p.add(k.Line, "registry %q: %q does not belong in registries.yaml: secrets stay out of the file; put it in an environment variable and name the variable with %q (or use dockerConfig: true)", reg, k.Value, hint)
			continue
		}
		if !contains(allowed, k.Value) {
			p.add(k.Line, "unknown key %q in %s of registry %q%s; allowed keys: %s", k.Value, what, reg, suggest(k.Value, allowed), strings.Join(allowed, ", "))
			continue
		}
		if _, dup := vals[k.Value]; dup {
			p.add(k.Line, "key %q given twice in %s of registry %q", k.Value, what, reg)
			continue
		}
		if val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
			p.add(val.Line, "registry %q: %s.%s must be a single value, found %s", reg, what, k.Value, kindName(val))
			continue
		}
		vals[k.Value] = val
	}
	return vals
}

func (p *parser) boolean(reg, key string, v *yaml.Node) (bool, bool) {
	if v.Tag != "!!bool" {
		p.add(v.Line, "registry %q: %s must be true or false (unquoted), found %q", reg, key, v.Value)
		return false, false
	}
	return v.Value == "true" || v.Value == "True" || v.Value == "TRUE", true
}

// credentials parses a registry's "credentials" mapping. Variables it names
// must be set now: an unset variable would otherwise turn into a silent
// anonymous run.
func (p *parser) credentials(reg string, v *yaml.Node) Credentials {
	c := Credentials{Line: v.Line}
	vals := p.scalarMapping("credentials", reg, v, credentialKeys)
	if vals == nil {
		return c
	}
	if len(vals) == 0 && len(v.Content) == 0 {
		p.add(v.Line, "registry %q: credentials is empty; give username and passwordEnv, identityTokenEnv, dockerConfig, or anonymous: true (leave credentials out to use the Docker config's entry for the host, if any)", reg)
		return c
	}
	env := func(key string) string {
		n := vals[key]
		if n == nil {
			return ""
		}
		switch val, set := os.LookupEnv(n.Value); {
		case !envNameRE.MatchString(n.Value):
			// The value is not echoed: people paste the secret itself here.
			p.add(n.Line, "registry %q: %s must name an environment variable (letters, digits, '_'), found a value that is not a variable name (not shown: it may be the secret itself)", reg, key)
		case !set:
			p.add(n.Line, "registry %q: environment variable %s (%s) is not set; export it before the run, or remove the credentials for anonymous access", reg, n.Value, key)
		case val == "":
			p.add(n.Line, "registry %q: environment variable %s (%s) is empty", reg, n.Value, key)
		}
		return n.Value
	}
	if n := vals["username"]; n != nil {
		c.Username = n.Value
		if c.Username == "" || strings.ContainsAny(c.Username, ":\n") {
			p.add(n.Line, "registry %q: username %q is not usable (empty, or holds ':' or a line break)", reg, c.Username)
		}
	}
	if n := vals["anonymous"]; n != nil {
		c.Anonymous, _ = p.boolean(reg, "credentials.anonymous", n)
		if c.Anonymous && len(vals) > 1 {
			p.add(n.Line, "registry %q: anonymous: true presents nothing; remove the other credentials keys, or anonymous", reg)
		}
	}
	c.PasswordEnv = env("passwordEnv")
	c.IdentityTokenEnv = env("identityTokenEnv")
	if n := vals["dockerConfig"]; n != nil {
		if n.Tag == "!!bool" {
			if on, _ := p.boolean(reg, "credentials.dockerConfig", n); on {
				c.DockerConfig = p.dockerConfig(reg, n, "")
			}
		} else {
			c.DockerConfig = p.dockerConfig(reg, n, n.Value)
		}
	}
	switch {
	case c.DockerConfig != "" && (c.Username != "" || c.PasswordEnv != "" || c.IdentityTokenEnv != ""):
		p.add(vals["dockerConfig"].Line, "registry %q: dockerConfig takes the credentials from the Docker config; do not combine it with username, passwordEnv or identityTokenEnv", reg)
	case c.PasswordEnv != "" && c.IdentityTokenEnv != "":
		p.add(vals["identityTokenEnv"].Line, "registry %q: give passwordEnv or identityTokenEnv, not both", reg)
	case c.PasswordEnv != "" && c.Username == "":
		p.add(vals["passwordEnv"].Line, "registry %q: passwordEnv needs a username", reg)
	case c.Username != "" && c.PasswordEnv == "" && c.IdentityTokenEnv == "":
		p.add(vals["username"].Line, "registry %q: username %q has no secret: add passwordEnv: <VARIABLE> naming the environment variable that holds the password or token", reg, c.Username)
	}
	return c
}

// DockerConfigPath is where the Docker CLI keeps its config:
// $DOCKER_CONFIG/config.json, else ~/.docker/config.json; how says which.
func DockerConfigPath() (path, how string, err error) {
	if dir := os.Getenv("DOCKER_CONFIG"); dir != "" {
		return filepath.Join(dir, "config.json"), "$DOCKER_CONFIG/config.json", nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", "", fmt.Errorf("no home directory to find ~/.docker/config.json in; set DOCKER_CONFIG: %w", err)
	}
	return filepath.Join(home, ".docker", "config.json"), "~/.docker/config.json", nil
}

// UseDockerDefault gives every registry without credentials what the
// Docker config holds for its host, as every registry client does after
// `docker login`; anonymous (--anonymous) makes them all anonymous
// instead. No Docker config means anonymous access. A Docker config that
// cannot be read is not an error, since nobody asked for it, but a warning
// to print.
func (c *Config) UseDockerDefault(anonymous bool) (warnings []string) {
	path := ""
	if !anonymous {
		p, _, err := DockerConfigPath()
		if _, serr := os.Stat(p); err == nil && serr == nil {
			if _, err := credentials.NewStore(p, credentials.StoreOptions{}); err != nil {
				warnings = append(warnings, fmt.Sprintf("the Docker config %s cannot be read (%v): registries without credentials are probed anonymously", p, err))
			} else {
				path = p
			}
		}
	}
	for i := range c.Registries {
		r := &c.Registries[i]
		switch {
		case r.Credentials.Configured() || r.Credentials.Anonymous:
		case anonymous:
			r.Credentials.Anonymous = true
		case path != "":
			r.Credentials.DockerConfig, r.Credentials.DockerDefault = path, true
		}
	}
	return warnings
}

// dockerConfig resolves and checks the Docker config file: path, or the
// Docker CLI's own location ($DOCKER_CONFIG/config.json, else
// ~/.docker/config.json) when path is empty.
func (p *parser) dockerConfig(reg string, n *yaml.Node, path string) string {
	how := "credentials.dockerConfig"
	if path == "" {
		var err error
		if path, how, err = DockerConfigPath(); err != nil {
			p.add(n.Line, "registry %q: dockerConfig: true, but %v", reg, err)
			return ""
		}
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(p.file), path)
	}
	if _, err := os.Stat(path); err != nil {
		p.add(n.Line, "registry %q: no Docker config at %s (%s): %v; `docker login` writes one", reg, path, how, unwrapPathErr(err))
		return ""
	}
	// Loading parses the file; credential helpers run only when a registry
	// asks for credentials.
	if _, err := credentials.NewStore(path, credentials.StoreOptions{}); err != nil {
		p.add(n.Line, "registry %q: Docker config %s cannot be read: %v", reg, path, err)
		return ""
	}
	return path
}

// tls parses a registry's "tls" mapping and loads the files it names, so
// that a missing or broken file is refused before anything is probed.
func (p *parser) tls(reg, rawURL string, v *yaml.Node) TLS {
	t := TLS{Line: v.Line}
	vals := p.scalarMapping("tls", reg, v, tlsKeys)
	if vals == nil {
		return t
	}
	file := func(key string) string {
		n := vals[key]
		if n == nil {
			return ""
		}
		path := n.Value
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(p.file), path)
			// Absolute: --config may be relative, and caFile reaches client
			// programs ({caFile}, SSL_CERT_FILE), which run elsewhere.
			if abs, err := filepath.Abs(path); err == nil {
				path = abs
			}
		}
		if _, err := os.ReadFile(path); err != nil {
			p.add(n.Line, "registry %q: tls.%s %s cannot be read: %v", reg, key, path, unwrapPathErr(err))
			return ""
		}
		return path
	}
	before := len(p.errs)
	t.CAFile, t.CertFile, t.KeyFile = file("caFile"), file("certFile"), file("keyFile")
	if n := vals["insecureSkipVerify"]; n != nil {
		t.InsecureSkipVerify, _ = p.boolean(reg, "tls.insecureSkipVerify", n)
	}
	switch {
	case vals["certFile"] != nil && vals["keyFile"] == nil:
		p.add(vals["certFile"].Line, "registry %q: tls.certFile needs tls.keyFile (the client certificate's private key)", reg)
	case vals["keyFile"] != nil && vals["certFile"] == nil:
		p.add(vals["keyFile"].Line, "registry %q: tls.keyFile needs tls.certFile (the client certificate)", reg)
	}
	if strings.HasPrefix(rawURL, "http://") {
		p.add(v.Line, "registry %q: tls settings, but the url %s is plain HTTP; use https:// (ocicaps never upgrades or downgrades the scheme on its own)", reg, rawURL)
	}
	if len(p.errs) == before {
		if _, err := t.Config(); err != nil {
			p.add(v.Line, "registry %q: tls: %v", reg, err)
		}
	}
	return t
}

// Warnings are what an operator must see about how this registry is
// reached, in the console and in every report.
func (r Registry) Warnings() []string {
	var w []string
	if r.TLS.InsecureSkipVerify {
		w = append(w, "TLS certificate verification is OFF for this registry (tls.insecureSkipVerify: true): the run cannot tell it from an impostor, and credentials go to whoever answers")
	}
	switch plain := strings.HasPrefix(r.URL, "http://") && !loopback(r.Host()); {
	case plain && r.Credentials.DockerDefault:
		// Whether the Docker config has an entry is known only when the
		// registry asks.
		w = append(w, "the Docker config's credentials for this host, if it has any, are sent over plain HTTP (the url is http://): anyone on the path can read them; --anonymous sends none")
	case plain && r.Credentials.Configured():
		w = append(w, "credentials are sent over plain HTTP (the url is http://): anyone on the path can read them")
	}
	return w
}

func loopback(hostport string) bool {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
