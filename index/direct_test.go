package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/corpus-dev/corpus/corpus"
)

// TestDirectMatchesBleve runs queries through the direct search and
// through bleve's searchers (the oracle) on the store build and the
// bleve-text build: the same documents, with bit-identical scores. The
// queries are the hand-written ones of the other tests' kinds and random
// ones of the corpus's own words, with the query syntax's operators.
func TestDirectMatchesBleve(t *testing.T) {
	p := testSubstrPair(t)
	docs, err := substrDocs()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"华为", "华", "的", "美国政府", `"美国政府"`, "华为 美国", "华为 OR 腾讯", "华为 -美国", "-华为 美国",
		"字节跳动", "Huawei", "TikTok", "Ren Zhengfei", `"United States"`, "the", "the iron curtain",
		"government market", "market OR 市场", "美*", "tech*", "en:Huawei zh:华为", "~铁幕", "Huawei 华为",
		`"iron curtain" -Huawei`, "没有这样的词", "nosuchword", "科技铁幕",
	}
	rng := rand.New(rand.NewPCG(16, 2026))
	for range 150 {
		texts = append(texts, randomQuery(rng, docs))
	}
	for name, ix := range map[string]*Index{"store": p.store, "bleve": p.bleve} {
		// Entity terms are read from zap's postings only in an index of
		// one segment (dterm.zapPostings); in more, the comparison would
		// pass on the reader it falls back to.
		idx, err := ix.bi.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		if sc, ok := idx.(*scorch.Scorch); !ok {
			t.Fatalf("%s: index is a %T", name, idx)
		} else if n, err := segmentCount(sc); err != nil || n != 1 {
			t.Fatalf("%s: %d segments (%v), want 1", name, n, err)
		}
		direct, found, memoHits := 0, 0, 0
		for _, text := range texts {
			for _, lang := range []corpus.Lang{"", corpus.English, corpus.Chinese} {
				cq, err := ix.compile(Query{Text: text, Lang: lang})
				if err != nil {
					continue // a bad query: bleve's path is the only one
				}
				want := matchesOf(t, ix, cq.query, false)
				got := matchesOf(t, ix, cq.query, true)
				if diff := diffMatches(want, got); diff != "" {
					t.Errorf("%s: %q lang %q: %s", name, text, lang, diff)
				}
				// A pass that counts, after one that kept its leaves in the
				// search's memo, finds the same documents.
				memo := withDirectMemo(t.Context())
				scan(t, memo, ix, cq.query, "")
				if counted := scan(t, memo, ix, cq.query, "none"); !slices.Equal(counted.docs, want.docs) {
					t.Errorf("%s: %q lang %q: counting from the memo: %d matches, want %d", name, text, lang, len(counted.docs), len(want.docs))
				}
				m := memo.Value(directMemoKey{}).(*directMemo)
				memoHits += m.hits - m.termHits
				// And without a memo: terms read without scores
				// (dterm.zapDocs).
				if counted := scan(t, t.Context(), ix, cq.query, "none"); !slices.Equal(counted.docs, want.docs) {
					t.Errorf("%s: %q lang %q: counting without a memo: %d matches, want %d", name, text, lang, len(counted.docs), len(want.docs))
				}
				if plannable(t, ix, cq.query) {
					direct++
				}
				if len(want.docs) > 0 {
					found++
				}
			}
		}
		t.Logf("%s: %d queries, %d planned directly, %d found something, %d phrases counted from the memo", name, 3*len(texts), direct, found, memoHits)
		// The direct search must answer most queries, and most must
		// match something, or the comparison proves little.
		if n := 3 * len(texts); direct < n*3/4 || found < n/2 || memoHits < n/10 {
			t.Errorf("%s: %d of %d queries planned directly, %d found something, %d phrases counted from the memo", name, direct, n, found, memoHits)
		}
	}
}

