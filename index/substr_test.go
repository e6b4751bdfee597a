package index

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// TestHanKeys: the n-grams of Han characters the substring index is
// written with (and hanTokenizer cuts for queries), at their positions in
// the folded text, none across another character; and every key of the
// essay's text turns into a term whose key it is again, as a query's term
// must.
func TestHanKeys(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    int
		want []string
	}{
		{"", 2, nil},
		{"abc", 1, nil},
		{"华", 1, []string{"华@1"}},
		{"华", 2, nil},
		{"華為 Huawei 华为", 2, []string{"华为@1", "华为@11"}}, // folded to simplified
		{"一二三", 2, []string{"一二@1", "二三@2"}},
		{"一二三", 1, []string{"一@1", "二@2", "三@3"}},
		{"中\n文", 2, nil},
		{"𠀀𠀁中", 2, []string{"𠀀𠀁@1", "𠀁中@2"}}, // outside the BMP
	} {
		var got []string
		count := hanKeys(tc.text, tc.n, func(key uint64, pos uint32) { got = append(got, fmt.Sprintf("%s@%d", keyTerm(key), pos)) })
		if diff := cmp.Diff(tc.want, got); diff != "" || count != len(tc.want) {
			t.Errorf("%q n=%d: count %d (-want +got)\n%s", tc.text, tc.n, count, diff)
		}
	}
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	keys := 0
	for _, p := range doc.Passages {
		for _, n := range []int{1, 2} {
			hanKeys(searchText(&p, corpus.Chinese), n, func(key uint64, _ uint32) {
				keys++
				if back, ok := substrKey(keyTerm(key), n); !ok || back != key {
					t.Fatalf("key %x: term %q gives %x, %v", key, keyTerm(key), back, ok)
				}
			})
		}
	}
	if keys < 1000 {
		t.Errorf("only %d keys in the essay", keys)
	}
}

// TestIsHan: the fast paths answer as Unicode's table does, for every
// code point.
func TestIsHan(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isHan(r) != unicode.Is(unicode.Han, r) {
			t.Fatalf("isHan(%U) = %v", r, isHan(r))
		}
	}
}

// substrPair is one corpus built twice: with the substring index and with
// zh1 and zh2 in bleve, as format 8 built them.
type substrPair struct {
	store, bleve *Index
}

// substrDocs are the documents of substrPairs.
func substrDocs() ([]*corpus.Document, error) {
	docs, err := essayCopies(5)
	if err != nil {
		return nil, err
	}
	// A long passage (lengths past one byte) and a character in most
	// passages (postings of several blocks).
	long := *docs[0]
	long.ID, long.Origin = "long", "long"
	long.Passages = nil
	for i, p := range docs[0].Passages[:3] {
		p.ID, p.Doc, p.Position = corpus.PassageID("long", i), "long", i
		for range 6 {
			p.Text.ZH += p.Text.ZH
		}
		long.Passages = append(long.Passages, p)
	}
	// A bigram in hundreds of passages at varying positions: postings
	// of several blocks, with positions, that Advance skips into.
	many := &corpus.Document{ID: "many", Origin: "many"}
	for i := range 3*substrBlock + 40 {
		zh := strings.Repeat("中", i%7) + fmt.Sprintf("第%d段：华为在美国，", i) + strings.Repeat("华为与美国", 1+i%3)
		many.Passages = append(many.Passages, corpus.Passage{ID: corpus.PassageID("many", i), Doc: "many", Position: i, Text: corpus.Text{ZH: zh}})
	}
	return append(docs, &long, many), nil
}

var substrPairs = sync.OnceValues(func() (substrPair, error) {
	docs, err := substrDocs()
	if err != nil {
		return substrPair{}, err
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return substrPair{}, err
	}
	open := func(opts BuildOptions) (*Index, error) {
		dir, err := sharedTempDir("corpus-substr-")
		if err != nil {
			return nil, err
		}
		st, err := Build(context.Background(), dir, docs, gaz, opts)
		if err != nil {
			return nil, err
		}
		return Open(filepath.Join(dir, st.Generation))
	}
	var p substrPair
	if p.store, err = open(BuildOptions{}); err != nil {
		return p, err
	}
	p.bleve, err = open(BuildOptions{bleveText: true})
	return p, err
})

