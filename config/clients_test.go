package config

import (
	"strings"
	"testing"
)

func TestClientsKey(t *testing.T) {
	cfg, err := Parse("/etc/ocicaps/registries.yaml", []byte(`clients:
  oras: /opt/bin/oras
  regctl: bin/regctl
  helm: helm
registries:
  - name: a
    url: http://127.0.0.1:5000
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"oras": "/opt/bin/oras", "regctl": "/etc/ocicaps/bin/regctl", "helm": "helm"}
	for k, v := range want {
		if cfg.Clients[k] != v {
			t.Errorf("clients[%s] = %q, want %q", k, cfg.Clients[k], v)
		}
	}
}

func TestClientsKeyProblems(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"client:\n  oras: x\n", `unknown key "client" at the top level (did you mean "clients"?)`},
		{"clients: oras\n", `"clients" must map a client to its program`},
		{"clients:\n  Oras: /x\n", `"Oras" is no client id`},
		{"clients:\n  oras:\n", `"oras" must be the path of its program`},
	}
	for _, c := range cases {
		_, err := Parse("r.yaml", []byte(c.yaml+"registries:\n  - name: a\n    url: http://127.0.0.1:5000\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.yaml, err, c.want)
		}
	}
}
