package index

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestLangFacetCountsWhereWordsMatch: each language's count is the total of
// the same search restricted to that side, through the one-pass search and
// through bleve's; the review found "Chinese 4" after "iron curtain", which
// led to 0 hits.
func TestLangFacetCountsWhereWordsMatch(t *testing.T) {
	ix := docValuesIndex(t, 1)
	if _, err := ix.table(); err != nil {
		t.Fatal(err)
	}
	defer ix.setOnePass(true)
	for _, one := range []bool{true, false} {
		ix.setOnePass(one)
		for _, q := range []Query{
			{Text: `"iron curtain"`},
			{Text: "华为"},
			{Text: "Huawei", Companies: []string{"ByteDance"}},
			{Text: "华为 -美国"},
			{Text: "government", Lang: corpus.Chinese},
			{},
		} {
			r := fresh(t, ix, q)
			got := map[string]int{}
			for _, v := range r.Facets.Lang {
				got[v.Value] = v.Count
			}
			for _, l := range corpus.Langs {
				ql := q
				ql.Lang = l
				if want := fresh(t, ix, ql).Total; got[string(l)] != want {
					t.Errorf("one pass %v: Search(%+v) counts %d in %s; that search finds %d", one, q, got[string(l)], l, want)
				}
			}
		}
	}
	if r := find(t, ix, Query{Text: `"iron curtain"`}); slices.ContainsFunc(r.Facets.Lang, func(v FacetValue) bool { return v.Value == "zh" }) {
		t.Errorf(`"iron curtain" offers Chinese in its language facet: %+v`, r.Facets.Lang)
	}
}

// TestFacetAND checks CompaniesAll against a scan of every passage: the
// hits are exactly the passages naming both companies, and each company's
// count is what adding it to the AND gives.
func TestFacetAND(t *testing.T) {
	ix := docValuesIndex(t, 1)
	if _, err := ix.table(); err != nil {
		t.Fatal(err)
	}
	all := find(t, ix, Query{Size: MaxSize, Page: 1})
	var passages []corpus.Passage
	for p := 1; ; p++ {
		r := find(t, ix, Query{Size: MaxSize, Page: p})
		for _, h := range r.Hits {
			passages = append(passages, h.Passage)
		}
		if len(passages) >= all.Total || len(r.Hits) == 0 {
			break
		}
	}
	naming := func(cs ...string) []string {
		var out []string
		for _, p := range passages {
			ok := true
			for _, c := range cs {
				ok = ok && slices.Contains(p.Companies, c)
			}
			if ok {
				out = append(out, p.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	defer ix.setOnePass(true)
	for _, one := range []bool{true, false} {
		ix.setOnePass(one)
		q := Query{Companies: []string{"Huawei", "ByteDance"}, CompaniesAll: true, Size: MaxSize}
		r := fresh(t, ix, q)
		want := naming("Huawei", "ByteDance")
		if got := ids(r); !slices.Equal(got, want) || len(want) == 0 {
			t.Fatalf("one pass %v: Huawei AND ByteDance = %d passages %v, want %d %v", one, len(got), got, len(want), want)
		}
		or := fresh(t, ix, Query{Companies: []string{"Huawei", "ByteDance"}, Size: MaxSize})
		if or.Total <= r.Total {
			t.Errorf("one pass %v: Huawei OR ByteDance finds %d, AND %d; want OR to find more", one, or.Total, r.Total)
		}
		for _, v := range r.Facets.Company {
			if n := len(naming("Huawei", "ByteDance", v.Value)); v.Count != n {
				t.Errorf("one pass %v: with Huawei AND ByteDance, %s counts %d; adding it gives %d", one, v.Value, v.Count, n)
			}
		}
	}
}

// TestDocFacet counts hits by document and filters by one.
func TestDocFacet(t *testing.T) {
	ix := docValuesIndex(t, 3)
	if _, err := ix.table(); err != nil {
		t.Fatal(err)
	}
	defer ix.setOnePass(true)
	for _, one := range []bool{true, false} {
		ix.setOnePass(one)
		r := fresh(t, ix, Query{Text: "华为"})
		if len(r.Facets.Doc) < 2 {
			t.Fatalf("one pass %v: document facet %+v, want several documents", one, r.Facets.Doc)
		}
		sum := 0
		for _, v := range r.Facets.Doc {
			sum += v.Count
			if got := fresh(t, ix, Query{Text: "华为", Doc: v.Value}).Total; got != v.Count {
				t.Errorf("one pass %v: document %s counts %d, filtering by it finds %d", one, v.Value, v.Count, got)
			}
		}
		if sum != r.Total {
			t.Errorf("one pass %v: document counts add up to %d, total %d", one, sum, r.Total)
		}
		// With a document chosen, the others stay on offer.
		d := fresh(t, ix, Query{Text: "华为", Doc: r.Facets.Doc[0].Value})
		if len(d.Facets.Doc) != len(r.Facets.Doc) {
			t.Errorf("one pass %v: with a document chosen the facet lists %d documents, without %d", one, len(d.Facets.Doc), len(r.Facets.Doc))
		}
	}
}

// TestSelectSmallest checks the quickselect of termFacet against a sort,
// on random distinct keys, keys already in order and in reverse, for
// every k.
func TestSelectSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, n := range []int{1, 2, 3, 5, 17, 64, 301} {
		for _, shape := range []string{"random", "ascending", "descending"} {
			base := make([]uint64, n)
			seen := map[uint64]bool{}
			for i := range base {
				for {
					v := rng.Uint64N(1 << 40)
					if !seen[v] {
						seen[v], base[i] = true, v
						break
					}
				}
			}
			switch shape {
			case "ascending":
				slices.Sort(base)
			case "descending":
				slices.Sort(base)
				slices.Reverse(base)
			}
			want := slices.Sorted(slices.Values(base))
			for k := 0; k <= n; k++ {
				keys := slices.Clone(base)
				selectSmallest(keys, k)
				got := slices.Sorted(slices.Values(keys[:k]))
				if !slices.Equal(got, want[:k]) {
					t.Fatalf("%s n=%d k=%d: %v, want %v", shape, n, k, got, want[:k])
				}
			}
		}
	}
}
