package e2e

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// Secured registries: CNCF Distribution v3.1.2 (the real registry) behind
// TLS with a CA made here, with Basic auth (htpasswd), with token auth (the
// token service is the test's own, zoo.TokenServer), and with mTLS.
const (
	nameBasic = "zoo-distribution-basic"
	nameToken = "zoo-distribution-token"
	nameMTLS  = "zoo-distribution-mtls"
	user      = "alice"
)

var secured struct {
	ca           *zoo.CA
	dir          string // CA, client certificate and key
	clientCert   string
	clientKey    string
	password     string // alice's, fresh per run: the leak tests look for it
	refreshToken string // alice's identity token at the token service
	tokens       *zoo.TokenServer
	inst         map[string]*zoo.Instance
}

func secret(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func startSecured(ctx context.Context, bin, work string) (func(), error) {
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	s := &secured
	s.dir = work
	s.password, s.refreshToken = secret("pw-"), secret("rt-")
	var err error
	if s.ca, err = zoo.NewCA(work); err != nil {
		return nil, err
	}
	serverCert, serverKey, _, err := s.ca.Issue(work, "registry")
	if err != nil {
		return nil, err
	}
	var clientPair tls.Certificate
	if s.clientCert, s.clientKey, clientPair, err = s.ca.Issue(work, "client"); err != nil {
		return nil, err
	}
	users := map[string]string{user: s.password}
	if s.tokens, err = zoo.StartTokenServer(work, s.ca, users, map[string]string{s.refreshToken: user}); err != nil {
		return nil, err
	}
	tlsSpec := func(clientCA string) *zoo.TLSSpec {
		t := &zoo.TLSSpec{CertFile: serverCert, KeyFile: serverKey, RootCAs: s.ca.Pool, ClientCAFile: clientCA}
		if clientCA != "" {
			t.ClientCert = &clientPair
		}
		return t
	}
	seedToken, err := s.tokens.Mint(user, "repository:library/alpine:pull,push")
	if err != nil {
		return nil, err
	}
	specs := []zoo.Spec{
		{Name: nameBasic, Kind: zoo.KindDistribution, Delete: true, TLS: tlsSpec(""), Htpasswd: users,
			Authorize: func(r *http.Request) { r.SetBasicAuth(user, s.password) }},
		{Name: nameToken, Kind: zoo.KindDistribution, Delete: true, TLS: tlsSpec(""), Token: &s.tokens.Spec,
			Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+seedToken) }},
		{Name: nameMTLS, Kind: zoo.KindDistribution, Delete: true, TLS: tlsSpec(s.ca.File)},
	}
	insts, err := zoo.StartAll(ctx, bin, filepath.Join(work, "zoo"), specs)
	if err != nil {
		s.tokens.Close()
		return nil, err
	}
	s.inst = map[string]*zoo.Instance{}
	for _, in := range insts {
		s.inst[in.Spec.Name] = in
	}
	return func() {
		zoo.StopAll(insts)
		s.tokens.Close()
	}, nil
}

