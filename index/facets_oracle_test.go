package index_test

import (
	"maps"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// TestFacetsMatchOracle counts each facet of random searches by hand over
// the passages the oracle says match, with the filters of the other
// facets applied, and compares with the search's facets: on the essay and
// on the generated corpus of real text (gettext catalogues, gse's novel,
// essay passages with their companies renamed per document, so that many
// passages have a set of companies of their own). The queries are the
// oracle's (words, some with a filter), filters without words (one facet
// alone, and two), and the empty query.
func TestFacetsMatchOracle(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			o := newOracle(t, fx)
			r := rand.New(rand.NewPCG(21, 0))
			queries := []oracleQuery{{}}
			for len(queries) < 40 {
				p := o.ps[r.IntN(len(o.ps))].p
				var q oracleQuery
				if len(p.Companies) > 0 {
					q.Company = p.Companies[r.IntN(len(p.Companies))]
				}
				if len(p.Years) > 0 && (q.Company == "" || r.IntN(3) == 0) {
					q.Year = p.Years[r.IntN(len(p.Years))]
				}
				if q.Company == "" && q.Year == 0 {
					q.Section = p.Section
				}
				queries = append(queries, q)
			}
			n := 60
			if testing.Short() || raceEnabled {
				n = 15
			}
			for range n {
				if q, ok := o.query(r); ok {
					queries = append(queries, q)
				}
			}
			byID := map[string]*corpus.Passage{}
			for i := range o.ps {
				byID[o.ps[i].p.ID] = &o.ps[i].p
			}
			for _, q := range queries {
				checkFacets(t, o, byID, q)
			}
		})
	}
}

// checkFacets compares the facets of q's search with the oracle's counts.
func checkFacets(t *testing.T, o *oracle, byID map[string]*corpus.Passage, q oracleQuery) {
	t.Helper()
	res, err := o.fx.ix.Search(t.Context(), q.query())
	if err != nil {
		t.Fatalf("Search(%+v): %v", q.query(), err)
	}
	words := q
	words.Company, words.Year, words.Section = "", 0, ""
	matches := o.hits(words)
	// pass reports whether p passes q's filters but the one of facet skip.
	pass := func(p *corpus.Passage, skip string) bool {
		return (skip == "company" || q.Company == "" || contains(p.Companies, q.Company)) &&
			(skip == "year" || q.Year == 0 || contains(p.Years, q.Year)) &&
			(skip == "section" || q.Section == "" || p.Section == q.Section)
	}
	for _, f := range []struct {
		name   string
		got    []index.FacetValue
		values func(p *corpus.Passage) []string
	}{
		{"company", res.Facets.Company, func(p *corpus.Passage) []string { return p.Companies }},
		{"speaker", res.Facets.Speaker, func(p *corpus.Passage) []string { return p.Speakers }},
		{"year", res.Facets.Year, func(p *corpus.Passage) []string {
			var ys []string
			for _, y := range p.Years {
				ys = append(ys, strconv.Itoa(y))
			}
			return ys
		}},
		{"section", res.Facets.Section, func(p *corpus.Passage) []string { return []string{string(p.Section)} }},
		{"doc", res.Facets.Doc, func(p *corpus.Passage) []string { return []string{p.Doc} }},
	} {
		want := map[string]int{}
		for id := range matches {
			if p := byID[id]; pass(p, f.name) {
				for _, v := range f.values(p) {
					want[v]++
				}
			}
		}
		got := map[string]int{}
		for _, v := range f.got {
			got[v.Value] = v.Count
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: Search(%+v): facet %s has %d values, the oracle %d; first difference: %s",
				o.fx.name, q.query(), f.name, len(got), len(want), firstDiff(got, want))
		}
	}
}

func contains[T comparable](vs []T, v T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// firstDiff names a value whose counts differ.
func firstDiff(got, want map[string]int) string {
	for v, n := range want {
		if got[v] != n {
			return v + ": " + strconv.Itoa(got[v]) + ", oracle " + strconv.Itoa(n)
		}
	}
	for v, n := range got {
		if want[v] != n {
			return v + ": " + strconv.Itoa(n) + ", oracle " + strconv.Itoa(want[v])
		}
	}
	return "none"
}
