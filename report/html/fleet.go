package html

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/report/capdoc"
	"github.com/ocicaps/ocicaps/results"
)

// InlineLimit is the most registries whose evidence report.html holds
// itself, every panel in one file. A larger fleet gets a fleet's page: the
// matrix in short rows, failures first, the lists under it cut at
// listLimit, and one page per registry in RegistriesDir with its
// evidence; a page of 10,000 registries stays a few MB, where every panel
// inline made 135 MB.
const InlineLimit = 100

// SizeLimitFleet is the most report.html may weigh for 10,000
// registries (tested): a page a browser opens in about a second.
const SizeLimitFleet = 5 << 20

// RegistriesDir is the folder, next to report.html, of a fleet's
// per-registry pages.
const RegistriesDir = "registries"

// listLimit bounds each list under a fleet's matrix (deviations,
// leftovers, fallbacks) and the registries named per missing capability;
// each registry's page has its own in full.
const listLimit = 100

// missingLimit is how many registries a fleet's page names under each
// missing capability.
const missingLimit = 20

// isFleet tells whether run gets a fleet's page.
func isFleet(run *results.Run) bool { return len(run.Registries) > InlineLimit }

// pageNames are the per-registry pages, relative to report.html, in run
// order: the registry's name made safe as the capability documents make
// it (capdoc.FileNames).
func pageNames(run *results.Run) []string {
	names := capdoc.FileNames(run)
	for i, n := range names {
		names[i] = RegistriesDir + "/" + strings.TrimSuffix(n, ".json") + ".html"
	}
	return names
}

// clearPages removes the per-registry pages of an earlier run from dir
// (only .html files ocicaps wrote, by their generator line: --out may be a
// folder of the user's with a registries/ of its own; the folder too when
// that empties it), so that a page never outlives its registry.
func clearPages(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".html") && wrotePage(filepath.Join(dir, e.Name())) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	_ = os.Remove(dir) // fails when something else is in it: left alone
	return nil
}

// wrotePage tells whether the file is a page ocicaps wrote: its head
// names ocicaps as the generator.
func wrotePage(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], []byte(`<meta name="generator" content="ocicaps `))
}

// writePages writes each registry's page into the folder of report.html,
// a registry at a time (results.Run.Each).
func writePages(folder string, run *results.Run) error {
	if err := os.MkdirAll(filepath.Join(folder, RegistriesDir), 0o755); err != nil {
		return err
	}
	names := pageNames(run)
	b := newBuilder(run)
	return run.Each(func(i int, reg *results.Registry) error {
		return writeFile(filepath.Join(folder, filepath.FromSlash(names[i])), func(w io.Writer) error {
			return page.ExecuteTemplate(w, "registry", b.registryPage(i, *reg))
		})
	})
}

// writeFile writes one page. Not renamed into place: the pages are
// written before report.html, which is, and which links to them.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 32<<10)
	err = write(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// registryView is one registry's page: its row of the matrix, what it
// left behind and the evidence panels of its cells. Its own template
// ("registry") and function, so that a section about the registry is
// added in one place.
type registryView struct {
	Title, Version, Schema, Back string
	Columns                      []column
	Row                          row
	Leftovers                    []leftover
	Panels                       []panel
	// Clients is the registry's client readiness (clients.go), with its
	// evidence: a fleet's page leaves it to each registry's.
	Clients []clientsView
}

func (b *builder) registryPage(i int, reg results.Registry) registryView {
	r, panels := b.row(i, reg)
	clear(b.missingBy) // the fleet's list is not on this page: keep nothing
	v := registryView{
		Title:   "ocicaps: " + r.Name,
		Version: clean(b.run.Tool.Version), Schema: results.SchemaVersion,
		Back: "../report.html", Columns: b.columns(), Row: r, Panels: panels,
		Clients: registryClients(i, reg),
	}
	for _, l := range reg.Leftovers {
		v.Leftovers = append(v.Leftovers, leftover{Registry: r.Name, What: clean(l.What), URL: clean(l.URL), Reason: clean(l.Reason)})
	}
	return v
}

// buildFleet is a fleet's page, from the registries' light copies (no
// evidence needed): short rows, registries failing the run first, then by
// severity, worst first, each in run order; the lists cut.
func buildFleet(run *results.Run) view {
	v := header(run)
	v.Counts, v.Filters = severityCounts(run)
	v.Compact = true
	names := pageNames(run)
	b := newBuilder(run)
	v.Columns = b.columns()
	for ri, reg := range run.Registries {
		r, panels := b.row(ri, reg)
		r.Href, r.rank = names[ri], reg.Severity.Rank()
		if r.Fails {
			r.rank += 100
		}
		v.Rows = append(v.Rows, r)
		for _, p := range panels {
			for _, d := range p.Deviations {
				d.Page = names[ri]
				v.Deviations, v.DeviationsMore = appendCut(v.Deviations, d, v.DeviationsMore)
			}
		}
		for _, l := range reg.Leftovers {
			lo := leftover{Registry: r.Name, What: clean(l.What), URL: clean(l.URL), Reason: clean(l.Reason)}
			v.Leftovers, v.LeftoversMore = appendCut(v.Leftovers, lo, v.LeftoversMore)
		}
	}
	sort.SliceStable(v.Rows, func(i, j int) bool { return v.Rows[i].rank > v.Rows[j].rank })
	v.Missing = b.missing()
	for i := range v.Missing {
		m := &v.Missing[i]
		if len(m.Registries) > missingLimit {
			m.More, m.Registries = len(m.Registries)-missingLimit, m.Registries[:missingLimit]
		}
		for j := range m.Registries {
			m.Registries[j].Page = names[registryOf(m.Registries[j].Anchor)]
		}
	}
	for _, f := range fallbackLines(run) {
		f.Page = names[registryOf(f.Anchor)]
		v.Fallbacks, v.FallbacksMore = appendCut(v.Fallbacks, f, v.FallbacksMore)
	}
	if run.Trend != nil {
		v.Trend = trend(run.Trend)
	}
	return v
}

// appendCut appends x unless the list holds listLimit already; then it
// counts it in more.
func appendCut[T any](list []T, x T, more int) ([]T, int) {
	if len(list) >= listLimit {
		return list, more + 1
	}
	return append(list, x), more
}

// registryOf is the registry's index in an evidence anchor, ev-<registry>-<capability>.
func registryOf(anchor string) int {
	parts := strings.Split(anchor, "-")
	if len(parts) != 3 {
		return 0
	}
	n, _ := strconv.Atoi(parts[1])
	return n
}
