package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// TestSubstrRealTextMatchesBleve builds passages of real text (gettext
// catalogues, gse's novel, the essay) twice, with the substring index and
// with the Han characters and bigrams in bleve as format 8 kept them, and
// searches Chinese strings drawn from the passages, some quoted: pages 1
// and 3 of each must be the same (totals, facets, hits, scores,
// highlights). The unit tests compare postings on the essay; this is the
// text nobody here wrote.
func TestSubstrRealTextMatchesBleve(t *testing.T) {
	src, err := bench.LoadSources(bench.DefaultLocaleDir, "")
	if err != nil {
		t.Fatal(err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	docs := bench.Generate(src, gaz, bench.GenOptions{Passages: 3000, Seed: 11, Annotate: true})
	open := func(o index.BuildOptions) *index.Index {
		dir := t.TempDir()
		st, err := index.Build(context.Background(), dir, docs, gaz, o)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := index.Open(filepath.Join(dir, st.Generation))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	var legacy index.BuildOptions
	index.WithBleveSubstrings(&legacy)
	a, b := open(legacy), open(index.BuildOptions{})
	rng := rand.New(rand.NewPCG(5, 6))
	var queries []string
	for len(queries) < 200 {
		d := docs[rng.IntN(len(docs))]
		p := d.Passages[rng.IntN(len(d.Passages))]
		runs := corpus.HanRuns(p.Text.ZH)
		if len(runs) == 0 {
			continue
		}
		rs := []rune(runs[rng.IntN(len(runs))])
		n := 1 + rng.IntN(min(6, len(rs)))
		i := rng.IntN(len(rs) - n + 1)
		q := string(rs[i : i+n])
		if rng.IntN(5) == 0 {
			q = `"` + q + `"`
		}
		queries = append(queries, q)
	}
	diffs, hits := 0, 0
	for _, q := range queries {
		for _, page := range []int{1, 3} {
			ra, err := a.Search(t.Context(), index.Query{Text: q, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			rb, err := b.Search(t.Context(), index.Query{Text: q, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			sa, sb := fmt.Sprint(ra.Total, ra.Facets), fmt.Sprint(rb.Total, rb.Facets)
			for _, h := range ra.Hits {
				sa += fmt.Sprint(h.Passage.ID, h.Score, h.Highlights)
			}
			for _, h := range rb.Hits {
				sb += fmt.Sprint(h.Passage.ID, h.Score, h.Highlights)
			}
			if sa != sb {
				diffs++
				if diffs < 5 {
					t.Errorf("%q page %d differs: total %d vs %d", q, page, ra.Total, rb.Total)
				}
			}
			if page == 1 {
				hits += ra.Total
			}
		}
	}
	t.Logf("%d queries (pages 1 and 3), %d differ, %d hits in all", len(queries), diffs, hits)
	if hits < 10*len(queries) {
		t.Errorf("%d hits for %d queries; the test needs matches", hits, len(queries))
	}
}
