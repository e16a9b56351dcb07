package suite

import (
	"strings"
	"testing"
	"testing/fstest"
)

// withLongLine is good with a step whose quoted value makes its line n
// bytes long.
func withLongLine(n int) string {
	prefix := `    When I send a GET request to "/v2/`
	return strings.Replace(good, `    When I send a GET request to "/v2/"`, prefix+strings.Repeat("a", n-len(prefix)-1)+`"`, 1)
}

// A line of 65,536 bytes made the Gherkin parser panic (nil line after its
// scanner's ErrTooLong); one byte less parses.
func TestLongLineRefusedWithItsLine(t *testing.T) {
	for _, tc := range []struct {
		n       int
		refused bool
	}{{MaxLineBytes, false}, {MaxLineBytes + 1, true}, {1 << 20, true}} {
		fsys := fstest.MapFS{"long.feature": {Data: []byte(withLongLine(tc.n))}}
		s, problems := Load(fsys, "test")
		if !tc.refused {
			if len(problems) != 0 || len(s.Features) != 1 {
				t.Errorf("a line of %d bytes: %v", tc.n, problems)
			}
			continue
		}
		if len(problems) != 1 || problems[0].File != "long.feature" || problems[0].Line != 4 || !strings.Contains(problems[0].Msg, "longer than the 65535") {
			t.Errorf("a line of %d bytes: got %v, want one problem at long.feature:4", tc.n, problems)
		}
	}
}

func TestHugeFeatureFileRefusedUnread(t *testing.T) {
	fsys := fstest.MapFS{"huge.feature": {Data: []byte(good + strings.Repeat("# comment\n", MaxFeatureBytes/10+1))}}
	_, problems := Load(fsys, "test")
	if len(problems) != 1 || problems[0].File != "huge.feature" || !strings.Contains(problems[0].Msg, "larger than the 4194304 bytes") {
		t.Errorf("got %v, want the file refused for its size", problems)
	}
}
