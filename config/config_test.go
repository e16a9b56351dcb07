package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseErrors is the table of refused files: each problem is reported
// with its registries.yaml line, and nothing listed in absent (a secret, a
// huge value) is echoed.
func TestParseErrors(t *testing.T) {
	good := "registries:\n  - name: r1\n    url: http://127.0.0.1:5000\n"
	secured := "registries:\n  - name: a\n    url: https://127.0.0.1:5000\n"
	long := strings.Repeat("a", 10000)
	var many strings.Builder
	many.WriteString("registries:\n")
	for i := range 100 {
		fmt.Fprintf(&many, "  - name: r%d\n    url: ftp://x\n", i)
	}
	cases := []struct {
		name   string
		config string
		want   []string // substrings of the error
		absent []string // never in the error
	}{
		{name: "malformed yaml", config: "registries:\n  - name: a\n   url: x\n", want: []string{"registries.yaml:1:", "malformed YAML", "check the indentation"}},
		{name: "tab in yaml", config: "registries:\n\t- name: a\n", want: []string{"registries.yaml:2:", "YAML indents with spaces only"}},
		{name: "unterminated string", config: "registries:\n  - name: \"a\n", want: []string{"registries.yaml:2:", "malformed YAML"}},
		{name: "unknown top key", config: good + "extra: 1\n", want: []string{"registries.yaml:4:", `unknown key "extra"`}},
		{name: "unknown registry key", config: "registries:\n  - name: a\n    url: http://127.0.0.1:5000\n    testRepo: x\n", want: []string{"registries.yaml:4:", `unknown key "testRepo"`, `did you mean "testRepository"`}},
		{name: "duplicate name", config: "registries:\n  - name: a\n    url: http://127.0.0.1:5000\n  - name: a\n    url: http://127.0.0.1:5001\n", want: []string{"registries.yaml:4:", `duplicate registry name "a"`, "line 2"}},
		{name: "bad scheme", config: "registries:\n  - name: a\n    url: ftp://127.0.0.1\n", want: []string{"registries.yaml:3:", "http:// or https://"}},
		{name: "url with path", config: "registries:\n  - name: a\n    url: http://127.0.0.1:5000/v2/\n", want: []string{"registries.yaml:3:", "only scheme, host and port"}},
		{name: "url without host", config: "registries:\n  - name: a\n    url: http://\n", want: []string{"registries.yaml:3:", "no host"}},
		{name: "missing url", config: "registries:\n  - name: a\n", want: []string{"registries.yaml:2:", `has no "url"`}},
		{name: "empty list", config: "registries: []\n", want: []string{"registries.yaml:1:", "is empty"}},
		{name: "empty file", config: "", want: []string{"registries.yaml", "file is empty"}},
		{name: "list of strings", config: "registries:\n  - http://x\n", want: []string{"registries.yaml:2:", "must be a mapping"}},
		{name: "number as name", config: "registries:\n  - name: [1]\n    url: http://a\n", want: []string{"registries.yaml:2:", `"name" must be a string`}},
		{name: "bad repository", config: "registries:\n  - name: a\n    url: http://a\n    testRepository: Library/Alpine\n", want: []string{"registries.yaml:4:", "not a valid repository name"}},
		{name: "mount equals test repo", config: "registries:\n  - name: a\n    url: http://a\n    mountRepository: library/alpine\n", want: []string{"registries.yaml:4:", "must differ from testRepository"}},
		{name: "negative duration", config: good + "    timeouts: {request: -5s}\n", want: []string{"registries.yaml:4:", `"request" must be positive`}},
		{name: "duration without unit", config: good + "    timeouts: {registry: 30}\n", want: []string{"registries.yaml:4:", `"30" is not a duration`, "add a unit: 30s"}},
		{name: "unparsable duration", config: "defaults:\n  retry:\n    maxWait: soon\n" + good, want: []string{"registries.yaml:3:", `"soon" is not a duration`}},
		{name: "retry max wrong type", config: good + "    retry:\n      max: lots\n", want: []string{"registries.yaml:5:", `"max" must be a whole number`}},
		{name: "retry max too high", config: good + "    retry: {max: 1000}\n", want: []string{"registries.yaml:4:", "from 0 to 20"}},
		{name: "retry not a mapping", config: good + "    retry: 3\n", want: []string{"registries.yaml:4:", "retry must be a mapping"}},
		{name: "unknown retry key", config: good + "    retry: {maximum: 3}\n", want: []string{"registries.yaml:4:", `unknown key "maximum"`}},
		{name: "minWait above maxWait", config: "defaults:\n  retry: {minWait: 2s, maxWait: 1s}\n" + good, want: []string{"registries.yaml:2:", "minWait (2s) is longer than maxWait (1s)"}},
		{name: "unknown defaults key", config: "defaults:\n  color: blue\n" + good, want: []string{"registries.yaml:2:", `unknown key "color" in defaults`}},
		{name: "bad mode", config: good + "    mode: fast\n", want: []string{"registries.yaml:4:", `mode "fast": use probe`}},
		{name: "scratch equals test repo", config: good + "    scratchRepository: library/alpine\n", want: []string{"registries.yaml:4:", "scratchRepository must differ from testRepository"}},
		{name: "bad scratch name", config: good + "    scratchRepository: Scratch!\n", want: []string{"registries.yaml:4:", "not a valid repository name"}},
		{name: "unset password variable", config: secured + "    credentials:\n      username: alice\n      passwordEnv: OCICAPS_TEST_UNSET_VARIABLE\n", want: []string{"registries.yaml:6:", "OCICAPS_TEST_UNSET_VARIABLE", "is not set"}},
		{name: "unknown credentials key", config: secured + "    credentials:\n      user: alice\n", want: []string{"registries.yaml:5:", `unknown key "user"`, `did you mean "username"`}},
		{name: "password in the file", config: secured + "    credentials:\n      username: alice\n      password: hunter2\n", want: []string{"registries.yaml:6:", `"password" does not belong in registries.yaml`, "passwordEnv"}},
		{name: "username without secret", config: secured + "    credentials:\n      username: alice\n", want: []string{"registries.yaml:5:", "has no secret"}},
		{name: "userinfo in url", config: "registries:\n  - name: a\n    url: https://bob:s3cr3tpw@registry.example.com\n",
			want: []string{"registries.yaml:3:", "credentials do not belong in the URL", "user info not shown"}, absent: []string{"s3cr3tpw", "bob"}},
		{name: "userinfo in unparsable url", config: "registries:\n  - name: a\n    url: \"https://bob:s3cr3tpw@reg:xx\"\n",
			want: []string{"registries.yaml:3:", "not shown"}, absent: []string{"s3cr3tpw", "bob"}},
		{name: "secret as passwordEnv", config: secured + "    credentials:\n      username: alice\n      passwordEnv: hunter2-Secret!\n",
			want: []string{"registries.yaml:6:", "must name an environment variable"}, absent: []string{"hunter2"}},
		{name: "port out of range", config: "registries:\n  - name: a\n    url: http://127.0.0.1:99999\n", want: []string{"registries.yaml:3:", "port 99999 is not from 1 to 65535"}},
		{name: "port zero", config: "registries:\n  - name: a\n    url: http://127.0.0.1:0\n", want: []string{"registries.yaml:3:", "port 0"}},
		{name: "empty port", config: "registries:\n  - name: a\n    url: \"http://127.0.0.1:\"\n", want: []string{"registries.yaml:3:", "without a port"}},
		{name: "duplicate registries key", config: good + "registries:\n  - name: r2\n    url: http://127.0.0.1:5001\n",
			want: []string{"registries.yaml:4:", `key "registries" given twice (first on line 1)`}},
		{name: "duplicate defaults key", config: "defaults:\n  run: 1m\ndefaults:\n  run: 2m\n" + good, want: []string{"registries.yaml:3:", `key "defaults" given twice`}},
		{name: "duplicate nested key", config: good + "    timeouts:\n      request: 1s\n      request: 2s\n", want: []string{"registries.yaml:6:", `key "request" given twice (first on line 5)`}},
		{name: "second document", config: good + "---\n" + good, want: []string{"registries.yaml:4:", "a second YAML document"}},
		{name: "huge value", config: "registries:\n  - name: " + long + "\n    url: http://a\n", want: []string{"registries.yaml:2:", "a value of 10000 bytes"}, absent: []string{long[:100]}},
		{name: "huge file", config: good + "# " + strings.Repeat("x", MaxFileBytes) + "\n", want: []string{"registries.yaml: the file is", "more than the"}},
		{name: "many problems", config: many.String(), want: []string{"registries.yaml:3:", "and 70 more problems not shown"}, absent: []string{"registries.yaml:63:"}},
		{name: "NUL byte", config: good + "    testTag: a\x00b\n", want: []string{"registries.yaml:4:", "a NUL byte"}},
		{name: "invalid UTF-8", config: "registries:\n  - name: \xff\xfe\n", want: []string{"registries.yaml:2:", "invalid UTF-8"}},
		{name: "binary garbage", config: "registries:\n\x01\x02\x03\x04", want: []string{"registries.yaml:2:", "control character U+0001"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("registries.yaml", []byte(tc.config))
			if err == nil {
				t.Fatalf("accepted: %+v", cfg)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(msg, a) {
					t.Errorf("error echoes %.40q", a)
				}
			}
			if n := strings.Count(msg, "\n"); n > MaxProblems {
				t.Errorf("%d lines printed, at most %d + a count", n+1, MaxProblems)
			}
		})
	}
}

func TestParseGood(t *testing.T) {
	cfg, err := Parse("registries.yaml", []byte("registries:\n  - name: r1\n    url: http://127.0.0.1:65535/\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Registries[0].URL; got != "http://127.0.0.1:65535" {
		t.Errorf("url %q", got)
	}
}
