package web

import (
	"errors"
	"html/template"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  index.Query
		err   string // substring of the error; "" for none
	}{
		{"", index.Query{}, ""},
		{"q=%E5%8D%8E%E4%B8%BA", index.Query{Text: "华为"}, ""},
		{"q=++trade+war++", index.Query{Text: "trade war"}, ""},
		{"q=" + strings.Repeat("a", 256), index.Query{Text: strings.Repeat("a", 256)}, ""},
		{"lang=en", index.Query{Lang: corpus.English}, ""},
		{"lang=zh", index.Query{Lang: corpus.Chinese}, ""},
		{"lang=all", index.Query{}, ""},
		{"company=Huawei&company=ByteDance&company=Huawei&company=", index.Query{Companies: []string{"Huawei", "ByteDance"}}, ""},
		{"speaker=Ren+Zhengfei", index.Query{Speakers: []string{"Ren Zhengfei"}}, ""},
		{"year=2009&year=2019&year=2009", index.Query{Years: []int{2009, 2019}}, ""},
		{"year_from=2001&year_to=2001", index.Query{YearFrom: 2001, YearTo: 2001}, ""},
		{"year_from=2001&year_to=", index.Query{YearFrom: 2001}, ""},
		{"section=caption&section=title", index.Query{Sections: []corpus.Section{corpus.SectionCaption, corpus.SectionTitle}}, ""},
		{"doc=huawei-bytedance", index.Query{Doc: "huawei-bytedance"}, ""},
		{"page=3&size=100", index.Query{Page: 3, Size: 100}, ""},
		{"page=1000", index.Query{Page: 1000}, ""},
		{"page=&size=", index.Query{}, ""},
		{"sort=-year", index.Query{Sort: index.SortYearDesc}, ""},
		{"sort=relevance", index.Query{Sort: index.SortRelevance}, ""},
		{"ui=zh&format=csv&unknown=1", index.Query{}, ""},

		{"q=" + strings.Repeat("a", index.MaxQueryRunes+1), index.Query{}, "q is too long: 1001 characters, at most 1000"},
		{"q=" + strings.Repeat("𠀀", index.MaxQueryRunes+1), index.Query{}, "q is too long: 4004 bytes, at most 4000"},
		{"q=" + strings.Repeat("a*", 200), index.Query{Text: strings.Repeat("a*", 200)}, ""},
		{"q=a%0Ab%09c", index.Query{Text: "a b c"}, ""},
		{"q=%ff", index.Query{}, "q is not valid UTF-8 text"},
		{"q=a%00", index.Query{}, "q contains a control character (U+0000)"},
		{"q=a%7f", index.Query{}, "control character (U+007F)"},
		{"q=a%C2%85", index.Query{}, "control character (U+0085)"},
		{"q=a&q=b", index.Query{}, "q is given 2 times"},
		{"lang=fr", index.Query{}, `lang must be en, zh or all, got "fr"`},
		{"lang=EN", index.Query{}, "lang must be"},
		{"company=%ff", index.Query{}, "company is not valid UTF-8"},
		{"speaker=" + strings.Repeat("x", 201), index.Query{}, "speaker is too long"},
		{"company=" + strings.Repeat("a&company=", 20) + "b", index.Query{}, "company is given 21 times, at most 20"},
		{"year=09", index.Query{}, `year must be a year of four digits like 2009, got "09"`},
		{"year=0999", index.Query{}, "year must be"},
		{"year=20090", index.Query{}, "year must be"},
		{"year=+2009", index.Query{}, "year must be"},
		{"year=２００９", index.Query{}, "year must be"},
		{"year_from=abcd", index.Query{}, "year_from must be"},
		{"year_to=-1", index.Query{}, "year_to must be"},
		{"year_from=2010&year_to=2001", index.Query{}, "year_from 2010 is after year_to 2001"},
		{"section=appendix", index.Query{}, `section must be one of title, body, caption, reference, got "appendix"`},
		{"doc=a%00", index.Query{}, "doc contains a control character"},
		{"page=-1", index.Query{}, `page must be a whole number from 1 to 1000, got "-1"`},
		{"page=0", index.Query{}, "page must be"},
		{"page=abc", index.Query{}, "page must be"},
		{"page=1e9", index.Query{}, "page must be"},
		{"page=1001", index.Query{}, "page must be"},
		{"page=+1", index.Query{}, "page must be"},
		{"page=99999999999999999999999", index.Query{}, "page must be"},
		{"size=-1", index.Query{}, "size must be a whole number from 1 to 100"},
		{"size=0", index.Query{}, "size must be"},
		{"size=abc", index.Query{}, "size must be"},
		{"size=1e9", index.Query{}, "size must be"},
		{"size=101", index.Query{}, "size must be"},
		{"size=1.5", index.Query{}, "size must be"},
		{"sort=bogus", index.Query{}, "sort must be relevance, position, year or -year"},
		{"sort=" + strings.Repeat("x", 100), index.Query{}, `got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"…`},
	} {
		v, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatalf("bad test query %q: %v", tc.query, err)
		}
		got, err := parseQuery(v)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("parseQuery(%s): %v, want no error", tc.query, err)
		case tc.err != "" && err == nil:
			t.Errorf("parseQuery(%s) = %+v, want an error with %q", tc.query, got, tc.err)
		case tc.err != "" && (!strings.Contains(err.Error(), tc.err) || !errors.Is(err, index.ErrBadQuery)):
			t.Errorf("parseQuery(%s): %v, want a bad query error with %q", tc.query, err, tc.err)
		case tc.err == "":
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseQuery(%s) (-want +got):\n%s", tc.query, diff)
			}
		}
	}
}

