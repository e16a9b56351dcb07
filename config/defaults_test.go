package config

import "testing"

func TestDefaultsInTestRepositoryNamespace(t *testing.T) {
	for _, c := range []struct{ test, mount, scratch string }{
		{"acme/app", "acme/ocicaps-mount-probe", "acme/ocicaps-verify-r1"},
		{"acme/team/app", "acme/team/ocicaps-mount-probe", "acme/team/ocicaps-verify-r1"},
		{"library/alpine", "library/ocicaps-mount-probe", "library/ocicaps-verify-r1"},
		{"alpine", "ocicaps-mount-probe", "ocicaps-verify-r1"},
	} {
		if got := DefaultMountRepositoryFor(c.test); got != c.mount {
			t.Errorf("mount default for %q = %q, want %q", c.test, got, c.mount)
		}
		if got := DefaultScratchRepositoryFor(c.test, "r1"); got != c.scratch {
			t.Errorf("scratch default for %q = %q, want %q", c.test, got, c.scratch)
		}
	}
}

func TestParseMountDefaultFollowsTestRepository(t *testing.T) {
	cfg, err := Parse("r.yaml", []byte("registries:\n  - name: a\n    url: http://127.0.0.1:5000\n    testRepository: acme/app\n  - name: b\n    url: http://127.0.0.1:5000\n    testRepository: acme/app\n    mountRepository: other/target\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Registries[0].MountRepository; got != "acme/ocicaps-mount-probe" {
		t.Errorf("default mountRepository = %q, want acme/ocicaps-mount-probe", got)
	}
	if got := cfg.Registries[1].MountRepository; got != "other/target" {
		t.Errorf("configured mountRepository = %q, want other/target", got)
	}
}
