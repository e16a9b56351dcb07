package config

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// DefaultConcurrency is how many scenarios of one registry run at once
// unless registries.yaml says otherwise (`concurrency:` under defaults or
// a registry). A scenario is a chain of round trips, so running several
// side by side brings a registry's wall time down to its longest
// scenario; 8 matches the client's idle connections per host and stays
// gentle on a registry (docker pulls three layers at once per image).
const DefaultConcurrency = 8

// maxConcurrency bounds the key: more connections than this to one
// registry looks like an attack, not a check.
const maxConcurrency = 64

// concurrency parses a `concurrency:` value into dst.
func (p *parser) concurrency(v *yaml.Node, what string, dst *int) {
	i, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || i < 1 || i > maxConcurrency {
		p.add(v.Line, "%s: \"concurrency\" must be a whole number of scenarios run at once, from 1 (one after another) to %d, found %s", what, maxConcurrency, kindName(v))
		return
	}
	*dst = i
}
