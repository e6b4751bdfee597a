package index

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/corpus-dev/corpus/corpus"
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

var tableCmp = []cmp.Option{
	cmp.AllowUnexported(table{}),
	cmpopts.IgnoreFields(table{}, "mu", "passages", "file", "browseOnce", "browse", "browseErr"),
	// A column compares by its values, whatever its form.
	cmp.Transformer("values", func(c *column) struct{ Names, Off, Val any } {
		off, val := c.general()
		return struct{ Names, Off, Val any }{c.names, off, val}
	}),
	cmpopts.EquateEmpty(),
}

// unpackAll unpacks every column of tab, which a table read from a file
// of version 3 unpacks on first use.
func unpackAll(t testing.TB, tab *table) *table {
	t.Helper()
	for f := range tab.columns {
		if _, err := tab.column(f); err != nil {
			t.Fatal(err)
		}
	}
	return tab
}

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
		if diff := cmp.Diff(want, unpackAll(t, got), tableCmp...); diff != "" {
			t.Errorf("%s: table read from %s differs from the postings' (-postings +file):\n%s", name, tableFile, diff)
		}
		// The essay's columns take both forms: its passages are nearly
		// all bilingual, many name two companies, and a few several years.
		for _, f := range []string{fieldLang, fieldCompany} {
			if got.columns[f].compact != nil {
				t.Errorf("%s: column %s is compact", name, f)
			}
		}
		for _, f := range []string{fieldDoc, fieldSection, fieldSpeaker, fieldYear} {
			if got.columns[f].compact == nil {
				t.Errorf("%s: column %s is not compact", name, f)
			}
		}
		if c := got.columns[fieldYear].compact; c != nil && len(c.mdocs) == 0 && len(c.setOff) < 2 {
			t.Errorf("%s: no passage with several years", name)
		}
	}
}

// olderTable returns tab as a table file of version 1 (arrays of four
// bytes an integer) or 2 (the same body compressed with DEFLATE), as
// generations built before version 3 hold.
func olderTable(t *testing.T, version byte, tab *table, samples map[uint64]string) []byte {
	t.Helper()
	var body bytes.Buffer
	w := bufio.NewWriter(&body)
	encodeTableBody(w, tab, samples, func(w *bufio.Writer, vs []uint32, _ bool) {
		binary.Write(w, binary.LittleEndian, uint32(len(vs)))
		binary.Write(w, binary.LittleEndian, vs)
	})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out := append([]byte(tableMagic), version, 0, 0, 0)
	if version == 1 {
		return append(out, body.Bytes()...)
	}
	var z bytes.Buffer
	fw, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(body.Bytes())
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return append(out, z.Bytes()...)
}

