package index

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// scoredHit is a hit of bleve's own search, as the phrase tests compare
// them.
type scoredHit struct {
	ID    string
	Score float64
}

// scoredHits runs q through bleve's own search: every hit (up to 1,000)
// with its score, best first, or by ID when unscored.
func scoredHits(t *testing.T, ix *Index, q query.Query, scored bool) []scoredHit {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	if !scored {
		req.Score = "none"
		req.SortBy([]string{"_id"})
	}
	res, err := ix.bi.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var out []scoredHit
	for _, h := range res.Hits {
		out = append(out, scoredHit{h.ID, h.Score})
	}
	return out
}

// onSubstr returns q, a query of field, as the index answers it: from the
// substring or word index when field is one of its fields and the
// generation has one.
func (ix *Index) onSubstr(field string, q query.Query) query.Query {
	if ix.stores.field(field) == nil {
		return q
	}
	return ix.onStores(q)
}

// TestPhraseMatchesBleve runs phrases drawn from the essay, on both sides,
// alone and inside a disjunction (which changes the query norm), as our
// phrase query and as bleve's match-phrase query: the same passages with
// the same scores.
func TestPhraseMatchesBleve(t *testing.T) {
	ix := benchIndex(t, 3)
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	type phrase struct{ field, text string }
	phrases := []phrase{
		{fieldEN, "United States of America"}, // a stop word inside
		{fieldEN, "the iron curtain"},
		{fieldEN, "Huawei Huawei"},
		{fieldEN, "no such phrase anywhere"},
		{fieldZH2, "美国政府"},
		{fieldZH2, "科技铁幕"},
		{fieldZH2, "华为 华为"},
		{fieldZHLatin, "Y Combinator"},
		{fieldZHLatin, "Piper Sandler"},
		{fieldZHLatin, "Sandler Piper"},
	}
	for i, p := range doc.Passages {
		if i%3 != 0 {
			continue
		}
		if w := strings.Fields(p.Text.EN); len(w) > 6 {
			phrases = append(phrases, phrase{fieldEN, strings.Join(w[2:4], " ")}, phrase{fieldEN, strings.Join(w[3:6], " ")})
		}
		toks := ix.analyze(zhAnalyzerName, p.Text.ZH)
		if len(toks) > 5 {
			zh := p.Text.ZH
			phrases = append(phrases, phrase{fieldZH2, zh[toks[1].Start:toks[2].End]}, phrase{fieldZH2, zh[toks[3].Start:toks[5].End]})
		}
	}
	matched := 0
	byField := map[string]int{} // zh2 is read from the substring index
	for _, p := range phrases {
		toks := ix.analyze(fieldAnalyzer[p.field], p.text)
		if len(toks) < 2 {
			continue
		}
		mp := bleve.NewMatchPhraseQuery(p.text)
		mp.SetField(p.field)
		mp.Analyzer = fieldAnalyzer[p.field] // zh2 is not bleve's
		theirs := ix.onSubstr(p.field, mp)
		ours := ix.onSubstr(p.field, newPhraseQuery(p.field, toks))
		other := termQ(fieldEntity, "Huawei")
		// A conjunction advances its searchers to each other's matches:
		// the phrase searcher's Advance.
		body := termQ(fieldSection, string(corpus.SectionBody))
		for _, pair := range []struct {
			name        string
			ours, bleve query.Query
		}{
			{"alone", ours, theirs},
			{"in a disjunction", bleve.NewDisjunctionQuery(ours, other), bleve.NewDisjunctionQuery(theirs, other)},
			{"in a conjunction", bleve.NewConjunctionQuery(body, ours), bleve.NewConjunctionQuery(body, theirs)},
		} {
			want, got := scoredHits(t, ix, pair.bleve, true), scoredHits(t, ix, pair.ours, true)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %q %s: (-bleve +ours)\n%s", p.field, p.text, pair.name, diff)
			}
			if pair.name == "alone" && len(want) > 0 {
				matched++
				byField[p.field]++
			}
		}
	}
	t.Logf("%d phrases, %d of them matching: %v", len(phrases), matched, byField)
	if matched < 20 || byField[fieldZH2] < 5 {
		t.Errorf("only %d of %d phrases matched anything (%v); the test needs matches, on zh2 too", matched, len(phrases), byField)
	}
}

