// Package browser drives a headless Chromium for the tests: it opens a page,
// evaluates JavaScript in it, clicks like a user, takes screenshots and
// records every network request the page makes.
//
// It speaks the Chrome DevTools Protocol over --remote-debugging-pipe (JSON
// messages ending in a NUL byte on file descriptors 3 and 4), which needs no
// WebSocket library, no port and no dependency beyond the standard library.
package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// Executable is the browser the tests use: Debian's chromium package.
const Executable = "chromium"

// InstallHint says how to get the browser; tests that need it fail with it.
const InstallHint = "run ./scripts/install-test-deps.sh (it installs Debian's chromium package)"

// Flags are the flags every launch gets: headless as root in a container
// (no sandbox, no GPU), and nothing that would reach the network by itself
// (no QUIC, no background networking, component updates or sync).
var Flags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--no-default-browser-check", "--disable-dev-shm-usage", "--hide-scrollbars",
	"--remote-debugging-pipe",
}

// Browser is one running Chromium.
type Browser struct {
	width, height int
	cmd           *exec.Cmd
	toChr         *os.File
	stderr        bytes.Buffer

	mu       sync.Mutex
	nextID   int64
	pending  map[int64]chan message
	sessions map[string]func(message)
	err      error // set when the connection ended
	done     chan struct{}
	writeMu  sync.Mutex
}