// TestTableFileOlderVersions: tables of versions 1 and 2 are still read,
// to the same table as version 3, and bytes after a version 1 body are
// damage.
func TestTableFileOlderVersions(t *testing.T) {
	ix := testIndex(t)
	r := snapshotReader(t, ix)
	want, err := readTableFile(filepath.Join(ix.dir, tableFile), r)
	if err != nil {
		t.Fatal(err)
	}
	defer want.close()
	unpackAll(t, want)
	samples, err := tableSampleIDs(r, want.n)
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range []byte{1, 2} {
		b := olderTable(t, version, want, samples)
		path := filepath.Join(t.TempDir(), tableFile)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readTableFile(path, r)
		if err != nil {
			t.Fatalf("version %d: %v", version, err)
		}
		defer got.close()
		if diff := cmp.Diff(want, got, tableCmp...); diff != "" {
			t.Errorf("version %d reads otherwise than version %d (-%d +%d):\n%s", version, tableVersion, tableVersion, version, diff)
		}
		if version == 1 {
			if err := os.WriteFile(path, append(b, 0), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := readTableFile(path, r); !errors.Is(err, errTableFormat) {
				t.Errorf("version 1 with a trailing byte: readTableFile = %v, want errTableFormat", err)
			}
		}
	}
}

// TestPackArray packs arrays of every width, as values and as deltas
// (and the deltas of an array that decreases, which are packed as values),
// and unpacks them to what they were.
func TestPackArray(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var cases [][]uint32
	cases = append(cases, nil, []uint32{0}, []uint32{7, 7, 7}, []uint32{math.MaxUint32}, []uint32{0, math.MaxUint32})
	for width := 1; width <= 32; width++ {
		for _, n := range []int{1, 63, 64, 65, 1000} {
			vs := make([]uint32, n)
			for i := range vs {
				vs[i] = uint32(rng.Uint64() & (1<<width - 1))
			}
			cases = append(cases, vs)
			sorted := slices.Clone(vs)
			slices.Sort(sorted)
			cases = append(cases, sorted)
		}
	}
	for _, vs := range cases {
		for _, delta := range []bool{false, true} {
			var b bytes.Buffer
			w := bufio.NewWriter(&b)
			packArray(w, vs, delta)
			w.Flush()
			d := &tableDecoder{r: bufio.NewReader(&b), packed: true}
			got := d.array(uint64(len(vs)))
			if d.err != nil {
				t.Fatalf("%d values (delta %v): %v", len(vs), delta, d.err)
			}
			if !slices.Equal(got, vs) {
				t.Fatalf("%d values (delta %v): unpacked other values", len(vs), delta)
			}
			if b.Len() != 0 {
				t.Errorf("%d values (delta %v): %d bytes left", len(vs), delta, b.Len())
			}
			// Asked for another length, the array is refused.
			w.Flush()
			packArray(w, vs, delta)
			w.Flush()
			d = &tableDecoder{r: bufio.NewReader(&b), packed: true}
			if d.array(uint64(len(vs) + 1)); d.err == nil {
				t.Errorf("%d values (delta %v): read as %d", len(vs), delta, len(vs)+1)
			}
		}
	}
}

// builtTable returns a reader of ix, its table as read from the postings
// and the samples a table file of it holds.
func builtTable(t *testing.T, ix *Index) (bindex.IndexReader, *table, map[uint64]string) {
	t.Helper()
	r := snapshotReader(t, ix)
	tab, err := buildTable(ix.bi)
	if err != nil {
		t.Fatal(err)
	}
	samples, err := tableSampleIDs(r, tab.n)
	if err != nil {
		t.Fatal(err)
	}
	return r, tab, samples
}

// encodedTable returns tab as a table file of this version.
func encodedTable(tab *table, samples map[uint64]string) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	encodeTable(w, tab, samples)
	w.Flush()
	return b.Bytes()
}

// TestTableFileRefused: a damaged table, or one written for another
// generation, is refused with an error, and the search falls back to
// reading the postings.
func TestTableFileRefused(t *testing.T) {
	ix := testIndex(t)
	good, err := os.ReadFile(filepath.Join(ix.dir, tableFile))
	if err != nil {
		t.Fatal(err)
	}
	r, tab, samples := builtTable(t, ix)
	if !bytes.Equal(encodedTable(tab, samples), good) {
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
		"other generation":  encodedTable(tab, other),
		"rank out of range": encodedTable(shuffled, samples),
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
		defer tab.close()
		for d := range tab.n {
			for f := range tab.columns {
				c, err := tab.column(f)
				if err != nil {
					continue
				}
				for _, v := range c.of(d) {
					_ = c.names[v]
				}
			}
		}
	})
}

