package config

import (
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// A relative clients: path is read from the file's folder and made
// absolute, even when the file's own path is relative (--config
// etc/registries.yaml): clients run in folders of their own.
func TestClientsRelativePathMadeAbsolute(t *testing.T) {
	cfg, err := Parse("etc/registries.yaml", []byte("clients:\n  regctl: bin/regctl\nregistries:\n  - name: a\n    url: http://127.0.0.1:5000\n"))
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := filepath.Join(wd, "etc", "bin", "regctl"); cfg.Clients["regctl"] != want {
		t.Errorf("regctl = %q, want %q", cfg.Clients["regctl"], want)
	}
}

// With --clients, a bare name is found on PATH, and a path that is
// missing or not executable is a problem at its line.
func TestCheckClients(t *testing.T) {
	dir := t.TempDir()
	exe, plain := filepath.Join(dir, "oras"), filepath.Join(dir, "crane")
	os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(plain, []byte("x"), 0o644)
	file := filepath.Join(dir, "registries.yaml")
	cfg, err := Parse(file, []byte("clients:\n  oras: oras\n  crane: crane\n  helm: ./nowhere/helm\n  regctl: regctl\n  skopeo: "+exe+"\nregistries:\n  - name: a\n    url: http://127.0.0.1:5000\n"))
	if err != nil {
		t.Fatal(err)
	}
	look := func(name string) (string, error) {
		if name == "oras" {
			return exe, nil
		}
		return "", errors.New("not found")
	}
	cfg.Clients["crane"] = plain // as if written so: a file that is no program
	err = cfg.CheckClients(look)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v", err)
	}
	want := map[int]string{3: "crane is " + plain + ", which is not an executable program", 4: "helm is " + filepath.Join(dir, "nowhere", "helm") + ", which cannot be found", 5: `regctl is "regctl", which is not on PATH`}
	if len(errs) != len(want) {
		t.Errorf("problems: %v", err)
	}
	for _, e := range errs {
		if e.File != file || !strings.Contains(e.Msg, want[e.Line]) || want[e.Line] == "" {
			t.Errorf("problem %s:%d %s", e.File, e.Line, e.Msg)
		}
	}
	if cfg.Clients["oras"] != exe {
		t.Errorf("oras = %q, want where PATH has it", cfg.Clients["oras"])
	}
}

// tls.caFile becomes the clients' SSL_CERT_FILE and {caFile}: it is
// absolute even when --config is relative.
func TestCAFileMadeAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.Mkdir("etc", 0o700)
	srv := httptest.NewTLSServer(http.NotFoundHandler()) // its certificate is a PEM to trust
	srv.Close()
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	os.WriteFile(filepath.Join("etc", "ca.pem"), pemBytes, 0o600)
	cfg, err := Parse("etc/registries.yaml", []byte("registries:\n  - name: a\n    url: https://127.0.0.1:5000\n    tls:\n      caFile: ca.pem\n"))
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if got, want := cfg.Registries[0].TLS.CAFile, filepath.Join(wd, "etc", "ca.pem"); got != want {
		t.Errorf("caFile = %q, want %q", got, want)
	}
}
