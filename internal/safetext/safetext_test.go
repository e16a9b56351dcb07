package safetext

import "testing"

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                     "plain",
		"a\nb\tc\x1b[31md":          "a b c [31md",
		"evil\u202Etxt.exe":         "evil<U+202E>txt.exe",
		"\u2066isolate\u2069":       "<U+2066>isolate<U+2069>",
		"zero\u200Bwidth\u200Fmark": "zero<U+200B>width<U+200F>mark",
		"bad \xff byte":             "bad \uFFFD byte",
		"line\u2028sep":             "line<U+2028>sep",
		"résumé 日本":                 "résumé 日本",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}
