package results

import "testing"

// A capability whose reads lagged in two of its scenarios counts once.
func TestReadLagCountsCapabilities(t *testing.T) {
	reg := Registry{Capabilities: []Capability{
		{ID: "a", Facts: []Fact{{Name: FactReadAfterWrite, Value: "readable 120 ms after the write (GET …)"},
			{Name: FactReadAfterWrite, Value: "readable 480 ms after the write (GET …)"}}},
		{ID: "b", Facts: []Fact{{Name: FactReadAfterWrite, Value: "still 404 Not Found 5s after the write (consistency.wait): GET …"}}},
		{ID: "c", Facts: []Fact{{Name: "other", Value: "readable 999 ms"}}},
	}}
	waited, longest, gaveUp := reg.ReadLag()
	if waited != 1 || longest != 480 || gaveUp != 1 {
		t.Errorf("ReadLag = %d, %d ms, %d; want 1, 480 ms, 1", waited, longest, gaveUp)
	}
}
