package index

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// TestOnePassMatchesBleve answers queries of every kind with the one-pass
// search and with bleve's own search and facet builders: the hits, their
// order and scores, the totals and every facet must be the same.
func TestOnePassMatchesBleve(t *testing.T) {
	ixs := map[string]*Index{"essay": docValuesIndex(t, 1), "essay×3": docValuesIndex(t, 3)}
	queries := []Query{
		{},
		{Text: "华为"},
		{Text: "Huawei", Size: 100},
		{Text: "美国 政府"},
		{Text: `"United States"`},
		{Text: "government", Lang: corpus.English},
		{Text: "华为", Lang: corpus.Chinese},
		{Text: "ByteDance OR TikTok", Size: 50},
		{Text: "华为 -美国"},
		{Text: "-华为"},
		{Text: "Huawei", Companies: []string{"Huawei"}},
		{Text: "美国", Companies: []string{"Huawei", "ByteDance"}, Years: []int{2019, 2020}},
		{Text: "Huawei", YearFrom: 2010, YearTo: 2019},
		{Text: "Huawei", Years: []int{2019}, YearFrom: 2015},
		{Companies: []string{"ByteDance"}},
		{Speakers: []string{"Ren Zhengfei"}, Size: 100},
		{Sections: []corpus.Section{corpus.SectionTitle, corpus.SectionReference}},
		{Text: "Huawei", Page: 2, Size: 5},
		{Text: "华为", Page: 3, Size: 7, Sort: SortPosition},
		{Text: "no such word anywhere"},
		{Companies: []string{"No Such Company"}},
		{Text: "Huawei", Doc: "huawei-bytedance-abroad"},
		{Doc: "no-such-document"},
		{Text: "美国", Companies: []string{"Huawei", "ByteDance"}, CompaniesAll: true},
		{Companies: []string{"Huawei", "No Such Company"}, CompaniesAll: true},
		{Text: "Huawei", Speakers: []string{"Ren Zhengfei", "Zhang Yiming"}, SpeakersAll: true, Years: []int{2019}},
		{Text: `"iron curtain"`},
		{Text: "government", Lang: corpus.Chinese, Doc: "huawei-bytedance-abroad"},
		// One group of clauses: the language facet's sides unite
		// (sidesUnite), and a side that counts none leaves the total to
		// the other.
		{Text: "美国"},
		{Text: "美国政府 OR Huawei"},
		{Text: "TikTok"},
		{Text: "market"},
		{Text: `"海外市场"`},
		{Text: "市场", Companies: []string{"Huawei"}},
		{Text: "the"},
		{Text: "美*"},
		{Text: "en:Huawei"},
		{Text: "美国", Expand: true},
		{Sort: SortYear},
		{Sort: SortYearDesc, Size: 100},
		{Text: "华为", Sort: SortYear, Page: 2, Size: 7},
		{Text: "Huawei", Sort: SortYearDesc, Companies: []string{"Huawei"}},
		{Text: "美国 -华为", Sort: SortYearDesc, YearFrom: 2015, Page: 3, Size: 3},
		// A filter alone walks the passages it selects (filterAlone).
		{Companies: []string{"Huawei", "ByteDance"}, Page: 2, Size: 5},
		{Companies: []string{"Huawei", "ByteDance"}, CompaniesAll: true, Size: 50},
		{Speakers: []string{"Ren Zhengfei"}, Sort: SortYearDesc},
		{Years: []int{2019, 2020}, Size: 100},
		{YearFrom: 2015, YearTo: 2019, Sort: SortYear},
		{YearTo: 2010},
		{Doc: "huawei-bytedance-abroad", Page: 2},
		{Sections: []corpus.Section{corpus.SectionBody}, Sort: SortPosition},
		{Companies: []string{"Huawei"}, Years: []int{2019}},
	}
	// The language facet orders its counts by cost only past
	// estimateFrom hits, more than these indexes' searches find: the
	// second round orders every search's.
	defer func(n int) { estimateFrom = n }(estimateFrom)
	for round, from := range []int{estimateFrom, 0} {
		estimateFrom = from
		for name, ix := range ixs {
			name = fmt.Sprintf("%s, round %d", name, round+1)
			onePassMatchesBleve(t, name, ix, queries)
		}
	}
}

func onePassMatchesBleve(t *testing.T, name string, ix *Index, queries []Query) {
	t.Helper()
	// Searches go through bleve until the table is built.
	if _, err := ix.table(); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		ix.setOnePass(true)
		got := fresh(t, ix, q)
		ix.setOnePass(false)
		want := fresh(t, ix, q)
		ix.setOnePass(true)
		got.Took, want.Took = 0, 0
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Search(%+v): one pass differs from bleve's search (-bleve +one pass):\n%s", name, q, diff)
		}
	}
}
