package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ocicaps/ocicaps/results"
)

// ReadLight reads a results.json as Read does, keeping of each registry
// only its light copy (results.Light: verdicts, reasons, facts,
// deviations, score, severity; no exchanges, no client evidence). The
// registries are decoded one at a time, so a fleet's file of any size is
// read in memory that does not grow with its evidence: what --baseline
// and ocicaps history compare needs no more.
func ReadLight(path string) (*results.Run, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot read %s: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	run, err := decodeLight(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return run, nil
}

// decodeLight walks the top-level object: every member but registries is
// kept as it is and decoded at the end (they are small); the registries
// are decoded one by one into their light copies.
func decodeLight(r io.Reader) (*results.Run, error) {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a results.json: not a JSON object")
	}
	head := map[string]json.RawMessage{}
	var regs []results.Registry
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not a results.json: %w", err)
		}
		key, _ := t.(string)
		if key != "registries" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, fmt.Errorf("not a results.json: %w", err)
			}
			head[key] = raw
			continue
		}
		if err := checkVersion(head); err != nil {
			return nil, err
		}
		if regs, err = decodeRegistries(dec); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("not a results.json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("decode: invalid character after top-level value")
	}
	if err := checkVersion(head); err != nil {
		return nil, err
	}
	data, err := json.Marshal(head)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	var run results.Run
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&run); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	run.Registries = regs
	return normalize(&run), nil
}

// checkVersion checks the schemaVersion, when it has been read (the
// writer puts it first; a file without one is refused at the end).
func checkVersion(head map[string]json.RawMessage) error {
	raw, ok := head["schemaVersion"]
	if !ok {
		return errors.New("not a results.json: no schemaVersion")
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("not a results.json: schemaVersion: %w", err)
	}
	return compatible(v)
}

func decodeRegistries(dec *json.Decoder) ([]results.Registry, error) {
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		if t == nil && err == nil { // null
			return nil, nil
		}
		return nil, errors.New("decode: registries is not a list")
	}
	var regs []results.Registry
	for dec.More() {
		var reg results.Registry
		if err := dec.Decode(&reg); err != nil {
			return nil, fmt.Errorf("decode: registry %d: %w", len(regs), err)
		}
		regs = append(regs, results.Light(reg))
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return regs, nil
}
