package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// charPosting is a posting of a character as its reader gives it.
type charPosting struct {
	Doc, Freq uint64
	Norm      float64
}

// TestCharUnion: a substring index of version 2, whose zh1 holds only the
// characters that end a run, gives every character the postings version
// 1 held for it (documents, frequencies, norms), by Next, by Advance and as
// a bitmap; the version 1 file is still read. The passages have
// characters alone, at the ends of runs and lines, in variants, in most
// passages (the union summed in an array) and in a few (sorted).
func TestCharUnion(t *testing.T) {
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	var ps []*corpus.Passage
	for i := range doc.Passages {
		ps = append(ps, &doc.Passages[i])
	}
	for i, zh := range []string{"华", "华 为", "华为华为华", "a华b为c", "為華", "华为\n为华", "中国的华为，华为的中国。", "", "abc"} {
		p := &corpus.Passage{ID: fmt.Sprint("x", i), Text: corpus.Text{ZH: zh}}
		if i == 5 {
			p.Variants = []corpus.Variant{{Lang: corpus.Chinese, Text: "华"}}
		}
		ps = append(ps, p)
	}
	for i := range 3 * substrBlock {
		ps = append(ps, &corpus.Passage{ID: fmt.Sprint("y", i), Text: corpus.Text{ZH: strings.Repeat("华为", i%4) + "的"}})
	}
	dir := t.TempDir()
	open := func(name string, format storeFormat) *substrStore {
		path := filepath.Join(dir, name)
		if err := writeSubstrFormat(context.Background(), path, ps, format); err != nil {
			t.Fatal(err)
		}
		st, err := openSubstr(path, len(ps))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	v1, v2 := open("v1", substrFormatV1).field(fieldZH1), open("v2", substrFormat).field(fieldZH1)
	if v1.follow != nil || v2.follow == nil {
		t.Fatalf("zh2 followed: version 1 %v, version 2 %v", v1.follow != nil, v2.follow != nil)
	}
	read := func(r bindex.TermFieldReader, advance bool) []charPosting {
		t.Helper()
		var out []charPosting
		var err error
		for target := uint64(0); ; {
			var d *bindex.TermFieldDoc
			if advance {
				d, err = r.Advance(bindex.NewIndexInternalID(nil, target), nil)
			} else {
				d, err = r.Next(nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				return out
			}
			out = append(out, charPosting{d.ID.Value(), d.Freq, d.Norm})
			target = d.ID.Value() + 1 + d.ID.Value()%3 // skip some
			if !advance {
				target = 0
			}
		}
	}
	chars, dense := 0, 0
	err = v1.each(func(key uint64, _ []byte, st substrTerm) bool {
		term := keyTerm(key)
		chars++
		_, total, err := v2.charSources(term, key)
		if err != nil {
			t.Fatal(err)
		}
		if total >= uint64(len(ps))/16 { // as charUnion chooses
			dense++
		}
		for _, advance := range []bool{false, true} {
			r1, err1 := v1.reader(term, true, true, false)
			r2, err2 := v2.charReader(term, true, true)
			if err1 != nil || err2 != nil {
				t.Fatalf("%q: %v, %v", term, err1, err2)
			}
			want, got := read(r1, advance), read(r2, advance)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%q, advance %v: (-version 1 +version 2)\n%s", term, advance, diff)
			}
		}
		b1, ok1 := v1.bitmap(term)
		b2, ok2 := v2.bitmap(term)
		if !ok1 || !ok2 || !b1.Equals(b2) {
			t.Fatalf("%q: bitmaps differ (%v, %v)", term, ok1, ok2)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if chars < 500 || dense == 0 || dense == chars {
		t.Errorf("%d characters, %d of them in a sixteenth of the passages: the test needs both kinds", chars, dense)
	}
	for _, term := range []string{"x", "華为", "", "\x00", "鿿"} {
		r, err := v2.charReader(term, true, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := read(r, false); len(got) != 0 {
			t.Errorf("%q: %d postings", term, len(got))
		}
	}
}
