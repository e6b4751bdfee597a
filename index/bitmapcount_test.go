package index

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// TestBitmapCountsMatchWalks counts the passages of each side's query of
// many searches (the essay's words and Chinese strings, names, ORs,
// exclusions, prefixes, phrases) from bitmaps and by walking the matches:
// where bitmapCount takes a query, the counts agree; and whole searches
// give the same language facet with the bitmaps as without.
func TestBitmapCountsMatchWalks(t *testing.T) {
	ix := benchIndex(t, 3)
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"华为", "Huawei", "TikTok", "Ren Zhengfei", "腾讯", "美国 OR market", "-华为 美国",
		"tech*", "字节*", `"United States"`, "the", "the market", "华为 Huawei", "华", "美国政府", "zh:TikTok", "en:华为"}
	for i, p := range doc.Passages {
		if i%5 != 0 {
			continue
		}
		if w := strings.Fields(p.Text.EN); len(w) > 4 {
			texts = append(texts, w[1], w[3]+" "+w[4], w[2]+" OR "+w[4])
		}
		for _, run := range corpus.HanRuns(p.Text.ZH) {
			if rs := []rune(run); len(rs) > 5 {
				texts = append(texts, string(rs[:2]), string(rs[1:4]))
			}
		}
	}
	tab, err := ix.table()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	taken, matched := 0, 0
	for _, text := range texts {
		cq, err := ix.compile(Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range corpus.Langs {
			tq, _, err := ix.textQuery(cq.all, l)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := ix.countByBitmaps(tq)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				continue
			}
			taken++
			pg, err := ix.onePass(ctx, tab, Query{}, tq, passOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got != pg.total {
				t.Errorf("%q on the %s side: %d passages from bitmaps, %d walked", text, l, got, pg.total)
			}
			if got > 0 {
				matched++
			}
		}
	}
	t.Logf("%d queries, %d side counts from bitmaps, %d of them above 0", len(texts), taken, matched)
	if taken < len(texts) || matched < 50 {
		t.Errorf("only %d side counts from bitmaps (%d above 0) for %d queries; the test checks too little", taken, matched, len(texts))
	}
	ix.SetCacheBytes(0)
	defer ix.SetCacheBytes(DefaultCacheBytes)
	for _, text := range texts {
		for _, q := range []Query{{Text: text}, {Text: text, Companies: []string{"Huawei"}}} {
			ix.noBitmapCounts.Store(true)
			want, err := ix.Search(ctx, q)
			ix.noBitmapCounts.Store(false)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Facets.Lang, got.Facets.Lang); diff != "" {
				t.Errorf("%+v: language facet (-walked +bitmaps):\n%s", q, diff)
			}
		}
	}
}