// securedConfig writes a registries.yaml with one registry and the extra
// YAML lines given (indented under the registry).
func securedConfig(t *testing.T, name, url string, extra ...string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "registries:\n  - name: %s\n    url: %s\n", name, url)
	for _, l := range extra {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	p := filepath.Join(t.TempDir(), "registries.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func caLines() []string { return []string{"tls:", "  caFile: " + secured.ca.File} }

func passwordLines() []string {
	return []string{"credentials:", "  username: " + user, "  passwordEnv: OCICAPS_E2E_PASSWORD"}
}

func statuses(reg results.Registry) map[string]results.Status {
	got := map[string]results.Status{}
	for _, c := range reg.Capabilities {
		got[c.ID] = c.Status
	}
	return got
}

func capability(t *testing.T, reg results.Registry, id string) results.Capability {
	t.Helper()
	c, ok := reg.Capability(id)
	if !ok {
		t.Fatalf("%s: no capability %s", reg.Name, id)
	}
	return c
}

// openDistribution is what every check finds on the open Distribution of
// the standard zoo: an authenticated run must find the same.
func openDistribution() map[string]results.Status {
	want := map[string]results.Status{}
	for k, v := range expected[zoo.NameDistribution].caps {
		want[k] = v
	}
	for k, v := range expectedOthers[zoo.NameDistribution] {
		want[k] = v
	}
	return want
}

// TestBasicAuthOverTLSWholeSuite runs every check against Distribution with
// htpasswd behind TLS, with the right password: the matrix is the open
// registry's. Then nothing the run printed or wrote holds the password, in
// clear or as the Basic header value.
func TestBasicAuthOverTLSWholeSuite(t *testing.T) {
	inst := secured.inst[nameBasic]
	cfg := securedConfig(t, nameBasic, inst.URL, append(caLines(), passwordLines()...)...)
	r := runOcicapsEnv(t, []string{"OCICAPS_E2E_PASSWORD=" + secured.password}, "--config", cfg, "--check", "all")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	reg := registry(t, r.run, nameBasic)
	if got, want := statuses(reg), openDistribution(); !reflect.DeepEqual(got, want) {
		t.Errorf("with credentials:\n got %v\nwant %v (the open Distribution's)", got, want)
	}
	if reg.Credentials != "username alice, password from $OCICAPS_E2E_PASSWORD" {
		t.Errorf("credentials recorded as %q", reg.Credentials)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + secured.password))
	assertNoSecrets(t, r, secured.password, basic)

	validateJUnit(t, filepath.Join(r.out, "junit.xml"))
}

// TestBasicAuthWrongAndMissingCredentials: a wrong password and no
// credentials both fail the credentials check, each saying which it is,
// and turn every other capability into an error, not "unsupported".
func TestBasicAuthWrongAndMissingCredentials(t *testing.T) {
	inst := secured.inst[nameBasic]
	cases := []struct {
		name, reason, note string
		lines              []string
	}{
		{"wrong password", "rejected: the registry refused the credentials (username alice, password from $OCICAPS_E2E_PASSWORD)",
			"it refused the configured credentials (Basic)", append(caLines(), passwordLines()...)},
		{"no credentials", "not configured: the registry requires credentials and none are configured for it (none)",
			"no credentials are configured to answer its Basic challenge", caLines()},
	}
	reasons := map[string]string{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := securedConfig(t, nameBasic, inst.URL, tc.lines...)
			r := runOcicapsEnv(t, []string{"OCICAPS_E2E_PASSWORD=wrong-" + secured.password}, "--config", cfg, "--check", "all")
			if r.code != 1 || r.run == nil {
				t.Fatalf("exit %d, want 1 (fail)\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			reg := registry(t, r.run, nameBasic)
			if reg.Severity != results.Fail || reg.Score != 1 {
				t.Errorf("%d/%d %s, want 1 (connectivity) and fail", reg.Score, reg.MaxScore, reg.Severity)
			}
			cred := capability(t, reg, "credentials")
			if cred.Status != results.Unsupported || !strings.HasPrefix(cred.Reason, tc.reason) ||
				!strings.Contains(cred.Reason, "401 Unauthorized (UNAUTHORIZED") || !strings.Contains(cred.Reason, tc.note) {
				t.Errorf("credentials: %s %q\nwant unsupported starting %q with the registry's code and %q", cred.Status, cred.Reason, tc.reason, tc.note)
			}
			reasons[tc.name] = cred.Reason
			for _, c := range reg.Capabilities {
				if c.ID == "credentials" {
					continue
				}
				if c.ID == "connectivity" {
					// A 401 with a challenge: a registry is there.
					if c.Status != results.Supported {
						t.Errorf("connectivity: %s %q, want supported (401 with a challenge)", c.Status, c.Reason)
					}
					continue
				}
				if c.Status != results.Error || !strings.Contains(c.Reason, "401 Unauthorized") || !strings.Contains(c.Reason, tc.note) {
					t.Errorf("%s: %s %q, want an error naming the 401 and %q", c.ID, c.Status, c.Reason, tc.note)
				}
			}
			assertNoSecrets(t, r, secured.password)
		})
	}
	if len(reasons) == 2 && reasons["wrong password"] == reasons["no credentials"] {
		t.Errorf("wrong and missing credentials read the same: %q", reasons["no credentials"])
	}
}

// TestTokenAuth: Distribution with auth.token. Anonymous, the token service
// is asked for pull and grants it, so reads work and writes are refused;
// with credentials, push scopes are asked for and granted, and the whole
// suite finds what it finds on the open registry. The cross-repository
// mount asks for both repositories in one token request.
func TestTokenAuth(t *testing.T) {
	inst := secured.inst[nameToken]
	before := len(secured.tokens.Requests())

	anon := runOcicaps(t, "--config", securedConfig(t, nameToken, inst.URL, caLines()...), "--check", "all")
	if anon.run == nil {
		t.Fatalf("exit %d\n%s", anon.code, anon.stderr)
	}
	reg := registry(t, anon.run, nameToken)
	for id, want := range map[string]results.Status{"credentials": results.Supported, "pull": results.Supported, "referrers-lookup": results.Unsupported, "push": results.Error, "chunked-upload": results.Error} {
		if c := capability(t, reg, id); c.Status != want {
			t.Errorf("anonymous %s: %s %q, want %s", id, c.Status, c.Reason, want)
		}
	}
	if c := capability(t, reg, "push"); !strings.Contains(c.Reason, "insufficient_scope") && !strings.Contains(c.Reason, "refused the anonymous bearer token") {
		t.Errorf("anonymous push: reason %q does not say the anonymous token was refused", c.Reason)
	}
	mid := len(secured.tokens.Requests())

	authed := runOcicapsEnv(t, []string{"OCICAPS_E2E_PASSWORD=" + secured.password}, "--config",
		securedConfig(t, nameToken, inst.URL, append(caLines(), passwordLines()...)...), "--check", "all")
	if authed.code != 0 || authed.run == nil {
		t.Fatalf("exit %d\n%s\n%s", authed.code, authed.stdout, authed.stderr)
	}
	if got, want := statuses(registry(t, authed.run, nameToken)), openDistribution(); !reflect.DeepEqual(got, want) {
		t.Errorf("with credentials:\n got %v\nwant %v (the open Distribution's)", got, want)
	}

	reqs := secured.tokens.Requests()
	has := func(rs []zoo.TokenRequest, grant string, scopes ...string) bool {
		for _, r := range rs {
			if r.Grant == grant && r.Status == 200 && reflect.DeepEqual(sortedCopy(r.Scopes), sortedCopy(scopes)) {
				return true
			}
		}
		return false
	}
	if !has(reqs[before:mid], "anonymous", "repository:library/alpine:pull") {
		t.Errorf("anonymous run: no anonymous token for pull on library/alpine; requests: %+v", reqs[before:mid])
	}
	for _, r := range reqs[mid:] {
		if r.Grant != "basic" || r.User != user {
			t.Errorf("authenticated run asked for a token without the credentials: %+v", r)
		}
	}
	if !has(reqs[mid:], "basic", "repository:library/alpine:pull,push") {
		t.Errorf("no authenticated push token for library/alpine; requests: %+v", reqs[mid:])
	}
	if !has(reqs[mid:], "basic", "repository:library/alpine:pull", "repository:library/ocicaps-mount-probe:pull,push") {
		t.Errorf("the mount did not ask for pull on the source and push on the target in one token; requests: %+v", reqs[mid:])
	}
	// Tokens are cached per scope: far fewer token requests than registry
	// requests.
	n := 0
	for _, c := range registry(t, authed.run, nameToken).Capabilities {
		n += len(c.Exchanges)
	}
	t.Logf("authenticated run: %d registry requests, %d token requests", n, len(reqs)-mid)
	if len(reqs)-mid >= n {
		t.Errorf("%d token requests for %d registry requests: tokens are not cached", len(reqs)-mid, n)
	}

	// Evidence: the token requests are recorded, without the tokens.
	var auth []results.Exchange
	for _, c := range registry(t, authed.run, nameToken).Capabilities {
		for _, e := range c.Exchanges {
			auth = append(auth, e.Auth...)
		}
	}
	if len(auth) == 0 || !strings.HasPrefix(auth[0].URL, secured.tokens.Realm+"?") || auth[0].Status != 200 {
		t.Errorf("token requests not recorded as evidence: %+v", auth)
	}
	assertNoSecrets(t, authed, append([]string{secured.password}, secured.tokens.Issued()...)...)
	assertNoSecrets(t, anon, secured.tokens.Issued()...)
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// TestDockerConfigPlainAuth: credentials from a Docker config's plain
// "auth" entry (DOCKER_CONFIG points at it).
func TestDockerConfigPlainAuth(t *testing.T) {
	inst := secured.inst[nameBasic]
	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + secured.password))
	writeFile(t, filepath.Join(dir, "config.json"), fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, inst.Host, auth), 0o600)
	cfg := securedConfig(t, nameBasic, inst.URL, append(caLines(), "credentials:", "  dockerConfig: true")...)
	r := runOcicapsEnv(t, []string{"DOCKER_CONFIG=" + dir}, "--config", cfg, "--check", "all")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	reg := registry(t, r.run, nameBasic)
	if got, want := statuses(reg), openDistribution(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if want := "username alice from Docker config " + filepath.Join(dir, "config.json"); reg.Credentials != want {
		t.Errorf("credentials %q, want %q", reg.Credentials, want)
	}
	assertNoSecrets(t, r, secured.password, auth)

	// An entry for another registry only: nothing to present, and the
	// credentials check says where it looked.
	writeFile(t, filepath.Join(dir, "config.json"), fmt.Sprintf(`{"auths": {"registry.example.com": {"auth": %q}}}`, auth), 0o600)
	r = runOcicapsEnv(t, []string{"DOCKER_CONFIG=" + dir}, "--config", cfg, "--check", "check.integration.oci.credentials")
	c := capability(t, registry(t, r.run, nameBasic), "credentials")
	if want := fmt.Sprintf("not configured: the registry requires credentials and none are configured for it (none: Docker config %s has no entry for %s)", filepath.Join(dir, "config.json"), inst.Host); r.code != 1 || !strings.HasPrefix(c.Reason, want) {
		t.Errorf("exit %d, credentials %s %q\nwant a reason starting %q", r.code, c.Status, c.Reason, want)
	}
}