// randomQuery is one to three words of the corpus (an English word, a
// run of one to four Han characters), some of them with an operator.
func randomQuery(rng *rand.Rand, docs []*corpus.Document) string {
	var parts []string
	for range 1 + rng.IntN(3) {
		d := docs[rng.IntN(len(docs))]
		p := d.Passages[rng.IntN(len(d.Passages))]
		var w string
		if rng.IntN(2) == 0 {
			ws := strings.Fields(p.Text.EN)
			if len(ws) == 0 {
				continue
			}
			w = strings.Trim(ws[rng.IntN(len(ws))], `.,;:!?"'()“”‘’`)
		} else {
			rs := []rune(p.Text.ZH)
			if len(rs) == 0 {
				continue
			}
			i := rng.IntN(len(rs))
			w = string(rs[i:min(len(rs), i+1+rng.IntN(4))])
		}
		if w == "" {
			continue
		}
		switch rng.IntN(8) {
		case 0:
			w = "-" + w
		case 1:
			w = `"` + w + `"`
		case 2:
			w += " OR"
		}
		parts = append(parts, w)
	}
	return strings.TrimSuffix(strings.Join(parts, " "), " OR")
}

// matchesOf is every match of text in ix, through the direct search or
// bleve's searchers.
func matchesOf(t *testing.T, ix *Index, text query.Query, direct bool) dlist {
	t.Helper()
	ix.setDirect(direct)
	defer ix.setDirect(true)
	return scan(t, t.Context(), ix, text, "")
}

