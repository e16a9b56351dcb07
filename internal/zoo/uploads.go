package zoo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// ErrNotObservable is wrapped by OpenUploads for registries whose upload
// sessions live only in their memory (crane).
var ErrNotObservable = errors.New("upload sessions not observable")

// uploadsDir is the directory both Distribution's filesystem driver and
// olareg's directory store use, per repository, for open upload sessions.
const uploadsDir = "_uploads"

// OpenUploads reports the upload sessions the registry itself holds, as
// "<repo>/<session>" strings sorted, by looking at its storage rather than
// asking it over HTTP (a registry may well answer a status request for a
// session it has already forgotten, or the reverse).
//
//   - Distribution: one directory per session, named by the session UUID, in
//     <root>/docker/registry/v2/repositories/<repo>/_uploads/. A completed
//     upload removes it. Cancelling (DELETE) does not quite: v3.1.2 removes
//     the directory and then rewrites hashstates/ into it (a deferred Close
//     after Cancel), so a husk without "startedat" stays behind. Distribution
//     itself treats a session without startedat as unknown (404
//     BLOB_UPLOAD_UNKNOWN), and so does OpenUploads.
//   - olareg (directory store): one temp file per session, named
//     upload.<random> (not the session id), in <dir>/<repo>/_uploads/.
//   - crane: sessions live in memory; the error wraps ErrNotObservable.
func (i *Instance) OpenUploads() ([]string, error) {
	var reposRoot string
	switch i.Spec.Kind {
	case KindDistribution:
		reposRoot = filepath.Join(i.DataDir, "docker", "registry", "v2", "repositories")
	case KindOlareg:
		reposRoot = i.DataDir
	default:
		return nil, fmt.Errorf("zoo: %s: %s keeps uploads in memory: %w", i.Spec.Name, i.Spec.Kind, ErrNotObservable)
	}
	var sessions []string
	err := filepath.WalkDir(reposRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			// The registry creates and removes these directories while we
			// walk; something vanishing under us is not an error.
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		switch d.Name() {
		case uploadsDir:
			repo, err := filepath.Rel(reposRoot, filepath.Dir(path))
			if err != nil {
				return err
			}
			entries, err := os.ReadDir(path)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			for _, e := range entries {
				if i.Spec.Kind == KindDistribution && !distributionSessionLive(filepath.Join(path, e.Name())) {
					continue
				}
				sessions = append(sessions, filepath.ToSlash(filepath.Join(repo, e.Name())))
			}
			return fs.SkipDir
		case "_layers", "_manifests":
			// Distribution's content links, not repositories: nothing to
			// find inside, and on a big store much to walk.
			return fs.SkipDir
		case "blobs":
			// olareg's content store inside each repository's OCI layout.
			if i.Spec.Kind == KindOlareg {
				return fs.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: listing upload sessions under %s: %w", i.Spec.Name, reposRoot, err)
	}
	sort.Strings(sessions)
	return sessions, nil
}

// distributionSessionLive reports whether a Distribution upload directory is
// a session the registry would resume: it reads "startedat" to resume one.
func distributionSessionLive(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "startedat"))
	return err == nil && !fi.IsDir()
}
