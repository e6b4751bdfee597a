package index

import (
	"bufio"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// packedFile writes arrays as the table file packs them, one after the
// other, and returns a source reading them and where each starts.
func packedFile(t *testing.T, arrays ...[]uint32) (*columnSource, []packedAt) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "packed")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	w := bufio.NewWriter(f)
	var ats []packedAt
	at := int64(0)
	for i, vs := range arrays {
		ats = append(ats, packedAt{at: at, n: uint64(len(vs))})
		packArray(w, vs, i%2 == 0) // offsets first, as deltas
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		fi, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		at = fi.Size()
	}
	return &columnSource{f: f, path: path, field: "test"}, ats
}

// TestPackedReader reads arrays of every width one integer at a time, as
// values and as deltas, and refuses to read past their end.
func TestPackedReader(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for width := 0; width <= 32; width++ {
		for _, n := range []int{1, 63, 64, 65, 1000} {
			vs := make([]uint32, n)
			for i := range vs {
				vs[i] = uint32(rng.Uint64() & (1<<width - 1))
			}
			sorted := slices.Clone(vs)
			slices.Sort(sorted)
			src, ats := packedFile(t, sorted, vs)
			for i, want := range [][]uint32{sorted, vs} {
				p := newPackedReader(src, ats[i])
				for k, w := range want {
					if got := p.next(); got != w || p.err != nil {
						t.Fatalf("width %d, %d values, array %d: value %d is %d (%v), want %d", width, n, i, k, got, p.err, w)
					}
				}
				if p.next(); !errors.Is(p.err, errTableFormat) {
					t.Fatalf("width %d: read past the end: %v", width, p.err)
				}
			}
		}
	}
}

// TestCompactColumn: columns of every shape read in the compact form give
// the values they were written with; those it suits badly are left to the
// general form.
func TestCompactColumn(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 3000
	for _, c := range []struct {
		name          string
		names         int
		none, several float64 // shares of documents with no value, with several
		compact       bool
	}{
		{"sparse", 40, 0.8, 0, true},
		{"one each", 10000, 0, 0, true},
		{"some with several", 300, 0.5, 0.1, true},
		{"many with several", 2, 0.1, 0.6, false},
		{"too many names", compactNames + 1, 0.5, 0, false},
		{"one name", 1, 0.5, 0.05, true},
		// More sets of several values than free entries: documents
		// with several keep the list of them (compact.intern).
		{"names near the limit, several", compactNames - 40, 0.5, 0.1, true},
	} {
		values := make([][]uint32, n)
		off, val := []uint32{0}, []uint32(nil)
		for d := range values {
			k := 1
			switch r := rng.Float64(); {
			case r < c.none:
				k = 0
			case r < c.none+c.several:
				k = 2 + rng.IntN(3)
			}
			for range k {
				values[d] = append(values[d], uint32(rng.IntN(c.names)))
			}
			val = append(val, values[d]...)
			off = append(off, uint32(len(val)))
		}
		src, ats := packedFile(t, off, val)
		src.off, src.val = ats[0], ats[1]
		cc, ok, err := unpackCompact(src, c.names, n)
		if err != nil || ok != c.compact {
			t.Fatalf("%s: compact %v (%v), want %v", c.name, ok, err, c.compact)
		}
		if !ok {
			continue
		}
		// Documents with several values name their set, unless there
		// are more sets than free entries.
		wantSets := c.several > 0 && c.names < compactNames-100
		if gotSets := len(cc.setOff) > 1; gotSets != wantSets || gotSets == (cc.mdocs != nil) && c.several > 0 {
			t.Errorf("%s: sets of values interned %v (%d documents left in mdocs), want %v", c.name, gotSets, len(cc.mdocs), wantSets)
		}
		col := &column{compact: cc}
		for d, want := range values {
			if got := col.of(uint64(d)); !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Fatalf("%s: document %d has %v, want %v", c.name, d, got, want)
			}
		}
		if col.of(n) != nil {
			t.Errorf("%s: a document past the end has values", c.name)
		}
		// A batch of matches counted at once (tally.addAll) counts what
		// counting each match's values does, past-the-end documents
		// ignored.
		for _, share := range []float64{0.01, 0.3, 1} {
			var ds []uint32
			want := make([]int, c.names)
			for d := range uint32(n) {
				if rng.Float64() < share {
					ds = append(ds, d)
					for _, v := range col.of(uint64(d)) {
						want[v]++
					}
				}
			}
			got := make([]int, c.names)
			// In batches, as bleve's searchers give them.
			tl := &tally{col: col, counts: got}
			for b := range slices.Chunk(append(ds, n, n+70), 97) {
				tl.addAll(b)
			}
			tl.fold()
			if !slices.Equal(got, want) {
				t.Errorf("%s: %d matches counted as a batch differ from their values", c.name, len(ds))
			}
		}
		gotOff, gotVal := col.general()
		if !slices.Equal(gotOff, off) || !slices.Equal(gotVal, val) {
			t.Errorf("%s: the general form differs from what was written", c.name)
		}
		// A value out of range, or offsets that do not end at the values'
		// count, are damage.
		bad := slices.Clone(val)
		if len(bad) > 0 {
			bad[len(bad)/2] = uint32(c.names)
			src, ats := packedFile(t, off, bad)
			src.off, src.val = ats[0], ats[1]
			if _, _, err := unpackCompact(src, c.names, n); !errors.Is(err, errTableFormat) {
				t.Errorf("%s: a value out of range: %v", c.name, err)
			}
		}
		src, ats = packedFile(t, off, append(slices.Clone(val), 0))
		src.off, src.val = ats[0], ats[1]
		if _, _, err := unpackCompact(src, c.names, n); !errors.Is(err, errTableFormat) {
			t.Errorf("%s: a value the offsets do not reach: %v", c.name, err)
		}
	}
}
