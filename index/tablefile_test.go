package index

import (
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func snapshotReader(t testing.TB, ix *Index) bindex.IndexReader {
	t.Helper()
	idx, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := openReader(idx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

var tableCmp = []cmp.Option{cmp.AllowUnexported(table{}, column{}), cmpopts.IgnoreFields(table{}, "mu", "passages"), cmpopts.EquateEmpty()}

// TestTableFile: a build writes the facet table, Open has it at once, and
// it is the table read from the postings.
func TestTableFile(t *testing.T) {
	for name, ix := range map[string]*Index{"essay": testIndex(t), "essay×3": benchIndex(t, 3)} {
		got := ix.tableReady()
		if got == nil {
			t.Fatalf("%s: no facet table right after Open", name)
		}
		want, err := buildTable(ix.bi)
		if err != nil {
			t.Fatal(err)
		}
		// The suggestions' word tables, ranked in the background after
		// Open, read passages through the table and lock its cache: cmp
		// copies the table whole, mutex included, so it waits for them.
		if err := ix.WaitSuggestions(t.Context()); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, tableCmp...); diff != "" {
			t.Errorf("%s: table read from %s differs from the postings' (-postings +file):\n%s", name, tableFile, diff)
		}
	}
}

// TestTableFileVersion1: a table of version 1 (the body not compressed),
// as generations built before version 2 hold, is still read, to the same
// table.
func TestTableFileVersion1(t *testing.T) {
	ix := testIndex(t)
	r := snapshotReader(t, ix)
	good, err := os.ReadFile(filepath.Join(ix.dir, tableFile))
	if err != nil {
		t.Fatal(err)
	}
	head := len(tableMagic) + 4
	body, err := io.ReadAll(flate.NewReader(bytes.NewReader(good[head:])))
	if err != nil {
		t.Fatal(err)
	}
	v1 := append([]byte(tableMagic), 1, 0, 0, 0)
	v1 = append(v1, body...)
	path := filepath.Join(t.TempDir(), tableFile)
	if err := os.WriteFile(path, v1, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readTableFile(path, r)
	if err != nil {
		t.Fatal(err)
	}
	want, err := readTableFile(filepath.Join(ix.dir, tableFile), r)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, tableCmp...); diff != "" {
		t.Errorf("version 1 reads otherwise than version 2 (-2 +1):\n%s", diff)
	}
	// Trailing bytes after a version 1 body are damage too.
	if err := os.WriteFile(path, append(v1, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readTableFile(path, r); !errors.Is(err, errTableFormat) {
		t.Errorf("version 1 with a trailing byte: readTableFile = %v, want errTableFormat", err)
	}
}

// TestTableFileRefused: a damaged table, or one written for another
// generation, is refused with an error, and the search falls back to
// reading the postings.
func TestTableFileRefused(t *testing.T) {
	ix := testIndex(t)
	r := snapshotReader(t, ix)
	good, err := os.ReadFile(filepath.Join(ix.dir, tableFile))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := buildTable(ix.bi)
	if err != nil {
		t.Fatal(err)
	}
	samples, err := tableSampleIDs(r, tab.n)
	if err != nil {
		t.Fatal(err)
	}
	encode := func(t *table, samples map[uint64]string) []byte {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		encodeTable(w, t, samples)
		w.Flush()
		return b.Bytes()
	}
	if !bytes.Equal(encode(tab, samples), good) {
		t.Fatal("encoding the table again gives other bytes than the build wrote")
	}
	other := map[uint64]string{}
	for d, id := range samples {
		other[d] = id + "x"
	}
	shuffled := &table{n: tab.n, columns: tab.columns, rank: append([]uint32{uint32(tab.n)}, tab.rank[1:]...)}
	for name, b := range map[string][]byte{
		"empty":             nil,
		"magic":             append([]byte("corpus-facetz\x00"), good[len(tableMagic):]...),
		"truncated":         good[:len(good)-3],
		"trailing":          append(append([]byte(nil), good...), 0),
		"other generation":  encode(tab, other),
		"rank out of range": encode(shuffled, samples),
	} {
		path := filepath.Join(t.TempDir(), tableFile)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readTableFile(path, r); !errors.Is(err, errTableFormat) {
			t.Errorf("%s: readTableFile = %v, want errTableFormat", name, err)
		}
	}
}

// FuzzTableFile: no bytes make reading a table panic or accept something
// out of range.
func FuzzTableFile(f *testing.F) {
	ix := testIndex(f)
	good, err := os.ReadFile(filepath.Join(ix.dir, tableFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:100])
	r := snapshotReader(f, ix)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, tableFile)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		tab, err := readTableFile(path, r)
		if err != nil {
			return
		}
		for d := range tab.n {
			for _, c := range tab.columns {
				for _, v := range c.of(d) {
					_ = c.names[v]
				}
			}
		}
	})
}
