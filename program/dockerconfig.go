package program

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
			e.Auth = basicAuth(c.Username, c.Password)
		}
		auths[c.Host] = e
	}
	return json.MarshalIndent(map[string]any{"auths": auths}, "", "  ")
}

// ErrScrubberBlind is returned, before anything is run, when the scrubber
// does not know a secret the Docker config will hold: the program could
// echo it into the record.
var ErrScrubberBlind = errors.New("the scrubber does not know the credentials' secrets: give it client.CredentialScrubber of them")

// knowsSecrets checks that sc scrubs every secret of creds, in the forms
// the Docker config holds them.
func knowsSecrets(sc Scrubber, creds []Credential) error {
	for _, c := range creds {
		secrets := []string{c.Password, c.RefreshToken, c.AccessToken}
		if c.Password != "" {
			secrets = append(secrets, basicAuth(c.Username, c.Password))
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(sc.Scrub(s), s) {
				return fmt.Errorf("%s: %w", c.Host, ErrScrubberBlind)
			}
		}
	}
	return nil
}

func basicAuth(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}
