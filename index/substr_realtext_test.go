package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// TestSubstrRealTextMatchesBleve builds passages of real text (gettext
// catalogues, gse's novel, the essay) twice, with the substring and word
// indexes and with the text fields in bleve as format 8 kept them, and
// searches Chinese strings and English words drawn from the passages, some
// quoted, some as prefixes: pages 1 and 3 of each must be the same
// (totals, facets, hits, scores, highlights). The unit tests compare
// postings on the essay; this is the text nobody here wrote.
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
	index.WithBleveText(&legacy)
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
	for len(queries) < 350 {
		d := docs[rng.IntN(len(docs))]
		words := strings.FieldsFunc(d.Passages[rng.IntN(len(d.Passages))].Text.EN, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
		})
		if len(words) == 0 {
			continue
		}
		n := 1 + rng.IntN(min(3, len(words)))
		i := rng.IntN(len(words) - n + 1)
		q := strings.Join(words[i:i+n], " ")
		switch rng.IntN(5) {
		case 0:
			q = `"` + q + `"`
		case 1:
			if w := words[i]; len(w) > 3 {
				q = w[:3] + "*"
			}
		}
		queries = append(queries, q)
	}
	diffs, hits := 0, 0
	// b also answers each query through bleve's searchers, nothing kept:
	// the direct search must give the same answers to the last bit.
	b.SetCacheBytes(0)
	through := func(q index.Query, direct bool) string {
		index.SetDirect(b, direct)
		defer index.SetDirect(b, true)
		r, err := b.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		out := fmt.Sprint(r.Total, r.Facets)
		for _, h := range r.Hits {
			out += fmt.Sprintf("%s %v", h.Passage.ID, h.Score)
		}
		return out
	}
	directDiffs := 0
	for _, q := range queries {
		if d, s := through(index.Query{Text: q}, true), through(index.Query{Text: q}, false); d != s {
			directDiffs++
			if directDiffs < 5 {
				t.Errorf("%q: the direct search's answer differs from bleve's searchers':\n%s\n%s", q, d, s)
			}
		}
	}
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
			// Scores to 12 digits: a disjunction (a prefix's words) sums
			// its clauses' scores in the order of its heap, which
			// differs with the order of the documents, which differs
			// between two builds of the same passages, in the last bit.
			for _, h := range ra.Hits {
				sa += fmt.Sprintf("%s %.12g %v", h.Passage.ID, h.Score, h.Highlights)
			}
			for _, h := range rb.Hits {
				sb += fmt.Sprintf("%s %.12g %v", h.Passage.ID, h.Score, h.Highlights)
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
