package names

import "testing"

func TestRepository(t *testing.T) {
	for s, want := range map[string]bool{
		"library/alpine": true, "a": true, "a__b/c-d.e": true, "a--b": true,
		"": false, "Library/Alpine": false, "a/": false, "/a": false, "a___b": false, "a..b": false,
	} {
		if got := Repository(s); got != want {
			t.Errorf("Repository(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestTag(t *testing.T) {
	long := make([]byte, 129)
	for i := range long {
		long[i] = 'a'
	}
	for s, want := range map[string]bool{"latest": true, "_x.1-2": true, "": false, ".x": false, string(long): false, string(long[:128]): true} {
		if got := Tag(s); got != want {
			t.Errorf("Tag(%q) = %v, want %v", s, got, want)
		}
	}
}
