package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ocicaps/ocicaps/retry"
)

// Retry is the retry policy for one registry's requests: the client's
// own type, so that what registries.yaml says reaches the client as one
// value (keys max, minWait, maxWait, maxRetryAfter; 0 retries means none).
type Retry = retry.Policy

// Timeouts bound how long ocicaps waits.
type Timeouts struct {
	// Request bounds one attempt of one request, body included.
	Request time.Duration
	// Registry bounds all the scenarios of one registry.
	Registry time.Duration
}

// Defaults apply to every registry unless it overrides them, field by field.
type Defaults struct {
	Retry    Retry
	Timeouts Timeouts
	// Run bounds the whole run (defaults: only).
	Run time.Duration
	// Concurrency is how many scenarios of a registry run at once;
	// AutoConcurrency (0) when the file does not say.
	Concurrency int
	// Consistency and RateLimit: realworld.go.
	Consistency Consistency
	RateLimit   RateLimit
}

// Built-in defaults, documented in the README.
var BuiltinDefaults = Defaults{
	Retry:    retry.Default,
	Timeouts: Timeouts{Request: 30 * time.Second, Registry: 5 * time.Minute},
	Run:      30 * time.Minute,

	Concurrency: AutoConcurrency,
	Consistency: Consistency{Wait: DefaultConsistencyWait},
}

const maxRetries = 20

var (
	retryKeys    = []string{"max", "minWait", "maxWait", "maxRetryAfter"}
	timeoutKeys  = []string{"request", "registry"}
	defaultsKeys = []string{"retry", "timeouts", "run", "concurrency", "consistency", "rateLimit"}
)

// mapping iterates over a mapping node's keys, reporting unknown keys and
// non-mapping nodes.
func (p *parser) mapping(n *yaml.Node, what string, allowed []string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "%s must be a mapping with keys %s, found %s", what, strings.Join(allowed, ", "), kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !contains(allowed, k.Value):
			p.add(k.Line, "unknown key %q in %s%s; allowed keys: %s", k.Value, what, suggest(k.Value, allowed), strings.Join(allowed, ", "))
		case seen[k.Value]:
			p.add(k.Line, "key %q given twice in %s", k.Value, what)
		default:
			seen[k.Value] = true
			fn(k.Value, k, v)
		}
	}
}

// duration parses a positive Go duration such as 250ms, 5s or 2m.
func (p *parser) duration(key string, v *yaml.Node, dst *time.Duration) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.add(v.Line, "%q must be a duration such as 500ms, 5s or 2m, found %s", key, kindName(v))
		return
	}
	d, err := time.ParseDuration(v.Value)
	switch {
	case err != nil:
		hint := ""
		if _, nerr := strconv.Atoi(v.Value); nerr == nil {
			hint = fmt.Sprintf(" (add a unit: %ss or %sms)", v.Value, v.Value)
		}
		p.add(v.Line, "%q: %q is not a duration such as 500ms, 5s or 2m%s", key, v.Value, hint)
	case d <= 0:
		p.add(v.Line, "%q must be positive, found %s", key, v.Value)
	default:
		*dst = d
	}
}

func (p *parser) retry(n *yaml.Node, what string, r *Retry) {
	p.mapping(n, what, retryKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "max":
			i, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || i < 0 || i > maxRetries {
				p.add(v.Line, "%q must be a whole number of retries from 0 to %d, found %s", key, maxRetries, kindName(v))
				return
			}
			r.Max = i
		case "minWait":
			p.duration(key, v, &r.MinWait)
		case "maxWait":
			p.duration(key, v, &r.MaxWait)
		case "maxRetryAfter":
			p.duration(key, v, &r.MaxRetryAfter)
		}
	})
	if r.MinWait > r.MaxWait {
		p.add(n.Line, "%s: minWait (%s) is longer than maxWait (%s)", what, r.MinWait, r.MaxWait)
	}
}

func (p *parser) timeouts(n *yaml.Node, what string, t *Timeouts) {
	p.mapping(n, what, timeoutKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "request":
			p.duration(key, v, &t.Request)
		case "registry":
			p.duration(key, v, &t.Registry)
		}
	})
}

func (p *parser) defaults(n *yaml.Node, d *Defaults) {
	p.mapping(n, "defaults", defaultsKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "retry":
			p.retry(v, "defaults.retry", &d.Retry)
		case "timeouts":
			p.timeouts(v, "defaults.timeouts", &d.Timeouts)
		case "run":
			p.duration("run", v, &d.Run)
		case "concurrency":
			p.concurrency(v, "defaults", &d.Concurrency)
		case "consistency":
			p.consistency(v, "defaults.consistency", &d.Consistency)
		case "rateLimit":
			p.rateLimit(v, "defaults.rateLimit", &d.RateLimit)
		}
	})
}
