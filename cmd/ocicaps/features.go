package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// suiteFlags are the flags that choose the suite: --features replaces the
// built-in suite, --add-features (repeatable) runs folders beside it.
type suiteFlags struct {
	dir   string
	added multiFlag
}

func (sf *suiteFlags) define(fl *flag.FlagSet, replacing string) {
	fl.StringVar(&sf.dir, "features", "", replacing)
	fl.Var(&sf.added, "add-features", "folder `DIR` of .feature files run together with the built-in suite (repeatable)")
}

// mount is a folder of --add-features inside the merged suite: its files
// appear under name/, and messages name them by the folder as given.
type mount struct{ name, dir string }

// builtinVerifyOnly lists the built-in suite's verify-only capabilities:
// intended there, and in a folder that copies them.
func builtinVerifyOnly() map[string]bool {
	s, _ := suite.Load(features.FS, "embedded")
	out := map[string]bool{}
	for _, f := range s.Features {
		if f.VerifyOnly() {
			out[f.Capability] = true
		}
	}
	return out
}

// suiteFS returns the file system of the suite sf chooses, where it came
// from, and the mounts of the added folders.
func (sf *suiteFlags) suiteFS() (fs.FS, string, []mount, error) {
	if sf.dir != "" && len(sf.added) > 0 {
		return nil, "", nil, errors.New("--features replaces the built-in suite and --add-features adds to it: give one of them (put every folder's files in one for --features)")
	}
	for _, d := range append([]string{sf.dir}, sf.added...) {
		if d == "" {
			continue
		}
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			flagName := "--add-features"
			if d == sf.dir {
				flagName = "--features"
			}
			return nil, "", nil, fmt.Errorf("%s %s: not a readable folder", flagName, d)
		}
	}
	switch {
	case sf.dir != "":
		return os.DirFS(sf.dir), sf.dir, nil, nil
	case len(sf.added) == 0:
		return features.FS, "embedded", nil, nil
	}
	merged := fstest.MapFS{}
	if err := copyFeatures(merged, features.FS, ""); err != nil {
		return nil, "", nil, err
	}
	taken := map[string]bool{}
	top, _ := fs.ReadDir(features.FS, ".")
	for _, e := range top {
		taken[e.Name()] = true
	}
	var mounts []mount
	for _, d := range sf.added {
		name := mountName(d, taken)
		if err := copyFeatures(merged, os.DirFS(d), name); err != nil {
			return nil, "", nil, fmt.Errorf("--add-features %s: %w", d, err)
		}
		mounts = append(mounts, mount{name: name, dir: d})
	}
	return merged, "embedded + " + strings.Join(sf.added, " + "), mounts, nil
}

// mountName is a name for folder d unlike every name taken: its base
// name, with "-2", "-3" when needed.
func mountName(d string, taken map[string]bool) string {
	base := filepath.Base(filepath.Clean(d))
	if base == "." || base == "/" || base == ".." || !fs.ValidPath(base) {
		base = "added"
	}
	name := base
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	taken[name] = true
	return name
}

// copyFeatures copies the .feature files of src into dst under prefix.
func copyFeatures(dst fstest.MapFS, src fs.FS, prefix string) error {
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".feature") {
			return nil
		}
		data, err := readAtMost(src, p, suite.MaxFeatureBytes+1)
		if err != nil {
			return err
		}
		// A longer file is copied cut, and suite.Load refuses it for its
		// size, with its name: never read whole.
		dst[path.Join(prefix, p)] = &fstest.MapFile{Data: data, Mode: 0o444}
		return nil
	})
}