// FuzzParseQuery: any parameters either parse to a query within the
// limits or fail as a bad query; nothing panics.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "q=%E5%8D%8E%E4%B8%BA&lang=zh", "page=1e9", "size=-1", "year=2009&year_from=2001&year_to=2020",
		"q=%ff", "q=a%00", "section=caption&sort=-year", "company=Huawei&speaker=Ren+Zhengfei&doc=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw)
		q, err := parseQuery(v)
		if err != nil {
			if !errors.Is(err, index.ErrBadQuery) {
				t.Fatalf("parseQuery(%q): %v, not a bad query error", raw, err)
			}
			return
		}
		if q.Page < 0 || q.Page > index.MaxPage || q.Size < 0 || q.Size > index.MaxSize {
			t.Errorf("parseQuery(%q): page %d size %d out of range", raw, q.Page, q.Size)
		}
		if len(q.Text) > index.MaxQueryBytes || !utf8.ValidString(q.Text) {
			t.Errorf("parseQuery(%q): text %q too long or not UTF-8", raw, q.Text)
		}
		if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
			t.Errorf("parseQuery(%q): year_from %d > year_to %d", raw, q.YearFrom, q.YearTo)
		}
		for _, s := range q.Sections {
			if !s.Valid() {
				t.Errorf("parseQuery(%q): section %q", raw, s)
			}
		}
		switch q.Lang {
		case "", corpus.English, corpus.Chinese:
		default:
			t.Errorf("parseQuery(%q): lang %q", raw, q.Lang)
		}
	})
}

func TestIsMarkedText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", true},
		{"plain &amp; text", true},
		{"a <mark>match</mark> b <mark>two</mark>", true},
		{"&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;", true},
		{"<mark>open", false},
		{"close</mark>", false},
		{"<mark><mark>x</mark></mark>", false},
		{"<b>bold</b>", false},
		{"<mark onclick=x>a</mark>", false},
		{"<script>alert(1)</script>", false},
		{"a > b", false},
		{"<MARK>x</MARK>", false},
	} {
		if got := isMarkedText(tc.in); got != tc.want {
			t.Errorf("isMarkedText(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSideMarked(t *testing.T) {
	s := side{fragments: []string{"a <mark>b</mark> …", "<img src=x onerror=alert(1)>", "… c", "… d"}}
	want := []template.HTML{"a <mark>b</mark> …", "c", "d"}
	if diff := cmp.Diff(want, s.Marked()); diff != "" {
		t.Errorf("Marked() (-want +got):\n%s", diff)
	}
}

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"华为和字节跳动出海史", 4, "华为和字…"},
		{"one two three four", 16, "one two three…"},
		{"abcdefghij", 5, "abcde…"},
	} {
		if got := shorten(tc.in, tc.n); got != tc.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestPageLinks(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	p := page{UI: "en", cat: ts.s.cat}
	st := state{path: "/search", v: url.Values{"q": {"x"}, "page": {"5"}}}
	var got []string
	for _, l := range pageLinks(p, st, 5, 10, 95) {
		switch {
		case l.Gap:
			got = append(got, "…")
		case l.Current:
			got = append(got, "["+l.Label+"]")
		default:
			got = append(got, l.Label+"="+l.Href)
		}
	}
	want := []string{
		"‹ Previous=/search?page=4&q=x", "1=/search?q=x", "…", "3=/search?page=3&q=x", "4=/search?page=4&q=x", "[5]",
		"6=/search?page=6&q=x", "7=/search?page=7&q=x", "…", "10=/search?page=10&q=x", "Next ›=/search?page=6&q=x",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pageLinks(page 5 of 10) (-want +got):\n%s", diff)
	}
	if l := pageLinks(p, st, 1, 10, 10); l != nil {
		t.Errorf("pageLinks(one page) = %v, want none", l)
	}
	// Deep pages stop where the index stops.
	last := pageLinks(p, st, 1, 1, 5000)
	if l := last[len(last)-2]; l.Label != "1000" {
		t.Errorf("pageLinks(5000 hits of 1) ends at %s, want 1000", l.Label)
	}
}
