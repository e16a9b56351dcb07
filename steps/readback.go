package steps

import (
	"fmt"
	"strconv"

	"github.com/ocicaps/ocicaps/client"
	"github.com/opencontainers/go-digest"
)

// Conditions that compare content read back with content written: the
// rule "no supported without the content read back" needs them for ranges
// and for manifests read by tag (docs/writing-scenarios.md, section 6).

// bodyIsSlice holds when the body is bytes a[0] to a[1] (both included)
// of the saved body a[2].
func bodyIsSlice(st *state, r *client.Response, a []string) (bool, string, error) {
	want, ok := st.saved[a[2]]
	if !ok {
		return false, "", fmt.Errorf("no saved body %q: save one first (I save 1024 random bytes as %q)", a[2], a[2])
	}
	from, err1 := strconv.Atoi(a[0])
	to, err2 := strconv.Atoi(a[1])
	if err1 != nil || err2 != nil || from > to || to >= len(want) {
		return false, "", fmt.Errorf("bytes %s to %s are not a slice of the %d saved bytes of %q", a[0], a[1], len(want), a[2])
	}
	slice := want[from : to+1]
	if string(r.Body) == string(slice) {
		return true, fmt.Sprintf("the body is bytes %d to %d of %q", from, to, a[2]), nil
	}
	return false, fmt.Sprintf("the body (%d bytes, %s) is not bytes %d to %d of %q (%d bytes, %s)%s", len(r.Body), shortDigest(digestOf(r.Body)), from, to, a[2], len(slice), shortDigest(digestOf(slice)), sliceFoundAt(want, r.Body, from)), nil
}

// sliceFoundAt says where in the saved bytes the body was found instead,
// when it was (a registry that sends a range from offset 0).
func sliceFoundAt(saved, body []byte, wantAt int) string {
	if len(body) == 0 {
		return ""
	}
	for i := 0; i+len(body) <= len(saved); i++ {
		if i != wantAt && string(saved[i:i+len(body)]) == string(body) {
			return fmt.Sprintf(": they are bytes %d to %d", i, i+len(body)-1)
		}
	}
	return ""
}

// bodyHasDigest holds when the body's digest, in the algorithm a[0]
// names, is a[0].
func bodyHasDigest(st *state, r *client.Response, a []string) (bool, string, error) {
	want, err := st.expand(a[0])
	if err != nil {
		return false, "", err
	}
	d, err := digest.Parse(want)
	if err != nil {
		return false, "", fmt.Errorf("%q is not a digest (sha256:<hex> or sha512:<hex>): %w", want, err)
	}
	if !d.Algorithm().Available() {
		return false, "", fmt.Errorf("the digest algorithm of %q is not available", want)
	}
	got := d.Algorithm().FromBytes(r.Body)
	if got == d {
		return true, "the body's digest is " + shortDigest(want), nil
	}
	return false, fmt.Sprintf("the body (%d bytes) has digest %s, not %s", len(r.Body), shortDigest(got.String()), shortDigest(want)), nil
}
