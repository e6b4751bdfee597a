package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// entriesOf returns a function that reads a dictionary to its end.
func entriesOf(t *testing.T) func(bindex.FieldDict, error) []bindex.DictEntry {
	return func(d bindex.FieldDict, err error) []bindex.DictEntry {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var out []bindex.DictEntry
		for {
			e, err := d.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				return out
			}
			out = append(out, *e)
		}
	}
}

// TestWordDictsMatchBleve walks the word index's dictionaries as bleve's
// were walked in the build that keeps them: every term with its count, the
// terms of a prefix, and the terms near a misspelt word, as the prefix
// expansion, the suggestions and the did-you-mean read them.
func TestWordDictsMatchBleve(t *testing.T) {
	p := testSubstrPair(t)
	br, err := readerOf(p.bleve.bi)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	ours, err := p.store.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	entries := entriesOf(t)
	for _, fld := range wordFields {
		all := entries(br.FieldDict(fld.name))
		if len(all) < 20 {
			t.Fatalf("%s: %d terms; the test needs more", fld.name, len(all))
		}
		if diff := cmp.Diff(all, entries(ours.FieldDict(fld.name))); diff != "" {
			t.Errorf("%s: (-bleve +store)\n%s", fld.name, diff)
		}
		// Prefixes of terms at a block's start, inside and at its end,
		// and none.
		prefixes := []string{"", "h", "hu", "华", "中国", "\xff", "zzzz", "a"}
		for _, i := range []int{0, 1, substrDictBlock - 1, substrDictBlock, len(all) / 2, len(all) - 1} {
			if i < len(all) {
				w := all[i].Term
				prefixes = append(prefixes, w, w[:len(w)/2], w+"x")
			}
		}
		for _, pre := range prefixes {
			want := entries(br.FieldDictPrefix(fld.name, []byte(pre)))
			got := entries(ours.FieldDictPrefix(fld.name, []byte(pre)))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s prefix %q: (-bleve +store)\n%s", fld.name, pre, diff)
			}
		}
	}
	// zap's fuzzy walk leaves each term's count 0; ours has it (which
	// nearest reads to prefer the more frequent of two words as near),
	// so the counts are checked against the full walk's.
	counts := map[string]uint64{}
	for _, field := range []string{fieldEN, fieldZH} {
		for _, e := range entries(ours.FieldDict(field)) {
			counts[field+" "+e.Term] = e.Count
		}
	}
	bf := br.(bindex.IndexReaderFuzzy)
	of := ours.(fuzzyReader)
	for _, tc := range []struct {
		term      string
		fuzziness int
	}{{"technolgy", 2}, {"huawie", 1}, {"huawie", 2}, {"goverment", 2}, {"the", 1}, {"x", 1}, {"华伟", 1}} {
		for _, field := range []string{fieldEN, fieldZH} {
			want := entries(bf.FieldDictFuzzy(field, tc.term, tc.fuzziness, ""))
			got := entries(of.FieldDictFuzzy(field, tc.term, tc.fuzziness, ""))
			var wantTerms, gotTerms []string
			for _, e := range want {
				wantTerms = append(wantTerms, fmt.Sprintf("%s@%d", e.Term, e.EditDistance))
			}
			for _, e := range got {
				gotTerms = append(gotTerms, fmt.Sprintf("%s@%d", e.Term, e.EditDistance))
				if e.Count != counts[field+" "+e.Term] || e.Count == 0 {
					t.Errorf("%s ~%q: %q counted %d, the dictionary says %d", field, tc.term, e.Term, e.Count, counts[field+" "+e.Term])
				}
			}
			slices.Sort(wantTerms)
			slices.Sort(gotTerms)
			if diff := cmp.Diff(wantTerms, gotTerms); diff != "" {
				t.Errorf("%s ~%q/%d: (-bleve +store)\n%s", field, tc.term, tc.fuzziness, diff)
			}
		}
	}
}

