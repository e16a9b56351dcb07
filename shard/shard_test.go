package shard

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := map[string]Spec{"1/1": {1, 1}, "2/4": {2, 4}, " 4/4 ": {4, 4}, "1000/1000": {1000, 1000}}
	for in, want := range good {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":       "want K/N",
		"2":      "want K/N",
		"0/4":    "K must be from 1 to N",
		"5/4":    "K must be from 1 to N",
		"-1/4":   "K must be from 1 to N",
		"1/0":    "N must be from 1",
		"1/1001": "N must be from 1 to 1000",
		"a/4":    "whole numbers",
		"1/4/2":  "whole numbers",
		"1.5/4":  "whole numbers",
	}
	for in, want := range bad {
		if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q): err = %v, want it to say %q", in, err, want)
		}
	}
}

// For every N from 1 to 4 (and a few more), the shards of a list are a
// partition of it: each registry in exactly one shard, none invented,
// sizes within one of each other, and the share does not depend on the
// order of the entries in the file.
func TestShardsPartitionTheList(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for size := 0; size <= 23; size++ {
		names := make([]string, size)
		for i := range names {
			names[i] = fmt.Sprintf("reg-%c%d", 'a'+rune(rng.IntN(26)), i)
		}
		for n := 1; n <= 7; n++ {
			owner := map[string]int{}
			var sizes []int
			for k := 1; k <= n; k++ {
				picked := Pick(names, Spec{k, n})
				if !sort.IntsAreSorted(picked) {
					t.Errorf("size %d, %d/%d: positions %v not in run order", size, k, n, picked)
				}
				sizes = append(sizes, len(picked))
				for _, i := range picked {
					if prev, dup := owner[names[i]]; dup {
						t.Errorf("size %d: %s in shard %d/%d and %d/%d", size, names[i], prev, n, k, n)
					}
					owner[names[i]] = k
				}
			}
			if len(owner) != size {
				t.Errorf("size %d, N=%d: the shards cover %d registries", size, n, len(owner))
			}
			sort.Ints(sizes)
			if sizes[len(sizes)-1]-sizes[0] > 1 {
				t.Errorf("size %d, N=%d: shard sizes %v differ by more than one", size, n, sizes)
			}
			shuffled := append([]string(nil), names...)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			for i, k := range Of(shuffled, n) {
				if owner[shuffled[i]] != k {
					t.Errorf("size %d, N=%d: %s moves from shard %d to %d when the file is reordered", size, n, shuffled[i], owner[shuffled[i]], k)
				}
			}
		}
	}
}

// The share is pinned: CI recipes and people reading logs may rely on it.
func TestShareIsSortedRoundRobin(t *testing.T) {
	names := []string{"zeta", "alpha", "mid", "beta", "omega"}
	// sorted: alpha beta mid omega zeta → shards 1 2 1 2 1
	want := []int{1, 1, 1, 2, 2}
	if got := Of(names, 2); !reflect.DeepEqual(got, want) {
		t.Errorf("Of = %v, want %v", got, want)
	}
}

func TestListDigest(t *testing.T) {
	a := ListDigest([]string{"a", "b"})
	if a == ListDigest([]string{"b", "a"}) || a == ListDigest([]string{"ab"}) || a == ListDigest([]string{"a", "b", ""}) {
		t.Error("different lists share a digest")
	}
	if !strings.HasPrefix(a, "sha256:") || len(a) != len("sha256:")+64 {
		t.Errorf("digest %q", a)
	}
}
