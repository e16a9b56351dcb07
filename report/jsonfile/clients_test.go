package jsonfile

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestClients: client readiness round-trips through results.json, a
// workflow's via and evidence are [] rather than null when empty, and a
// run without clients has no clients field at all.
func TestClients(t *testing.T) {
	run := resultstest.WithClients()
	run.Registries[2].Clients[0].Via = nil
	run.Registries[2].Clients[0].Evidence = nil
	data, err := Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(`"via": null`)) || bytes.Contains(data, []byte(`"evidence": null`)) {
		t.Error("null list in results.json")
	}
	back, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	// Invalid UTF-8 is written as \ufffd the first time, as U+FFFD after:
	// compare the second writing with the third.
	again, err := Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	back2, err := Unmarshal(again)
	if err != nil {
		t.Fatal(err)
	}
	if third, err := Marshal(back2); err != nil || !bytes.Equal(third, again) {
		t.Errorf("results.json with clients does not read back to the same file (%v)", err)
	}
	got, want := back.Registries[0].Clients[1], run.Registries[0].Clients[1]
	got.Evidence, want.Evidence = nil, nil
	if !reflect.DeepEqual(got, want) || back.Registries[0].Clients[1].Evidence[0].Command.Line() != want.Client+" "+"attach --plain-http --artifact-type application/vnd.ocicaps.test 127.0.0.1:5001/ocicaps/scratch@sha256:5d0da3dc976460b72c77d94c8a1ad043720b0416bfc16c52c45d4847e53fadb6 sig.txt" {
		t.Errorf("a workflow does not round-trip:\n got %+v\nwant %+v", got, want)
	}
	if c := back.Registries[2].Clients[0]; c.Via == nil || c.Evidence == nil {
		t.Errorf("nil lists after reading back: %+v", c)
	}
	plain, err := Marshal(resultstest.Sample())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte(`"clients"`)) {
		t.Error("a run without clients writes a clients field")
	}
	var zero []results.ClientWorkflow
	if clients(zero) != nil {
		t.Error("no clients became an empty list")
	}
}
