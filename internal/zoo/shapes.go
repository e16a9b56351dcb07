package zoo

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
)

// Registries shaped like the ones people certify (zoo/README.md, "Shaped
// like real registries"): a pull-through cache, a read-only one, and (with
// NamespacePolicy on the token service) namespaces owned by users.

// shapeConfig is the part of Distribution's config.yml for Spec.Proxy.
func (i *Instance) shapeConfig() string {
	if i.Spec.Proxy == "" {
		return ""
	}
	b, _ := json.Marshal(i.Spec.Proxy)
	return fmt.Sprintf("proxy:\n  remoteurl: %s\n", b)
}

// restartReadOnly stops the seeded registry and starts it again on the same
// port and storage with storage.maintenance.readonly.enabled: the only way
// to get a read-only registry that holds an image.
func (i *Instance) restartReadOnly(ctx context.Context, binDir string) error {
	if err := i.Stop(); err != nil {
		return err
	}
	i.stopOnce, i.stopErr, i.done, i.readOnly = sync.Once{}, nil, make(chan struct{}), true
	args, err := i.command(binDir)
	if err != nil {
		return err
	}
	logFile, err := os.OpenFile(i.LogPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("reopening log: %w", err)
	}
	return i.launch(ctx, args, logFile)
}

// NamespacePolicy is a token service policy like GHCR's or Harbor's:
// each owner may pull, push and delete inside their own namespace, readers
// may pull in the namespaces listed for them, and everyone (anonymous
// callers too) may pull in Public. Nothing else is granted; catalog
// (registry:catalog:*) only to owners.
type NamespacePolicy struct {
	Owners  map[string]string   // user → namespace they own
	Readers map[string][]string // user → namespaces they may pull from
	Public  []string
}

// allowed returns the actions of wanted that user may do on repository
// name ("" user: anonymous).
func (p *NamespacePolicy) allowed(user, typ, name string, wanted []string) []string {
	if typ == "registry" {
		if _, owner := p.Owners[user]; owner && user != "" {
			return wanted
		}
		return nil
	}
	in := func(ns string) bool { return ns != "" && strings.HasPrefix(name, ns+"/") }
	may := map[string]bool{}
	if ns, ok := p.Owners[user]; ok && user != "" && in(ns) {
		may["pull"], may["push"], may["delete"], may["*"] = true, true, true, true
	}
	for _, ns := range append(append([]string(nil), p.Public...), p.Readers[user]...) {
		if in(ns) {
			may["pull"] = true
		}
	}
	var out []string
	for _, a := range wanted {
		if may[a] {
			out = append(out, a)
		}
	}
	return out
}

// grant applies the policy to the scopes asked for.
func (p *NamespacePolicy) grant(user string, scopes []string) []access {
	var out []access
	for _, a := range grant(true, scopes) {
		if acts := p.allowed(user, a.Type, a.Name, a.Actions); len(acts) > 0 {
			out = append(out, access{Type: a.Type, Name: a.Name, Actions: acts})
		}
	}
	return out
}
