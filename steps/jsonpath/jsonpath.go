// Package jsonpath is the small path language scenario steps use to name
// a field of a JSON body: dotted names with [n] (or .n) list indexes, as in
// manifests[0].digest.
package jsonpath

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

var (
	partRE  = regexp.MustCompile(`^([^\[\]]*)((?:\[\d+\])*)$`)
	indexRE = regexp.MustCompile(`\d+`)
)

// Field looks up path in body and renders the value (see Render). ok is
// false when the field is absent; err is set when body is not JSON.
func Field(body []byte, path string) (val string, ok bool, err error) {
	v, ok, err := Value(body, path)
	if err != nil || !ok {
		return "", ok, err
	}
	return Render(v), true, nil
}

// Value parses body and looks up path in it.
func Value(body []byte, path string) (any, bool, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, false, err
	}
	got, ok := Lookup(v, path)
	return got, ok, nil
}

// Render shows a value as scenarios compare it: strings bare, anything
// else as JSON (numbers and booleans as written, null as "null").
func Render(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Lookup follows path through a decoded JSON value.
func Lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		m := partRE.FindStringSubmatch(part)
		if m == nil {
			return nil, false
		}
		var ok bool
		if m[1] != "" {
			if v, ok = step(v, m[1]); !ok {
				return nil, false
			}
		}
		for _, ix := range indexRE.FindAllString(m[2], -1) {
			if v, ok = item(v, ix); !ok {
				return nil, false
			}
		}
	}
	return v, true
}

// step follows one name: a list index when it is a number (manifests.0),
// else an object key.
func step(v any, name string) (any, bool) {
	if _, err := strconv.Atoi(name); err == nil {
		return item(v, name)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	got, ok := obj[name]
	return got, ok
}

func item(v any, index string) (any, bool) {
	n, err := strconv.Atoi(index)
	arr, ok := v.([]any)
	if err != nil || !ok || n < 0 || n >= len(arr) {
		return nil, false
	}
	return arr[n], true
}
