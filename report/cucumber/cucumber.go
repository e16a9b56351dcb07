// Package cucumber writes cucumber.json, godog's Cucumber JSON for every
// registry in one file, for people who use Cucumber tooling.
//
// godog writes one document per registry, and every registry runs the same
// features, so the documents are merged with the registry made part of each
// feature's identity: the name becomes "<registry>: <feature name>", the id
// and each scenario's id are prefixed with the registry, and the uri with
// "<registry>/". A Cucumber report then shows one feature per registry and
// capability.
//
// ocicaps decides a capability's verdict in godog's after-scenario hook
// when no "supported when" condition held, so godog's step results alone
// would show such an unsupported capability as passed. Each scenario of a
// capability that is not supported therefore gets the verdict added as an
// after hook result ("skipped" for unsupported, "failed" for error, with the
// reason as its error message, located at "ocicaps verdict") and a tag
// @ocicaps:unsupported or @ocicaps:error. Everything else is godog's, as it
// wrote it.
package cucumber

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/results"
)

// Part is godog's cucumber JSON for one registry.
type Part struct {
	Registry string
	JSON     []byte
}

// Merge returns one Cucumber JSON document from the parts, in their order,
// with the verdicts of run. An empty part (godog never ran for that
// registry) contributes nothing.
func Merge(run *results.Run, parts []Part) ([]byte, error) {
	all := []map[string]any{}
	for _, p := range parts {
		if len(bytes.TrimSpace(p.JSON)) == 0 {
			continue
		}
		var features []map[string]any
		if err := json.Unmarshal(p.JSON, &features); err != nil {
			return nil, fmt.Errorf("cucumber: godog's output for %s: %w", p.Registry, err)
		}
		verdicts := verdictsOf(run, p.Registry)
		for _, f := range features {
			if uri, ok := f["uri"].(string); ok {
				if c, ok := verdicts[file(uri)]; ok && c.Status != results.Supported {
					addVerdict(f, c)
				}
			}
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

// verdictsOf maps feature file → capability for one registry of run.
func verdictsOf(run *results.Run, registry string) map[string]results.Capability {
	m := map[string]results.Capability{}
	if run == nil {
		return m
	}
	for _, reg := range run.Registries {
		if reg.Name == registry {
			for _, c := range reg.Capabilities {
				m[file(c.Source)] = c
			}
			break
		}
	}
	return m
}

// file strips the ":line" godog and the results add to a feature path.
func file(ref string) string {
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		if _, err := strconv.Atoi(ref[i+1:]); err == nil {
			return ref[:i]
		}
	}
	return ref
}

func addVerdict(feature map[string]any, c results.Capability) {
	status, tag := "failed", "@ocicaps:error"
	if c.Status == results.Unsupported {
		status, tag = "skipped", "@ocicaps:unsupported"
	}
	els, _ := feature["elements"].([]any)
	for _, e := range els {
		el, ok := e.(map[string]any)
		if !ok {
			continue
		}
		after, _ := el["after"].([]any)
		el["after"] = append(after, map[string]any{
			"match":  map[string]any{"location": "ocicaps verdict"},
			"result": map[string]any{"status": status, "error_message": string(c.Status) + ": " + c.Reason, "duration": 0},
		})
		tags, _ := el["tags"].([]any)
		el["tags"] = append(tags, map[string]any{"name": tag, "line": 0})
	}
}

func prefix(m map[string]any, key, p string) {
	if s, ok := m[key].(string); ok {
		m[key] = p + s
	}
}

// Write merges the parts with the verdicts of run into path, atomically.
func Write(path string, run *results.Run, parts []Part) error {
	data, err := Merge(run, parts)
	if err != nil {
		return fmt.Errorf("cucumber: write %s: %w", path, err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return fmt.Errorf("cucumber: %w", err)
	}
	return nil
}
