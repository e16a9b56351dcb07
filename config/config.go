// Package config loads registries.yaml. It decodes the YAML node tree by hand
// rather than with struct tags so that every problem (unknown key, wrong
// type, duplicate name, bad URL) is reported with the file and line it is on.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ocicaps/ocicaps/internal/names"
)

// Modes of a registry.
const (
	ModeProbe  = "probe"
	ModeVerify = "verify"
)

// Defaults for optional registry keys.
const (
	DefaultTestRepository = "library/alpine"
	DefaultTestTag        = "latest"
	// DefaultMountRepository was the fixed default before it moved into
	// the test repository's namespace (DefaultMountRepositoryFor); kept for
	// code that names it.
	//
	// Deprecated: use DefaultMountRepositoryFor.
	DefaultMountRepository = "ocicaps/mount-probe"
)

// Config is the parsed registries.yaml.
type Config struct {
	// File is the path the config was read from.
	File       string
	Defaults   Defaults
	Registries []Registry
	// Clients maps a client id to its program (top-level "clients:"),
	// for `ocicaps run --clients`; a client not in it is looked up on
	// PATH.
	Clients map[string]string
	// clientLines is the line of each clients: entry, for CheckClients.
	clientLines map[string]int
}

// Registry is one registry to probe.
type Registry struct {
	Name string
	// URL is the base URL, scheme and host (and port), no path.
	URL            string
	TestRepository string
	TestTag        string
	// MountRepository receives the cross-repository mount probe; it must
	// differ from TestRepository, else the mount proves nothing.
	MountRepository string
	// Mode is "probe" (ask the registry, the seed's way) or "verify" (also
	// do each thing in a scratch repository).
	Mode string
	// ScratchRepository is where verify mode writes; empty means a name
	// unique to the run in the test repository's namespace
	// (DefaultScratchRepositoryFor).
	ScratchRepository string
	Retry             Retry
	Timeouts          Timeouts
	// Concurrency is how many of its scenarios run at once (1: one after
	// another).
	Concurrency int
	// Consistency and RateLimit (realworld.go) adapt the checks to
	// registries whose reads lag writes and that limit requests.
	Consistency Consistency
	RateLimit   RateLimit
	// Credentials and TLS say how to reach the registry; their zero values
	// are anonymous access and the system's TLS roots.
	Credentials Credentials
	TLS         TLS
	// Line is where the entry starts in the file, for messages.
	Line int
}

// Host returns host[:port] of the registry URL.
func (r Registry) Host() string {
	u, err := url.Parse(r.URL)
	if err != nil {
		return r.URL
	}
	return u.Host
}

// Error is one problem in the file, with its position.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every problem found in one file.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Load reads and validates the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read the configuration: %v (pass --config FILE)", unwrapPathErr(err))}
	}
	return Parse(path, data)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var (
	registryKeys = []string{"name", "url", "testRepository", "testTag", "mountRepository", "mode", "scratchRepository", "credentials", "tls", "retry", "timeouts", "concurrency", "consistency", "rateLimit"}
	// Keys whose value is a mapping rather than a string.
	mappingKeys = map[string]bool{"credentials": true, "tls": true, "retry": true, "timeouts": true, "consistency": true, "rateLimit": true}
	// A registry name becomes part of file and JUnit names: keep it plain.
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// Parse validates data as the content of the file named file.
func Parse(file string, data []byte) (*Config, error) {
	p := &parser{file: file, clientLines: map[string]int{}}
	if !p.checkBytes(data) {
		return nil, p.errs
	}
	doc, ok := p.decode(data)
	if !ok {
		return nil, p.errs
	}
	if p.checkTree(doc); p.total > 0 {
		return nil, p.problems()
	}
	cfg := &Config{File: file, Defaults: BuiltinDefaults}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.add(0, "the file is empty; it needs a top-level \"registries:\" list (see registries.yaml in the repository for an example)")
		return nil, p.errs
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.add(root.Line, "the top level must be a mapping with the key \"registries\", found %s", kindName(root))
		return nil, p.errs
	}
	var regs *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "registries":
			regs = v
		case "defaults":
			p.defaults(v, &cfg.Defaults)
		case "clients":
			cfg.Clients, cfg.clientLines = p.clients(v), p.clientLines
		default:
			p.add(k.Line, "unknown key %q at the top level%s; the keys are \"defaults\", \"registries\" and \"clients\"", k.Value, suggest(k.Value, []string{"defaults", "registries", "clients"}))
		}
	}
	switch {
	case regs == nil:
		p.add(root.Line, "missing key \"registries\": list the registries to probe under it")
	case regs.Kind != yaml.SequenceNode:
		p.add(regs.Line, "\"registries\" must be a list of registries, found %s", kindName(regs))
	case len(regs.Content) == 0:
		p.add(regs.Line, "\"registries\" is empty: add at least one registry with a name and a url")
	default:
		seen := map[string]int{}
		for _, n := range regs.Content {
			r, ok := p.registry(n, cfg.Defaults)
			if !ok {
				continue
			}
			if first, dup := seen[r.Name]; dup {
				p.add(r.Line, "duplicate registry name %q (first used on line %d); names must be unique because reports are keyed by them", r.Name, first)
				continue
			}
			seen[r.Name] = r.Line
			cfg.Registries = append(cfg.Registries, r)
		}
	}
	if p.total > 0 {
		return nil, p.problems()
	}
	return cfg, nil
}

