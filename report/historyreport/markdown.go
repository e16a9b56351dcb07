package historyreport

import (
	"fmt"
	"io"
	"strings"

	"github.com/ocicaps/ocicaps/history"
)

// EncodeMarkdown writes history.md: the window and rules, the counts, and
// one table row per cell that is not stable or is stale, with its timeline.
func EncodeMarkdown(w io.Writer, h *history.History) error {
	var b strings.Builder
	b.WriteString("## OCI registry capability history\n\n")
	fmt.Fprintf(&b, "%s %s\n\n", window(h), rules(h))
	fmt.Fprintf(&b, "**%s.**\n\n", totals(h.Counts))
	rows := 0
	for _, r := range h.Registries {
		for _, c := range r.Capabilities {
			if !attention(c) {
				continue
			}
			if rows == 0 {
				b.WriteString("| Registry | Capability | Now | Kind | Since | Changes | Last verified | Timeline (oldest first) |\n")
				b.WriteString("| --- | --- | --- | --- | --- | ---: | --- | --- |\n")
			}
			rows++
			kind := string(c.Kind)
			if c.Stale {
				kind += ", **stale**"
			}
			since := ""
			if c.Since != nil {
				since = fmt.Sprintf("run %d, %s", c.Since.Run+1, date(c.Since))
			}
			verified := date(c.LastVerified)
			if c.LastVerified != nil && c.LastVerified.ToolVersion != "" {
				verified += " (ocicaps " + text(c.LastVerified.ToolVersion) + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %d | %s | `%s` |\n",
				text(r.Name), text(c.ID), c.Current.Word(), kind, since, c.Changes, verified, timeline(c))
		}
	}
	if rows == 0 {
		b.WriteString("No capability changed in the window and none is stale.\n")
	}
	b.WriteString("\nTimeline: ✓ supported, ✗ unsupported, ! error, · not run.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// text makes s safe as Markdown text on one line: every character with a
// Markdown or HTML meaning is escaped, so a registry's name cannot inject
// links, markup or table cells.
func text(s string) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#+!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
