package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

func TestKWICLines(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	p := page{UI: "en", cat: ts.s.cat}
	zh := "到2019年，贸易战已演变成科技铁幕，字节跳动旗下的TikTok在美国承受压力。"
	en := strings.Repeat("long context ", 5) + "trade war\nends"
	start := strings.Index(zh, "科技铁幕")
	h := index.Hit{
		Passage: corpus.Passage{ID: "d/p001", Doc: "d", Position: 1, Text: corpus.Text{EN: en, ZH: zh}},
		Matches: map[corpus.Lang][]index.Span{
			corpus.Chinese: {
				{Start: start, End: start + len("科技铁幕")},
				{Start: start + 1, End: start + 3}, // inside a character: skipped
				{Start: 0, End: len(zh) + 1},       // past the end: skipped
			},
			corpus.English: {{Start: strings.Index(en, "trade"), End: strings.Index(en, "trade") + len("trade war")}},
		},
	}
	type line struct{ Left, Match, Right, Other, Href string }
	var got []line
	for _, l := range kwicLines(p, h, "", nil, url.Values{"q": {"trade war 科技铁幕"}}, kwicContext) {
		got = append(got, line{l.Left, l.Match, l.Right, l.Other[:6], l.Href})
	}
	// The links carry the search, for the passage view to mark it.
	href := "/passages/d/p001?q=trade+war+%E7%A7%91%E6%8A%80%E9%93%81%E5%B9%95#p001"
	want := []line{
		{"… long context long context long context ", "trade war", " ends", "到201", href},
		{"到2019年，贸易战已演变成", "科技铁幕", "，字节跳动旗下的TikTok在美国承受压力。", "long c", href},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kwicLines (-want +got):\n%s", diff)
	}
	if n := len(kwicLines(p, h, corpus.Chinese, nil, nil, kwicContext)); n != 1 {
		t.Errorf("kwicLines on the Chinese side: %d lines, want 1", n)
	}
}

func TestRunes(t *testing.T) {
	for _, tc := range []struct {
		s          string
		n          int
		last, head string
	}{
		{"华为和字节跳动", 3, "字节跳动"[3:], "华为和"},
		{"ab", 5, "ab", "ab"},
		{"", 3, "", ""},
	} {
		last, _ := lastRunes(tc.s, tc.n)
		head, _ := firstRunes(tc.s, tc.n)
		if last != tc.last || head != tc.head {
			t.Errorf("lastRunes/firstRunes(%q, %d) = %q, %q; want %q, %q", tc.s, tc.n, last, head, tc.last, tc.head)
		}
	}
}

func TestSortLines(t *testing.T) {
	mk := func(left, right string) kwicLine {
		words := sortWords(left)
		for i, j := 0, len(words)-1; i < j; i, j = i+1, j-1 {
			words[i], words[j] = words[j], words[i]
		}
		return kwicLine{Left: left, Right: right, Match: "M", leftKey: strings.Join(words, "\x01"), rightKey: strings.Join(sortWords(right), "\x01")}
	}
	lines := []kwicLine{mk("zebra the", "b"), mk("an apple", "A c"), mk("Big, a", "a"), mk("贸易战演变成", "x"), mk("中国", "y")}
	order := func() []string {
		var out []string
		for _, l := range lines {
			out = append(out, l.Left)
		}
		return out
	}
	sortLines(lines, "left")
	// By the word nearest the match, then the one before it.
	if diff := cmp.Diff([]string{"Big, a", "an apple", "zebra the", "中国", "贸易战演变成"}, order()); diff != "" {
		t.Errorf("sort by left (-want +got):\n%s", diff)
	}
	sortLines(lines, "right")
	if diff := cmp.Diff([]string{"Big, a", "an apple", "zebra the", "贸易战演变成", "中国"}, order()); diff != "" {
		t.Errorf("sort by right (-want +got):\n%s", diff)
	}
}

// TestContext cuts contexts on characters in Chinese and between words in
// English, never inside a word unless the word is all there is.
func TestContext(t *testing.T) {
	for _, tc := range []struct {
		s           string
		n           int
		left, right string
	}{
		{"the trade war between", 12, " war between", "the trade "},
		{"the trade war between", 9, " between", "the trade"},
		{"the trade war between", 8, " between", "the "},
		{"Antidisestablishment", 5, "hment", "Antid"},
		{"到2019年，贸易战已演变成", 5, "战已演变成", "到2019"},
		{"到2019年，贸易战已演变成", 3, "演变成", "到"},
		{"在美国的TikTok公司", 8, "TikTok公司", "在美国的"},
		{"在美国的TikTok公司", 6, "公司", "在美国的"},
		{"short", 10, "short", "short"},
	} {
		left, _ := leftContext(tc.s, tc.n)
		right, _ := rightContext(tc.s, tc.n)
		if left != tc.left || right != tc.right {
			t.Errorf("leftContext/rightContext(%q, %d) = %q, %q; want %q, %q", tc.s, tc.n, left, right, tc.left, tc.right)
		}
	}
}

// TestKWICBack reads back what a concordance line writes, and ignores
// anything else.
func TestKWICBack(t *testing.T) {
	for _, b := range []kwicBack{{"", 40, 1, 0}, {"left", 60, 2, 257}, {"right", 20, 10, 2000}} {
		got, ok := parseKWICBack(b.String())
		if !ok || got != b {
			t.Errorf("parseKWICBack(%q) = %+v, %v; want %+v", b.String(), got, ok, b)
		}
	}
	for _, s := range []string{"", "left", "left.60.2", "up.40.1.1", "left.41.1.1", "left.40.0.1", "left.40.11.1", "left.40.1.-1", "left.40.1.x"} {
		if b, ok := parseKWICBack(s); ok {
			t.Errorf("parseKWICBack(%q) = %+v, want it refused", s, b)
		}
	}
	back := kwicBack{"left", 60, 2, 57}.href(url.Values{"q": {"华为"}, "company": {"Huawei"}, "sort": {"position"}, "page": {"3"}, "ui": {"zh"}})
	if want := "/concordance?company=Huawei&page=2&q=%E5%8D%8E%E4%B8%BA&sort=left&ui=zh&width=60#l57"; back != want {
		t.Errorf("href = %s, want %s", back, want)
	}
}
