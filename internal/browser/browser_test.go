package browser

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The browser test of report.html relies on this package to see requests,
// clicks and screenshots; these checks show it does, including that a page
// which does reach out is caught.
func TestBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	page := `<!DOCTYPE html><html><body style="background:#fff">
<a id="open" href="#panel" style="display:block;width:200px;height:40px;background:#c00;color:#fff">open</a>
<div id="panel" style="width:300px;height:100px;background:#00c">panel</div>
<img src="http://127.0.0.1:9/leak.png">
</body></html>`
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Launch(ctx, filepath.Join(dir, "profile"), 800, 600)
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer b.Close()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, "file://"+file); err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := p.Eval(ctx, "1 + 2", &sum); err != nil || sum != 3 {
		t.Errorf("eval: %d %v", sum, err)
	}
	if err := p.Eval(ctx, "nope()", nil); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("a thrown exception is not an error: %v", err)
	}
	if err := p.Click(ctx, "#open"); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := p.Eval(ctx, "location.hash", &hash); err != nil || hash != "#panel" {
		t.Errorf("after the click, hash = %q (%v)", hash, err)
	}
	if err := p.Click(ctx, "#missing"); err == nil {
		t.Error("clicking a missing element: no error")
	}
	shot, err := p.Screenshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 800 || img.Bounds().Dy() != 600 {
		t.Errorf("screenshot is %v, want the 800x600 window", img.Bounds())
	}
	// The image request was seen: a page that reaches out is caught.
	var sawDoc, sawLeak bool
	for _, u := range p.Requests() {
		sawDoc = sawDoc || u == "file://"+file
		sawLeak = sawLeak || u == "http://127.0.0.1:9/leak.png"
	}
	if !sawDoc || !sawLeak {
		t.Errorf("requests = %v; want the document and the leaking image", p.Requests())
	}
}