type message struct {
	ID        int64           `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// Launch starts a headless Chromium with a fresh profile in userDataDir and
// a window of width × height pixels. ctx bounds its whole life: when ctx
// ends, the browser is killed.
func Launch(ctx context.Context, userDataDir string, width, height int) (*Browser, error) {
	bin, err := exec.LookPath(Executable)
	if err != nil {
		return nil, fmt.Errorf("browser: %s not found: %s", Executable, InstallHint)
	}
	// Chromium reads commands from its fd 3 and writes answers to its fd 4.
	chrIn, toChr, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("browser: pipe: %w", err)
	}
	fromChr, chrOut, err := os.Pipe()
	if err != nil {
		chrIn.Close()
		toChr.Close()
		return nil, fmt.Errorf("browser: pipe: %w", err)
	}
	args := append(append([]string{}, Flags...),
		"--user-data-dir="+userDataDir,
		fmt.Sprintf("--window-size=%d,%d", width, height),
		"about:blank")
	b := &Browser{
		width: width, height: height,
		toChr:    toChr,
		pending:  map[int64]chan message{},
		sessions: map[string]func(message){},
		done:     make(chan struct{}),
	}
	b.cmd = exec.CommandContext(ctx, bin, args...)
	b.cmd.ExtraFiles = []*os.File{chrIn, chrOut} // fd 3, fd 4
	b.cmd.Stdout = io.Discard
	b.cmd.Stderr = &lockedWriter{w: &b.stderr, mu: &b.mu}
	b.cmd.WaitDelay = 5 * time.Second
	if err := b.cmd.Start(); err != nil {
		chrIn.Close()
		chrOut.Close()
		toChr.Close()
		fromChr.Close()
		return nil, fmt.Errorf("browser: start %s: %w", bin, err)
	}
	// The child has its copies; ours would keep the pipes open forever.
	chrIn.Close()
	chrOut.Close()
	go b.read(fromChr)
	return b, nil
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// read dispatches answers to their callers and events to their sessions.
func (b *Browser) read(r io.ReadCloser) {
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<20)
	var err error
	for {
		var raw []byte
		raw, err = br.ReadBytes(0)
		if err != nil {
			break
		}
		var m message
		if jerr := json.Unmarshal(raw[:len(raw)-1], &m); jerr != nil {
			continue // not ours to judge; a broken message answers no call
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				delete(b.pending, m.ID)
				ch <- m
			}
			b.mu.Unlock()
			continue
		}
		h := b.sessions[m.SessionID]
		b.mu.Unlock()
		if h != nil {
			h(m)
		}
	}
	b.mu.Lock()
	b.err = fmt.Errorf("browser: connection closed: %v; stderr:\n%s", err, tail(b.stderr.String(), 2000))
	for id, ch := range b.pending {
		close(ch)
		delete(b.pending, id)
	}
	b.mu.Unlock()
	close(b.done)
}

// call sends one command and waits for its answer.
func (b *Browser) call(ctx context.Context, session, method string, params, result any) error {
	b.mu.Lock()
	if b.err != nil {
		err := b.err
		b.mu.Unlock()
		return err
	}
	b.nextID++
	id := b.nextID
	ch := make(chan message, 1)
	b.pending[id] = ch
	b.mu.Unlock()

	req := map[string]any{"id": id, "method": method}
	if params != nil {
		req["params"] = params
	}
	if session != "" {
		req["sessionId"] = session
	}
	data, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("browser: %s: %w", method, err)
	}
	b.writeMu.Lock()
	_, err = b.toChr.Write(append(data, 0))
	b.writeMu.Unlock()
	if err != nil {
		return fmt.Errorf("browser: send %s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			b.mu.Lock()
			err := b.err
			b.mu.Unlock()
			return fmt.Errorf("browser: %s: %w", method, err)
		}
		if m.Error != nil {
			return fmt.Errorf("browser: %s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("browser: %s: decode answer: %w", method, err)
			}
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("browser: %s: %w", method, ctx.Err())
	}
}

// Close asks the browser to quit and waits for it, killing it if it does
// not go within a few seconds.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = b.call(ctx, "", "Browser.close", nil, nil) // it may close the pipe before answering
	b.toChr.Close()
	select {
	case <-b.done:
	case <-ctx.Done():
	}
	waited := make(chan error, 1)
	go func() { waited <- b.cmd.Wait() }()
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		b.cmd.Process.Kill()
		<-waited
	}
	return nil
}

// Page is one tab, attached with its own session.
type Page struct {
	b       *Browser
	session string

	mu       sync.Mutex
	requests []string
	loaded   chan struct{}
	console  []string
}

// NewPage opens a blank tab and starts recording its network requests.
func (b *Browser) NewPage(ctx context.Context) (*Page, error) {
	var created struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	p := &Page{b: b, session: attached.SessionID, loaded: make(chan struct{}, 16)}
	b.mu.Lock()
	b.sessions[p.session] = p.event
	b.mu.Unlock()
	for _, domain := range []string{"Page.enable", "Network.enable", "Runtime.enable"} {
		if err := b.call(ctx, p.session, domain, nil, nil); err != nil {
			return nil, err
		}
	}
	// The window's size includes what headless Chromium keeps for its own
	// frame; the page's viewport is set to exactly the size asked for.
	metrics := map[string]any{"width": b.width, "height": b.height, "deviceScaleFactor": 1, "mobile": false}
	if err := b.call(ctx, p.session, "Emulation.setDeviceMetricsOverride", metrics, nil); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Page) event(m message) {
	switch m.Method {
	case "Network.requestWillBeSent":
		var ev struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		if json.Unmarshal(m.Params, &ev) == nil {
			p.mu.Lock()
			p.requests = append(p.requests, ev.Request.URL)
			p.mu.Unlock()
		}
	case "Page.loadEventFired":
		select {
		case p.loaded <- struct{}{}:
		default:
		}
	case "Runtime.consoleAPICalled", "Runtime.exceptionThrown":
		p.mu.Lock()
		p.console = append(p.console, m.Method+": "+string(m.Params))
		p.mu.Unlock()
	}
}

// Requests returns the URLs of every request the page made so far, the
// document's own included.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Console returns console messages and uncaught exceptions.
func (p *Page) Console() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	for len(p.loaded) > 0 {
		<-p.loaded
	}
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.b.call(ctx, p.session, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("browser: navigate to %s: %s", url, nav.ErrorText)
	}
	select {
	case <-p.loaded:
		return nil
	case <-p.b.done:
		return p.b.err
	case <-ctx.Done():
		return fmt.Errorf("browser: waiting for %s to load: %w", url, ctx.Err())
	}
}

// Eval evaluates a JavaScript expression (promises are awaited) and decodes
// its value, which must be JSON-serializable, into out (may be nil).
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception *struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	params := map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}
	if err := p.b.call(ctx, p.session, "Runtime.evaluate", params, &res); err != nil {
		return err
	}
	if d := res.ExceptionDetails; d != nil {
		msg := d.Text
		if d.Exception != nil {
			msg = d.Exception.Description
		}
		return fmt.Errorf("browser: evaluate %q: %s", short(expr), msg)
	}
	if out == nil {
		return nil
	}
	if len(res.Result.Value) == 0 {
		return fmt.Errorf("browser: evaluate %q: no value", short(expr))
	}
	if err := json.Unmarshal(res.Result.Value, out); err != nil {
		return fmt.Errorf("browser: evaluate %q: %w", short(expr), err)
	}
	return nil
}

// Click scrolls the first element matching selector into view and clicks
// its centre with the mouse, the way a user would: the browser decides
// what the click hits and does.
func (p *Page) Click(ctx context.Context, selector string) error {
	sel, _ := json.Marshal(selector)
	var r struct{ X, Y, W, H float64 }
	expr := fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) throw new Error("no element " + %s);
		e.scrollIntoView({block: "center", inline: "center"}); const r = e.getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height}; })()`, sel, sel)
	if err := p.Eval(ctx, expr, &r); err != nil {
		return err
	}
	if r.W == 0 || r.H == 0 {
		return fmt.Errorf("browser: click %s: the element is not visible", selector)
	}
	x, y := r.X+r.W/2, r.Y+r.H/2
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		ev := map[string]any{"type": typ, "x": x, "y": y}
		if typ != "mouseMoved" {
			ev["button"], ev["clickCount"] = "left", 1
		}
		if err := p.b.call(ctx, p.session, "Input.dispatchMouseEvent", ev, nil); err != nil {
			return err
		}
	}
	return nil
}

// Screenshot returns a PNG of what the page shows in its window.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	var shot struct {
		Data string `json:"data"`
	}
	if err := p.b.call(ctx, p.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot); err != nil {
		return nil, err
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		return nil, fmt.Errorf("browser: screenshot: %w", err)
	}
	if len(png) == 0 {
		return nil, errors.New("browser: screenshot: empty")
	}
	return png, nil
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