// scan is every match of text in ix, scored as score says.
func scan(t *testing.T, ctx context.Context, ix *Index, text query.Query, score string) dlist {
	t.Helper()
	r, err := readerOf(ix.bi)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out dlist
	err = ix.eachMatch(withScoringModel(ctx, ix.bi.Mapping()), r, text, search.SearcherOptions{Score: score}, func(docs []uint32, scores []float64) {
		out.docs, out.scores = append(out.docs, docs...), append(out.scores, scores...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func plannable(t *testing.T, ix *Index, text query.Query) bool {
	t.Helper()
	r, err := readerOf(ix.bi)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, p, err := directPlan(withScoringModel(t.Context(), ix.bi.Mapping()), r, ix.bi.Mapping(), text, false)
	if err == nil {
		p.close()
		return true
	}
	if !errors.Is(err, errNotDirect) {
		t.Fatal(err)
	}
	return false
}

// diffMatches describes the first difference of got from want.
func diffMatches(want, got dlist) string {
	if len(want.docs) != len(got.docs) {
		return fmt.Sprintf("%d matches, want %d", len(got.docs), len(want.docs))
	}
	for i, d := range want.docs {
		if got.docs[i] != d {
			return fmt.Sprintf("match %d is document %d, want %d", i, got.docs[i], d)
		}
		if math.Float64bits(got.scores[i]) != math.Float64bits(want.scores[i]) {
			return fmt.Sprintf("document %d scores %v, want %v", d, got.scores[i], want.scores[i])
		}
	}
	return ""
}

// TestDirectCancelled stops a direct search with its context: the
// context's error, from any node, and no panic.
func TestDirectCancelled(t *testing.T) {
	ix := testSubstrPair(t).store
	for _, text := range []string{"华为 美国", `"United States" Huawei`, "字节跳动", "华为 OR 腾讯 OR 美国"} {
		cq, err := ix.compile(Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		r, err := readerOf(ix.bi)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(withScoringModel(t.Context(), ix.bi.Mapping()))
		n, p, err := directPlan(ctx, r, ix.bi.Mapping(), cq.query, false)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		cancel()
		var bufs dbufs
		_, err = n.eval(ctx, &bufs)
		bufs.release()
		p.close()
		r.Close()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%q: %v, want the context's error", text, err)
		}
	}
}

// TestEntityTermPaths: a term of bleve's own fields read straight from the
// postings of the index's one segment (dterm.zapPostings) gives the
// documents and score bits that scorch's reader gives (the path of an index
// of several segments, taken here through a reader that is not scorch's
// snapshot).
func TestEntityTermPaths(t *testing.T) {
	p := testSubstrPair(t)
	ctx := withScoringModel(t.Context(), p.store.bi.Mapping())
	r, err := readerOf(p.store.bi)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	eval := func(r bindex.IndexReader, term string) (dlist, *dterm) {
		q := query.NewTermQuery(term)
		q.SetField(fieldEntity)
		n, pl, err := directPlan(ctx, r, p.store.bi.Mapping(), q, false)
		if err != nil {
			t.Fatal(err)
		}
		defer pl.close()
		var bufs dbufs
		l, err := n.eval(ctx, &bufs)
		if err != nil {
			t.Fatal(err)
		}
		out := dlist{slices.Clone(l.docs), slices.Clone(l.scores)}
		bufs.release()
		return out, n.(*dterm)
	}
	found := 0
	for _, term := range []string{"Huawei", "ByteDance", "TikTok", "Tencent", "Ren Zhengfei", "no such entity"} {
		got, zt := eval(r, term)
		want, rt := eval(storeReader{IndexReader: r}, term)
		if zt.pl == nil || rt.pl != nil || rt.tfr == nil {
			t.Fatalf("%s: the paths were not the two under test (segment postings %v, reader %v)", term, zt.pl != nil, rt.tfr != nil)
		}
		if zt.n != rt.n {
			t.Errorf("%s: %d postings counted from the segment, %d by the reader", term, zt.n, rt.n)
		}
		if diff := diffMatches(want, got); diff != "" {
			t.Errorf("%s: %s", term, diff)
		}
		if len(want.docs) > 0 {
			found++
		}
	}
	if found < 4 {
		t.Errorf("only %d of the entities are in the test corpus", found)
	}
}

// TestEveryPassageStream compares the empty query's stream of every
// passage (everyPassage) with bleve's MatchAllSearcher, scored and not,
// and checks that a snapshot with a deleted document is not taken for
// dense.
func TestEveryPassageStream(t *testing.T) {
	p := testSubstrPair(t)
	for name, ix := range map[string]*Index{"store": p.store, "bleve": p.bleve} {
		cq, err := ix.compile(Query{})
		if err != nil {
			t.Fatal(err)
		}
		if _, all := cq.query.(*query.MatchAllQuery); !all {
			t.Fatalf("%s: the empty query compiles to a %T", name, cq.query)
		}
		for _, score := range []string{"", "none"} {
			ix.setDirect(false)
			want := scan(t, t.Context(), ix, cq.query, score)
			ix.setDirect(true)
			got := scan(t, t.Context(), ix, cq.query, score)
			if len(want.docs) < 100 {
				t.Fatalf("%s: bleve found %d passages", name, len(want.docs))
			}
			if diff := diffMatches(want, got); diff != "" {
				t.Errorf("%s, score %q: %s", name, score, diff)
			}
		}
	}

	// A deleted document leaves a hole in the numbers until a merge
	// renumbers the segment without it, which scorch does when it will:
	// whichever the snapshot, denseDocs must say dense only when the
	// numbers are 0 to n-1, as bleve's reader of every document has them.
	bi, err := bleve.New(filepath.Join(t.TempDir(), "x"), bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	check := func(state string) {
		r, err := readerOf(bi)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		dr, err := r.DocIDReaderAll()
		if err != nil {
			t.Fatal(err)
		}
		defer dr.Close()
		var live []uint64
		for {
			id, err := dr.Next()
			if err != nil {
				t.Fatal(err)
			}
			if id == nil {
				break
			}
			live = append(live, id.Value())
		}
		n, ok := denseDocs(r)
		t.Logf("%s: %d live documents, numbered %v; denseDocs %d, %v", state, len(live), live, n, ok)
		if !ok {
			return
		}
		if uint64(len(live)) != n {
			t.Errorf("%s: denseDocs %d, true; bleve reads %d documents", state, n, len(live))
		}
		for i, d := range live {
			if d != uint64(i) {
				t.Errorf("%s: denseDocs %d, true; document %d is number %d", state, n, i, d)
			}
		}
	}
	for _, id := range []string{"a", "b", "c"} {
		if err := bi.Index(id, map[string]string{"t": id}); err != nil {
			t.Fatal(err)
		}
	}
	check("three indexed")
	if n, ok := func() (uint64, bool) {
		r, err := readerOf(bi)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return denseDocs(r)
	}(); !ok || n != 3 {
		t.Errorf("three documents indexed: denseDocs %d, %v; want 3, true", n, ok)
	}
	if err := bi.Delete("a"); err != nil {
		t.Fatal(err)
	}
	check("the first deleted")

}
