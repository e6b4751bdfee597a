package web

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

func TestClip(t *testing.T) {
	long := "The history of Huawei and byte going to sea: a history of struggle with the political circle of the United States"
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"", 10, ""},
		// At most a fifth too long: kept whole.
		{"abcdefghijkl", 10, "abcdefghijkl"},
		{"abcdefghijklm", 10, "abcdefghij…"},
		// Cut at the last space in the last quarter, punctuation dropped.
		{long, 40, "The history of Huawei and byte going to…"},
		{"one two three four five six", 20, "one two three four…"},
		{"Huawei and ByteDance abroad: a history of struggle", 30, "Huawei and ByteDance abroad: a…"},
		{"Huawei and ByteDance abroad: a history of struggle", 28, "Huawei and ByteDance abroad…"},
		// A space just past the width is a fine place to cut.
		{long, 36, "The history of Huawei and byte going…"},
		// A Chinese character is two columns: 23 of them (46) fit 40 with
		// the fifth to spare; 30 (60) do not.
		{"华为与字节跳动出海史：一部与美国政治圈的斗争史", 40, "华为与字节跳动出海史：一部与美国政治圈的斗争史"},
		{strings.Repeat("华为", 15), 40, strings.Repeat("华为", 10) + "…"},
		{"华为与字节跳动出海史：一部与美国政治圈的斗争史", 20, "华为与字节跳动出海史…"},
		// Widths too small for the fifth still cut safely.
		{"abcdef", 1, "a…"},
		{"华为", 1, "…"},
	} {
		if got := clip(tc.in, tc.width); got != tc.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

func TestDocLabel(t *testing.T) {
	title := corpus.Text{EN: "Huawei and ByteDance abroad: a history of struggle with US politics", ZH: "华为和字节跳动出海史"}
	for _, tc := range []struct {
		t    corpus.Text
		ui   string
		want docLabel
	}{
		{title, "en", docLabel{Short: "Huawei and ByteDance abroad: a history…", Full: title.EN, Lang: "en"}},
		{title, "zh", docLabel{Short: "华为和字节跳动出海史", Lang: "zh-Hans"}},
		{corpus.Text{ZH: "只有中文标题"}, "en", docLabel{Short: "只有中文标题", Lang: "zh-Hans"}},
		{corpus.Text{}, "en", docLabel{Short: "doc-id", Lang: "en"}},
	} {
		if got := docLabelOf(tc.t, "doc-id", tc.ui, 40); got != tc.want {
			t.Errorf("docLabelOf(%+v, %s) = %+v, want %+v", tc.t, tc.ui, got, tc.want)
		}
	}
}

func TestSideParts(t *testing.T) {
	text := "华为在达拉斯, Huawei in Dallas"
	at := func(s string) index.Span {
		i := strings.Index(text, s)
		return index.Span{Start: i, End: i + len(s)}
	}
	for _, tc := range []struct {
		name    string
		matches []index.Span
		want    []textPart
	}{
		{"none", nil, []textPart{{Text: text}}},
		{"two", []index.Span{at("华为"), at("Dallas")}, []textPart{
			{Text: "华为", Mark: true}, {Text: "在达拉斯, Huawei in "}, {Text: "Dallas", Mark: true},
		}},
		{"bad spans left out", []index.Span{
			{Start: 1, End: 3},             // inside a character
			at("在达拉斯"), {Start: 4, End: 8}, // overlaps the one before
			{Start: 0, End: len(text) + 1}, // past the end
			{Start: 5, End: 5},             // empty
		}, []textPart{{Text: "华为"}, {Text: "在达拉斯", Mark: true}, {Text: ", Huawei in Dallas"}}},
	} {
		got := side{Text: text, matches: tc.matches}.Parts()
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: Parts of %q with %v (-want +got):\n%s", tc.name, text, tc.matches, diff)
		}
		var joined strings.Builder
		for _, p := range got {
			joined.WriteString(p.Text)
		}
		if joined.String() != text {
			t.Errorf("%s: parts join to %q, want the text %q", tc.name, joined.String(), text)
		}
	}
}

func TestTextLang(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "en"},
		{"2020-08-03", "en"},
		{"Houchang 108", "en"},
		{"华为", "zh-Hans"},
		{"任正非 说", "zh-Hans"},
		{"新浪科技 Sina Tech", "zh-Hans"},
		{"The English side names 华为 (Huawei) throughout.", "en"},
		{"英文由机器翻译，Huawei 等名称照录。", "zh-Hans"},
	} {
		if got := textLang(tc.in); got != tc.want {
			t.Errorf("textLang(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNumbered(t *testing.T) {
	for _, tc := range []struct {
		text corpus.Text
		n    int
		want bool
	}{
		{corpus.Text{EN: "1. Huaweis global enclosure war", ZH: "1. 《华为》"}, 1, true},
		{corpus.Text{ZH: " [3] 《入世后》"}, 3, true},
		{corpus.Text{ZH: "2．《中国》"}, 2, true},
		{corpus.Text{EN: "10. A title"}, 1, false},
		{corpus.Text{EN: "Huawei Annual Report 2009"}, 1, false},
		{corpus.Text{}, 1, false},
	} {
		if got := numbered(tc.text, tc.n); got != tc.want {
			t.Errorf("numbered(%+v, %d) = %v, want %v", tc.text, tc.n, got, tc.want)
		}
	}
}
