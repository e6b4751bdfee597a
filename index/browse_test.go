package index

import (
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// TestBrowsePage: the corpus in reading order, read from the store and
// the table's totals, is what a pass over every passage finds: the same
// page, scores, total and facets.
func TestBrowsePage(t *testing.T) {
	for name, ix := range map[string]*Index{"essay": testIndex(t), "essay×3": benchIndex(t, 3)} {
		tab, err := ix.table()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []Query{
			{}, {Page: 3, Size: 7}, {Sort: SortPosition, Size: 100}, {Lang: corpus.English, Page: 2},
			{Page: 40, Size: 10}, {Page: 1000}, {Size: MaxSize},
		} {
			q, err := normalize(q)
			if err != nil {
				t.Fatal(err)
			}
			pq, err := parseQuery(q.Text, ix.gaz)
			if err != nil {
				t.Fatal(err)
			}
			if !browsable(q, pq, len(filterQueries(q))) {
				t.Fatalf("%+v is not browsable", q)
			}
			got, err := ix.browsePage(tab, q)
			if err != nil {
				t.Fatal(err)
			}
			opts := passOptionsFor(q, true, q.Page*q.Size)
			opts.facets = true
			want, err := ix.onePass(t.Context(), tab, q, bleve.NewMatchAllQuery(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(page{})); diff != "" {
				t.Errorf("%s: %+v: (-one pass +browse)\n%s", name, q, diff)
			}
		}
	}
	for _, q := range []Query{{Sort: SortYear}, {Companies: []string{"Huawei"}}, {Text: "华为"}, {Text: "-华为"}} {
		q, _ = normalize(q)
		pq, err := parseQuery(q.Text, testIndex(t).gaz)
		if err != nil {
			t.Fatal(err)
		}
		if browsable(q, pq, len(filterQueries(q))) {
			t.Errorf("%+v is browsable", q)
		}
	}
}
