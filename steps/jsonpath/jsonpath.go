// Package jsonpath is the small path language scenario steps use to name
// a field of a JSON body: dotted names with [n] (or .n) list indexes, as in
// manifests[0].digest, and ['key'] for a key holding dots, as annotation
// keys do: manifests[0].annotations['org.opencontainers.image.title'].
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
	for _, part := range splitPath(path) {
		var ok bool
		if part.quoted {
			obj, isObj := v.(map[string]any)
			if v, ok = obj[part.text]; !isObj || !ok {
				return nil, false
			}
			continue
		}
		m := partRE.FindStringSubmatch(part.text)
		if m == nil {
			return nil, false
		}
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

// pathPart is a dotted part of a path (a name with [n] indexes), or a key
// written ['key'], taken whole.
type pathPart struct {
	text   string
	quoted bool
}

// splitPath cuts a path at its dots, outside ['…'] keys. A part with an
// unclosed ['…'] is kept as it is written, which no lookup matches.
func splitPath(path string) []pathPart {
	var out []pathPart
	for {
		i := strings.Index(path, "['")
		if i < 0 {
			break
		}
		j := strings.Index(path[i+2:], "']")
		if j < 0 {
			break
		}
		if head := path[:i]; head != "" {
			out = append(out, dotted(head)...)
		}
		out = append(out, pathPart{text: path[i+2 : i+2+j], quoted: true})
		path = strings.TrimPrefix(path[i+2+j+2:], ".")
		if path == "" {
			return out
		}
	}
	return append(out, dotted(path)...)
}

func dotted(path string) []pathPart {
	var out []pathPart
	for _, p := range strings.Split(path, ".") {
		out = append(out, pathPart{text: p})
	}
	return out
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