type parser struct {
	file string
	// clientLines is the line of each clients: entry.
	clientLines map[string]int
	errs        Errors
	// total counts every problem; only the first MaxProblems are kept.
	total int
}

func (p *parser) add(line int, format string, args ...any) {
	if p.total++; len(p.errs) < MaxProblems {
		p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (p *parser) yamlError(err error, data []byte) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		var line int
		fmt.Sscan(m[1], &line)
		msg := "malformed YAML: " + m[2]
		if strings.HasPrefix(m[2], "did not find expected") {
			// libyaml reports the line where the enclosing block starts,
			// not the line that breaks it.
			msg += " (in the block that starts here: check the indentation of the lines below)"
		}
		if lines := strings.Split(string(data), "\n"); line >= 1 && line <= len(lines) && strings.Contains(lines[line-1], "\t") {
			msg += " (this line holds a tab: YAML indents with spaces only)"
		}
		return &Error{File: p.file, Line: line, Msg: msg}
	}
	return &Error{File: p.file, Msg: "malformed YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "an unexpected node"
}

func (p *parser) registry(n *yaml.Node, d Defaults) (Registry, bool) {
	r := Registry{Line: n.Line, Retry: d.Retry, Timeouts: d.Timeouts, Concurrency: d.Concurrency, Consistency: d.Consistency, RateLimit: d.RateLimit}
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "each registry must be a mapping with at least \"name\" and \"url\", found %s", kindName(n))
		return r, false
	}
	before := p.total
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !contains(registryKeys, k.Value) {
			p.add(k.Line, "unknown key %q in a registry%s; allowed keys: %s", k.Value, suggest(k.Value, registryKeys), strings.Join(registryKeys, ", "))
			continue
		}
		if _, dup := vals[k.Value]; dup {
			p.add(k.Line, "key %q given twice in the same registry", k.Value)
			continue
		}
		if mappingKeys[k.Value] {
			vals[k.Value] = v
			continue
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			p.add(v.Line, "%q must be a string, found %s", k.Value, kindName(v))
			continue
		}
		vals[k.Value] = v
	}
	str := func(key, def string) (string, int) {
		if v, ok := vals[key]; ok {
			return v.Value, v.Line
		}
		return def, n.Line
	}
	var line int
	r.Name, line = str("name", "")
	switch {
	case r.Name == "" && vals["name"] == nil:
		p.add(n.Line, "registry without a \"name\": give each registry a unique name (letters, digits, '.', '_', '-')")
	case !nameRE.MatchString(r.Name):
		p.add(line, "registry name %q is not allowed: use letters, digits, '.', '_' and '-', starting with a letter or digit", r.Name)
	}
	r.URL, line = str("url", "")
	if vals["url"] == nil {
		p.add(n.Line, "registry %q has no \"url\": add one such as https://registry.example.com", r.Name)
	} else if u, err := checkURL(r.URL); err != nil {
		p.add(line, "registry %q: bad url %s: %v", r.Name, safeURL(r.URL), err)
	} else {
		r.URL = u
	}
	r.TestRepository, line = str("testRepository", DefaultTestRepository)
	if !names.Repository(r.TestRepository) {
		p.add(line, "registry %q: testRepository %q is not a valid repository name (lower-case path components such as library/alpine)", r.Name, r.TestRepository)
	}
	r.TestTag, line = str("testTag", DefaultTestTag)
	if !names.Tag(r.TestTag) {
		p.add(line, "registry %q: testTag %q is not a valid tag (letters, digits, '_', '.', '-'; at most 128)", r.Name, r.TestTag)
	}
	r.MountRepository, line = str("mountRepository", DefaultMountRepositoryFor(r.TestRepository))
	switch {
	case !names.Repository(r.MountRepository):
		p.add(line, "registry %q: mountRepository %q is not a valid repository name", r.Name, r.MountRepository)
	case r.MountRepository == r.TestRepository:
		p.add(line, "registry %q: mountRepository must differ from testRepository (%q), else a cross-repository mount proves nothing", r.Name, r.TestRepository)
	}
	var mline int
	r.Mode, mline = str("mode", ModeProbe)
	if r.Mode != ModeProbe && r.Mode != ModeVerify {
		p.add(mline, "registry %q: mode %q: use probe (ask the registry) or verify (also do each thing in a scratch repository)", r.Name, r.Mode)
	}
	r.ScratchRepository, line = str("scratchRepository", "")
	switch {
	case r.ScratchRepository == "":
	case !names.Repository(r.ScratchRepository):
		p.add(line, "registry %q: scratchRepository %q is not a valid repository name", r.Name, r.ScratchRepository)
	case r.ScratchRepository == r.TestRepository || r.ScratchRepository+"-mount" == r.TestRepository:
		p.add(line, "registry %q: scratchRepository must differ from testRepository (%q): verify mode writes and deletes there", r.Name, r.TestRepository)
	}
	if v := vals["retry"]; v != nil {
		p.retry(v, fmt.Sprintf("registry %q: retry", r.Name), &r.Retry)
	}
	if v := vals["timeouts"]; v != nil {
		p.timeouts(v, fmt.Sprintf("registry %q: timeouts", r.Name), &r.Timeouts)
	}
	if v := vals["concurrency"]; v != nil {
		p.concurrency(v, fmt.Sprintf("registry %q", r.Name), &r.Concurrency)
	}
	if v := vals["consistency"]; v != nil {
		p.consistency(v, fmt.Sprintf("registry %q: consistency", r.Name), &r.Consistency)
	}
	if v := vals["rateLimit"]; v != nil {
		p.rateLimit(v, fmt.Sprintf("registry %q: rateLimit", r.Name), &r.RateLimit)
	}
	if v := vals["credentials"]; v != nil {
		r.Credentials = p.credentials(r.Name, v)
	}
	if v := vals["tls"]; v != nil {
		r.TLS = p.tls(r.Name, r.URL, v)
	}
	return r, p.total == before
}

