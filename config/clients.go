package config

import (
	"path/filepath"
	"regexp"
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
		path := v.Value
		if strings.ContainsRune(path, '/') && !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(p.file), path)
		}
		out[k.Value] = path
	}
	return out
}
