package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromTargets(t *testing.T) {
	cases := []struct {
		target    string
		plainHTTP bool
		name, url string
		repo, tag string
	}{
		{"http://127.0.0.1:5000", false, "127.0.0.1-5000", "http://127.0.0.1:5000", DefaultTestRepository, DefaultTestTag},
		{"https://registry.example.com/", false, "registry.example.com", "https://registry.example.com", DefaultTestRepository, DefaultTestTag},
		{"https://ghcr.io/acme/app:1.0", false, "ghcr.io", "https://ghcr.io", "acme/app", "1.0"},
		{"ghcr.io/acme/app:1.0", false, "ghcr.io", "https://ghcr.io", "acme/app", "1.0"},
		{"ghcr.io/acme/app", false, "ghcr.io", "https://ghcr.io", "acme/app", DefaultTestTag},
		{"127.0.0.1:5000/library/alpine:3.20", false, "127.0.0.1-5000", "http://127.0.0.1:5000", "library/alpine", "3.20"},
		{"localhost:5000", false, "localhost-5000", "http://localhost:5000", DefaultTestRepository, DefaultTestTag},
		{"registry.internal:5000/a/b:c", true, "registry.internal-5000", "http://registry.internal:5000", "a/b", "c"},
		{"docker.io/alpine:3", false, "docker.io", "https://registry-1.docker.io", "library/alpine", "3"},
		{"https://r.example/ocicaps/mount-probe", false, "r.example", "https://r.example", DefaultMountRepository, DefaultTestTag},
		// Docker Hub shorthand, as docker, crane, oras and skopeo read it.
		{"alpine", false, "docker.io", "https://registry-1.docker.io", "library/alpine", "latest"},
		{"alpine:3.20", false, "docker.io", "https://registry-1.docker.io", "library/alpine", "3.20"},
		{"library/alpine", false, "docker.io", "https://registry-1.docker.io", "library/alpine", "latest"},
		{"user/app:tag", false, "docker.io", "https://registry-1.docker.io", "user/app", "tag"},
		{"index.docker.io/user/app", false, "index.docker.io", "https://registry-1.docker.io", "user/app", "latest"},
	}
	for _, tc := range cases {
		cfg, err := FromTargets([]string{tc.target}, tc.plainHTTP)
		if err != nil {
			t.Errorf("%s: %v", tc.target, err)
			continue
		}
		r := cfg.Registries[0]
		if r.Name != tc.name || r.URL != tc.url || r.TestRepository != tc.repo || r.TestTag != tc.tag {
			t.Errorf("%s: got %s %s %s:%s, want %s %s %s:%s", tc.target, r.Name, r.URL, r.TestRepository, r.TestTag, tc.name, tc.url, tc.repo, tc.tag)
		}
		if r.MountRepository == r.TestRepository || r.Mode != ModeProbe || r.Retry != BuiltinDefaults.Retry {
			t.Errorf("%s: mount %s, mode %s, retry %+v: not the file's defaults", tc.target, r.MountRepository, r.Mode, r.Retry)
		}
	}
}