// safeURL quotes a URL for a message without what may be a secret: the
// user info of a URL that parses, and the whole of one that does not but
// holds an '@'.
func safeURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err == nil && u.User != nil:
		u.User = nil
		return fmt.Sprintf("%q (user info not shown)", strings.Replace(u.String(), "://", "://***@", 1))
	case err != nil && strings.Contains(raw, "@"):
		return "(not shown: it holds an '@')"
	}
	return fmt.Sprintf("%q", raw)
}

// checkURL accepts http and https URLs with a host and no path, query or
// credentials, and returns the URL without a trailing slash.
func checkURL(raw string) (string, error) {
	if !strings.Contains(raw, "://") {
		return "", fmt.Errorf("no scheme: did you mean http://%s or https://%s?", raw, raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New("the scheme must be http:// or https://")
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", errors.New("no host")
	}
	if u.User != nil {
		return "", errors.New("credentials do not belong in the URL; use credentials: (see the README)")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("port %s is not from 1 to 65535", port)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "", errors.New("a ':' without a port")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("give only scheme, host and port; the /v2/ API path is added by ocicaps")
	}
	return u.Scheme + "://" + u.Host, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest proposes the allowed key closest to a misspelt one: a small
// edit distance, or a shortened form of it.
func suggest(got string, allowed []string) string {
	if best := Closest(got, allowed); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// Select returns the registries with the given names, in file order; an
// unknown name is an error listing the known ones.
func (c *Config) Select(names []string) ([]Registry, error) {
	if len(names) == 0 {
		return c.Registries, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []Registry
	for _, r := range c.Registries {
		if want[r.Name] {
			out = append(out, r)
			delete(want, r.Name)
		}
	}
	if len(want) > 0 {
		var missing, known []string
		for n := range want {
			missing = append(missing, n)
		}
		for _, r := range c.Registries {
			known = append(known, r.Name)
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("no registry named %s in %s; known: %s", strings.Join(missing, ", "), c.File, strings.Join(known, ", "))
	}
	return out, nil
}
