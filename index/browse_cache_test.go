package index

import (
	"reflect"
	"slices"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestBrowseCache checks that the cached answers to the empty query are
// those of the query computed afresh, page by page and order by order.
func TestBrowseCache(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []Query{
		{},
		{Page: 2, Size: 5},
		{Size: 7, Sort: SortYearDesc},
		{Sort: SortYear},
	} {
		first := find(t, ix, q)  // computed, then cached
		second := find(t, ix, q) // from the cache
		// The same query with a filter every passage passes is never
		// cached: it is computed afresh.
		all := q
		all.Sections = corpus.Sections
		fresh := find(t, ix, all)
		for name, r := range map[string]*Results{"cached": second, "fresh": fresh} {
			if !slices.Equal(ids(r), ids(first)) || r.Total != first.Total {
				t.Errorf("%+v: %s answer has %d hits %v, first answer %d hits %v", q, name, r.Total, ids(r), first.Total, ids(first))
			}
		}
		if !slices.Equal(second.Facets.Company, first.Facets.Company) || !slices.Equal(second.Facets.Year, first.Facets.Year) {
			t.Errorf("%+v: cached facets differ from the computed ones", q)
		}
		if !reflect.DeepEqual(second.Query, first.Query) {
			t.Errorf("%+v: cached answer is for %+v, want %+v", q, second.Query, first.Query)
		}
	}
	p1, p2 := find(t, ix, Query{Size: 5}), find(t, ix, Query{Size: 5, Page: 2})
	if slices.Equal(ids(p1), ids(p2)) {
		t.Errorf("pages 1 and 2 of the empty query are the same: %v", ids(p1))
	}
}
