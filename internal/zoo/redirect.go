package zoo

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Blob storage on another host, the shape of registries on object storage
// (S3, GCS, a CDN) and of the hosted ones: Distribution's redirect storage
// middleware answers every blob GET and HEAD with a 307 to
// <baseurl><storage path> (registry/storage/blobserver.go,
// driver/middleware/redirect in v3.1.2), and a plain file server on
// another loopback address serves the filesystem driver's root directory,
// where that path is the blob's data file
// (/docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data). Manifests are
// still served by the registry itself.

// NameDistributionRedirect is the Distribution whose blobs are served by a
// storage server on StorageHost.
const NameDistributionRedirect = "zoo-distribution-redirect"

// StorageHost is the address of the storage servers: another loopback
// address, so that a redirect to it goes to another origin (and another
// host name) without a packet leaving the machine.
const StorageHost = "127.0.0.2"

// Redirected returns the spec of the Distribution that redirects blob
// reads to its storage server: zoo-distribution (deletes enabled) but for
// that.
func Redirected() Spec {
	return Spec{Name: NameDistributionRedirect, Kind: KindDistribution, Delete: true, RedirectStorage: true}
}

// StorageServer serves a registry's storage directory over plain HTTP on
// StorageHost, and counts what it is sent, so that tests can show that no
// credentials reach it.
type StorageServer struct {
	URL string // http://127.0.0.2:PORT, no trailing slash
	srv *http.Server

	mu          sync.Mutex
	closed      bool
	requests    int
	credentials []string // "Authorization" etc. of the requests that carried one; never the value
}

// startStorage serves dir on StorageHost at a port the kernel picks, over
// HTTPS with the registry's certificate when t is set (a registry on https
// redirecting to plain http is a redirect clients refuse).
func startStorage(dir string, t *TLSSpec) (*StorageServer, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(StorageHost, "0"))
	if err != nil {
		return nil, fmt.Errorf("storage server on %s: %w", StorageHost, err)
	}
	s := &StorageServer{URL: "http://" + l.Addr().String()}
	if t != nil {
		s.URL = "https://" + l.Addr().String()
	}
	files := http.FileServer(http.Dir(dir))
	s.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		files.ServeHTTP(w, r)
	})}
	if t != nil {
		go func() { _ = s.srv.ServeTLS(l, t.CertFile, t.KeyFile) }()
	} else {
		go func() { _ = s.srv.Serve(l) }()
	}
	return s, nil
}

func (s *StorageServer) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie", "X-Registry-Auth"} {
		if r.Header.Get(h) != "" {
			s.credentials = append(s.credentials, h+" on "+r.Method+" "+r.URL.Path)
		}
	}
}

// Requests counts the requests the storage server got.
func (s *StorageServer) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Credentials lists the requests that carried a credential header (the
// header's name, method and path; never its value).
func (s *StorageServer) Credentials() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.credentials...)
}

func (s *StorageServer) close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	_ = s.srv.Close()
}

func (s *StorageServer) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// redirectConfig is the part of Distribution's config.yml that turns the
// redirect middleware on, starting the storage server when needed.
func (i *Instance) redirectConfig() (string, error) {
	if !i.Spec.RedirectStorage {
		return "", nil
	}
	if i.Storage == nil || i.Storage.isClosed() {
		// A restart (restartReadOnly) gets a new one: Stop closed it.
		s, err := startStorage(i.DataDir, i.Spec.TLS)
		if err != nil {
			return "", err
		}
		i.Storage = s
	}
	return fmt.Sprintf("middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: %s/\n", i.Storage.URL), nil
}
