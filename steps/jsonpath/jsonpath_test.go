package jsonpath

import "testing"

func TestField(t *testing.T) {
	body := []byte(`{"manifests":[{"digest":"sha256:a","size":3,"annotations":{"k":"v","org.x.y":"dotted","a.b":{"c":[7]}}}],"schemaVersion":2,"n":null}`)
	cases := []struct {
		path, want string
		ok         bool
	}{
		{"manifests[0].digest", "sha256:a", true},
		{"manifests.0.digest", "sha256:a", true},
		{"manifests[0].size", "3", true},
		{"manifests[0].annotations.k", "v", true},
		{"schemaVersion", "2", true},
		{"n", "null", true},
		{"manifests[1].digest", "", false},
		{"manifests.1.digest", "", false},
		{"manifests.-1.digest", "", false}, // once a panic
		{"nope", "", false},
		{"schemaVersion.x", "", false},
		{"manifests]0[", "", false},
		// keys with dots, in ['…']
		{"manifests[0].annotations['org.x.y']", "dotted", true},
		{"manifests[0]['annotations']['k']", "v", true},
		{"manifests[0].annotations['a.b'].c[0]", "7", true},
		{"manifests[0].annotations['a.b']['c'][0]", "7", true},
		{"manifests[0].annotations['org.x']", "", false},
		{"manifests[0].annotations.org.x.y", "", false},  // dotted: org, x, y
		{"manifests[0].annotations['org.x.y", "", false}, // unclosed
		{"manifests['0']", "", false},                    // a quoted key is a key, not an index
		{"schemaVersion['x']", "", false},
	}
	for _, c := range cases {
		got, ok, err := Field(body, c.path)
		if err != nil || ok != c.ok || got != c.want {
			t.Errorf("%s: got %q %v %v, want %q %v", c.path, got, ok, err, c.want, c.ok)
		}
	}
	if _, _, err := Field([]byte("not json"), "a"); err == nil {
		t.Error("non-JSON body must be an error")
	}
}

// FuzzJSONField feeds arbitrary bodies and paths to the JSON field lookup.
func FuzzJSONField(f *testing.F) {
	f.Add([]byte(`{"manifests":[{"digest":"sha256:a"}]}`), "manifests[0].digest")
	f.Add([]byte(`[1,2,3]`), "1")
	f.Add([]byte(`[1,2,3]`), "-1")
	f.Add([]byte(`{"a":{"b":null}}`), "a.b.c")
	f.Add([]byte("\xff\xfe"), "x[99999999999999999999]")
	f.Add([]byte(`{"a":{"b.c":[1]}}`), "a['b.c'][0]")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		Field(body, path)
	})
}
