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
	var words []string
	var cur strings.Builder
	inWord := false // a word is open, perhaps empty but quoted
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
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
			inWord = true
		case c == '"':
			n, err := doubleQuoted(line[i+1:], &cur)
			if err != nil {
				return nil, err
			}
			i += n
			inWord = true
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
