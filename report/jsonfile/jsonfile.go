// Package jsonfile writes and reads results.json, the versioned
// serialization of results.Run (schema in docs/reports.md).
package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/results"
)

// Marshal returns the indented JSON of run with a trailing newline. The
// schemaVersion written is always results.SchemaVersion, because the shape
// of the output is that of this build's model, whatever the run says. Nil
// slices are written as [] so that consumers (jq, dashboards) never have to
// tell null from empty. run itself is not modified.
func Marshal(run *results.Run) ([]byte, error) {
	data, err := marshal(run)
	if err != nil {
		return nil, fmt.Errorf("jsonfile: %w", err)
	}
	return data, nil
}

func marshal(run *results.Run) ([]byte, error) {
	if run == nil {
		return nil, errors.New("no run")
	}
	n := normalize(run)
	n.SchemaVersion = results.SchemaVersion
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	// Reasons and URLs are full of < > &; \u003c would only hurt reading.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(n); err != nil { // Encode appends the newline
		return nil, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Write writes results.json for run to path atomically (temp file in the
// same folder, then rename), so a reader never sees half a file and a failed
// write leaves the previous file in place. The document is the one Marshal
// returns, byte for byte, written a registry at a time (Encode).
func Write(path string, run *results.Run) error {
	if run == nil {
		return fmt.Errorf("jsonfile: write %s: no run", path)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return Encode(w, run) }); err != nil {
		return fmt.Errorf("jsonfile: %w", err)
	}
	return nil
}

// registriesKey is the registries array of a run without registries, as
// Marshal indents it: the only key at this depth with this name.
var registriesKey = []byte("\n  \"registries\": []")

// Encode writes what Marshal returns to w, reading the run's registries
// one at a time (results.Run.Each), so that a fleet's evidence is never in
// memory at once: the run's other fields, then each registry encoded on
// its own with the indentation of its depth in the document.
func Encode(w io.Writer, run *results.Run) error {
	head := *run
	head.Registries = nil
	data, err := marshal(&head)
	if err != nil {
		return err
	}
	at := bytes.Index(data, registriesKey)
	if at < 0 {
		return errors.New("jsonfile: no registries key in the document")
	}
	at += len(registriesKey) - 1 // before the closing ]
	if _, err := w.Write(data[:at]); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	err = run.Each(func(i int, reg *results.Registry) error {
		buf.Reset()
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		if err := enc.Encode(normalizeRegistry(*reg)); err != nil {
			return fmt.Errorf("encode %s: %w", reg.Name, err)
		}
		_, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	})
	if err != nil {
		return err
	}
	if len(run.Registries) > 0 {
		if _, err := io.WriteString(w, "\n  "); err != nil {
			return err
		}
	}
	_, err = w.Write(data[at:])
	return err
}

// Read reads a results.json. It accepts any schemaVersion with the major
// version of results.SchemaVersion: minor versions only add fields, so
// unknown fields are ignored. A missing or different major version is an
// error naming the file, as is anything after the JSON value. Nil slices are
// returned as empty slices, the way Write would have written them.
func Read(path string) (*results.Run, error) {
	// Messages for the user, who named the file: what is wrong with it,
	// not which package read it.
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot read %s: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	run, err := unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return run, nil
}

// Unmarshal decodes results.json content; see Read for what is accepted.
func Unmarshal(data []byte) (*results.Run, error) {
	run, err := unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("jsonfile: %w", err)
	}
	return run, nil
}

func unmarshal(data []byte) (*results.Run, error) {
	// Check the version first, on its own: a file of another major version
	// may not decode into this model at all, and "unsupported schema
	// version" is the useful message then, not a type error.
	var head struct {
		SchemaVersion *string `json:"schemaVersion"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a results.json: %w", err)
	}
	if head.SchemaVersion == nil {
		return nil, errors.New("not a results.json: no schemaVersion")
	}
	if err := compatible(*head.SchemaVersion); err != nil {
		return nil, err
	}
	// json.Unmarshal also rejects anything after the object.
	var run results.Run
	if err := json.Unmarshal(data, &run); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return normalize(&run), nil
}

// compatible reports whether a file of schema version v can be read.
func compatible(v string) error {
	major, _, ok := strings.Cut(v, ".")
	want, _, _ := strings.Cut(results.SchemaVersion, ".")
	if !ok || major == "" || major != want {
		return fmt.Errorf("unsupported schemaVersion %q: this build reads %s.x (writes %s)",
			v, want, results.SchemaVersion)
	}
	return nil
}

// normalize returns a copy of run whose slices and header values are
// non-nil, sharing nothing mutable with run.
func normalize(run *results.Run) *results.Run {
	n := *run
	n.Capabilities = make([]results.CapabilityInfo, len(run.Capabilities))
	for i, c := range run.Capabilities {
		c.CommonCauses = nonNil(c.CommonCauses)
		c.HowToFix = nonNil(c.HowToFix)
		n.Capabilities[i] = c
	}
	if run.Trend != nil {
		t := *run.Trend
		t.Added, t.Removed = nonNil(t.Added), nonNil(t.Removed)
		t.Registries = make([]results.RegistryTrend, len(run.Trend.Registries))
		for i, r := range run.Trend.Registries {
			r.Changes = nonNil(r.Changes)
			t.Registries[i] = r
		}
		n.Trend = &t
	}
	n.Registries = make([]results.Registry, len(run.Registries))
	for i, reg := range run.Registries {
		n.Registries[i] = normalizeRegistry(reg)
	}
	return &n
}

// normalizeRegistry returns a copy of reg whose slices are non-nil,
// sharing nothing mutable with reg.
func normalizeRegistry(reg results.Registry) results.Registry {
	caps := reg.Capabilities
	reg.Capabilities = make([]results.Capability, len(caps))
	for j, c := range caps {
		c.Facts = nonNil(c.Facts)
		c.Deviations = nonNil(c.Deviations)
		c.Exchanges = exchanges(c.Exchanges)
		reg.Capabilities[j] = c
	}
	reg.Leftovers = nonNil(reg.Leftovers)
	reg.Warnings = nonNil(reg.Warnings)
	reg.Clients = clients(reg.Clients)
	return reg
}

// exchanges copies xs (never nil) with their headers and command lines
// copied and non-nil.
func exchanges(xs []results.Exchange) []results.Exchange {
	out := make([]results.Exchange, len(xs))
	for k, e := range xs {
		e.RequestHeaders = headers(e.RequestHeaders)
		e.ResponseHeaders = headers(e.ResponseHeaders)
		if e.Command != nil {
			cmd := *e.Command
			cmd.Argv = nonNil(cmd.Argv)
			e.Command = &cmd
		}
		out[k] = e
	}
	return out
}

func nonNil[T any](s []T) []T {
	out := make([]T, len(s))
	copy(out, s)
	return out
}

// headers copies h with nil value slices as empty ones; a nil or empty map
// stays nil so that omitempty drops it.
func headers(h map[string][]string) map[string][]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, v := range h {
		out[k] = nonNil(v)
	}
	return out
}
