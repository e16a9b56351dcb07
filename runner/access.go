package runner

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"oras.land/oras-go/v2/registry/remote/auth"
	"oras.land/oras-go/v2/registry/remote/credentials"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/config"
)

// credentialLookupTimeout bounds a credential helper run.
const credentialLookupTimeout = 30 * time.Second

// access fills in the TLS settings and the credential source of one
// registry, and describes what will be presented to it in words that never
// hold a secret (the {credentials} variable and the reports). "none" means
// nothing: no credentials configured, or none in the Docker config for this
// registry.
func access(ctx context.Context, reg config.Registry, opt client.Options) (client.Options, string, error) {
	tlsCfg, err := reg.TLS.Config()
	if err != nil {
		return opt, "", fmt.Errorf("tls: %w", err)
	}
	opt.TLS = tlsCfg
	c := reg.Credentials
	switch {
	case c.PasswordEnv != "":
		opt.Credential = auth.StaticCredential(reg.Host(), auth.Credential{Username: c.Username, Password: os.Getenv(c.PasswordEnv)})
	case c.IdentityTokenEnv != "":
		opt.Credential = auth.StaticCredential(reg.Host(), auth.Credential{Username: c.Username, RefreshToken: os.Getenv(c.IdentityTokenEnv)})
	case c.DockerConfig != "":
		store, err := credentials.NewStore(c.DockerConfig, credentials.StoreOptions{})
		if err != nil {
			return opt, "", fmt.Errorf("Docker config %s: %w", c.DockerConfig, err)
		}
		// Looked up once per run: a credential helper is a process to
		// start, and the answer does not change within a run.
		lookup := credentials.Credential(store)
		var once sync.Once
		var cred auth.Credential
		var lerr error
		opt.Credential = func(ctx context.Context, host string) (auth.Credential, error) {
			once.Do(func() {
				ctx, cancel := context.WithTimeout(ctx, credentialLookupTimeout)
				defer cancel()
				cred, lerr = lookup(ctx, host)
			})
			return cred, lerr
		}
		got, err := opt.Credential(ctx, reg.Host())
		where := c.Describe() // says whether it is the default
		switch {
		case err != nil:
			return opt, where + " (lookup failed)", fmt.Errorf("credentials for %s from %s: %w", reg.Host(), where, err)
		case got == auth.EmptyCredential:
			return opt, fmt.Sprintf("none: %s has no entry for %s", where, reg.Host()), nil
		case got.RefreshToken != "":
			return opt, "identity token from " + where, nil
		case got.AccessToken != "":
			return opt, "registry token from " + where, nil
		}
		return opt, fmt.Sprintf("username %s from %s", got.Username, where), nil
	}
	return opt, c.Describe(), nil
}