// TestTableFileColumnDamagedOnUse: a column whose values are out of range
// is found when it is first unpacked, as an error of the search that reads
// it, not a panic; the columns before it still serve.
func TestTableFileColumnDamagedOnUse(t *testing.T) {
	ix := testIndex(t)
	r, tab, samples := builtTable(t, ix)
	bad := &table{n: tab.n, columns: map[string]*column{}, rank: tab.rank}
	for f, c := range tab.columns {
		bad.columns[f] = &column{names: c.names, off: c.off, val: c.val}
	}
	co := bad.columns[fieldCompany]
	if len(co.val) == 0 {
		t.Fatal("the essay has no companies")
	}
	co.val = slices.Clone(co.val)
	co.val[0] = uint32(len(co.names)) // no such company
	path := filepath.Join(t.TempDir(), tableFile)
	if err := os.WriteFile(path, encodedTable(bad, samples), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readTableFile(path, r)
	if err != nil {
		t.Fatalf("readTableFile = %v; the damage is in an array, found when it is unpacked", err)
	}
	defer got.close()
	if _, err := got.column(fieldSpeaker); err != nil {
		t.Errorf("speaker column: %v", err)
	}
	if _, err := got.column(fieldCompany); !errors.Is(err, errTableFormat) {
		t.Errorf("company column = %v, want errTableFormat", err)
	}
	if err := got.unpackFor(Query{Text: "华为"}, true); !errors.Is(err, errTableFormat) {
		t.Errorf("a search counting facets: %v, want errTableFormat", err)
	}
	if err := got.unpackFor(Query{Text: "华为", Doc: "essay"}, false); err != nil {
		t.Errorf("a search of one document, without facets: %v", err)
	}
	// A search that meets it fails, and the generation is damaged.
	fresh, err := Open(ix.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.onePass(t.Context(), got, Query{Text: "华为", Page: 1, Size: 10}, query.NewMatchAllQuery(), passOptions{relevance: true, k: 10, facets: true}); !errors.Is(err, errTableFormat) {
		t.Errorf("one-pass search with the company column damaged: %v, want errTableFormat", err)
	}
	if err := fresh.Damaged(); !errors.Is(err, errTableFormat) {
		t.Errorf("Damaged() = %v after a search met a damaged column", err)
	}
}

// TestPassageIDGeneration reads a generation as format 10 wrote it: bleve
// IDs that are the passages' own, their positions indexed, doc values. It
// answers as a generation of this format does, and its table read from the
// postings (ordered by the positions) is the one its file holds.
func TestPassageIDGeneration(t *testing.T) {
	docs, err := essayCopies(2)
	if err != nil {
		t.Fatal(err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	open := func(opts BuildOptions, format int) *Index {
		dir := t.TempDir()
		st, err := Build(t.Context(), dir, docs, gaz, opts)
		if err != nil {
			t.Fatal(err)
		}
		gen := filepath.Join(dir, st.Generation)
		if format != 0 {
			olderFiles(t, gen)
			resealManifest(t, gen, format)
		}
		ix, err := Open(gen)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	now, old := open(BuildOptions{}, 0), open(BuildOptions{passageIDs: true, docValues: true}, 10)
	if id, err := readerExternalID(old, 0); err != nil || !strings.Contains(id, "/p") {
		t.Fatalf("the format 10 build's first ID is %q (%v), not a passage's", id, err)
	}
	if old.st.placed || old.stores.subs.field(fieldZH1).follow != nil {
		t.Fatal("the format 10 generation has the new store or substring index")
	}
	for _, q := range []Query{
		{}, {Text: "华为"}, {Text: "Huawei", Size: 50}, {Text: `"United States"`, Page: 2, Size: 5},
		{Text: "美国", Sort: SortYear}, {Sort: SortYearDesc, Size: 30}, {Text: "华为", Sort: SortPosition, Page: 3, Size: 7},
		{Companies: []string{"ByteDance"}}, {Text: "market", Doc: docs[1].ID}, {Text: "华"}, {Text: "的 国"},
	} {
		want, got := fresh(t, now, q), fresh(t, old, q)
		want.Took, got.Took = 0, 0
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Search(%+v): (-format 11 +format 10)\n%s", q, diff)
		}
	}
	for _, id := range []string{docs[0].Passages[0].ID, docs[1].Passages[5].ID, docs[1].Passages[len(docs[1].Passages)-1].ID} {
		want, err1 := now.Passage(t.Context(), id)
		got, err2 := old.Passage(t.Context(), id)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Passage(%s): (-format 11 +format 10)\n%s", id, diff)
		}
	}
	file := old.tableReady()
	if file == nil {
		t.Fatal("no facet table right after Open")
	}
	fromPostings, err := buildTable(old.bi)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.WaitSuggestions(t.Context()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fromPostings, unpackAll(t, file), tableCmp...); diff != "" {
		t.Errorf("table read from the postings differs from the file's (-postings +file):\n%s", diff)
	}
}

// readerExternalID returns bleve's ID of internal document d of ix.
func readerExternalID(ix *Index, d uint64) (string, error) {
	r, err := readerOf(ix.bi)
	if err != nil {
		return "", err
	}
	defer r.Close()
	return r.ExternalID(bindex.NewIndexInternalID(nil, d))
}

// olderFiles rewrites the passage store and the substring index of the
// generation in gen as format 10 wrote them (store version 2, substring
// index version 1), with the manifest's checksums to match.
func olderFiles(t *testing.T, gen string) {
	t.Helper()
	ix, err := Open(gen)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ix.table()
	if err != nil {
		t.Fatal(err)
	}
	order, err := ix.st.passages(0, ix.man.Passages)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ps := make([]*corpus.Passage, len(order))
	for i := range order {
		ps[i] = &order[i]
	}
	var store bytes.Buffer
	if err := encodeStore(&store, ps, 2); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gen, storeFile), store.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	byDoc := make([]*corpus.Passage, len(ps))
	for d, rk := range tab.rank {
		byDoc[d] = ps[rk]
	}
	if err := writeSubstrFormat(t.Context(), filepath.Join(gen, substrFile), byDoc, substrFormatV1); err != nil {
		t.Fatal(err)
	}
	resealManifest(t, gen, 0, storeFile, substrFile)

}
