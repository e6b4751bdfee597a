package index

import (
	"strings"
	"testing"
	"unicode/utf8"
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
