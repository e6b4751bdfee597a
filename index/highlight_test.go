package index

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

func TestFragments(t *testing.T) {
	long := strings.Repeat("华为在美国。", 100) + "<b>tail</b>"
	for _, tc := range []struct {
		name  string
		text  string
		spans []Span
		want  []string
	}{
		{"short whole", "a <b> c", []Span{{0, 1}}, []string{"<mark>a</mark> &lt;b&gt; c"}},
		{"no match short", "x & y", nil, []string{"x &amp; y"}},
		{"adjacent", "abcd", []Span{{0, 2}, {2, 4}}, []string{"<mark>ab</mark><mark>cd</mark>"}},
	} {
		got := fragments(tc.text, tc.spans)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: fragments(%q, %v) = %q, want %q", tc.name, tc.text, tc.spans, got, tc.want)
		}
	}
	i := strings.Index(long, "tail")
	got := fragments(long, []Span{{i, i + 4}})
	if len(got) != 1 || !strings.HasPrefix(got[0], "… ") || !strings.Contains(got[0], "<mark>tail</mark>") {
		t.Errorf("long text fragment = %q", got)
	}
}

// FuzzFragments checks the contract of Hit.Highlights: once <mark> and
// </mark> are removed, no markup is left, and fragments are valid UTF-8.
func FuzzFragments(f *testing.F) {
	f.Add("a <script>alert(1)</script> b", 2, 10)
	f.Add(strings.Repeat("华为<img src=x onerror=alert(1)>", 40), 3, 30)
	f.Add("\xff\xfe<", 0, 1)
	f.Fuzz(func(t *testing.T, text string, a, b int) {
		if a < 0 || b < 0 {
			return
		}
		a, b = a%(len(text)+1), b%(len(text)+1)
		if a > b {
			a, b = b, a
		}
		// Spans come from analyzers, which cut on rune boundaries.
		for a > 0 && a < len(text) && !utf8.RuneStart(text[a]) {
			a--
		}
		for b < len(text) && !utf8.RuneStart(text[b]) {
			b++
		}
		for _, fr := range fragments(text, mergeSpans([]Span{{a, b}})) {
			plain := strings.ReplaceAll(strings.ReplaceAll(fr, "<mark>", ""), "</mark>", "")
			if strings.ContainsAny(plain, "<>") {
				t.Fatalf("fragment %q has markup besides <mark>", fr)
			}
		}
	})
}

func TestFragmentsCutBetweenWords(t *testing.T) {
	text := strings.Repeat("alpha beta gamma delta ", 20) + "target " + strings.Repeat("epsilon zeta eta theta ", 20)
	i := strings.Index(text, "target")
	got := fragments(text, []Span{{i, i + 6}})
	if len(got) != 1 {
		t.Fatalf("fragments = %q", got)
	}
	f := strings.TrimSuffix(strings.TrimPrefix(got[0], "… "), " …")
	words := strings.Fields(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f))
	valid := map[string]bool{"alpha": true, "beta": true, "gamma": true, "delta": true, "target": true, "epsilon": true, "zeta": true, "eta": true, "theta": true}
	for _, w := range words {
		if !valid[w] {
			t.Errorf("fragment %q cuts a word: %q", got[0], w)
		}
	}
}

// TestHighlightSkipsOnlyUnreadSides checks that marking a page without
// segmenting the sides nothing reads (readsWords, passageMentions) marks
// exactly what analysing every side marks, on every passage of the essay,
// for queries of every kind, Latin words inside Chinese text among them.
func TestHighlightSkipsOnlyUnreadSides(t *testing.T) {
	ix := testIndex(t)
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"华为", "Huawei", "美国", "TikTok", "tiktok", "ＴｉｋＴｏｋ", "5G", "Mate", `"Y Combinator"`,
		`"United States"`, "tech*", "字节*", `"the iron curtain"`, "ByteDance OR 字节跳动",
		"en:Huawei", "zh:TikTok", "Google 美国", "Ren Zhengfei", "任正非", "market", "-华为 美国",
		`"Piper Sandler"`, `"Leap Wireless" 华为`, `"Combinator Y"`,
	}
	// First with nothing kept, so that every side takes the shortcuts,
	// against every side analysed; then with the token cache, where a
	// side's kept analysis is used and names found alone are kept without
	// tokens: both highlighters must still mark what the first round's
	// analysed sides marked.
	defer ix.SetTokenCacheBytes(DefaultTokenCacheBytes)
	want := map[string]Hit{}
	checked := 0
	for _, keep := range []int64{0, DefaultTokenCacheBytes} {
		ix.SetTokenCacheBytes(keep)
		for _, text := range queries {
			for _, expand := range []bool{false, true} {
				cq, err := ix.compile(Query{Text: text, Expand: expand})
				if err != nil {
					t.Fatal(err)
				}
				fast, all := ix.newHighlighter(cq), ix.newHighlighter(cq)
				all.analyseAll = true
				for _, p := range doc.Passages {
					k := fmt.Sprintf("%q (expand %v), passage %s", text, expand, p.ID)
					if keep == 0 {
						want[k] = all.hit(p, 1)
						if len(want[k].Matches[corpus.Chinese]) > 0 {
							checked++
						}
					}
					for name, h := range map[string]*highlighter{"skipping": fast, "every side analysed": all} {
						if diff := cmp.Diff(want[k], h.hit(p, 1)); diff != "" {
							t.Errorf("%s, token cache %d: %s marks differently (-every side analysed, nothing kept +%s):\n%s", k, keep, name, name, diff)
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d Chinese sides marked; the queries test too little", checked)
	}
}
