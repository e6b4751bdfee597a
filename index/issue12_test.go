package index

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// allIDs returns every hit of q, sorted.
func allIDs(t *testing.T, ix *Index, q Query) []string {
	t.Helper()
	var out []string
	err := ix.Scan(t.Context(), q, MaxExport, func(_ int, h Hit) error {
		out = append(out, h.Passage.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("Scan(%q): %v", q.Text, err)
	}
	slices.Sort(out)
	return out
}

// withText returns the passages of the essay whose side lang contains s
// (folded, lower-cased), sorted.
func withText(t *testing.T, lang corpus.Lang, s string) []string {
	t.Helper()
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range doc.Passages {
		if strings.Contains(strings.ToLower(corpus.Fold(p.Text.Get(lang))), strings.ToLower(corpus.Fold(s))) {
			out = append(out, p.ID)
		}
	}
	slices.Sort(out)
	return out
}

func unionSorted(a, b []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(a), b...))))
}

// withWords returns the essay passages whose English side has the words
// of re (a regexp over the lower-cased text), sorted.
func withWords(t *testing.T, re string) []string {
	t.Helper()
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	rx := regexp.MustCompile(re)
	var out []string
	for _, p := range doc.Passages {
		if rx.MatchString(strings.ToLower(p.Text.EN)) {
			out = append(out, p.ID)
		}
	}
	slices.Sort(out)
	return out
}

// TestIssue12 checks the queries issue 12 found failing, on the essay.
func TestIssue12(t *testing.T) {
	ix := testIndex(t)
	ids := func(text string, lang corpus.Lang) []string { return allIDs(t, ix, Query{Text: text, Lang: lang}) }

	// Stop words score but never gate; alone they are a query.
	if got, want := ids("the iron curtain", ""), ids("iron curtain", ""); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("the iron curtain: %v, want those of iron curtain: %v", got, want)
	}
	for _, q := range []string{"Huawei and ByteDance", "visit to Silicon Valley"} {
		if len(ids(q, "")) == 0 {
			t.Errorf("%q finds nothing", q)
		}
	}
	if got, want := ids("the", corpus.English), withWords(t, `\bthe\b`); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("the (lang=en): %d passages, want %d", len(got), len(want))
	}
	// A quoted phrase keeps its stop words, in order.
	if got, want := ids(`"in the"`, corpus.English), withWords(t, `\bin the\b`); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf(`"in the": %d passages, want %d`, len(got), len(want))
	}
	// Any Chinese string, whatever the segmenter made of it.
	for _, s := range []string{"美国", "中国", "全球", "一鸣", "铁幕", "的"} {
		want := withText(t, corpus.Chinese, s)
		got := ids(s, corpus.Chinese)
		if len(want) == 0 {
			t.Fatalf("the essay has no %s", s)
		}
		// Entities add passages that name the same thing otherwise.
		if missing, _ := diff(want, got); len(missing) > 0 {
			t.Errorf("%s: misses %v", s, missing)
		}
	}
	if got, want := ids("一鸣", ""), withText(t, corpus.Chinese, "一鸣"); !slices.Equal(got, want) {
		t.Errorf("一鸣: %v, want %v", got, want)
	}
	// OR binds to whole operands (the essay has no 中美贸易).
	a, b := ids("任正非", ""), ids("中美之间", "")
	if got := ids("任正非 OR 中美之间", ""); len(a) == 0 || len(b) == 0 || !slices.Equal(got, unionSorted(a, b)) {
		t.Errorf("任正非 OR 中美之间: %v, want %v ∪ %v", got, a, b)
	}
	// A name with a middle dot finds the English side that names it.
	if got, want := ids("史蒂芬·拜", corpus.English), withWords(t, `stephen bye`); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("史蒂芬·拜 (lang=en): %v, want %v", got, want)
	}
	// Exclusion by entity, in both languages: -华为 drops the passages
	// that name Huawei on either side.
	for _, id := range ids("美国 -华为", "") {
		if slices.Contains(ids("Huawei", ""), id) {
			t.Errorf("美国 -华为 keeps %s, which names Huawei", id)
		}
	}
	// Prefixes.
	tech := ids("tech*", "")
	for _, w := range []string{"technology", "technologies", "tech", "technical"} {
		if missing, _ := diff(withWords(t, `\b`+w+`\b`), tech); len(missing) > 0 {
			t.Errorf("tech* misses %v, which say %q", missing, w)
		}
	}
	// A whole page of text is one query.
	doc, _ := corpus.Essay()
	var zh []rune
	for _, p := range doc.Passages {
		zh = append(zh, []rune(p.Text.ZH)...)
	}
	if _, err := ix.Search(t.Context(), Query{Text: string(zh[:MaxQueryRunes])}); err != nil {
		t.Errorf("%d characters of the essay: %v", MaxQueryRunes, err)
	}
}

// diff returns what of want got lacks and what got has beyond it.
func diff(want, got []string) (missing, extra []string) {
	for _, s := range want {
		if !slices.Contains(got, s) {
			missing = append(missing, s)
		}
	}
	for _, s := range got {
		if !slices.Contains(want, s) {
			extra = append(extra, s)
		}
	}
	return missing, extra
}
