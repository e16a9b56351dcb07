// Package capdoc writes a registry's capability document,
// capabilities/<registry>.json: what one run verified about one registry,
// small and stable, meant to be published next to the registry or in a
// catalog so that clients can read what it does instead of keeping lists
// of registries by name. It holds nothing secret: no credentials (not even
// their source), no request headers, no repository names, no exchanges;
// the URL loses any user information and query. Schema in docs/reports.md.
package capdoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/results"
)

// SchemaVersion is the version of the capability document's schema.
const SchemaVersion = "1.0"

// Kind tells a capability document from any other JSON file.
const Kind = "ocicaps.capabilities"

// VersionHeaders are the response headers that say what a registry is;
// the first value each had in the run is kept.
var VersionHeaders = []string{"Docker-Distribution-Api-Version", "Oci-Distribution-Api-Version", "Server"}

// Document is one registry's capability document.
type Document struct {
	SchemaVersion string   `json:"schemaVersion"`
	Kind          string   `json:"kind"`
	Registry      Registry `json:"registry"`
	// VerifiedAt is when the run started; Tool the ocicaps that ran it.
	VerifiedAt time.Time    `json:"verifiedAt"`
	Tool       results.Tool `json:"tool"`
	// Suite says where the feature files came from ("embedded" or a
	// folder) and Selection which scenarios ran; Mode is probe or verify.
	Suite     string `json:"suite"`
	Selection string `json:"selection"`
	Mode      string `json:"mode"`
	// Incomplete is true when the run was interrupted.
	Incomplete   bool             `json:"incomplete"`
	Score        int              `json:"score"`
	MaxScore     int              `json:"maxScore"`
	Severity     results.Severity `json:"severity"`
	Capabilities []Capability     `json:"capabilities"`
	// Clients is the client readiness on the registry (clients.go);
	// absent unless the run was asked for it (--clients), schema 1.1.
	Clients []Client `json:"clients,omitempty"`
}

// Registry names the registry and what it said about itself.
type Registry struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// DistributionVersion is the API version it advertised, if any.
	DistributionVersion string `json:"distributionVersion,omitempty"`
	// VersionHeaders are the VersionHeaders it sent, by canonical name.
	VersionHeaders map[string]string `json:"versionHeaders"`
}

// Capability is one verdict.
type Capability struct {
	ID     string         `json:"id"`
	Status results.Status `json:"status"`
	// Verified is true when the verdict came from doing the thing (verify
	// mode), false when it came from asking.
	Verified bool `json:"verified"`
	// Feature is the feature file that decided it.
	Feature    string      `json:"feature,omitempty"`
	Facts      []Fact      `json:"facts"`
	Deviations []Deviation `json:"deviations"`
	// Fallbacks, for an unsupported capability, say how each declared
	// fallback fared.
	Fallbacks []Fallback `json:"fallbacks,omitempty"`
}

// Fact is a value the scenario recorded.
type Fact struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Deviation is a rule of the spec the registry broke.
type Deviation struct {
	Section string `json:"section"`
	Rule    string `json:"rule"`
}

// Fallback is how one fallback fared.
type Fallback struct {
	Capability string         `json:"capability"`
	Status     results.Status `json:"status"`
}

// Build returns the document of registry reg of run.
func Build(run *results.Run, reg results.Registry) Document {
	d := Document{
		SchemaVersion: SchemaVersion, Kind: Kind,
		Registry: Registry{Name: reg.Name, URL: publicURL(reg.URL), DistributionVersion: reg.DistributionVersion,
			VersionHeaders: versionHeaders(reg)},
		VerifiedAt: run.StartedAt, Tool: run.Tool, Suite: run.Suite, Selection: run.Selection,
		Mode: reg.Mode, Incomplete: run.Incomplete,
		Score: reg.Score, MaxScore: reg.MaxScore, Severity: reg.Severity,
		Capabilities: []Capability{},
	}
	for _, c := range reg.Capabilities {
		dc := Capability{ID: c.ID, Status: c.Status, Verified: c.Verified != "", Facts: []Fact{}, Deviations: []Deviation{}}
		if info, ok := run.Info(c.ID); ok {
			dc.Feature = info.Source
		}
		for _, f := range c.Facts {
			if publishable(f, reg) {
				dc.Facts = append(dc.Facts, Fact(f))
			}
		}
		for _, dv := range c.Deviations {
			dc.Deviations = append(dc.Deviations, Deviation{Section: dv.Section, Rule: dv.Rule})
		}
		for _, f := range c.Fallbacks {
			dc.Fallbacks = append(dc.Fallbacks, Fallback{Capability: f.Capability, Status: f.Status})
		}
		d.Capabilities = append(d.Capabilities, dc)
	}
	addClients(&d, reg)
	return d
}

