package program

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/client"
)

// dockerConfig is a Docker config.json ("auths") holding the credentials,
// as `docker login` writes it: "auth" is base64 of user:password, and a
// refresh token is an "identitytoken". Every client that reads the Docker
// config (oras, crane, regctl, skopeo, cosign, helm) reads this.
func dockerConfig(creds []Credential) ([]byte, error) {
	type entry struct {
		Auth          string `json:"auth,omitempty"`
		IdentityToken string `json:"identitytoken,omitempty"`
		RegistryToken string `json:"registrytoken,omitempty"`
	}
	auths := map[string]entry{}
	for _, c := range creds {
		if c.Host == "" {
			return nil, fmt.Errorf("a credential without a registry host")
		}
		e := entry{IdentityToken: c.RefreshToken, RegistryToken: c.AccessToken}
		if c.Username != "" || c.Password != "" {
			e.Auth = base64.StdEncoding.EncodeToString([]byte(c.Username + ":" + c.Password))
		}
		auths[c.Host] = e
	}
	return json.MarshalIndent(map[string]any{"auths": auths}, "", "  ")
}

// credentialScrubber knows the secrets of the credentials handed over.
func credentialScrubber(creds []Credential) client.Scrubber {
	cs := make([]auth.Credential, len(creds))
	for i, c := range creds {
		cs[i] = c.Credential
	}
	return client.CredentialScrubber(cs...)
}
