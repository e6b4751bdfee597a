package index

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// essayIndex builds the embedded essay once per test package: tests share
// one read-only generation.
var essayIndex = sync.OnceValues(func() (*Index, error) {
	dir, err := sharedTempDir("corpus-index-test-")
	if err != nil {
		return nil, err
	}
	doc, err := corpus.Essay()
	if err != nil {
		return nil, err
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	st, err := Build(context.Background(), dir, []*corpus.Document{doc}, gaz, BuildOptions{})
	if err != nil {
		return nil, err
	}
	return Open(filepath.Join(dir, st.Generation))
})

func testIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := essayIndex()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func find(t testing.TB, ix *Index, q Query) *Results {
	t.Helper()
	if q.Size == 0 {
		q.Size = MaxSize
	}
	r, err := ix.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return r
}

func ids(r *Results) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Passage.ID)
	}
	sort.Strings(out)
	return out
}

func TestSameEntityAcrossScripts(t *testing.T) {
	ix := testIndex(t)
	want := ids(find(t, ix, Query{Text: "华为"}))
	if len(want) < 20 {
		t.Fatalf("华为 finds %d passages, want many", len(want))
	}
	for _, q := range []string{"Huawei", "Huaweis", "华为", "華為", "HUAWEI", "Huawei's"} {
		got := ids(find(t, ix, Query{Text: q}))
		if !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %d passages, 华为 = %d; only in %q: %v; only in 华为: %v",
				q, len(got), len(want), q, minus(got, want), minus(want, got))
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func TestByteDanceFindsGarbledForms(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []string{"字节跳动", "ByteDance", "字節跳動"} {
		r := find(t, ix, Query{Text: q})
		var en []string
		for _, h := range r.Hits {
			en = append(en, strings.ToLower(h.Passage.Text.EN))
		}
		all := strings.Join(en, "\n")
		for _, want := range []string{"byte skipping", "tremble", "tiktok", "byte beat", "byte hop"} {
			if !strings.Contains(all, want) {
				t.Errorf("Search(%q): no hit's English contains %q", q, want)
			}
		}
	}
}

func TestPhrases(t *testing.T) {
	ix := testIndex(t)
	for _, tc := range []struct {
		q    string
		lang corpus.Lang
		want string // a substring every hit's side must contain
	}{
		{`"iron curtain"`, corpus.English, "iron curtain"},
		{`"科技铁幕"`, corpus.Chinese, "科技铁幕"},
		{`"Silicon Valley"`, corpus.English, "Silicon Valley"},
	} {
		r := find(t, ix, Query{Text: tc.q, Lang: tc.lang})
		if r.Total == 0 {
			t.Errorf("Search(%s, lang=%s) found nothing", tc.q, tc.lang)
		}
		for _, h := range r.Hits {
			if !strings.Contains(h.Passage.Text.Get(tc.lang), tc.want) {
				t.Errorf("Search(%s): hit %s lacks %q: %q", tc.q, h.Passage.ID, tc.want, h.Passage.Text.Get(tc.lang))
			}
			if len(h.Matches[tc.lang]) == 0 {
				t.Errorf("Search(%s): hit %s has no match spans on %s", tc.q, h.Passage.ID, tc.lang)
			}
		}
	}
}

func TestStemming(t *testing.T) {
	ix := testIndex(t)
	acq := find(t, ix, Query{Text: "acquisitions", Lang: corpus.English})
	found := false
	for _, h := range acq.Hits {
		if strings.Contains(h.Passage.Text.EN, "acquired") {
			found = true
		}
	}
	if !found {
		t.Errorf("acquisitions: no hit says \"acquired\" (%d hits)", acq.Total)
	}
}

func TestFacetCountsMatchFilteredTotals(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []Query{{}, {Text: "华为"}, {Text: "United States"}, {Text: "tiktok", Years: []int{2020}}} {
		r := find(t, ix, q)
		for _, v := range r.Facets.Company {
			f := q
			f.Companies = []string{v.Value}
			if got := find(t, ix, f).Total; got != v.Count {
				t.Errorf("Search(%+v) company facet %s = %d, filtered total %d", q, v.Value, v.Count, got)
			}
		}
		for _, v := range r.Facets.Speaker {
			f := q
			f.Speakers = []string{v.Value}
			if got := find(t, ix, f).Total; got != v.Count {
				t.Errorf("Search(%+v) speaker facet %s = %d, filtered total %d", q, v.Value, v.Count, got)
			}
		}
		if len(q.Years) == 0 {
			for _, v := range r.Facets.Year {
				f := q
				f.YearFrom, f.YearTo = atoi(v.Value), atoi(v.Value)
				if got := find(t, ix, f).Total; got != v.Count {
					t.Errorf("Search(%+v) year facet %s = %d, filtered total %d", q, v.Value, v.Count, got)
				}
			}
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// A selected value's alternatives stay visible with their counts.
func TestFacetKeepsAlternatives(t *testing.T) {
	ix := testIndex(t)
	all := find(t, ix, Query{})
	one := find(t, ix, Query{Companies: []string{"Huawei"}})
	if len(one.Facets.Company) != len(all.Facets.Company) {
		t.Errorf("company facet with Huawei selected has %d values, unfiltered %d", len(one.Facets.Company), len(all.Facets.Company))
	}
	if one.Total >= all.Total {
		t.Errorf("filter Huawei total %d, unfiltered %d", one.Total, all.Total)
	}
	for _, h := range one.Hits {
		if !slices.Contains(h.Passage.Companies, "Huawei") {
			t.Errorf("hit %s companies %v lacks Huawei", h.Passage.ID, h.Passage.Companies)
		}
	}
}

func TestBrowseInReadingOrder(t *testing.T) {
	ix := testIndex(t)
	r := find(t, ix, Query{})
	if r.Total != 79 {
		t.Errorf("browse total = %d, want 79", r.Total)
	}
	for i, h := range r.Hits {
		if h.Passage.Position != i {
			t.Fatalf("browse hit %d at position %d", i, h.Passage.Position)
		}
	}
}

func TestSorts(t *testing.T) {
	ix := testIndex(t)
	// A passage's key is its earliest year going up, its latest going
	// down; passages without a year come last either way.
	for _, tc := range []struct {
		sort Sort
		key  func([]int) int
		less func(a, b int) bool
	}{
		{SortYear, slices.Min[[]int], func(a, b int) bool { return a < b }},
		{SortYearDesc, slices.Max[[]int], func(a, b int) bool { return a > b }},
	} {
		r := find(t, ix, Query{Text: "Huawei", Sort: tc.sort, Size: MaxSize})
		dated, undated := 0, false
		for i, h := range r.Hits {
			if len(h.Passage.Years) == 0 {
				undated = true
				continue
			}
			if undated {
				t.Fatalf("sort=%s: %s has a year but comes after passages without one", tc.sort, h.Passage.ID)
			}
			y := tc.key(h.Passage.Years)
			if i > 0 && dated > 0 && tc.less(y, tc.key(r.Hits[i-1].Passage.Years)) {
				t.Fatalf("sort=%s: %s (year %d) after %s", tc.sort, h.Passage.ID, y, r.Hits[i-1].Passage.ID)
			}
			dated++
		}
		if dated < 10 || !undated {
			t.Fatalf("sort=%s: %d dated hits, undated ones: %v; the test needs both", tc.sort, dated, undated)
		}
	}
}

func TestHighlights(t *testing.T) {
	ix := testIndex(t)
	r := find(t, ix, Query{Text: "华为", Size: 5})
	for _, h := range r.Hits {
		en := strings.Join(h.Highlights[corpus.English], " ")
		zh := strings.Join(h.Highlights[corpus.Chinese], " ")
		if !strings.Contains(zh, "<mark>华为</mark>") && !strings.Contains(zh, "<mark>") {
			t.Errorf("%s: zh highlight %q has no mark", h.Passage.ID, zh)
		}
		if !strings.Contains(strings.ToLower(en), "<mark>huawei") {
			t.Errorf("%s: en highlight %q does not mark Huawei", h.Passage.ID, en)
		}
	}
}

func TestBadQueries(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []Query{
		{Page: -1}, {Size: -1}, {Size: MaxSize + 1}, {Page: MaxPage + 1},
		{Sort: "nonsense"}, {Lang: "fr"}, {Sections: []corpus.Section{"footer"}},
		{YearFrom: 2020, YearTo: 2001},
		{Text: strings.Repeat("华", 16000)},
		{Text: "\xff\xfe"},
		{Text: strings.Repeat("x", MaxQueryRunes+1)},
		{Text: "a*"},
	} {
		_, err := ix.Search(t.Context(), q)
		if !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%.60v) error = %v, want ErrBadQuery", q, err)
		}
	}
}

// Hostile inputs are literal text: they answer, quickly, without error.
func TestHostileQueriesAreLiteral(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []string{"*", strings.Repeat("a*", 100), "/.*/", "/.{0,500}x.{0,500}/", "word~5", "title:huawei", "+-&&||!(){}[]^~*?:\\/", "\x00\x01 huawei"} {
		if _, err := ix.Search(t.Context(), Query{Text: q}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
}

func TestPassageAndDocument(t *testing.T) {
	ix := testIndex(t)
	docs, _ := ix.Documents(t.Context())
	if len(docs) != 1 {
		t.Fatalf("Documents = %d, want 1", len(docs))
	}
	d, err := ix.Document(t.Context(), docs[0].Document.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Passages) != 79 || len(d.References) != 7 {
		t.Fatalf("document has %d passages, %d references", len(d.Passages), len(d.References))
	}
	mid := d.Passages[10]
	pc, err := ix.Passage(t.Context(), mid.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Prev != d.Passages[9].ID || pc.Next != d.Passages[11].ID {
		t.Errorf("Passage(%s) prev/next = %s/%s", mid.ID, pc.Prev, pc.Next)
	}
	if _, err := ix.Passage(t.Context(), "nope/p999"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("unknown passage: %v, want ErrNotFound", err)
	}
	if _, err := ix.Document(t.Context(), "nope"); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("unknown document: %v, want ErrNotFound", err)
	}
}

// TestCorrectionsSurviveTheIndex: the hand corrections of the essay's facets
// come back with the passages they correct, and no other passage has any.
func TestCorrectionsSurviveTheIndex(t *testing.T) {
	ix := testIndex(t)
	src, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ix.Document(t.Context(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	corrected := 0
	for i, p := range d.Passages {
		if diff := cmp.Diff(src.Passages[i].Corrections, p.Corrections); diff != "" {
			t.Errorf("%s: corrections (-source +index):\n%s", p.ID, diff)
		}
		corrected += min(1, len(p.Corrections))
	}
	if corrected != 2 {
		t.Errorf("%d passages with hand corrections, want the essay's 2", corrected)
	}
	pc, err := ix.Passage(t.Context(), src.ID+"/p025")
	if err != nil {
		t.Fatal(err)
	}
	if len(pc.Passage.Corrections) != 1 || !strings.Contains(pc.Passage.Corrections[0].Why, "Wuzhen") {
		t.Errorf("p025's corrections: %+v", pc.Passage.Corrections)
	}
}
