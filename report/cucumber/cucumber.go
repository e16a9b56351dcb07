// Package cucumber writes cucumber.json, godog's Cucumber JSON for every
// registry in one file, for people who use Cucumber tooling.
//
// godog writes one document per registry, and every registry runs the same
// features, so the documents are merged with the registry made part of each
// feature's identity: the name becomes "<registry>: <feature name>", the id
// and each scenario's id are prefixed with the registry, and the uri with
// "<registry>/". A Cucumber report then shows one feature per registry and
// capability. Everything else is godog's, as it wrote it.
package cucumber

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
)

// Part is godog's cucumber JSON for one registry.
type Part struct {
	Registry string
	JSON     []byte
}

// Merge returns one Cucumber JSON document from the parts, in their order.
// An empty part (godog never ran for that registry) contributes nothing.
func Merge(parts []Part) ([]byte, error) {
	all := []map[string]any{}
	for _, p := range parts {
		if len(bytes.TrimSpace(p.JSON)) == 0 {
			continue
		}
		var features []map[string]any
		if err := json.Unmarshal(p.JSON, &features); err != nil {
			return nil, fmt.Errorf("cucumber: godog's output for %s: %w", p.Registry, err)
		}
		for _, f := range features {
			prefix(f, "name", p.Registry+": ")
			prefix(f, "uri", p.Registry+"/")
			prefix(f, "id", p.Registry+";")
			if els, ok := f["elements"].([]any); ok {
				for _, e := range els {
					if m, ok := e.(map[string]any); ok {
						prefix(m, "id", p.Registry+";")
					}
				}
			}
			all = append(all, f)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(all); err != nil {
		return nil, fmt.Errorf("cucumber: encode: %w", err)
	}
	return buf.Bytes(), nil
}

func prefix(m map[string]any, key, p string) {
	if s, ok := m[key].(string); ok {
		m[key] = p + s
	}
}

// Write merges the parts into path, atomically.
func Write(path string, parts []Part) error {
	data, err := Merge(parts)
	if err != nil {
		return fmt.Errorf("cucumber: write %s: %w", path, err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return fmt.Errorf("cucumber: %w", err)
	}
	return nil
}
