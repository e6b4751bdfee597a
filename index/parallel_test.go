package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

func TestSplitSides(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want sideText
	}{
		{`华为 "trade war"`, sideText{both: `华为 "trade war"`}},
		{`en:"iron curtain" -zh:铁幕`, sideText{en: `"iron curtain"`, zh: "-铁幕"}},
		{`Huawei EN:technology -ZH:技术 OR zh:科技`, sideText{both: "Huawei OR", en: "technology", zh: "-技术 科技"}},
		{`~"iron curtain"`, sideText{both: `"iron curtain"`, expand: true}},
		{`en: zh:`, sideText{both: "en: zh:"}},
		{`-"a b" en:“x y”`, sideText{both: `-"a b"`, en: "“x y”"}},
		{`华为 en:(a OR "b c" -d) -zh:(铁幕 "科技 铁幕")`, sideText{both: "华为", en: `a OR "b c" -d`, zh: `-铁幕 -"科技 铁幕"`}},
		{`en:(unclosed "x)`, sideText{en: `unclosed "x`}},
	} {
		got := splitSides(tc.in)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(sideText{})); diff != "" {
			t.Errorf("splitSides(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// The translator's check: passages whose English says "technology" and
// whose Chinese lacks its dictionary equivalent 技术. Every hit is checked
// against its text, and the passages are those the text shows.
func TestParallelQueryLacksEquivalent(t *testing.T) {
	ix := testIndex(t)
	eqs := ix.equivalents("technology")
	if len(eqs) == 0 || eqs[0].Text != "技术" || !eqs[0].Exact || eqs[0].Lang != corpus.Chinese {
		t.Fatalf("equivalents(technology) = %+v, want 技术 first", eqs)
	}
	r := find(t, ix, Query{Text: `en:technology -zh:技术`})
	var want []string
	for _, p := range essayPassages(t) {
		if strings.Contains(strings.ToLower(p.Text.EN), "technology") && !strings.Contains(p.Text.ZH, "技术") {
			want = append(want, p.ID)
		}
	}
	if len(want) == 0 {
		t.Fatal("the essay has no passage for the test")
	}
	got := ids(r)
	// "technologies" and "technological" share the stem: the text check
	// above uses the commonest form, so the index may find more.
	for _, id := range want {
		if !contains(got, id) {
			t.Errorf("%s: English has technology, Chinese lacks 技术, not found; got %v", id, got)
		}
	}
	for _, h := range r.Hits {
		if strings.Contains(h.Passage.Text.ZH, "技术") || !strings.Contains(strings.ToLower(h.Passage.Text.EN), "technolog") {
			t.Errorf("%s matches, but its sides are %q / %q", h.Passage.ID, h.Passage.Text.EN, h.Passage.Text.ZH)
		}
		if len(h.Matches[corpus.English]) == 0 {
			t.Errorf("%s: no match marked in English", h.Passage.ID)
		}
	}
	// The passage the issue has in mind: "the iron curtain of technology",
	// 科技铁幕.
	if !contains(got, "huawei-bytedance-abroad/p059") {
		t.Errorf("p059 not found: %v", got)
	}
	// Each side's words match only there: "technology" in the Chinese
	// box finds nothing.
	if r := find(t, ix, Query{Text: `zh:technology`}); r.Total != 0 {
		t.Errorf("zh:technology finds %d passages", r.Total)
	}
	// The side conditions and the plain query combine.
	if r := find(t, ix, Query{Text: `en:"iron curtain" -zh:铁幕`}); r.Total != 0 {
		t.Errorf("en:\"iron curtain\" -zh:铁幕 finds %v; every iron curtain is 铁幕 in the essay", ids(r))
	}
	if r := find(t, ix, Query{Text: `en:"iron curtain" zh:铁幕`}); r.Total != 4 {
		t.Errorf("en:\"iron curtain\" zh:铁幕 finds %d, want 4", r.Total)
	}
}

func contains(ss []string, s string) bool {
	return slices.Contains(ss, s)
}

// "iron curtain" marks 铁幕 on the Chinese side as its equivalent, and
// 铁幕 marks "iron curtain" on the English side.
func TestEquivalentsMarked(t *testing.T) {
	ix := testIndex(t)
	for _, tc := range []struct {
		q         string
		lang      corpus.Lang // where the equivalent is
		word      string
		wantTotal int
	}{
		{`"iron curtain"`, corpus.Chinese, "铁幕", 4},
		{"铁幕", corpus.English, "iron curtain", 4},
		{`en:"iron curtain"`, corpus.Chinese, "铁幕", 4},
	} {
		r := find(t, ix, Query{Text: tc.q})
		if r.Total != tc.wantTotal {
			t.Errorf("%s: %d hits, want %d", tc.q, r.Total, tc.wantTotal)
		}
		for _, h := range r.Hits {
			text := h.Passage.Text.Get(tc.lang)
			eq := h.Equivalents[tc.lang]
			if len(eq) != 1 || strings.ToLower(text[eq[0].Start:eq[0].End]) != tc.word {
				t.Errorf("%s: %s: equivalents %v, want %q marked", tc.q, h.Passage.ID, eq, tc.word)
				continue
			}
			if !contains(spansText(text, h.Matches[tc.lang]), text[eq[0].Start:eq[0].End]) {
				t.Errorf("%s: %s: %q is not among the marks %v", tc.q, h.Passage.ID, tc.word, h.Matches[tc.lang])
			}
			if !strings.Contains(strings.Join(h.Highlights[tc.lang], ""), "<mark>"+text[eq[0].Start:eq[0].End]+"</mark>") {
				t.Errorf("%s: %s: highlights %q do not mark %q", tc.q, h.Passage.ID, h.Highlights[tc.lang], tc.word)
			}
		}
	}
	// The frequency list does not count equivalents as matches.
	f, err := ix.Frequency(t.Context(), FreqQuery{Query: Query{Text: `"iron curtain"`}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Forms) != 1 || f.Forms[0].Form != "iron curtain" || f.Forms[0].Count != 4 {
		t.Errorf("forms of \"iron curtain\" = %+v, want only iron curtain ×4", f.Forms)
	}
}

func spansText(text string, ss []Span) []string {
	var out []string
	for _, s := range ss {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

// ~ (or Query.Expand) also finds the passages whose other side has an
// equivalent: ~铁幕 in English finds the four iron curtains.
func TestExpandToEquivalents(t *testing.T) {
	ix := testIndex(t)
	if r := find(t, ix, Query{Text: "铁幕", Lang: corpus.English}); r.Total != 0 {
		t.Fatalf("铁幕 in English finds %d without expansion", r.Total)
	}
	a := find(t, ix, Query{Text: "~铁幕", Lang: corpus.English})
	b := find(t, ix, Query{Text: "铁幕", Lang: corpus.English, Expand: true})
	if a.Total != 4 || b.Total != 4 {
		t.Errorf("~铁幕 in English finds %d, Expand %d; want 4", a.Total, b.Total)
	}
	for _, h := range a.Hits {
		if !strings.Contains(strings.ToLower(h.Passage.Text.EN), "iron curtain") {
			t.Errorf("%s: no iron curtain in %q", h.Passage.ID, h.Passage.Text.EN)
		}
	}
	eqs, err := ix.Equivalents("铁幕 technology")
	if err != nil {
		t.Fatal(err)
	}
	if len(eqs) < 2 || eqs[0] != (Equivalent{Of: "铁幕", Lang: corpus.English, Text: "iron curtain", Exact: true}) {
		t.Errorf("Equivalents(铁幕 technology) = %+v", eqs)
	}
}

// "iron curtain" typed without quotes is still one gloss: 铁幕 is its
// equivalent, marked and expanded to, and "iron" alone adds nothing.
func TestEquivalentsOfUnquotedRun(t *testing.T) {
	ix := testIndex(t)
	eqs, err := ix.Equivalents("iron curtain")
	if err != nil {
		t.Fatal(err)
	}
	if len(eqs) != 1 || eqs[0].Text != "铁幕" {
		t.Errorf("Equivalents(iron curtain) = %+v, want 铁幕 alone", eqs)
	}
	r := find(t, ix, Query{Text: "iron curtain"})
	for _, h := range r.Hits {
		zh := h.Passage.Text.ZH
		for _, s := range h.Equivalents[corpus.Chinese] {
			if zh[s.Start:s.End] != "铁幕" {
				t.Errorf("%s: marks %q", h.Passage.ID, zh[s.Start:s.End])
			}
		}
	}
	if r := find(t, ix, Query{Text: "~iron curtain", Lang: corpus.Chinese}); r.Total != 4 {
		t.Errorf("~iron curtain in Chinese finds %d, want the 4 铁幕", r.Total)
	}
}
