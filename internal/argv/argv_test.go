package argv

import (
	"errors"
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		line string
		want []string
		err  error
	}{
		{"oras push  a b", []string{"oras", "push", "a", "b"}, nil},
		{"oras  --plain-http\tx", []string{"oras", "--plain-http", "x"}, nil},
		{"oras attach  host/r@d", []string{"oras", "attach", "host/r@d"}, nil}, // an empty placeholder between two blanks vanishes
		{`a "" b`, []string{"a", "", "b"}, nil},
		{`a '' b`, []string{"a", "", "b"}, nil},
		{`a 'x y' "z w"`, []string{"a", "x y", "z w"}, nil},
		{`a "say \"hi\" \$HOME \x"`, []string{"a", `say "hi" $HOME \x`}, nil},
		{`a 'it''s'`, []string{"a", "its"}, nil},
		{`a x\ y`, []string{"a", "x y"}, nil},
		{`a "x"y'z'`, []string{"a", "xyz"}, nil},
		{`a $HOME * ; |`, []string{"a", "$HOME", "*", ";", "|"}, nil},
		{"", nil, nil},
		{"   ", nil, nil},
		{`a "b`, nil, ErrUnclosedQuote},
		{`a 'b`, nil, ErrUnclosedQuote},
		{`a b\`, nil, ErrTrailingBackslash},
	}
	for _, c := range cases {
		got, err := Split(c.line)
		if !errors.Is(err, c.err) {
			t.Errorf("Split(%q) error %v, want %v", c.line, err, c.err)
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}

// Words says which words were quoted, so that a word filled after the
// split knows whether it may vanish.
func TestWordsQuoted(t *testing.T) {
	ws, err := Words(`a "" '{x}' {y} b"c"`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Word{{"a", false}, {"", true}, {"{x}", true}, {"{y}", false}, {"bc", true}}
	if len(ws) != len(want) {
		t.Fatalf("%+v", ws)
	}
	for i := range want {
		if ws[i] != want[i] {
			t.Errorf("word %d = %+v, want %+v", i, ws[i], want[i])
		}
	}
}
