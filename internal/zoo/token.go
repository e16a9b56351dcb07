package zoo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// TokenSpec makes a Distribution instance use token auth (auth.token).
type TokenSpec struct {
	Realm, Service, Issuer string
	// CertFile is the rootcertbundle: the certificate whose key signs the
	// tokens.
	CertFile string
}

// TokenServer is a token service for Distribution's auth.token, as the
// distribution token specification describes it: GET /token with optional
// Basic credentials, service and scope parameters (and POST /token for the
// OAuth2 password and refresh_token grants), answered with a JWT signed by
// a key whose certificate the registry trusts. It is written for tests; the
// registry verifying the tokens is the real one.
//
// Policy: a known user with the right password (or refresh token) is
// granted every action asked for; anyone without credentials gets pull on
// repositories and nothing else; wrong credentials get 401 with an error
// document, as real token services answer.
type TokenServer struct {
	URL   string // https://127.0.0.1:PORT
	Realm string // URL + "/token"
	Spec  TokenSpec

	users         map[string]string // name → password
	refreshTokens map[string]string // token → name
	key           *ecdsa.PrivateKey
	certDER       []byte
	srv           *httptest.Server

	// Policy, when set, replaces the permissive policy above for
	// requests to /token (not for Mint).
	Policy *NamespacePolicy

	mu       sync.Mutex
	ttl      time.Duration
	requests []TokenRequest
	issued   []string
}

// TokenRequest is one request the token service answered, for tests to
// check which scopes a client asked for.
type TokenRequest struct {
	Method string
	User   string // "" for anonymous
	Grant  string // "basic", "anonymous", "password", "refresh_token"
	Scopes []string
	Status int
}

// StartTokenServer starts a token service on 127.0.0.1 serving HTTPS with a
// certificate from ca, for the given users (name → password) and refresh
// tokens (token → user name). Close it when done.
func StartTokenServer(dir string, ca *CA, users, refreshTokens map[string]string) (*TokenServer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("zoo: token signing key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "ocicaps test token issuer"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("zoo: token signing certificate: %w", err)
	}
	certFile := filepath.Join(dir, "token-signer.pem")
	if err := os.WriteFile(certFile, pemBlock("CERTIFICATE", der), 0o644); err != nil {
		return nil, fmt.Errorf("zoo: writing %s: %w", certFile, err)
	}
	_, _, pair, err := ca.Issue(dir, "token-server")
	if err != nil {
		return nil, err
	}
	ts := &TokenServer{users: users, refreshTokens: refreshTokens, key: key, certDER: der, ttl: 5 * time.Minute}
	ts.srv = httptest.NewUnstartedServer(http.HandlerFunc(ts.serve))
	ts.srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	ts.srv.StartTLS()
	ts.URL = ts.srv.URL
	ts.Realm = ts.URL + "/token"
	ts.Spec = TokenSpec{Realm: ts.Realm, Service: "ocicaps-zoo", Issuer: "ocicaps-zoo-token-issuer", CertFile: certFile}
	return ts, nil
}

// Close stops the service.
func (ts *TokenServer) Close() { ts.srv.Close() }

// SetTTL sets how long the next tokens are valid; a negative TTL (beyond
// the registry's 60 s leeway) issues tokens the registry refuses, to test
// that a client fetches a fresh one.
func (ts *TokenServer) SetTTL(d time.Duration) {
	ts.mu.Lock()
	ts.ttl = d
	ts.mu.Unlock()
}

// Requests returns what the service was asked so far.
func (ts *TokenServer) Requests() []TokenRequest {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]TokenRequest(nil), ts.requests...)
}

// Issued returns every token the service handed out, for tests that make
// sure none of them shows up where it must not.
func (ts *TokenServer) Issued() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.issued...)
}

// Mint returns a token for user granting scopes, for the zoo's own
// requests (seeding) and for tests.
func (ts *TokenServer) Mint(user string, scopes ...string) (string, error) {
	return ts.sign(user, grant(true, scopes))
}

