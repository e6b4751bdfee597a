package index

import (
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestIndexKeepsPositionsNotOffsets: the text fields' locations in the
// index have positions and zero offsets (positionsOnly), while the
// analysis the highlighter runs has the offsets of the text as written.
// (zh2's positions are in the substring index, which has no room for
// offsets.)
func TestIndexKeepsPositionsNotOffsets(t *testing.T) {
	ix := testIndex(t)
	for _, tc := range []struct{ field, term string }{{fieldEN, "huawei"}, {fieldZHLatin, "tiktok"}} {
		q := bleve.NewTermQuery(tc.term)
		q.SetField(tc.field)
		req := bleve.NewSearchRequestOptions(ix.onStores(q), 5, 0, false)
		req.IncludeLocations = true
		res, err := ix.bi.SearchInContext(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%s:%s: no hits", tc.field, tc.term)
		}
		positions := 0
		for _, h := range res.Hits {
			for _, l := range h.Locations[tc.field][tc.term] {
				if l.Start != 0 || l.End != 0 {
					t.Errorf("%s:%s in %s: offsets %d–%d kept in the index", tc.field, tc.term, h.ID, l.Start, l.End)
				}
				if l.Pos > 1 {
					positions++
				}
			}
		}
		if positions == 0 {
			t.Errorf("%s:%s: no match past the first word: positions lost?", tc.field, tc.term)
		}
	}
	text := "Huawei and 华为"
	for _, an := range []string{enAnalyzerName, zhAnalyzerName} {
		toks := ix.analyze(an, text)
		if len(toks) == 0 {
			t.Fatalf("%s: no tokens", an)
		}
		last := toks[len(toks)-1]
		if last.End != len(text) || last.Start == 0 {
			t.Errorf("%s: last token %q at %d–%d, want it to end at %d", an, last.Term, last.Start, last.End, len(text))
		}
	}
}