// TestPhraseWalkMatchesSearchers compares phraseWalk with phraseSearcher
// over bleve's term and conjunction searchers on the phrases bleve has no
// match-phrase equivalent of (a Chinese substring's bigrams searched once
// each, words anywhere in a field without positions) and on ordinary ones:
// alone, inside a disjunction and a conjunction (the walk's Advance), and
// unscored, as the language facet's counts run them.
func TestPhraseWalkMatchesSearchers(t *testing.T) {
	ix := benchIndex(t, 3)
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	var phrases []*phraseQuery
	add := func(q query.Query) {
		if p, ok := q.(*phraseQuery); ok {
			phrases = append(phrases, p)
		}
	}
	for _, run := range []string{"华为华为", "哈哈哈", "美国政府", "科技铁幕", "字节跳动", "美国美国美国", "没有这样的词"} {
		add(hanSubstring(run))
	}
	for i, p := range doc.Passages {
		if i%4 != 0 {
			continue
		}
		runs := corpus.HanRuns(corpus.Fold(p.Text.ZH))
		for _, r := range runs {
			if rs := []rune(r); len(rs) > 8 {
				add(hanSubstring(string(rs[1:4])))
				add(hanSubstring(string(rs[2:8])))
			}
		}
		if toks := ix.analyze(zhAnalyzerName, p.Text.ZH); len(toks) > 6 {
			add(wordsAnywhere(toks[2:5]))
			add(wordsAnywhere(analysis.TokenStream{toks[1], toks[6]}))
		}
		if w := strings.Fields(p.Text.EN); len(w) > 6 {
			add(newPhraseQuery(fieldEN, ix.analyze(enAnalyzerName, strings.Join(w[1:4], " "))))
		}
	}
	other := termQ(fieldEntity, "Huawei")
	body := termQ(fieldSection, string(corpus.SectionBody))
	matched := 0
	byField := map[string]int{} // zh2 is read from the substring index
	for _, walk := range phrases {
		via := *walk
		via.viaSearchers = true
		w, v := ix.onSubstr(walk.field, walk), ix.onSubstr(walk.field, &via)
		for _, pair := range []struct {
			name       string
			walk, via  query.Query
			scored     bool
			countMatch bool
		}{
			{"alone", w, v, true, true},
			{"in a disjunction", bleve.NewDisjunctionQuery(w, other), bleve.NewDisjunctionQuery(v, other), true, false},
			{"in a conjunction", bleve.NewConjunctionQuery(body, w), bleve.NewConjunctionQuery(body, v), true, false},
			{"unscored", w, v, false, false},
		} {
			want, got := scoredHits(t, ix, pair.via, pair.scored), scoredHits(t, ix, pair.walk, pair.scored)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %q (once %v, anywhere %v) %s: (-searchers +walk)\n%s", walk.field, walk.terms, walk.once, walk.anywhere, pair.name, diff)
			}
			if pair.countMatch && len(want) > 0 {
				matched++
				byField[walk.field]++
			}
		}
	}
	t.Logf("%d phrases, %d of them matching: %v", len(phrases), matched, byField)
	if matched < 20 || byField[fieldZH2] < 5 {
		t.Errorf("only %d of %d phrases matched anything (%v); the test needs matches, on zh2 too", matched, len(phrases), byField)
	}
}

// TestPhraseWalkAdvance checks that the walk's Advance returns the first
// match at or after the passage asked for, from a fresh walk and from one
// already under way: a conjunction would mend a match that came too early,
// so whole searches cannot tell.
func TestPhraseWalkAdvance(t *testing.T) {
	ix := benchIndex(t, 3)
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := withScoringModel(context.Background(), ix.bi.Mapping())
	q := hanSubstring("美国政府").(*phraseQuery)
	open := func() (search.Searcher, *search.SearchContext) {
		s, err := q.Searcher(ctx, r, ix.bi.Mapping(), search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(*phraseWalk); !ok {
			t.Fatalf("searcher is a %T, not a walk", s)
		}
		return s, &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	}
	s, sc := open()
	var all []uint64
	for {
		dm, err := s.Next(sc)
		if err != nil {
			t.Fatal(err)
		}
		if dm == nil {
			break
		}
		all = append(all, dm.IndexInternalID.Value())
	}
	s.Close()
	if len(all) < 6 {
		t.Fatalf("%d matches; the test needs more", len(all))
	}
	firstFrom := func(d uint64) (uint64, bool) {
		for _, m := range all {
			if m >= d {
				return m, true
			}
		}
		return 0, false
	}
	for _, fresh := range []bool{true, false} {
		s, sc := open()
		if !fresh {
			if _, err := s.Next(sc); err != nil {
				t.Fatal(err)
			}
		}
		for i := 1; i < len(all); i += 2 {
			target := all[i-1] + 1
			dm, err := s.Advance(sc, bindex.NewIndexInternalID(nil, target))
			if err != nil {
				t.Fatal(err)
			}
			want, ok := firstFrom(target)
			switch {
			case dm == nil && ok:
				t.Errorf("fresh %v: Advance(%d) found nothing, want %d", fresh, target, want)
			case dm != nil && (!ok || dm.IndexInternalID.Value() != want):
				t.Errorf("fresh %v: Advance(%d) = %d, want %d", fresh, target, dm.IndexInternalID.Value(), want)
			}
			if dm != nil {
				sc.DocumentMatchPool.Put(dm)
			}
		}
		s.Close()
	}
	walkCallOrders(t, all, open)
}

// walkCallOrders calls Next and Advance in random orders, with targets
// before, at and after the last match: each call returns the first of all
// (every match, in order) past the last one returned and at or after the
// target.
func walkCallOrders(t *testing.T, all []uint64, open func() (search.Searcher, *search.SearchContext)) {
	t.Helper()
	rng := rand.New(rand.NewPCG(12, 3))
	for round := range 20 {
		s, sc := open()
		last := int64(-1)
		for step := 0; step < 2*len(all); step++ {
			var dm *search.DocumentMatch
			var err error
			from := uint64(last + 1)
			if rng.IntN(2) == 0 {
				dm, err = s.Next(sc)
			} else {
				target := all[rng.IntN(len(all))] + uint64(rng.IntN(3)) - 1
				from = max(from, target)
				dm, err = s.Advance(sc, bindex.NewIndexInternalID(nil, target))
			}
			if err != nil {
				t.Fatal(err)
			}
			want := -1
			for i, m := range all {
				if m >= from {
					want = i
					break
				}
			}
			switch {
			case dm == nil && want >= 0:
				t.Fatalf("round %d step %d: nothing, want %d", round, step, all[want])
			case dm != nil && (want < 0 || dm.IndexInternalID.Value() != all[want]):
				t.Fatalf("round %d step %d: %d, want the first match from %d", round, step, dm.IndexInternalID.Value(), from)
			}
			if dm == nil {
				break
			}
			last = int64(dm.IndexInternalID.Value())
			sc.DocumentMatchPool.Put(dm)
		}
		s.Close()
	}
}
