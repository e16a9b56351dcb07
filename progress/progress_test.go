package progress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/term"
)

// exercise runs n registries through r from many goroutines at once, the
// way the runner calls it, and returns the finished lines it printed.
func exercise(r *Reporter, n int) []string {
	r.Start()
	var wg sync.WaitGroup
	lines := make([]string, n)
	for i := range n {
		lines[i] = fmt.Sprintf("  registry-%03d  %s  4/5 warn (0.%ds)", i, strings.Repeat("x", i%7), i%10)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Started()
			time.Sleep(time.Duration(i%5) * 3 * time.Millisecond) // let the ticker draw in between
			r.Finished(lines[i])
		}()
	}
	wg.Wait()
	r.Stop()
	return lines
}

// sameLines checks that got holds exactly the finished lines, each whole,
// in any order.
func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	left := map[string]int{}
	for _, l := range want {
		left[l]++
	}
	for _, l := range got {
		if left[l] == 0 {
			t.Errorf("unexpected or broken line %q", l)
			continue
		}
		left[l]--
	}
	for l, n := range left {
		if n > 0 {
			t.Errorf("line missing: %q", l)
		}
	}
}

// Off a terminal: one plain line per finished registry, no status line,
// no control characters, nothing interleaved.
func TestPipe(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if IsTerminal(pw) {
		t.Fatal("a pipe taken for a terminal")
	}
	var out bytes.Buffer
	read := make(chan error)
	go func() { _, err := io.Copy(&out, pr); read <- err }()
	r := New(pw, 40, IsTerminal(pw))
	want := exercise(r, 40)
	r.Println("done")
	pw.Close()
	if err := <-read; err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.ContainsAny(s, "\r\x1b") || strings.Contains(s, "running") {
		t.Errorf("control characters or a status line in pipe output:\n%q", s)
	}
	if !strings.HasSuffix(s, "\ndone\n") {
		t.Errorf("output does not end with the last line:\n%q", s)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\ndone\n"), "\n")
	sameLines(t, lines, want)
}

// statusRE is the live line.
var statusRE = regexp.MustCompile(`^registries: (\d+) done, (\d+) running, (\d+) left \(\d+\.\ds\)$`)

// On a pseudo-terminal: the live status line is drawn and rewritten in
// place, each finished line replaces it whole, and after Stop the screen's
// last line is clear.
func TestPseudoTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal on this machine: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 120}); err != nil {
		t.Fatal(err)
	}
	// Raw mode: the terminal passes our bytes through unchanged (no \n to
	// \r\n translation), so the test sees exactly what was written.
	if _, err := term.MakeRaw(int(tty.Fd())); err != nil {
		t.Fatal(err)
	}
	if !IsTerminal(tty) {
		t.Fatal("a pseudo-terminal not recognised as a terminal")
	}
	var out bytes.Buffer
	read := make(chan error)
	go func() {
		_, err := io.Copy(&out, ptmx)
		var pe *os.PathError
		if errors.As(err, &pe) && errors.Is(pe.Err, syscall.EIO) {
			err = nil // the terminal side closed
		}
		read <- err
	}()
	r := New(tty, 30, IsTerminal(tty))
	if r.width != 120 {
		t.Errorf("terminal width %d, want 120", r.width)
	}
	want := exercise(r, 30)
	tty.Close()
	if err := <-read; err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.HasSuffix(s, clearLine) {
		t.Errorf("the status line is not erased at the end: %q", s[max(0, len(s)-80):])
	}
	// Split into what was drawn between clears and newlines: every piece
	// is a finished line (ended by \n) or a status line (ended by a clear).
	var finished []string
	statuses := 0
	for _, seg := range strings.Split(s, clearLine) {
		parts := strings.Split(seg, "\n")
		for i, p := range parts {
			last := i == len(parts)-1
			switch {
			case !last:
				finished = append(finished, p)
			case p == "":
			case statusRE.MatchString(p):
				statuses++
				m := statusRE.FindStringSubmatch(p)
				var d, run, left int
				fmt.Sscan(m[1]+" "+m[2]+" "+m[3], &d, &run, &left)
				if d+run+left != 30 {
					t.Errorf("status %q does not add up to 30 registries", p)
				}
			default:
				t.Errorf("a piece of output is neither a whole line nor the status line: %q", p)
			}
		}
	}
	sameLines(t, finished, want)
	if statuses == 0 {
		t.Error("no status line was drawn")
	}
	if !strings.Contains(s, "registries: 0 done, 0 running, 30 left") || !strings.Contains(s, "registries: 30 done, 0 running, 0 left") {
		t.Errorf("the status line did not go from none to all done:\n%q", s)
	}
}

// The status line never wraps on a narrow terminal, or a carriage return
// could not erase it.
func TestStatusFitsTheTerminal(t *testing.T) {
	r := New(io.Discard, 100, true)
	r.width = 20
	r.start = time.Now()
	if s := r.status(); len(s) >= 20 {
		t.Errorf("status %q is %d columns on a 20-column terminal", s, len(s))
	}
}

func TestElapsed(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                        "0.0s",
		1234 * time.Millisecond:  "1.2s",
		59900 * time.Millisecond: "59.9s",
		61 * time.Second:         "1m01s",
		3725 * time.Second:       "62m05s",
	} {
		if got := Elapsed(d); got != want {
			t.Errorf("Elapsed(%s) = %q, want %q", d, got, want)
		}
	}
}
