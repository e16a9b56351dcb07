package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Bounds on what Parse accepts, so that a hostile or mistaken file costs
// little memory and prints little (docs: README "registries.yaml").
const (
	// MaxFileBytes is the largest registries.yaml read; a fleet of
	// hundreds of registries is a few hundred KiB.
	MaxFileBytes = 4 << 20
	// MaxValueBytes is the longest scalar (name, URL, variable name).
	MaxValueBytes = 4096
	// MaxProblems is how many problems are printed; the rest are counted.
	MaxProblems = 30
)

// checkBytes refuses what YAML would report without a line, or not at all:
// an oversized file, NUL bytes, other binary data, invalid UTF-8.
func (p *parser) checkBytes(data []byte) bool {
	if len(data) > MaxFileBytes {
		p.add(0, "the file is %d bytes, more than the %d a registries.yaml may have; is it the right file?", len(data), MaxFileBytes)
		return false
	}
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			p.add(line, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8 text", data[i])
			return false
		case r == 0:
			p.add(line, "a NUL byte: registries.yaml must be text, not binary data")
			return false
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t', r == 0x7f:
			p.add(line, "control character U+%04X: registries.yaml must be text, not binary data", r)
			return false
		case r == '\n':
			line++
		}
		i += size
	}
	return true
}

// decode reads exactly one YAML document; a second one would be silently
// ignored by yaml.Unmarshal, so it is refused with its line.
func (p *parser) decode(data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		p.total++
		p.errs = append(p.errs, p.yamlError(err, data))
		return nil, false
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		p.total++
		p.errs = append(p.errs, p.yamlError(err, data))
		return nil, false
	default:
		p.add(extra.Line, "a second YAML document starts here; registries.yaml holds one document (remove the \"---\" line or merge the lists)")
		return nil, false
	}
	return &doc, true
}

// checkTree refuses duplicate keys at any level (YAML keeps only the last,
// silently dropping the first) and oversized values, before any meaning is
// given to the tree.
func (p *parser) checkTree(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && len(n.Value) > MaxValueBytes {
		// The value is not echoed: it may be anything, even a secret.
		p.add(n.Line, "a value of %d bytes; values are at most %d bytes", len(n.Value), MaxValueBytes)
	}
	if n.Kind == yaml.MappingNode {
		first := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if len(k.Value) > MaxValueBytes {
				continue // reported as a value below
			}
			if l, dup := first[k.Value]; dup {
				p.add(k.Line, "key %q given twice (first on line %d); YAML would silently keep only the last", k.Value, l)
				continue
			}
			first[k.Value] = k.Line
		}
	}
	for _, c := range n.Content {
		p.checkTree(c)
	}
}

// problems returns what was found: the first MaxProblems and a count of
// the rest, so that a file of a million bad entries prints a screenful.
func (p *parser) problems() error {
	if p.total == 0 {
		return nil
	}
	es := p.errs
	if more := p.total - len(es); more > 0 {
		es = append(es, &Error{File: p.file, Msg: fmt.Sprintf("and %d more problems not shown; fix these first", more)})
	}
	return es
}
