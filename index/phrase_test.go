package index

import (
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

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
	type hit struct {
		ID    string
		Score float64
	}
	run := func(q query.Query) []hit {
		req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
		req.SortBy([]string{"-_score", "_id"})
		res, err := ix.bi.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		var out []hit
		for _, h := range res.Hits {
			out = append(out, hit{h.ID, h.Score})
		}
		return out
	}
	matched := 0
	for _, p := range phrases {
		toks := ix.analyze(fieldAnalyzer[p.field], p.text)
		if len(toks) < 2 {
			continue
		}
		theirs := bleve.NewMatchPhraseQuery(p.text)
		theirs.SetField(p.field)
		ours := newPhraseQuery(p.field, toks)
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
			want, got := run(pair.bleve), run(pair.ours)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %q %s: (-bleve +ours)\n%s", p.field, p.text, pair.name, diff)
			}
			if pair.name == "alone" && len(want) > 0 {
				matched++
			}
		}
	}
	t.Logf("%d phrases, %d of them matching", len(phrases), matched)
	if matched < 20 {
		t.Errorf("only %d of %d phrases matched anything; the test needs matches", matched, len(phrases))
	}
}