func (ts *TokenServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/token" {
		http.NotFound(w, r)
		return
	}
	rec := TokenRequest{Method: r.Method}
	fail := func(status int, code, msg string) {
		rec.Status = status
		ts.mu.Lock()
		ts.requests = append(ts.requests, rec)
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"errors":[{"code":%q,"message":%q}]}`, code, msg)
	}
	if err := r.ParseForm(); err != nil {
		fail(http.StatusBadRequest, "BAD_REQUEST", "unparsable request")
		return
	}
	authenticated := false
	switch r.Method {
	case http.MethodGet:
		for _, s := range r.Form["scope"] {
			rec.Scopes = append(rec.Scopes, strings.Fields(s)...)
		}
		rec.Grant = "anonymous"
		if u, p, ok := r.BasicAuth(); ok {
			rec.User, rec.Grant = u, "basic"
			if want, known := ts.users[u]; !known || want != p {
				fail(http.StatusUnauthorized, "UNAUTHORIZED", "invalid username or password")
				return
			}
			authenticated = true
		}
	case http.MethodPost:
		rec.Scopes = strings.Fields(r.PostForm.Get("scope"))
		rec.Grant = r.PostForm.Get("grant_type")
		switch rec.Grant {
		case "password":
			rec.User = r.PostForm.Get("username")
			if want, known := ts.users[rec.User]; !known || want != r.PostForm.Get("password") {
				fail(http.StatusUnauthorized, "UNAUTHORIZED", "invalid username or password")
				return
			}
		case "refresh_token":
			u, ok := ts.refreshTokens[r.PostForm.Get("refresh_token")]
			if !ok {
				fail(http.StatusUnauthorized, "UNAUTHORIZED", "invalid refresh token")
				return
			}
			rec.User = u
		default:
			fail(http.StatusBadRequest, "UNSUPPORTED", "unsupported grant_type")
			return
		}
		authenticated = true
	default:
		fail(http.StatusMethodNotAllowed, "UNSUPPORTED", "GET or POST")
		return
	}
	acc := grant(authenticated, rec.Scopes)
	if ts.Policy != nil {
		acc = ts.Policy.grant(rec.User, rec.Scopes)
	}
	token, err := ts.sign(rec.User, acc)
	if err != nil {
		fail(http.StatusInternalServerError, "UNKNOWN", err.Error())
		return
	}
	rec.Status = http.StatusOK
	ts.mu.Lock()
	ts.requests = append(ts.requests, rec)
	ts.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"token": token, "access_token": token, "expires_in": 300})
}

type access struct {
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// grant applies the policy to the scopes asked for
// ("repository:library/alpine:pull,push", "registry:catalog:*").
func grant(authenticated bool, scopes []string) []access {
	var out []access
	for _, s := range scopes {
		// The name may hold ':' (a port in a name is not allowed, but be
		// safe): type first, actions last.
		i, j := strings.Index(s, ":"), strings.LastIndex(s, ":")
		if i < 0 || j <= i {
			continue
		}
		typ, name, actions := s[:i], s[i+1:j], strings.Split(s[j+1:], ",")
		if !authenticated {
			if typ != "repository" {
				continue
			}
			var pull []string
			for _, a := range actions {
				if a == "pull" {
					pull = append(pull, a)
				}
			}
			if len(pull) == 0 {
				continue
			}
			actions = pull
		}
		out = append(out, access{Type: typ, Name: name, Actions: actions})
	}
	return out
}

// sign makes the JWT Distribution verifies: ES256, the signing certificate
// in x5c (checked against rootcertbundle), and the access claim.
func (ts *TokenServer) sign(user string, acc []access) (string, error) {
	ts.mu.Lock()
	ttl := ts.ttl
	ts.mu.Unlock()
	now := time.Now()
	header, _ := json.Marshal(map[string]any{"alg": "ES256", "typ": "JWT", "x5c": []string{base64.StdEncoding.EncodeToString(ts.certDER)}})
	if acc == nil {
		acc = []access{}
	}
	claims, _ := json.Marshal(map[string]any{
		"iss": ts.Spec.Issuer, "sub": user, "aud": ts.Spec.Service,
		"exp": now.Add(ttl).Unix(), "nbf": now.Add(-time.Minute).Add(min(ttl, 0)).Unix(), "iat": now.Unix(),
		"jti": base64.RawURLEncoding.EncodeToString(serial().Bytes()), "access": acc,
	})
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(claims)
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, ts.key, sum[:])
	if err != nil {
		return "", fmt.Errorf("signing: %w", err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	token := input + "." + base64.RawURLEncoding.EncodeToString(sig)
	ts.mu.Lock()
	ts.issued = append(ts.issued, token)
	ts.mu.Unlock()
	return token, nil
}
