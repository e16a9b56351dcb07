// Package safetext makes text from a registry safe for one terminal line.
// The console writer calls it; it lives here so that any other writer of
// console lines can too.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
)

// Line returns s for one line of a terminal: invalid UTF-8 becomes U+FFFD,
// control characters (newlines, tabs, the ESC of an ANSI sequence) become
// spaces, and bidirectional and other invisible format characters (U+202E
// reverses what follows it) are shown as <U+XXXX>, so that what a registry
// answered can neither break the layout nor disguise itself.
func Line(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			b.WriteByte(' ')
		case unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
