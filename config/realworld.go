package config

import (
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Real registries as they are (issue 21): reads that lag writes, and rate
// limits.

// Consistency says how long a read that follows a write of the same object
// may answer 404 before the 404 counts: replicated registries and object
// storage backends make new objects readable a moment after the write.
type Consistency struct {
	// Wait bounds the retries of such a read (with backoff); 0 counts the
	// first 404.
	Wait time.Duration
}

// RateLimit paces the requests to one registry, token requests included,
// the way regctl's reqPerSec does: at most RequestsPerSecond on average,
// Burst at once. RequestsPerSecond 0 means no limit.
type RateLimit struct {
	RequestsPerSecond float64
	Burst             int
}

// DefaultConsistencyWait is consistency.wait unless registries.yaml says
// otherwise: long enough for the replication lag of object storage
// backends, short enough that a registry that really lost an object does
// not stall a run.
const DefaultConsistencyWait = 5 * time.Second

// Bounds of the keys: a longer wait would stall every run on a registry
// that really answers 404; more requests per second than this is no limit.
const (
	maxConsistencyWait   = 2 * time.Minute
	maxRequestsPerSecond = 10000
	maxBurst             = 10000
)

var (
	consistencyKeys = []string{"wait"}
	rateLimitKeys   = []string{"requestsPerSecond", "burst"}
)

// consistency parses a `consistency:` mapping into c.
func (p *parser) consistency(n *yaml.Node, what string, c *Consistency) {
	p.mapping(n, what, consistencyKeys, func(key string, _, v *yaml.Node) {
		if v.Kind == yaml.ScalarNode && (v.Value == "0" || v.Value == "0s") {
			c.Wait = 0 // no wait: the first 404 counts
			return
		}
		var d time.Duration
		p.duration(key, v, &d)
		if d > maxConsistencyWait {
			p.add(v.Line, "%s: %q must be at most %s, found %s", what, key, maxConsistencyWait, v.Value)
			return
		}
		if d > 0 {
			c.Wait = d
		}
	})
}

// rateLimit parses a `rateLimit:` mapping into r.
func (p *parser) rateLimit(n *yaml.Node, what string, r *RateLimit) {
	burstSet := false
	p.mapping(n, what, rateLimitKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "requestsPerSecond":
			f, err := strconv.ParseFloat(v.Value, 64)
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || err != nil || f <= 0 || f > maxRequestsPerSecond {
				p.add(v.Line, "%s: \"requestsPerSecond\" must be a number of requests per second above 0 and at most %d (e.g. 10 or 0.5), found %s", what, maxRequestsPerSecond, kindName(v))
				return
			}
			r.RequestsPerSecond = f
		case "burst":
			i, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || i < 1 || i > maxBurst {
				p.add(v.Line, "%s: \"burst\" must be a whole number of requests sent at once, from 1 to %d, found %s", what, maxBurst, kindName(v))
				return
			}
			r.Burst, burstSet = i, true
		}
	})
	if n.Kind == yaml.MappingNode && r.RequestsPerSecond == 0 && burstSet {
		p.add(n.Line, "%s: \"burst\" without \"requestsPerSecond\": give the rate, e.g. requestsPerSecond: 10", what)
	}
	if r.Burst == 0 && r.RequestsPerSecond > 0 {
		r.Burst = 1
	}
}
