package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/report/console"
	"github.com/ocicaps/ocicaps/report/ctrf"
	"github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/report/markdown"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// A client program's run shows where a request shows: its command line
// and how it ended in every writer that shows exchanges or evidence, and
// its output where headers are (report.html, results.json).
func TestCommandShownWhereRequestsAre(t *testing.T) {
	run := resultstest.WithCommand()
	line := resultstest.CommandLine
	var b bytes.Buffer

	if err := junit.Encode(&b, run); err != nil {
		t.Fatal(err)
	}
	// The exchange lines are CDATA; a property value escapes the quotes.
	xmlLine := strings.ReplaceAll(line, `"`, "&#34;")
	for _, want := range []string{"$ " + line + " -> exit 1 (420 ms, 4096 bytes of output)", "client readiness: oras push works ($ " + xmlLine + ")"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("junit.xml lacks %q", want)
		}
	}

	b.Reset()
	if err := html.Encode(&b, run); err != nil {
		t.Fatal(err)
	}
	htmlLine := strings.ReplaceAll(line, `"`, "&#34;")
	for _, want := range []string{"$ " + htmlLine + "</td>\n<td>exit 1</td>", "<summary>output, first 15 of 4096 bytes</summary><pre>Error: &lt;denied&gt;</pre>", "$ " + htmlLine + "</span>"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}

	b.Reset()
	if err := ctrf.Encode(&b, run); err != nil {
		t.Fatal(err)
	}
	jsonLine := strings.ReplaceAll(line, `"`, `\"`)
	for _, want := range []string{`"$ ` + jsonLine + ` -> exit 1 (420 ms, 4096 bytes of output)"`, `"evidence": "$ ` + jsonLine + `"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the CTRF report lacks %s", want)
		}
	}

	b.Reset()
	if err := markdown.Encode(&b, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "(`$ "+line+"`)") {
		t.Errorf("summary.md lacks the command:\n%s", b.String())
	}

	b.Reset()
	if err := console.WriteMatrix(&b, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "($ "+line+")") {
		t.Errorf("the console lacks the command:\n%s", b.String())
	}

	data, err := jsonfile.Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Registries []struct {
			Capabilities []struct {
				Exchanges []map[string]json.RawMessage `json:"exchanges"`
			} `json:"capabilities"`
		} `json:"registries"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	xs := doc.Registries[0].Capabilities[1].Exchanges
	cmd, ok := xs[len(xs)-1]["command"]
	if !ok || !strings.Contains(string(cmd), `"exitCode": 1`) || !strings.Contains(string(cmd), `"outputBytes": 4096`) {
		t.Errorf("results.json command: %s", cmd)
	}
	if _, has := xs[0]["command"]; has {
		t.Error("an HTTP exchange has a command record")
	}
	back, err := jsonfile.Unmarshal(data)
	if err != nil || back.Registries[0].Capabilities[1].Exchanges[len(xs)-1].Command.Argv[3] != "a file.txt" {
		t.Errorf("results.json does not read back: %v", err)
	}
}