// FuzzWordsFile reads arbitrary bytes as a word index of a few passages:
// an error or postings, never a panic.
func FuzzWordsFile(f *testing.F) {
	doc, err := corpus.Essay()
	if err != nil {
		f.Fatal(err)
	}
	var ps []*corpus.Passage
	for i := range doc.Passages[:6] {
		ps = append(ps, &doc.Passages[i])
	}
	// One word in every passage, past a block's worth of postings.
	for i := range substrBlock + 10 {
		ps = append(ps, &corpus.Passage{ID: fmt.Sprint(i), Text: corpus.Text{EN: "Huawei and Huawei", ZH: "华为和华为"}})
	}
	m, err := newMapping(false, false)
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), wordsFile)
	if err := writeWords(context.Background(), path, ps, m); err != nil {
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
		readDamaged(t, filepath.Join(dir, "w"), b, len(ps), wordsFormat)
	})
}

func TestSwapDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"huawie", "huawei", 1}, {"ab", "ba", 1},
		{"abc", "ca", 3}, {"kitten", "sitting", 3}, {"华伟", "华为", 1}, {"華為", "为华", 2}, {"the", "teh", 1},
	} {
		if got := swapDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("swapDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := swapDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("swapDistance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}

// TestWordsEmptyWord: a word index whose first word is empty (no analyzer
// of ours makes one, but a block index must not refuse it) opens and
// finds it, first in every walk.
func TestWordsEmptyWord(t *testing.T) {
	var ws [len(wordFields)]*postingsWriter[string]
	for i, fld := range wordFields {
		ws[i] = newPostingsWriter[string](fld.positions)
		for d := range uint32(3) {
			ws[i].add(d, func(f func(string, uint32)) int {
				f("", 1)
				f(fmt.Sprint("w", d), 2)
				return 2
			})
		}
	}
	path := filepath.Join(t.TempDir(), wordsFile)
	if err := writeWordsFile(path, 3, &ws); err != nil {
		t.Fatal(err)
	}
	st, err := openWords(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range st.fields {
		if term, found, err := f.lookup(""); err != nil || !found || term.docs != 3 {
			t.Errorf("%s: the empty word: %+v, %v, %v", f.name, term, found, err)
		}
		e, err := f.prefixDict("").Next()
		if err != nil || e == nil || e.Term != "" || e.Count != 3 {
			t.Errorf("%s: first entry %+v, %v", f.name, e, err)
		}
	}
}

// TestSubstrWithWordsInBleve: a generation of format 9 has the substring
// index and its words in bleve. The bleve build given a substring index of
// its own (written as a build writes one, in its document order) answers
// as it answers alone: the stores read what they hold, bleve the rest.
func TestSubstrWithWordsInBleve(t *testing.T) {
	p := testSubstrPair(t)
	mixed, err := Open(p.bleve.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer mixed.Close()
	var ps []*corpus.Passage
	for d := range uint64(p.bleve.man.Passages) {
		pa, err := p.bleve.storedPassage(bindex.NewIndexInternalID(nil, d))
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, &pa)
	}
	path := filepath.Join(t.TempDir(), substrFile)
	if err := writeSubstr(t.Context(), path, ps); err != nil {
		t.Fatal(err)
	}
	if mixed.stores.subs, err = openSubstr(path, len(ps)); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"华", "华为", "美国政府", `"美国政府"`, "华为 Huawei", "technology", `"the iron curtain"`, "tech*", "华为 -美国", "~铁幕"} {
		q := Query{Text: text}
		want, err := p.bleve.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := mixed.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if want.Total == 0 {
			t.Errorf("%q: no hits; the test needs some", text)
		}
		if diff := cmp.Diff(summary(want), summary(got)); diff != "" {
			t.Errorf("%q: (-bleve +substring index)\n%s", text, diff)
		}
	}
	if got, err := mixed.DidYouMean(t.Context(), "Huawie technolgy"); err != nil || got != "Huawei technology" {
		t.Errorf("did you mean: %q, %v", got, err)
	}
}
