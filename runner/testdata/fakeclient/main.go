// Command fakeclient is a client program for the runner's client
// readiness tests: it pushes an image as a real client does (plain HTTP,
// one POST and one PUT a blob, then the manifest), or lies, fails, or
// tries to reach the internet through the proxy it is given.
//
//	fakeclient version
//	fakeclient push HOST/REPO:TAG     push an image; says "used the fallback" with --fallback
//	fakeclient lie HOST/REPO:TAG      say it pushed, push nothing
//	fakeclient fail                   "Error: denied", exit 1
//	fakeclient egress                 GET https://tuf.example.test/ through $HTTPS_PROXY, exit 1
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: fakeclient version|push|lie|fail|egress")
	}
	switch os.Args[1] {
	case "version":
		fmt.Println("fakeclient 1.0.0\nbuilt for tests")
	case "push":
		ref := os.Args[len(os.Args)-1]
		if err := push(ref); err != nil {
			fail("Error: " + err.Error())
		}
		if len(os.Args) > 3 && os.Args[2] == "--fallback" {
			fmt.Println("used the fallback")
		}
		fmt.Println("Pushed " + ref)
	case "lie":
		fmt.Println("Pushed " + os.Args[len(os.Args)-1])
	case "fail":
		fail("Error: denied: requested access to the resource is denied")
	case "egress":
		_, err := http.Get("https://tuf.example.test/root.json")
		fail(fmt.Sprintf("Error: fetching the trusted root: %v", err))
	default:
		fail("unknown command " + os.Args[1])
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}

func digest(b []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(b)) }

func push(ref string) error {
	host, rest, _ := strings.Cut(ref, "/")
	repo, tag, ok := strings.Cut(rest, ":")
	if !ok {
		return fmt.Errorf("%s: no tag", ref)
	}
	base := "http://" + host + "/v2/" + repo
	layer, config := []byte("fake layer of "+ref), []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`)
	for _, b := range [][]byte{layer, config} {
		resp, err := http.Post(base+"/blobs/uploads/", "", nil)
		if err != nil {
			return err
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusAccepted || loc == "" {
			return fmt.Errorf("POST blob upload: %s", resp.Status)
		}
		if strings.HasPrefix(loc, "/") {
			loc = "http://" + host + loc
		}
		sep := "?"
		if strings.Contains(loc, "?") {
			sep = "&"
		}
		if err := put(loc+sep+"digest="+digest(b), "application/octet-stream", b); err != nil {
			return err
		}
	}
	m, _ := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest(config), "size": len(config)},
		"layers": []any{map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest(layer), "size": len(layer)}},
	})
	return put(base+"/manifests/"+tag, "application/vnd.oci.image.manifest.v1+json", m)
}

func put(url, ctype string, body []byte) error {
	req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("PUT %s: %s", url, resp.Status)
	}
	return nil
}
