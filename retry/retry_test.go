package retry

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"120", 120 * time.Second, true},
		{" 5 ", 5 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"Fri, 27 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Fri, 27 Nov 2026 11:00:00 GMT", 0, true},
		{"99999999999999999999", 0, false},
		{"9223372036854775807", 365 * 24 * time.Hour, true},
	}
	for _, c := range cases {
		got, ok := ParseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("%q: got %s %v, want %s %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestBackoffJitteredExponential(t *testing.T) {
	p := Policy{MaxRetryAfter: time.Second}
	for attempt := 0; attempt < 6; attempt++ {
		d := min(100*time.Millisecond<<attempt, time.Second)
		for i := 0; i < 50; i++ {
			got := p.Backoff(100*time.Millisecond, time.Second, attempt, nil)
			if got < d/2 || got > d {
				t.Fatalf("attempt %d: %s outside [%s, %s]", attempt, got, d/2, d)
			}
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "-5", "Fri, 27 Nov 2026 12:00:30 GMT", "Friday, 27-Nov-26 12:00:30 GMT", "Fri Nov 27 12:00:30 2026", "1e9", "", " 7 "} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("%q: %s %v", v, d, ok)
		}
	})
}
