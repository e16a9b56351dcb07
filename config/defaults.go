package config

import "strings"

// Where ocicaps writes by default. On most real registries (GHCR, Docker
// Hub, Quay, Harbor, GitLab) a token grants push only inside a namespace its
// user or organisation owns, so a fixed top-level target such as
// ocicaps/mount-probe is refused with an answer about the namespace, not
// about the capability. The defaults therefore sit next to the test
// repository: acme/app → acme/ocicaps-mount-probe.

// Namespace returns everything of repo before its last path segment
// ("acme/team/app" → "acme/team"), or "" for a one-segment name.
func Namespace(repo string) string {
	if i := strings.LastIndex(repo, "/"); i >= 0 {
		return repo[:i]
	}
	return ""
}

// InNamespaceOf returns name inside the namespace of repo: "acme/app",
// "ocicaps-x" → "acme/ocicaps-x"; a one-segment repo keeps name top-level.
func InNamespaceOf(repo, name string) string {
	if ns := Namespace(repo); ns != "" {
		return ns + "/" + name
	}
	return name
}

// DefaultMountRepositoryFor is mountRepository's default for a test
// repository.
func DefaultMountRepositoryFor(testRepository string) string {
	return InNamespaceOf(testRepository, "ocicaps-mount-probe")
}

// DefaultScratchRepositoryFor is verify mode's scratch repository when
// scratchRepository is not set: unique to the run, in the test
// repository's namespace.
func DefaultScratchRepositoryFor(testRepository, runID string) string {
	return InNamespaceOf(testRepository, "ocicaps-verify-"+runID)
}