func testSubstrPair(t *testing.T) substrPair {
	t.Helper()
	p, err := substrPairs()
	if err != nil {
		t.Fatal(err)
	}
	if p.store.stores.subs == nil || p.bleve.stores.subs != nil {
		t.Fatalf("substring index: %v in the store build, %v in the bleve one", p.store.stores.subs != nil, p.bleve.stores.subs != nil)
	}
	return p
}

// posting is a TermFieldDoc by passage ID, which builds share.
type posting struct {
	ID        string
	Freq      uint64
	Norm      float64
	Positions []uint64
}

// postingsOf reads every posting of term in field through r.
func postingsOf(t *testing.T, r bindex.IndexReader, field, term string) []posting {
	t.Helper()
	vectors := field == fieldZH2 || field == fieldEN || field == fieldZHLatin
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, true, true, vectors)
	if err != nil {
		t.Fatal(err)
	}
	defer tfr.Close()
	var out []posting
	for {
		d, err := tfr.Next(nil)
		if err != nil {
			t.Fatalf("%s %q: %v", field, term, err)
		}
		if d == nil {
			break
		}
		id, err := r.ExternalID(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := posting{ID: id, Freq: d.Freq, Norm: d.Norm}
		for _, v := range d.Vectors {
			p.Positions = append(p.Positions, v.Pos)
		}
		out = append(out, p)
	}
	if uint64(len(out)) != tfr.Count() {
		t.Errorf("%s %q: %d postings, Count says %d", field, term, len(out), tfr.Count())
	}
	slices.SortFunc(out, func(a, b posting) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// TestSubstrMatchesBleve reads every term of zh1 and zh2, en, en_stem, zh
// and zh_latin from bleve's fields in one build and from the substring and
// word indexes in the other: the same passages, frequencies, norms and
// positions.
func TestSubstrMatchesBleve(t *testing.T) {
	p := testSubstrPair(t)
	br, err := readerOf(p.bleve.bi)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	sr, err := readerOf(p.store.bi)
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	ours := storeReader{IndexReader: sr, st: p.store.stores}
	multi := map[string]int{} // terms of three blocks or more, by field
	for _, field := range []string{fieldZH1, fieldZH2, fieldEN, fieldENStem, fieldZH, fieldZHLatin} {
		dict, err := br.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		terms := 0
		for {
			e, err := dict.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				break
			}
			terms++
			if e.Count > 2*substrBlock {
				multi[field]++
			}
			want, got := postingsOf(t, br, field, e.Term), postingsOf(t, ours, field, e.Term)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s %q: (-bleve +store)\n%s", field, e.Term, diff)
			}
		}
		dict.Close()
		n := 0
		if err := p.store.stores.field(field).each(func(uint64, []byte, substrTerm) bool { n++; return true }); err != nil {
			t.Fatal(err)
		}
		switch {
		case field == fieldZH1:
			// Only the characters that end a run; the postings above
			// are the unions with zh2's bigrams.
			if n == 0 || n >= terms {
				t.Errorf("%s: %d run ends in the store, %d characters in bleve", field, n, terms)
			}
		case n != terms:
			t.Errorf("%s: %d terms in the store, %d in bleve", field, n, terms)
		}
	}
	if multi[fieldZH1] == 0 || multi[fieldZH2] == 0 || multi[fieldEN] == 0 || multi[fieldZH] == 0 {
		t.Errorf("terms of three blocks or more: %v; the test needs some in each field", multi)
	}
	for _, term := range []string{"x", "华为华", "", "\x00", "\xff\xff"} {
		for _, field := range []string{fieldZH2, fieldEN, fieldZH} {
			if got := postingsOf(t, ours, field, term); len(got) != 0 {
				t.Errorf("%s %q: %d postings", field, term, len(got))
			}
		}
	}
}

