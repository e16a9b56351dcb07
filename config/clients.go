package config

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// clientIDRE is a client id as workflow files tag it (@client:oras).
var clientIDRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// clients reads the top-level "clients:" mapping: where each client
// program is, for `ocicaps run --clients` (a client not listed is looked
// up on PATH). A relative path is read from the file's folder, as the
// other paths of the file are; a bare name (helm) stays a name, for PATH.
func (p *parser) clients(n *yaml.Node) map[string]string {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "\"clients\" must map a client to its program, e.g. clients: {oras: /usr/local/bin/oras}, found %s", kindName(n))
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !clientIDRE.MatchString(k.Value):
			p.add(k.Line, "clients: %q is no client id: use the id of its workflow file's @client: tag (oras, regctl, cosign, helm, crane, skopeo, flux)", k.Value)
			continue
		case out[k.Value] != "":
			p.add(k.Line, "clients: %q is given twice", k.Value)
			continue
		case v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "":
			p.add(v.Line, "clients: %q must be the path of its program, found %s", k.Value, kindName(v))
			continue
		}
		out[k.Value] = p.absPath(v.Value)
		p.clientLines[k.Value] = v.Line
	}
	return out
}

// absPath is path read from the file's folder, made absolute: --config
// may be relative, and clients run in folders of their own, where a
// relative path names nothing. A bare name (no separator) stays a name,
// looked up on PATH.
func (p *parser) absPath(path string) string {
	if !strings.ContainsRune(path, '/') || filepath.IsAbs(path) {
		return path
	}
	joined := filepath.Join(filepath.Dir(p.file), path)
	if abs, err := filepath.Abs(joined); err == nil {
		return abs
	}
	return joined
}

// CheckClients checks the clients: entries for a run that runs them
// (--clients): a bare name must be on PATH (it is replaced by where it
// is), a path must be an executable file. Each problem names the file
// and line of its entry. lookPath nil is exec.LookPath.
func (c *Config) CheckClients(lookPath func(string) (string, error)) error {
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	var errs Errors
	ids := make([]string, 0, len(c.Clients))
	for id := range c.Clients {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return c.clientLines[ids[i]] < c.clientLines[ids[j]] })
	for _, id := range ids {
		path := c.Clients[id]
		if !strings.ContainsRune(path, '/') {
			found, err := lookPath(path)
			if err != nil {
				errs = append(errs, &Error{File: c.File, Line: c.clientLines[id], Msg: fmt.Sprintf("clients: %s is %q, which is not on PATH: give the program's path, or install it", id, path)})
				continue
			}
			c.Clients[id] = found
			continue
		}
		st, err := os.Stat(path)
		switch {
		case err != nil:
			errs = append(errs, &Error{File: c.File, Line: c.clientLines[id], Msg: fmt.Sprintf("clients: %s is %s, which cannot be found: %v", id, path, unwrapPathErr(err))})
		case st.IsDir() || st.Mode().Perm()&0o111 == 0:
			errs = append(errs, &Error{File: c.File, Line: c.clientLines[id], Msg: fmt.Sprintf("clients: %s is %s, which is not an executable program", id, path)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