// publicURL is u without user information, query or fragment.
func publicURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	p.User, p.RawQuery, p.ForceQuery, p.Fragment = nil, "", false, ""
	return p.String()
}

// versionHeaders collects the first value of each VersionHeaders entry
// over the registry's exchanges, in run order.
func versionHeaders(reg results.Registry) map[string]string {
	out := map[string]string{}
	for _, c := range reg.Capabilities {
		for _, e := range c.Exchanges {
			for k, v := range e.ResponseHeaders {
				name := http.CanonicalHeaderKey(k)
				if _, have := out[name]; have || len(v) == 0 || !wanted(name) {
					continue
				}
				out[name] = v[0]
			}
		}
	}
	return out
}

func wanted(name string) bool {
	for _, h := range VersionHeaders {
		if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

// Encode writes the document as indented JSON with a trailing newline.
func Encode(w io.Writer, d Document) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("capdoc: encode: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Write writes one document per registry of run into dir (created if
// needed) and returns the paths, in run order. A document that cannot be
// written does not stop the others.
func Write(dir string, run *results.Run) ([]string, error) {
	if run == nil {
		return nil, fmt.Errorf("capdoc: write %s: no run", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("capdoc: create %s: %w", dir, err)
	}
	var paths []string
	var errs []error
	names := FileNames(run)
	// A registry at a time, read back complete (its version headers are in
	// its exchanges).
	err := run.Each(func(i int, reg *results.Registry) error {
		p := filepath.Join(dir, names[i])
		doc := Build(run, *reg)
		if err := atomicfile.Write(p, func(w io.Writer) error { return Encode(w, doc) }); err != nil {
			errs = append(errs, fmt.Errorf("capdoc: %w", err))
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("capdoc: %w", err))
	}
	return paths, errors.Join(errs...)
}

// FileNames are the documents' file names, one per registry in run order:
// the registry's name with every run of characters other than letters,
// digits, '.', '_' and '-' replaced by one '-', at most 100 bytes, then
// ".json"; a name taken already (names that differ only there, or in case)
// gets "-2", "-3", ….
func FileNames(run *results.Run) []string {
	taken := map[string]bool{}
	var out []string
	for _, reg := range run.Registries {
		base := safeName(reg.Name)
		name := base + ".json"
		for n := 2; taken[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s-%d.json", base, n)
		}
		taken[strings.ToLower(name)] = true
		out = append(out, name)
	}
	return out
}

func safeName(s string) string {
	var b strings.Builder
	dash := false // the last character written was a replacement
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), ".-")
	if len(out) > maxName {
		out = strings.Trim(out[:maxName], ".-")
	}
	if out == "" {
		return "registry"
	}
	return out
}

// maxName keeps file names well under every file system's limit of 255
// bytes, with room for a "-N" and ".json".
const maxName = 100

// publishable tells a fact that may go into a published document: not a
// scenario's own verdict with its reason (the runner keeps one per row of
// a capability with several), and nothing that names a request path or a
// repository ocicaps read or wrote (the read-after-write delay, a list that
// could not be read to its end, mount targets in reasons).
func publishable(f results.Fact, reg results.Registry) bool {
	v := f.Value
	if strings.HasPrefix(v, string(results.Unsupported)+": ") || strings.HasPrefix(v, string(results.Error)+": ") || strings.Contains(v, "/v2/") {
		return false
	}
	for _, repo := range append([]string{reg.TestRepository}, reg.Scratch...) {
		if repo != "" && strings.Contains(v, repo) {
			return false
		}
	}
	return true
}
