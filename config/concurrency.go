package config

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// AutoConcurrency is a registry's Concurrency when registries.yaml sets
// no `concurrency:` (under defaults or the registry): the runner then
// gives it its share of the run's scenarios in flight, at most
// MaxConcurrency (runner.ScenarioBudget). A scenario is a chain of round
// trips, so running several side by side brings a registry's wall time
// down to its longest scenario: a registry alone used to run 8 at once,
// 2.85 times its longest capability at 100 ms a round trip, where 64 at
// once is 1.3 times (docs/benchmarks.md). A number in the file caps it.
const AutoConcurrency = 0

// MaxConcurrency bounds the key: more connections than this to one
// registry looks like an attack, not a check.
const MaxConcurrency = 64

// concurrency parses a `concurrency:` value into dst.
func (p *parser) concurrency(v *yaml.Node, what string, dst *int) {
	i, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || i < 1 || i > MaxConcurrency {
		p.add(v.Line, "%s: \"concurrency\" must be a whole number of scenarios run at once, from 1 (one after another) to %d, found %s", what, MaxConcurrency, kindName(v))
		return
	}
	*dst = i
}
