// Package argv splits a command line into words the way a POSIX shell
// does for the simple cases a client workflow writes: words separated by
// blanks, single quotes (everything literal up to the next one), double
// quotes (a backslash escapes ", \, $ and ` inside) and a backslash
// outside quotes escaping the next character. Nothing else of a shell is
// done: no globbing, no variables, no command substitution, no
// redirection; those characters are kept as they are. An unquoted word
// that is empty vanishes, a quoted empty word ("") stays.
package argv

import (
	"errors"
	"strings"
)

// ErrUnclosedQuote is Split's error for a quote that is never closed.
var ErrUnclosedQuote = errors.New("a quote is never closed")

// ErrTrailingBackslash is Split's error for a line ending in a lone
// backslash.
var ErrTrailingBackslash = errors.New("the line ends with a lone backslash")

// Split returns the words of line.
func Split(line string) ([]string, error) {
	ws, err := Words(line)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.Text)
	}
	return out, nil
}

// Word is one word of a command line; Quoted says a quote was part of
// it, so that a caller filling placeholders in it after the split keeps
// it even when it fills to "" (an unquoted one then vanishes, as Split
// makes an unquoted empty word vanish).
type Word struct {
	Text   string
	Quoted bool
}

// Words returns the words of line, each with whether it was quoted.
func Words(line string) ([]Word, error) {
	var words []Word
	var cur strings.Builder
	inWord := false // a word is open, perhaps empty but quoted
	quoted := false
	flush := func() {
		if inWord {
			words = append(words, Word{Text: cur.String(), Quoted: quoted})
		}
		cur.Reset()
		inWord, quoted = false, false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			flush()
		case c == '\\':
			if i+1 >= len(line) {
				return nil, ErrTrailingBackslash
			}
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, ErrUnclosedQuote
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord, quoted = true, true
		case c == '"':
			n, err := doubleQuoted(line[i+1:], &cur)
			if err != nil {
				return nil, err
			}
			i += n
			inWord, quoted = true, true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words, nil
}

// doubleQuoted reads s up to its closing double quote into b and returns
// how many bytes it took, the quote included.
func doubleQuoted(s string, b *strings.Builder) (int, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return i + 1, nil
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0:
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return 0, ErrUnclosedQuote
}