// TestSubstrAdvance checks Advance against Next: from a fresh reader and
// from one under way, forwards and backwards, to documents with and
// without the term.
func TestSubstrAdvance(t *testing.T) {
	p := testSubstrPair(t)
	f := p.store.stores.subs.field(fieldZH2)
	rng := rand.New(rand.NewPCG(1, 2))
	checked := 0
	err := f.each(func(key uint64, _ []byte, st substrTerm) bool {
		if st.docs < 3 || rng.IntN(4) != 0 {
			return true
		}
		term := keyTerm(key)
		all, positions := readAll(t, f, term)
		r, err := f.reader(term, true, true, true)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			target := uint64(rng.IntN(int(f.docs) + 2))
			want := -1
			for i, d := range all {
				if d >= target {
					want = i
					break
				}
			}
			if rng.IntN(3) == 0 {
				if r, err = f.reader(term, true, true, true); err != nil {
					t.Fatal(err)
				}
			}
			d, err := r.Advance(bindex.NewIndexInternalID(nil, target), nil)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case want < 0 && d != nil:
				t.Fatalf("%s: advance to %d gave %d, want none", term, target, d.ID.Value())
			case want >= 0 && (d == nil || d.ID.Value() != all[want]):
				t.Fatalf("%s: advance to %d gave %v, want %d", term, target, d, all[want])
			case d != nil && !slices.Equal(vectorPositions(d), positions[want]):
				t.Fatalf("%s: advance to %d gave positions %v, Next %v", term, target, vectorPositions(d), positions[want])
			}
			// What follows is what Next gives.
			if want >= 0 && want+1 < len(all) {
				d, err := r.Next(nil)
				if err != nil || d == nil || d.ID.Value() != all[want+1] {
					t.Fatalf("%s: next after %d gave %v (%v), want %d", term, all[want], d, err, all[want+1])
				}
			}
			checked++
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("only %d advances checked", checked)
	}
}

// readAll returns the documents of term by Next, and their positions.
func readAll(t *testing.T, f *substrField, term string) ([]uint64, [][]uint64) {
	t.Helper()
	r, err := f.reader(term, false, false, true)
	if err != nil {
		t.Fatal(err)
	}
	var docs []uint64
	var positions [][]uint64
	for {
		d, err := r.Next(nil)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			return docs, positions
		}
		docs = append(docs, d.ID.Value())
		positions = append(positions, vectorPositions(d))
	}
}

func vectorPositions(d *bindex.TermFieldDoc) []uint64 {
	var out []uint64
	for _, v := range d.Vectors {
		out = append(out, v.Pos)
	}
	return out
}

// TestSubstrSearchesMatchBleve runs Chinese searches on both builds: the
// same hits with the same scores, totals and facets.
func TestSubstrSearchesMatchBleve(t *testing.T) {
	p := testSubstrPair(t)
	queries := []Query{
		{Text: "华"}, {Text: "华为"}, {Text: "美国政府"}, {Text: "字节跳动"}, {Text: "的"}, {Text: "国"},
		{Text: `"美国政府"`}, {Text: "华为 美国"}, {Text: "华为 OR 腾讯"}, {Text: "华为 -美国"},
		{Text: "为华"}, {Text: "没有这样的词"}, {Text: "科技铁幕", Lang: corpus.Chinese},
		{Text: "华为", Companies: []string{"Huawei"}}, {Text: "美国", Sort: SortYear},
		{Text: "中国", Page: 2, Size: 5}, {Text: "华为 Huawei"}, {Text: "~铁幕"},
	}
	found := 0
	for _, q := range queries {
		want, err := p.bleve.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.store.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(summary(want), summary(got)); diff != "" {
			t.Errorf("%+v: (-bleve +store)\n%s", q, diff)
		}
		if want.Total > 0 {
			found++
		}
	}
	if found < len(queries)-2 {
		t.Errorf("only %d of %d queries found anything; the test needs hits", found, len(queries))
	}
}

