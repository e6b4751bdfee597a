package index

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// TestScanMatchesPaging: Scan gives the hits that paging through Search
// gives, in the same order, with the same scores and highlights, in one
// pass or in one bleve search.
func TestScanMatchesPaging(t *testing.T) {
	ix := docValuesIndex(t, 3)
	if _, err := ix.table(); err != nil {
		t.Fatal(err)
	}
	defer ix.setOnePass(true)
	for _, one := range []bool{true, false} {
		ix.setOnePass(one)
		scanMatchesPaging(t, ix, one)
	}
}

func scanMatchesPaging(t *testing.T, ix *Index, onePass bool) {
	for _, tc := range []struct {
		q     Query
		limit int
	}{
		{Query{Text: "华为"}, 1000},
		{Query{Text: "Huawei", Companies: []string{"ByteDance"}}, 1000},
		{Query{Text: `"United States"`, Lang: corpus.English}, 7},
		{Query{Text: "美国 -华为", Sort: SortPosition}, 150},
		{Query{}, 250},
		{Query{Speakers: []string{"Ren Zhengfei"}}, 1000},
		{Query{Text: "美国", Sort: SortYear}, 130},
		{Query{Text: "美国", Sort: SortYearDesc, Page: 3, Size: 2}, 40},
		{Query{Text: "no such words"}, 10},
	} {
		var want []Hit
		wantTotal := 0
		p := tc.q
		p.Page, p.Size = 1, MaxSize
		for len(want) < tc.limit {
			r := fresh(t, ix, p)
			wantTotal = r.Total
			want = append(want, r.Hits...)
			if len(r.Hits) < MaxSize {
				break
			}
			p.Page++
		}
		want = want[:min(len(want), tc.limit)]
		var got []Hit
		err := ix.Scan(t.Context(), tc.q, tc.limit, func(total int, h Hit) error {
			if total != wantTotal {
				t.Fatalf("Scan(%+v): total %d, want %d", tc.q, total, wantTotal)
			}
			got = append(got, h)
			return nil
		})
		if err != nil {
			t.Fatalf("Scan(%+v): %v", tc.q, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Scan(%+v, %d), one pass %v: differs from paging through Search (-pages +scan):\n%s", tc.q, tc.limit, onePass, diff)
		}
	}
}

func TestScanLimits(t *testing.T) {
	ix := testIndex(t)
	for _, limit := range []int{0, -1, MaxExport + 1} {
		if err := ix.Scan(t.Context(), Query{Text: "华为"}, limit, func(int, Hit) error { return nil }); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Scan with limit %d: %v, want ErrBadQuery", limit, err)
		}
	}
	if err := ix.Scan(t.Context(), Query{Text: strings.Repeat("x ", MaxQueryBytes)}, 10, func(int, Hit) error { return nil }); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Scan of a bad query: %v, want ErrBadQuery", err)
	}
	stop := errors.New("stop")
	n := 0
	err := ix.Scan(t.Context(), Query{Text: "华为"}, 100, func(int, Hit) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("Scan stopped by its callback: %v after %d hits, want stop after 3", err, n)
	}
}
