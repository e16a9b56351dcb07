package jsonfile

import (
	"bytes"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// details gives back complete registries, as a spool does.
type details []results.Registry

func (d details) Registry(i int) (results.Registry, error) { return d[i], nil }

// Encode writes Marshal's document byte for byte, for no registry, one
// and several, whether the registries are in the run or read back from
// Details while the run holds light copies: results.json is the same
// contract however it was written.
func TestEncodeIsMarshal(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		run := fullRun()
		one := run.Registries[0]
		run.Registries = nil
		for i := range n {
			r := one
			r.Name = one.Name + string(rune('a'+i))
			r.Index = i
			run.Registries = append(run.Registries, r)
		}
		want, err := Marshal(run)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := Encode(&got, run); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d registries: Encode differs from Marshal:\n%s\nwant:\n%s", n, got.Bytes(), want)
		}
		full := details(run.Registries)
		light := *run
		light.Registries = nil
		for _, r := range full {
			light.Registries = append(light.Registries, results.Light(r))
		}
		light.Details = full
		got.Reset()
		if err := Encode(&got, &light); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d registries read back from Details: Encode differs from Marshal", n)
		}
	}
}