// TestBuildOrderDoesNotShow builds the documents of substrPairs with
// their batches indexed in a shuffled order, as the analysis's completion
// order may leave them on a busy machine: the same answers. Without
// heldShould, one build in six of this order lost a should clause's score
// (a batch's own order varies); TestHeldShould is the exact case.
func TestBuildOrderDoesNotShow(t *testing.T) {
	p := testSubstrPair(t)
	docs, err := substrDocs()
	if err != nil {
		t.Fatal(err)
	}
	ix := buildOpen(t, docs, BuildOptions{BatchSize: 20, Workers: 1, batchOrder: func(n int) []int {
		return rand.New(rand.NewPCG(3, 8)).Perm(n)
	}})
	for _, text := range []string{"华为 美国", "华为", "美国政府", "the iron curtain", "Huawei", "华为 -美国", "中国"} {
		q := Query{Text: text, Size: 50}
		want, err := p.store.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(summary(want), summary(got)); diff != "" {
			t.Errorf("%q: (-in order +shuffled)\n%s", text, diff)
		}
	}
}

// summary is what TestSubstrSearchesMatchBleve compares of results.
func summary(r *Results) []string {
	out := []string{fmt.Sprint(r.Total), fmt.Sprint(r.Facets)}
	for _, h := range r.Hits {
		out = append(out, fmt.Sprintf("%s %v %v", h.Passage.ID, h.Score, h.Highlights))
	}
	return out
}

// TestStoresDamaged opens 60 substring and 60 word indexes with bytes
// changed or cut (FuzzSubstrFile and FuzzWordsFile try more): a cut one is
// refused, a changed one gives an error or postings, never a panic.
func TestStoresDamaged(t *testing.T) {
	p := testSubstrPair(t)
	for _, tc := range []struct {
		file   string
		format storeFormat
		seed   uint64
	}{{substrFile, substrFormat, 3}, {wordsFile, wordsFormat, 7}} {
		good, err := os.ReadFile(filepath.Join(p.store.dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(tc.seed, tc.seed+1))
		dir := t.TempDir()
		for i := range 60 {
			b := slices.Clone(good)
			cut := i%3 == 0
			if cut {
				b = b[:rng.IntN(len(b))]
			} else {
				for range 1 + rng.IntN(4) {
					b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
				}
			}
			if opened := readDamaged(t, filepath.Join(dir, fmt.Sprint(i)), b, p.store.man.Passages, tc.format); opened && cut {
				t.Errorf("%s cut to %d of %d bytes opened", tc.file, len(b), len(good))
			}
		}
	}
}

// readDamaged writes b to path and reads all of it as a store in format:
// every term by Next, by Advance and as a bitmap, and a word index's
// dictionary walks. It reports whether the file opened.
func readDamaged(t testing.TB, path string, b []byte, n int, format storeFormat) bool {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := openPostings(path, n, format)
	if err != nil {
		return false
	}
	defer st.Close()
	for _, f := range st.fields {
		if f.words {
			if d, err := f.fuzzy("huawei", 2, ""); err == nil {
				d.Next() //nolint:errcheck // damage may show as an error
			}
			d := f.prefixDict("h")
			for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			}
		}
		f.each(func(key uint64, word []byte, _ substrTerm) bool { //nolint:errcheck // damage may show as an error
			term := termOf(f, key, word)
			f.bitmap(term)
			readTerm(f, term)
			return true
		})
		if f.follow == nil {
			continue
		}
		// The characters that only begin bigrams: their unions read
		// zh2's postings, across its dictionary's blocks.
		var last uint64
		f.follow.each(func(key uint64, _ []byte, _ substrTerm) bool { //nolint:errcheck // damage may show as an error
			if c := key >> 32; c != last {
				last = c
				term := string(rune(c))
				f.bitmap(term)
				readTerm(f, term)
			}
			return true
		})
	}
	return true
}

