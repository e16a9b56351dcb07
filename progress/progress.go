// Package progress shows how a long run is going, on standard error.
//
// On a terminal it keeps one live status line at the bottom, "registries:
// 12 done, 8 running, 80 left (3.4s)", rewritten in place with a carriage
// return; every other line (a registry that finished) first clears it and
// is then printed whole, with the status line drawn again below. Off a
// terminal (CI logs, pipes, files) there is no status line and no control
// character: one line per finished registry. Every write is one whole line
// (or a clear and a whole line) made under one lock, so lines from
// concurrent registries never interleave.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// clearLine returns the cursor to the start of the line and erases it
// (ANSI EL, understood by every terminal ocicaps meets).
const clearLine = "\r\x1b[K"

// Interval is how often the status line is redrawn on a terminal, for the
// elapsed time.
const Interval = 100 * time.Millisecond

// IsTerminal reports whether w is a terminal (a *os.File on a tty).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Reporter tracks registries started and finished and shows it on w.
type Reporter struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	width   int // terminal columns; 0 if unknown
	total   int
	running int
	done    int
	start   time.Time
	now     func() time.Time
	shown   string // the status line on screen, "" if none
	stop    chan struct{}
	stopped chan struct{}
}

// New returns a reporter for a run of total registries writing to w; tty
// selects the live status line (use IsTerminal). It shows nothing until
// Start.
func New(w io.Writer, total int, tty bool) *Reporter {
	r := &Reporter{w: w, tty: tty, total: total, now: time.Now}
	if f, ok := w.(*os.File); ok && tty {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
			r.width = cols
		}
	}
	return r
}

// Start begins the elapsed time and, on a terminal, the status line.
func (r *Reporter) Start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.start = r.now()
	if !r.tty || r.stop != nil {
		return
	}
	r.stop, r.stopped = make(chan struct{}), make(chan struct{})
	r.drawLocked()
	go r.tick(r.stop, r.stopped)
}

func (r *Reporter) tick(stop, stopped chan struct{}) {
	defer close(stopped)
	t := time.NewTicker(Interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.mu.Lock()
			r.drawLocked()
			r.mu.Unlock()
		}
	}
}

// Started records that a registry began.
func (r *Reporter) Started() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running++
	r.drawLocked()
}

// Finished records that a registry ended and prints line for it (without
// a trailing newline).
func (r *Reporter) Finished(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running > 0 {
		r.running--
	}
	r.done++
	r.printLocked(line)
}

// Println prints a line of other output without breaking the status line.
func (r *Reporter) Println(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.printLocked(line)
}

// Stop ends the status line and erases it, so that what follows (the
// matrix on a terminal shared by stdout and stderr) starts on a clean
// line. It is safe to call more than once.
func (r *Reporter) Stop() {
	r.mu.Lock()
	stop, stopped := r.stop, r.stopped
	r.stop = nil
	r.mu.Unlock()
	if stop != nil {
		close(stop)
		<-stopped
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.shown != "" {
		io.WriteString(r.w, clearLine)
		r.shown = ""
	}
}

// printLocked writes one whole line: on a terminal it replaces the status
// line and draws the status again below it, in a single write.
func (r *Reporter) printLocked(line string) {
	line = strings.TrimRight(line, "\n")
	if !r.tty {
		io.WriteString(r.w, line+"\n")
		return
	}
	var b strings.Builder
	if r.shown != "" {
		b.WriteString(clearLine)
	}
	b.WriteString(line)
	b.WriteString("\n")
	r.shown = ""
	if r.stop != nil {
		r.shown = r.status()
		b.WriteString(r.shown)
	}
	io.WriteString(r.w, b.String())
}

// drawLocked rewrites the status line if it changed.
func (r *Reporter) drawLocked() {
	if !r.tty || r.stop == nil {
		return
	}
	s := r.status()
	if s == r.shown {
		return
	}
	io.WriteString(r.w, clearLine+s)
	r.shown = s
}

// status is the live line, cut to the terminal's width so that it never
// wraps (a wrapped line could not be erased with a carriage return).
func (r *Reporter) status() string {
	left := r.total - r.done - r.running
	s := fmt.Sprintf("registries: %d done, %d running, %d left (%s)", r.done, r.running, max(left, 0), Elapsed(r.now().Sub(r.start)))
	if r.width > 1 && len(s) >= r.width {
		s = s[:r.width-1]
	}
	return s
}

// Elapsed formats a duration for the status line: tenths of a second under
// a minute, then minutes and seconds.
func Elapsed(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// Width is the number of columns of the terminal w, or def when w is not a
// terminal or its size is unknown.
func Width(w io.Writer, def int) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return def
	}
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
		return cols
	}
	return def
}
