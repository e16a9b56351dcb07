package steps

import (
	"fmt"
	"strings"
)

// builtinDocs explains the variables every scenario starts with.
var builtinDocs = map[string]string{
	"repository":      "the registry's testRepository (default library/alpine)",
	"tag":             "the registry's testTag (default latest)",
	"registry":        "host[:port] of the registry URL",
	"mountRepository": "the registry's mountRepository (default ocicaps/mount-probe): where probes may write; {scratch2} in verify mode",
	"scratch":         "verify mode only: the run's scratch repository (scratchRepository, or ocicaps/verify-<run id>)",
	"scratch2":        "verify mode only: a second scratch repository, {scratch}-mount",
	"status":          "the current response's status code, e.g. 404",
	"answer":          "the current response's status with the registry's error code, e.g. 404 Not Found (NAME_UNKNOWN: …)",
	"bodyDigest":      "sha256 digest of the last request body set by a body step",
}

// Builtins lists the built-in variables as {name}.
func Builtins() []string {
	var out []string
	for _, b := range append(append([]string(nil), builtins...), "bodyDigest") {
		out = append(out, "{"+b+"}")
	}
	return out
}

// ReferenceMarkdown renders the vocabulary as the Markdown reference kept
// in docs/writing-scenarios.md (a test keeps the two equal).
func ReferenceMarkdown() string {
	var b strings.Builder
	for _, g := range Groups {
		fmt.Fprintf(&b, "### %s\n\n", g)
		for _, d := range defs {
			if d.Group != g {
				continue
			}
			fmt.Fprintf(&b, "- `%s`  \n  %s\n", d.Example, d.Doc)
		}
		b.WriteString("\n")
	}
	b.WriteString("### Built-in variables\n\n")
	for _, name := range append(append([]string(nil), builtins...), "bodyDigest") {
		fmt.Fprintf(&b, "- `{%s}`: %s\n", name, builtinDocs[name])
	}
	return b.String()
}