// TestDockerConfigCredentialHelper: credentials from a credential helper
// named in the Docker config, a script on PATH. The helper hands out an
// identity token, which the token service exchanges (OAuth2 refresh_token
// grant) for access tokens. It runs once per run, not once per token.
func TestDockerConfigCredentialHelper(t *testing.T) {
	inst := secured.inst[nameToken]
	dir, bin := t.TempDir(), t.TempDir()
	calls := filepath.Join(dir, "calls")
	writeFile(t, filepath.Join(dir, "config.json"), fmt.Sprintf(`{"credHelpers": {%q: "ocicaps-test"}}`, inst.Host), 0o600)
	// The protocol: "get" as argument, the server on stdin, JSON on stdout;
	// username "<token>" marks the secret as an identity token.
	writeFile(t, filepath.Join(bin, "docker-credential-ocicaps-test"), fmt.Sprintf(`#!/bin/sh
[ "$1" = get ] || exit 1
read server
echo "$server" >> %q
[ "$server" = %q ] || { echo "credentials not found in native keychain"; exit 1; }
printf '{"ServerURL":"%%s","Username":"<token>","Secret":"%%s"}\n' "$server" %q
`, calls, inst.Host, secured.refreshToken), 0o755)
	before := len(secured.tokens.Requests())
	cfg := securedConfig(t, nameToken, inst.URL, append(caLines(), "credentials:", "  dockerConfig: "+filepath.Join(dir, "config.json"))...)
	r := runOcicapsEnv(t, []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}, "--config", cfg, "--check", "all")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	reg := registry(t, r.run, nameToken)
	if got, want := statuses(reg), openDistribution(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if !strings.HasPrefix(reg.Credentials, "identity token from Docker config ") {
		t.Errorf("credentials %q", reg.Credentials)
	}
	data, _ := os.ReadFile(calls)
	if got := strings.Fields(string(data)); len(got) != 1 || got[0] != inst.Host {
		t.Errorf("credential helper asked %q, want once for %s", got, inst.Host)
	}
	for _, rq := range secured.tokens.Requests()[before:] {
		if rq.Method != http.MethodPost || rq.Grant != "refresh_token" || rq.User != user {
			t.Errorf("token request not made with the identity token: %+v", rq)
		}
	}
	assertNoSecrets(t, r, append([]string{secured.refreshToken}, secured.tokens.Issued()...)...)
}

