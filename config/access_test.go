package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCredentialsAndTLSParsed(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "docker.json"), []byte(`{"auths": {}}`), 0o600)
	t.Setenv("OCICAPS_TEST_PW", "hunter2")
	t.Setenv("OCICAPS_TEST_RT", "refresh")
	yaml := `registries:
  - name: a
    url: https://a.example
    credentials: {username: alice, passwordEnv: OCICAPS_TEST_PW}
    tls: {insecureSkipVerify: true}
  - name: b
    url: https://b.example
    credentials: {identityTokenEnv: OCICAPS_TEST_RT}
  - name: c
    url: http://c.example
    credentials: {dockerConfig: docker.json}
  - name: d
    url: http://127.0.0.1:5000
    credentials: {dockerConfig: docker.json}
  - name: e
    url: https://e.example
    credentials: {dockerConfig: false}
`
	cfg, err := Parse(filepath.Join(dir, "registries.yaml"), []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Registries
	want := []string{
		"username alice, password from $OCICAPS_TEST_PW",
		"identity token from $OCICAPS_TEST_RT",
		"Docker config " + filepath.Join(dir, "docker.json"),
		"Docker config " + filepath.Join(dir, "docker.json"),
		"none",
	}
	for i, w := range want {
		if got := r[i].Credentials.Describe(); got != w {
			t.Errorf("%s: %q, want %q", r[i].Name, got, w)
		}
	}
	for _, x := range r {
		for _, s := range []string{x.Credentials.Describe(), strings.Join(x.Warnings(), " ")} {
			if strings.Contains(s, "hunter2") || strings.Contains(s, "refresh") {
				t.Errorf("%s: a secret in %q", x.Name, s)
			}
		}
	}
	if w := r[0].Warnings(); len(w) != 1 || !strings.Contains(w[0], "TLS certificate verification is OFF") {
		t.Errorf("insecureSkipVerify warnings %q", w)
	}
	if w := r[2].Warnings(); len(w) != 1 || !strings.Contains(w[0], "plain HTTP") {
		t.Errorf("credentials over plain HTTP to another host: warnings %q", w)
	}
	if w := r[3].Warnings(); len(w) != 0 {
		t.Errorf("loopback over plain HTTP: warnings %q", w)
	}
	if c, err := r[0].TLS.Config(); err != nil || c == nil || !c.InsecureSkipVerify {
		t.Errorf("tls config %+v %v", c, err)
	}
	if c, err := r[1].TLS.Config(); err != nil || c != nil {
		t.Errorf("no tls settings should give the default transport: %+v %v", c, err)
	}
}
