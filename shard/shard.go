// Package shard shares the registries of a run out among N machines
// (`ocicaps run --shard K/N`) and merges the shards' results back into the
// run a single machine would have produced (`ocicaps merge`).
//
// The share is by registry name, not by position in registries.yaml: the
// names are sorted and dealt out round-robin, the i-th name (from 0) going
// to shard i mod N + 1. Every machine computes the same shares from the
// same list whatever the order of its entries, and the shares differ in
// size by at most one registry, which keeps the slowest shard (the one a
// CI pipeline waits for) as short as the count allows. Hashing names
// instead would keep a registry on its shard when others are added, but
// can leave one shard with twice the average and another empty.
package shard

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Spec is K/N: the K-th of N shares, K from 1.
type Spec struct {
	K, N int
}

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// MaxCount bounds N: beyond it a typo (--shard 1/1000000) is likelier than
// a fleet of that many CI machines.
const MaxCount = 1000

// Parse reads "K/N" with 1 ≤ K ≤ N ≤ MaxCount.
func Parse(v string) (Spec, error) {
	ks, ns, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return Spec{}, fmt.Errorf("--shard %q: want K/N, e.g. 2/4 for the second of four shares", v)
	}
	k, kerr := strconv.Atoi(ks)
	n, nerr := strconv.Atoi(ns)
	switch {
	case kerr != nil || nerr != nil:
		return Spec{}, fmt.Errorf("--shard %q: K and N must be whole numbers, as in 2/4", v)
	case n < 1 || n > MaxCount:
		return Spec{}, fmt.Errorf("--shard %q: N must be from 1 to %d", v, MaxCount)
	case k < 1 || k > n:
		return Spec{}, fmt.Errorf("--shard %q: K must be from 1 to N (%d); shards count from 1", v, n)
	}
	return Spec{K: k, N: n}, nil
}

// Of returns the shard (1..n) of every name, in the order given: names are
// sorted and dealt out round-robin. Names must be unique (registries.yaml
// guarantees it).
func Of(names []string, n int) []int {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	pos := make(map[string]int, len(sorted))
	for i, name := range sorted {
		pos[name] = i
	}
	out := make([]int, len(names))
	for i, name := range names {
		out[i] = pos[name]%n + 1
	}
	return out
}

// Pick returns the positions in names of the registries shard s probes, in
// the order given (the run order).
func Pick(names []string, s Spec) []int {
	var out []int
	for i, k := range Of(names, s.N) {
		if k == s.K {
			out = append(out, i)
		}
	}
	return out
}

// ListDigest identifies a list of registry names (in run order): shards
// cut from lists with equal digests can be merged.
func ListDigest(names []string) string {
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