// TestTLSSettings: the test CA must be named (system roots alone refuse
// the registry); a client certificate opens an mTLS registry; and
// insecureSkipVerify works only when said, with a warning on the console
// and in every report.
func TestTLSSettings(t *testing.T) {
	basic, mtls := secured.inst[nameBasic], secured.inst[nameMTLS]
	check := []string{"--check", "check.integration.oci.registry"}

	r := runOcicaps(t, append([]string{"--config", securedConfig(t, nameMTLS, mtls.URL)}, check...)...)
	if c := capability(t, registry(t, r.run, nameMTLS), "connectivity"); r.code != 1 || c.Status != results.Error || !strings.Contains(c.Reason, "certificate") {
		t.Errorf("system roots only: exit %d, %s %q; want an error about the certificate", r.code, c.Status, c.Reason)
	}
	r = runOcicaps(t, append([]string{"--config", securedConfig(t, nameMTLS, mtls.URL, caLines()...)}, check...)...)
	if c := capability(t, registry(t, r.run, nameMTLS), "connectivity"); r.code != 1 || c.Status != results.Error {
		t.Errorf("mTLS registry without a client certificate: exit %d, %s %q; want an error", r.code, c.Status, c.Reason)
	}
	r = runOcicaps(t, append([]string{"--config", securedConfig(t, nameMTLS, mtls.URL, append(caLines(), "  certFile: "+secured.clientCert, "  keyFile: "+secured.clientKey)...)}, check...)...)
	if c := capability(t, registry(t, r.run, nameMTLS), "connectivity"); r.code != 0 || c.Status != results.Supported {
		t.Errorf("mTLS with a client certificate: exit %d, %s %q\n%s", r.code, c.Status, c.Reason, r.stderr)
	}

	r = runOcicapsEnv(t, []string{"OCICAPS_E2E_PASSWORD=" + secured.password}, append([]string{"--config",
		securedConfig(t, nameBasic, basic.URL, append([]string{"tls:", "  insecureSkipVerify: true"}, passwordLines()...)...)}, check...)...)
	if r.code != 0 || r.run == nil {
		t.Fatalf("insecureSkipVerify: exit %d\n%s", r.code, r.stderr)
	}
	reg := registry(t, r.run, nameBasic)
	if len(reg.Warnings) != 1 || !strings.Contains(reg.Warnings[0], "TLS certificate verification is OFF") {
		t.Errorf("results.json warnings %q", reg.Warnings)
	}
	if !strings.Contains(r.stderr, "WARNING: "+nameBasic+": TLS certificate verification is OFF") ||
		!strings.Contains(r.stdout, nameBasic+": WARNING: TLS certificate verification is OFF") {
		t.Errorf("no warning on the console:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	junit, _ := os.ReadFile(filepath.Join(r.out, "junit.xml"))
	if !strings.Contains(string(junit), `<property name="warning" value="TLS certificate verification is OFF`) {
		t.Errorf("junit.xml lacks the warning:\n%s", junit)
	}
}

// TestRedirectToAnotherHostCarriesNoCredentials puts a proxy in front of
// the htpasswd registry that answers blob downloads with a redirect to
// another host, the way registries send clients to storage. The client
// follows it (client/redirect.go): the other host, which asks for Basic
// credentials too, never gets an Authorization header, while the registry
// did, and its 401 is an error that names where it came from.
func TestRedirectToAnotherHostCarriesNoCredentials(t *testing.T) {
	inst := secured.inst[nameBasic]
	var mu sync.Mutex
	var storageAuth, registryAuth []string
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		storageAuth = append(storageAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("WWW-Authenticate", `Basic realm="storage"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer storage.Close()
	backend, _ := url.Parse(inst.URL)
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: secured.ca.Pool}}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		registryAuth = append(registryAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/sha256:") {
			// Another host name, not only another port.
			http.Redirect(w, r, strings.Replace(storage.URL, "127.0.0.1", "localhost", 1)+"/blob-store"+r.URL.Path, http.StatusTemporaryRedirect)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "redirect.feature"), `@capability:blob-redirect @check:check.example.redirect @severity:info
Feature: Blob download through a redirect
  Scenario: The blob is fetched from where the registry sends us
    Given I save a blob digest of the manifest "{repository}:{tag}" as "blob"
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the capability is supported when the status is 200
`, 0o644)
	cfg := securedConfig(t, "redirecting", front.URL, passwordLines()...)
	r := runOcicapsEnv(t, []string{"OCICAPS_E2E_PASSWORD=" + secured.password}, "--config", cfg, "--features", dir)
	mu.Lock()
	defer mu.Unlock()
	if len(storageAuth) == 0 {
		t.Fatalf("the storage host was never asked; exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, a := range storageAuth {
		if a != "" {
			t.Errorf("the storage host received Authorization %q", a)
		}
	}
	sent := false
	for _, a := range registryAuth {
		sent = sent || strings.HasPrefix(a, "Basic ")
	}
	if !sent {
		t.Errorf("the registry never got the credentials, so the test proves nothing")
	}
	storageHost := strings.TrimPrefix(strings.Replace(storage.URL, "127.0.0.1", "localhost", 1), "http://")
	if c := capability(t, registry(t, r.run, "redirecting"), "blob-redirect"); c.Status != results.Error || !strings.Contains(c.Reason, "(redirected to "+storageHost+") answered 401 Unauthorized") {
		t.Errorf("blob-redirect: %s %q", c.Status, c.Reason)
	}
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// assertNoSecrets searches the console output and every file under the
// report folder for each secret.
func assertNoSecrets(t *testing.T, r runResult, secrets ...string) {
	t.Helper()
	sources := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	err := filepath.WalkDir(r.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		sources[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatalf("reading the reports: %v", err)
	}
	if len(sources) < 4 {
		t.Errorf("expected console output and report files, found %d sources", len(sources))
	}
	for name, text := range sources {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("%s holds a secret (%.12s…)", name, s)
			}
		}
	}
}

// TestTokenRefreshedWhenRefused drives the client directly against the
// token-auth registry: a cached token the registry refuses (here: expired
// beyond Distribution's 60 s leeway) is replaced by a fresh one on the next
// request, and the refusal itself reads as such.
func TestTokenRefreshedWhenRefused(t *testing.T) {
	inst := secured.inst[nameToken]
	secured.tokens.SetTTL(-5 * time.Minute)
	defer secured.tokens.SetTTL(5 * time.Minute)
	c, err := client.New(inst.URL, client.Options{
		TLS:        &tls.Config{RootCAs: secured.ca.Pool},
		Credential: auth.StaticCredential(inst.Host, auth.Credential{Username: user, Password: secured.password}),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	head := client.Request{Method: http.MethodHead, Target: "/v2/library/alpine/manifests/latest",
		Header: http.Header{"Accept": {zoo.MediaTypeOCIManifest}}}
	before := len(secured.tokens.Requests())
	resp, ex, err := c.Do(context.Background(), head)
	if err != nil || resp.Status != 401 || resp.AuthNote != "it refused the bearer token obtained with the configured credentials" {
		t.Fatalf("with an expired token: %v %+v %v", resp, ex, err)
	}
	secured.tokens.SetTTL(5 * time.Minute)
	resp, ex, err = c.Do(context.Background(), head)
	if err != nil || resp.Status != 200 {
		t.Fatalf("after the refusal: %v %+v %v", resp, ex, err)
	}
	if len(ex.Auth) != 1 || ex.Auth[0].Status != 200 {
		t.Errorf("the second request did not fetch a fresh token: %+v", ex.Auth)
	}
	if got := ex.RequestHeaders["Authorization"]; len(got) != 1 || got[0] != "Bearer "+client.Redacted {
		t.Errorf("Authorization in the transcript: %q", got)
	}
	if n := len(secured.tokens.Requests()) - before; n != 2 {
		t.Errorf("%d token requests, want 2 (the expired one, the fresh one)", n)
	}
	// A third request reuses the cached token.
	if _, ex, _ = c.Do(context.Background(), head); len(ex.Auth) != 0 {
		t.Errorf("the cached token was not reused: %+v", ex.Auth)
	}
}
