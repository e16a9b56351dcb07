package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// hostName is the registry name ocicaps gives a TARGET on host:port.
func hostName(host string) string { return strings.ReplaceAll(host, ":", "-") }

// oneOff checks a run without a file: exit 0, one registry named after the
// host, the verdicts the zoo registry is known for (zoo_test.go's expected,
// checked with curl), and the test image the TARGET named.
func oneOff(t *testing.T, zooName, repo, tag string, args ...string) results.Registry {
	t.Helper()
	inst := instances[zooName]
	r := runOcicaps(t, args...)
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d, want 0\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if len(r.run.Registries) != 1 {
		t.Fatalf("%d registries, want 1", len(r.run.Registries))
	}
	reg := registry(t, r.run, hostName(inst.Host))
	if reg.URL != inst.URL || reg.TestRepository != repo || reg.TestTag != tag {
		t.Errorf("probed %s %s:%s, want %s %s:%s", reg.URL, reg.TestRepository, reg.TestTag, inst.URL, repo, tag)
	}
	if got, want := statuses(reg), expected[zooName].caps; !reflect.DeepEqual(got, want) {
		t.Errorf("verdicts %v, want %v", got, want)
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("%s  %d/%d", hostName(inst.Host), reg.Score, reg.MaxScore)) {
		t.Errorf("the matrix does not show the registry by its host name:\n%s", r.stdout)
	}
	return reg
}

func TestOneOffByURL(t *testing.T) {
	oneOff(t, zoo.NameDistribution, zoo.SeedRepo, zoo.SeedTag, instances[zoo.NameDistribution].URL)
}

func TestOneOffByBareLoopbackReference(t *testing.T) {
	inst := instances[zoo.NameCrane]
	oneOff(t, zoo.NameCrane, zoo.SeedRepo, "latest", inst.Host+"/"+zoo.SeedRepo+":latest")
}

// TestOneOffByURLWithRepositoryAndTag seeds the test image under another
// name, probes it by URL, and checks the requests went there; the manifest
// is deleted afterwards (its blobs are the seed's, shared with library/alpine).
func TestOneOffByURLWithRepositoryAndTag(t *testing.T) {
	inst := instances[zoo.NameDistribution]
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	digest, err := zoo.Seed(ctx, inst.URL, "acme/app", "1.0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteManifest(t, inst.URL+"/v2/acme/app/manifests/"+digest) })
	reg := oneOff(t, zoo.NameDistribution, "acme/app", "1.0", inst.URL+"/acme/app:1.0")
	want := inst.URL + "/v2/acme/app/manifests/1.0"
	for _, c := range reg.Capabilities {
		for _, ex := range c.Exchanges {
			if ex.URL == want {
				return
			}
		}
	}
	t.Errorf("no request for %s: the TARGET's repository and tag were not used", want)
}

func deleteManifest(t *testing.T, url string) {
	req, err := http.NewRequest(http.MethodDelete, url, nil)
	if err != nil {
		t.Error(err)
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("cleaning up: %v", err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("cleaning up: DELETE %s: %s", url, resp.Status)
	}
}

// dockerLogin writes the Docker config `docker login` would for alice on
// the Basic-auth registry, and returns its folder.
func dockerLogin(t *testing.T, host string) (dir, auth string) {
	dir = t.TempDir()
	auth = base64.StdEncoding.EncodeToString([]byte(user + ":" + secured.password))
	writeFile(t, filepath.Join(dir, "config.json"), fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, host, auth), 0o600)
	return dir, auth
}

// TestDockerCredentialsByDefault: after `docker login`, a registry without
// a credentials key, given on the command line or in a file, gets the
// Docker config's entry for its host and finds the open Distribution's
// matrix; the source is named, the secret never. SSL_CERT_FILE trusts the
// zoo's CA the way a user trusts a private CA, for the run by URL.
func TestDockerCredentialsByDefault(t *testing.T) {
	inst := secured.inst[nameBasic]
	dir, auth := dockerLogin(t, inst.Host)
	env := []string{"DOCKER_CONFIG=" + dir, "SSL_CERT_FILE=" + secured.ca.File}
	runs := map[string][]string{
		"by URL":    {inst.URL, "--check", "all"},
		"in a file": {"--config", securedConfig(t, hostName(inst.Host), inst.URL, caLines()...), "--check", "all"},
	}
	for name, args := range runs {
		t.Run(name, func(t *testing.T) {
			r := runOcicapsEnv(t, env, args...)
			t.Logf("console of ocicaps run %s:\n%s%s", strings.Join(args, " "), r.stderr, r.stdout)
			if r.code != 0 || r.run == nil {
				t.Fatalf("exit %d, want 0\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			reg := registry(t, r.run, hostName(inst.Host))
			if got, want := statuses(reg), openDistribution(); !reflect.DeepEqual(got, want) {
				t.Errorf("verdicts %v\nwant %v (the open Distribution's)", got, want)
			}
			source := "username alice from Docker config " + filepath.Join(dir, "config.json") + " (the default)"
			if reg.Credentials != source || !strings.Contains(r.stderr, "credentials: "+source) {
				t.Errorf("credentials %q, want %q in results.json and the console:\n%s", reg.Credentials, source, r.stderr)
			}
			html, err := os.ReadFile(filepath.Join(r.out, "report.html"))
			if err != nil || !strings.Contains(string(html), "credentials: "+source) {
				t.Errorf("report.html does not name the credentials' source (%v)", err)
			}
			assertNoSecrets(t, r, secured.password, auth)
		})
	}
}

// TestAnonymousIsHonoured: --anonymous and credentials: {anonymous: true}
// present nothing although the Docker config has an entry; the 401s are
// errors, and the console says how to give credentials.
func TestAnonymousIsHonoured(t *testing.T) {
	inst := secured.inst[nameBasic]
	dir, _ := dockerLogin(t, inst.Host)
	env := []string{"DOCKER_CONFIG=" + dir, "SSL_CERT_FILE=" + secured.ca.File}
	runs := map[string][]string{
		"--anonymous": {inst.URL, "--anonymous", "--check", "check.integration.oci.credentials"},
		"anonymous: true": {"--config", securedConfig(t, hostName(inst.Host), inst.URL,
			append(caLines(), "credentials: {anonymous: true}")...), "--check", "check.integration.oci.credentials"},
	}
	hint := fmt.Sprintf(`ocicaps: %s asks for credentials and none were presented (none (anonymous)): run "docker login %s"`, hostName(inst.Host), inst.Host)
	for name, args := range runs {
		t.Run(name, func(t *testing.T) {
			r := runOcicapsEnv(t, env, args...)
			if r.code != 1 || r.run == nil {
				t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			c := capability(t, registry(t, r.run, hostName(inst.Host)), "credentials")
			want := "not configured: the registry requires credentials and none are configured for it (none (anonymous))"
			if c.Status != results.Unsupported || !strings.HasPrefix(c.Reason, want) {
				t.Errorf("credentials: %s %q, want unsupported starting %q", c.Status, c.Reason, want)
			}
			if !strings.Contains(r.stderr, hint) {
				t.Errorf("stderr lacks %q:\n%s", hint, r.stderr)
			}
		})
	}
}