// A one-off target gets the mount repository a registries.yaml entry with
// the same testRepository gets: inside the test repository's namespace,
// where a namespaced token may push (issue 24 item 1).
func TestFromTargetsMountDefaultLikeFile(t *testing.T) {
	for _, tc := range []struct{ target, repo string }{
		{"https://r.example/acme/app:1.0", "acme/app"},
		{"http://127.0.0.1:5000", DefaultTestRepository},
		{"r.example/acme/team/app", "acme/team/app"},
		{"alpine", "library/alpine"},
	} {
		cfg, err := FromTargets([]string{tc.target}, false)
		if err != nil {
			t.Fatal(err)
		}
		file, err := Parse("r.yaml", []byte("registries:\n  - name: a\n    url: https://r.example\n    testRepository: "+tc.repo+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		got, want := cfg.Registries[0].MountRepository, file.Registries[0].MountRepository
		if got != want || got != DefaultMountRepositoryFor(tc.repo) {
			t.Errorf("%s: mountRepository %q, a file entry gets %q", tc.target, got, want)
		}
	}
}

func TestFromTargetsNamesAreUnique(t *testing.T) {
	cfg, err := FromTargets([]string{"http://127.0.0.1:5000", "127.0.0.1:5000/a/b:1", "http://127.0.0.1:5000/c"}, false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range cfg.Registries {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, " "); got != "127.0.0.1-5000 127.0.0.1-5000-2 127.0.0.1-5000-3" {
		t.Errorf("names %s", got)
	}
}

func TestFromTargetsRefuses(t *testing.T) {
	cases := map[string]string{
		"/alpine":                   `TARGET /alpine: "" is not a registry host: start with the registry`,
		"Alpine":                    `TARGET Alpine: repository "library/Alpine" is not a valid repository name`,
		"ftp://r.example":           "TARGET ftp://r.example: the scheme must be http:// or https://",
		"https://u:p@r.example":     "TARGET https://u:p@r.example: credentials do not belong in the URL",
		"r.example/Upper:1":         `TARGET r.example/Upper:1: repository "Upper" is not a valid repository name`,
		"r.example/a/b@sha256:abcd": `TARGET r.example/a/b@sha256:abcd: "a/b@sha256:abcd" names a digest`,
		"r.example/a:-bad":          `TARGET r.example/a:-bad: tag "-bad" is not a valid tag`,
		"https://r.example/a?x=1":   "TARGET https://r.example/a?x=1: give scheme, host and optionally repository:tag",
	}
	for target, want := range cases {
		_, err := FromTargets([]string{target}, false)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: got %v\nwant prefix %s", target, err, want)
		}
	}
}

func TestUseDockerDefault(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", dir)
	load := func() *Config {
		cfg, err := Parse("r.yaml", []byte("registries:\n  - name: a\n    url: http://127.0.0.1:1\n"+
			"  - name: b\n    url: http://127.0.0.1:2\n    credentials: {anonymous: true}\n"))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	cfg := load()
	if w := cfg.UseDockerDefault(false); len(w) > 0 || cfg.Registries[0].Credentials.Describe() != "none" {
		t.Fatalf("no Docker config: %v %q, want anonymous without a warning", w, cfg.Registries[0].Credentials.Describe())
	}
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, []byte(`{"auths":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg = load()
	cfg.UseDockerDefault(false)
	if got, want := cfg.Registries[0].Credentials.Describe(), "Docker config "+path+" (the default)"; got != want {
		t.Errorf("a: %q, want %q", got, want)
	}
	if got := cfg.Registries[1].Credentials.Describe(); got != "none (anonymous)" {
		t.Errorf("b (anonymous: true): %q", got)
	}
	cfg = load()
	cfg.UseDockerDefault(true)
	if got := cfg.Registries[0].Credentials.Describe(); got != "none (anonymous)" {
		t.Errorf("a with --anonymous: %q", got)
	}
	if err := os.WriteFile(path, []byte(`{not json`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg = load()
	if w := cfg.UseDockerDefault(false); len(w) != 1 || cfg.Registries[0].Credentials.Configured() {
		t.Errorf("broken Docker config: warnings %v, credentials %+v; want one warning and anonymous", w, cfg.Registries[0].Credentials)
	}
}

func TestAnonymousKey(t *testing.T) {
	_, err := Parse("r.yaml", []byte("registries:\n  - name: a\n    url: http://127.0.0.1:1\n    credentials:\n      anonymous: true\n      dockerConfig: true\n"))
	if err == nil || !strings.Contains(err.Error(), "r.yaml:5: registry \"a\": anonymous: true presents nothing") {
		t.Errorf("got %v", err)
	}
	_, err = Parse("r.yaml", []byte("registries:\n  - name: a\n    url: 127.0.0.1:15001\n"))
	if err == nil || !strings.Contains(err.Error(), "r.yaml:3: registry \"a\": bad url \"127.0.0.1:15001\": no scheme: did you mean http://127.0.0.1:15001 or https://127.0.0.1:15001?") {
		t.Errorf("got %v", err)
	}
}

// The plain-HTTP warning says what the Docker default risks: its entry, if
// any, goes over plain HTTP; anonymous sends nothing, so no warning.
func TestPlainHTTPWarningWithTheDockerDefault(t *testing.T) {
	r := Registry{URL: "http://registry.internal:5000", Credentials: Credentials{DockerConfig: "/x/config.json", DockerDefault: true}}
	if w := r.Warnings(); len(w) != 1 || !strings.Contains(w[0], "if it has any, are sent over plain HTTP") {
		t.Errorf("Docker default: %v", w)
	}
	r.Credentials = Credentials{Anonymous: true}
	if w := r.Warnings(); len(w) != 0 {
		t.Errorf("anonymous: %v", w)
	}
	r.URL = "http://127.0.0.1:5000"
	r.Credentials = Credentials{DockerConfig: "/x/config.json", DockerDefault: true}
	if w := r.Warnings(); len(w) != 0 {
		t.Errorf("loopback: %v", w)
	}
}
