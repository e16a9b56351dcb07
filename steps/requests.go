package steps

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
)

// Request steps: they prepare and send the scenario's requests.

// maxRandom bounds random bodies, so a typo cannot exhaust memory.
const maxRandom = 16 << 20

func (st *state) sendRequest(ctx context.Context, method, target string) error {
	return st.send(ctx, method, target)
}

func (st *state) requestHeader(_ context.Context, name, value string) error {
	v, err := st.expand(value)
	if err != nil {
		return err
	}
	st.header.Add(name, v)
	return nil
}

func (st *state) requestQuery(_ context.Context, name, value string) error {
	v, err := st.expand(value)
	if err != nil {
		return err
	}
	st.query.Add(name, v)
	return nil
}

func (st *state) bodyText(_ context.Context, text string) error {
	v, err := st.expand(text)
	st.setBody([]byte(v))
	return err
}

func (st *state) bodyDoc(_ context.Context, doc *godog.DocString) error {
	v, err := st.expand(doc.Content)
	if err != nil {
		return err
	}
	st.setBody([]byte(v))
	if strings.Contains(doc.MediaType, "/") && st.header.Get("Content-Type") == "" {
		st.header.Set("Content-Type", doc.MediaType)
	}
	return nil
}

func (st *state) bodyRandom(_ context.Context, n int) error {
	if n < 0 || n > maxRandom {
		return fmt.Errorf("random body of %d bytes: choose 0 to 16777216", n)
	}
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("random body: %w", err)
	}
	st.setBody(b)
	return nil
}

func (st *state) bodySaved(_ context.Context, name string) error {
	b, ok := st.saved[name]
	if !ok {
		return fmt.Errorf("no saved body %q: save one first with: I save the response body as %q", name, name)
	}
	st.setBody(b)
	return nil
}

func (st *state) saveRandom(_ context.Context, n int, name string) error {
	if n < 0 || n > maxRandom {
		return fmt.Errorf("%d random bytes: choose 0 to 16777216", n)
	}
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("random bytes: %w", err)
	}
	st.keep(name, b)
	return nil
}

// savePadded keeps a doc string, its placeholders filled in, with its one
// marker replaced by as many "x" as make it exactly size bytes: a manifest
// of a given size, padded in an annotation, with no megabytes written out
// in a feature file.
func (st *state) savePadded(_ context.Context, name string, size int, marker string, doc *godog.DocString) error {
	if size < 0 || size > maxRandom {
		return fmt.Errorf("padded to %d bytes: choose 0 to 16777216", size)
	}
	text, err := st.expand(doc.Content)
	if err != nil {
		return err
	}
	switch n := strings.Count(text, marker); n {
	case 1:
	case 0:
		return fmt.Errorf("the doc string has no %q to pad at", marker)
	default:
		return fmt.Errorf("the doc string has %q %d times: the marker must occur once", marker, n)
	}
	fill := size - (len(text) - len(marker))
	if fill < 0 {
		return fmt.Errorf("the doc string is %d bytes without %q, more than the %d asked for", len(text)-len(marker), marker, size)
	}
	st.keep(name, padAt(text, marker, fill))
	return nil
}

// padAt writes text with its marker replaced by fill "x" into one buffer
// of the final size: building it as strings and converting copied 4 MiB
// three times into fresh memory, a tenth of a second of CPU here.
func padAt(text, marker string, fill int) []byte {
	at := strings.Index(text, marker)
	b := make([]byte, len(text)-len(marker)+fill)
	copy(b, text[:at])
	pad := b[at : at+fill]
	for i := range pad {
		pad[i] = 'x'
	}
	copy(b[at+fill:], text[at+len(marker):])
	return b
}

func (st *state) bodySlice(_ context.Context, from, to int, name string) error {
	b, ok := st.saved[name]
	if !ok {
		return fmt.Errorf("no saved body %q: save one first (I save 3000 random bytes as %q)", name, name)
	}
	if from < 0 || to < from || to >= len(b) {
		return fmt.Errorf("bytes %d to %d are outside the %d saved bytes of %q", from, to, len(b), name)
	}
	st.setBody(b[from : to+1])
	return nil
}

// setBody sets the next request's body and saves its digest, which blob
// uploads need in ?digest=.
func (st *state) setBody(b []byte) {
	st.body = b
	st.vars["bodyDigest"] = digestOf(b)
}
