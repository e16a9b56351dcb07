package steps

import (
	"fmt"
	"strings"
)

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
	for _, v := range Builtins() {
		fmt.Fprintf(&b, "- `{%s}`: %s\n", v.Name, v.Doc)
	}
	return b.String()
}
