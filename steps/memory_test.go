package steps

import (
	"slices"
	"testing"
)

// keep saves the bytes and their digest, sha512 and size as variables.
func TestMemoryKeep(t *testing.T) {
	m := newMemory(map[string]string{"repository": "a/b"})
	m.keep("blob", []byte("abc"))
	if string(m.saved["blob"]) != "abc" {
		t.Errorf("saved %q", m.saved["blob"])
	}
	want := map[string]string{
		"blob.digest": "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"blob.size":   "3",
	}
	for k, v := range want {
		if m.vars[k] != v {
			t.Errorf("{%s} = %q, want %q", k, m.vars[k], v)
		}
	}
	if m.vars["blob.sha512"] == "" {
		t.Error("no {blob.sha512}")
	}
	got := m.known()
	if !slices.IsSorted(got) || !slices.Contains(got, "{repository}") || !slices.Contains(got, "{blob.size}") {
		t.Errorf("known() = %v", got)
	}
}
