package zoo

import (
	"reflect"
	"testing"
)

func TestNamespacePolicy(t *testing.T) {
	p := &NamespacePolicy{Owners: map[string]string{"owner": "acme"}, Readers: map[string][]string{"reader": {"acme"}}, Public: []string{"library"}}
	for _, c := range []struct {
		user, scope string
		want        []access
	}{
		{"owner", "repository:acme/app:pull,push", []access{{"repository", "acme/app", []string{"pull", "push"}}}},
		{"owner", "repository:acme/x/y:delete", []access{{"repository", "acme/x/y", []string{"delete"}}}},
		{"owner", "repository:acmeco/app:pull,push", nil}, // a prefix is not the namespace
		{"owner", "repository:ocicaps/mount-probe:pull,push", nil},
		{"owner", "repository:library/alpine:pull,push", []access{{"repository", "library/alpine", []string{"pull"}}}},
		{"reader", "repository:acme/app:pull,push", []access{{"repository", "acme/app", []string{"pull"}}}},
		{"reader", "registry:catalog:*", nil},
		{"owner", "registry:catalog:*", []access{{"registry", "catalog", []string{"*"}}}},
		{"", "repository:library/alpine:pull,push", []access{{"repository", "library/alpine", []string{"pull"}}}},
		{"", "repository:acme/app:pull", nil},
	} {
		if got := p.grant(c.user, []string{c.scope}); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q asking %s: got %v, want %v", c.user, c.scope, got, c.want)
		}
	}
}
