// Package names holds the one rule for OCI repository names and tags that
// both config (validating registries.yaml) and client (deriving auth scopes
// from request paths) apply, so that they cannot drift apart.
package names

import "regexp"

var (
	// repositoryRE is the <name> grammar of the OCI distribution spec.
	repositoryRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$`)
	// tagRE is the <reference> tag grammar of the OCI distribution spec.
	tagRE = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)
)

// Repository reports whether s is a valid repository name.
func Repository(s string) bool { return repositoryRE.MatchString(s) }

// Tag reports whether s is a valid tag.
func Tag(s string) bool { return tagRE.MatchString(s) }