// readAtMost reads up to n bytes of the file p of fsys.
func readAtMost(fsys fs.FS, p string, n int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// loadSuite reads the suite sf chooses and validates it; problems and
// warnings go to stderr, naming files as the user gave their folders.
func loadSuite(sf suiteFlags, stderr io.Writer) (*suite.Suite, bool) {
	fsys, source, mounts, err := sf.suiteFS()
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return nil, false
	}
	s, problems := suite.Load(fsys, source)
	s.Builtin = source == "embedded"
	s.IntendedVerifyOnly = builtinVerifyOnly()
	for _, f := range s.Features {
		for _, m := range mounts {
			if strings.HasPrefix(f.File, m.name+"/") {
				f.Added = true
			}
		}
	}
	// The built-ins first: a clash of capability ids is then said of the
	// added file, and the run keeps the suite's order.
	sort.SliceStable(s.Features, func(i, j int) bool { return !s.Features[i].Added && s.Features[j].Added })
	problems = append(problems, s.Validate(steps.Check)...)
	problems = append(problems, s.ValidateObservations(steps.CheckObservations)...)
	problems = append(problems, s.Authoring(steps.BuiltinNames())...)
	problems = append(problems, s.ValidateDocs(steps.CheckDoc)...)
	cv := s.ClientView() // the client workflow files, checked alike
	problems = append(problems, cv.ValidateObservations(steps.CheckObservations)...)
	problems = append(problems, cv.ValidateDocs(steps.CheckDoc)...)
	name := fileNamer(sf.dir, mounts)
	if len(mounts) > 0 {
		s.Display = name
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "ocicaps: the suite has %d problem(s):\n", len(problems))
		printProblems(stderr, name, problems)
		return nil, false
	}
	// Warnings do not stop the run: the files are valid.
	if w := append(s.MisspeltTags(), s.Warnings(steps.Lint)...); len(w) > 0 {
		fmt.Fprintf(stderr, "ocicaps: warning: the suite has %d likely mistake(s):\n", len(w))
		printProblems(stderr, name, w)
	}
	return s, true
}

// fileNamer names a file of the suite as the user knows it: inside the
// --features folder, inside an --add-features folder, or built in.
func fileNamer(dir string, mounts []mount) func(string) string {
	return func(file string) string {
		if file == "" {
			return file
		}
		if dir != "" {
			prefix := strings.TrimSuffix(dir, "/") + "/"
			if strings.HasPrefix(file, prefix) {
				return file
			}
			return prefix + file
		}
		for _, m := range mounts {
			if rest, ok := strings.CutPrefix(file, m.name+"/"); ok {
				return filepath.Join(m.dir, rest)
			}
		}
		return file
	}
}

func printProblems(w io.Writer, name func(string) string, problems []suite.Problem) {
	for _, p := range problems {
		p.File = name(p.File)
		p.Msg = nameInText(p.Msg, name)
		fmt.Fprintf(w, "  %s\n", p)
	}
}

const featuresUsage = `usage: ocicaps features export DIR

Writes the built-in suite's .feature files into DIR (created if needed),
in their folders, to read, copy and change: run a changed copy with
"ocicaps run --features DIR", or your own capabilities beside the built-in
ones with "ocicaps run --add-features DIR". Files already in DIR are not
overwritten: export into a new or empty folder.
`

// cmdFeatures is "ocicaps features export DIR".
func cmdFeatures(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("features", stderr)
	fl.Usage = func() { fmt.Fprint(fl.Output(), featuresUsage) }
	if code, ok := parseFlags(fl, args, stdout, stderr); !ok {
		return code
	}
	rest := fl.Args()
	if len(rest) != 2 || rest[0] != "export" {
		fmt.Fprintf(stderr, "ocicaps features: give export and a folder, e.g. ocicaps features export my-features\nRun \"ocicaps features -h\" for the help.\n")
		return exitUsage
	}
	n, err := exportFeatures(features.FS, rest[1])
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps features export: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %d feature file(s) to %s\n", n, rest[1])
	return exitOK
}

// exportFeatures writes every .feature file of src under dir, refusing
// to overwrite a file that exists; it checks every file before writing.
func exportFeatures(src fs.FS, dir string) (int, error) {
	files := fstest.MapFS{}
	if err := copyFeatures(files, src, ""); err != nil {
		return 0, err
	}
	for p := range files {
		target := filepath.Join(dir, filepath.FromSlash(p))
		if _, err := os.Lstat(target); err == nil {
			return 0, fmt.Errorf("%s exists: export into a new or empty folder", target)
		}
	}
	n := 0
	for p, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return n, err
		}
		if err := os.WriteFile(target, f.Data, 0o644); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// nameInText renames the suite files a message names ("already used by
// F:L"): words ending in ".feature" or ".feature:LINE".
func nameInText(msg string, name func(string) string) string {
	words := strings.Split(msg, " ")
	for i, w := range words {
		file, line, _ := strings.Cut(w, ":")
		if strings.HasSuffix(file, ".feature") && !strings.ContainsAny(file, "\"'") {
			words[i] = name(file)
			if line != "" {
				words[i] += ":" + line
			}
		}
	}
	return strings.Join(words, " ")
}