// termOf is the term of a key or word of f's dictionary.
func termOf(f *substrField, key uint64, word []byte) string {
	if f.words {
		return string(word)
	}
	return keyTerm(key)
}

// readTerm reads every posting of term in f, by Next and by Advance.
func readTerm(f *substrField, term string) {
	for _, advance := range []bool{false, true} {
		var r bindex.TermFieldReader
		var err error
		if f.follow != nil {
			r, err = f.charReader(term, true, true)
		} else {
			r, err = f.reader(term, true, true, true)
		}
		if err != nil {
			return
		}
		for target := uint64(0); ; {
			var d *bindex.TermFieldDoc
			if advance {
				d, err = r.Advance(bindex.NewIndexInternalID(nil, target), nil)
			} else {
				d, err = r.Next(nil)
			}
			if err != nil || d == nil {
				break
			}
			target = d.ID.Value() + 2
		}
	}
}

// TestSubstrFits: entries whose sizes would wrap around when added are
// refused.
func TestSubstrFits(t *testing.T) {
	f := &substrField{docs: 1000, postEnd: 5000, positions: true}
	for _, tc := range []struct {
		t    substrTerm
		want bool
	}{
		{substrTerm{off: 100, docs: 10, docBytes: 20, posBytes: 30}, true},
		{substrTerm{off: 100, docs: 10, docBytes: 20, posBytes: 4880}, true},
		{substrTerm{off: 100, docs: 10, docBytes: 20, posBytes: 4881}, false},
		{substrTerm{off: 100, docs: 10, docBytes: 20, posBytes: 1<<64 - 5}, false},
		{substrTerm{off: 100, docs: 10, docBytes: 1<<64 - 100, posBytes: 200}, false},
		{substrTerm{off: 1<<64 - 1, docs: 10, docBytes: 2}, false},
		{substrTerm{off: 100, docs: 1001, docBytes: 20}, false},
		{substrTerm{off: 100, docs: 0}, false},
	} {
		if got := f.fits(tc.t); got != tc.want {
			t.Errorf("%+v: fits %v, want %v", tc.t, got, tc.want)
		}
	}
}

// TestSubstrMissing: a generation of format 10 needs its substring and
// word indexes unless bleve holds their fields.
func TestSubstrMissing(t *testing.T) {
	p := testSubstrPair(t)
	for _, file := range []string{substrFile, wordsFile} {
		man := p.store.man
		man.Checksums = maps.Clone(man.Checksums)
		delete(man.Checksums, file)
		if _, err := openStoresOf(p.store.dir, man, p.store.bi); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("a generation without %s, nor its fields in bleve: %v", file, err)
		}
	}
	st, err := openStoresOf(p.store.dir, p.store.man, p.store.bi)
	if err != nil || st.subs == nil || st.words == nil {
		t.Fatalf("the generation with both: %v, %v", st, err)
	}
	st.subs.Close()
	st.words.Close()
	if st, err := openStoresOf(p.bleve.dir, p.bleve.man, p.bleve.bi); err != nil || !st.none() {
		t.Errorf("the generation with the text in bleve: %v, %v", st, err)
	}
}

// FuzzSubstrFile reads arbitrary bytes as a substring index of a few
// passages: an error or postings, never a panic.
func FuzzSubstrFile(f *testing.F) {
	doc, err := corpus.Essay()
	if err != nil {
		f.Fatal(err)
	}
	var ps []*corpus.Passage
	for i := range doc.Passages[:6] {
		ps = append(ps, &doc.Passages[i])
	}
	// One character in every passage, past a block's worth of postings.
	for i := range substrBlock + 10 {
		ps = append(ps, &corpus.Passage{ID: fmt.Sprint(i), Text: corpus.Text{ZH: "华为华为"}})
	}
	path := filepath.Join(f.TempDir(), substrFile)
	if err := writeSubstr(context.Background(), path, ps); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		readDamaged(t, filepath.Join(dir, "s"), b, len(ps), substrFormat)
	})
}
