package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// Bounds of a concordance.
const (
	kwicContext  = 40   // runes of context each side of a match
	maxKWICHits  = 1000 // passages read for one concordance
	maxKWICLines = 2000
)

// concordanceParams are the URL parameters of the concordance page; sort is
// its own (left or right context), the rest are a search's.
var concordanceParams = []string{"q", "lang", "company", "speaker", "year", "year_from", "year_to", "section", "doc", "sort"}

// concordanceData is the data of the concordance page.
type concordanceData struct {
	page
	Form      searchForm
	Q         string
	Sort      string
	Lines     []kwicLine
	Hits      int // passages read
	Total     int // passages that match
	Truncated bool
	Chips     []link
	SortLeft  string
	SortRight string
	SortText  string
	// CSV and JSONL download the lines with their aligned sides
	// (workbench_api.go).
	CSV, JSONL string
}

// kwicLine is one match with its context: a line of the concordance.
type kwicLine struct {
	Lang       corpus.Lang
	HTMLLang   string
	LangLabel  string
	Left       string
	Match      string
	Right      string
	Other      string // the passage's other side
	OtherLang  string
	OtherLabel string
	Href       string
	Doc        docLabel
	Position   int
	leftKey    string // the left context reversed, for sorting
	rightKey   string
}

// concordancePage shows every match of a search with its context (KWIC).
func (s *server) concordancePage(c echo.Context) error {
	v := c.QueryParams()
	order, err := single(v, "sort")
	if err != nil {
		return err
	}
	if order != "" && order != "left" && order != "right" {
		return badValue("sort", "choice", []any{"left, right"}, "sort must be left or right, got %s", quote(order))
	}
	qv := make(map[string][]string, len(v))
	for k, vs := range v {
		if k != "sort" && k != "page" && k != "size" {
			qv[k] = vs
		}
	}
	q, err := parseQuery(qv)
	if err != nil {
		return err
	}
	q.Sort = index.SortPosition

	p := s.newPage(c, q.Text, "concordance")
	if p.Title == "" {
		p.Title = p.T("kwic.title")
	} else {
		p.Title = p.T("kwic.title_q", q.Text)
	}
	st := newState("/concordance", v, concordanceParams)
	ctx := c.Request().Context()
	titles, err := s.docTitles(ctx)
	if err != nil {
		return err
	}
	d := concordanceData{
		page: p, Q: q.Text, Sort: order,
		Form:      s.kwicForm(p, st, q.Text, order),
		Chips:     s.chips(p, st, titles),
		SortLeft:  st.with("sort", "left"),
		SortRight: st.with("sort", "right"),
		SortText:  st.without("sort", order),
		CSV:       st.elsewhere("/api/concordance", url.Values{"format": {"csv"}}, "sort", "ui"),
		JSONL:     st.elsewhere("/api/concordance", url.Values{"format": {"jsonl"}}, "sort", "ui"),
	}
	if q.Text == "" {
		return c.Render(http.StatusOK, "concordance.html", d)
	}
	err = s.searcher.Scan(ctx, q, maxKWICHits, func(total int, h index.Hit) error {
		d.Total = total
		d.Hits++
		for _, l := range kwicLines(p, h, q.Lang, titles, st.carry()) {
			if len(d.Lines) == maxKWICLines {
				d.Truncated = true
				return errEnough
			}
			d.Lines = append(d.Lines, l)
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	d.Truncated = d.Truncated || d.Hits < d.Total
	sortLines(d.Lines, order)
	return c.Render(http.StatusOK, "concordance.html", d)
}

// kwicForm returns the data of the concordance's form.
func (s *server) kwicForm(p page, st state, q, order string) searchForm {
	f := s.searchForm(p, st, q, "")
	f.Sorts = []option{
		{Value: "", Label: p.T("kwic.sort.text"), Selected: order == ""},
		{Value: "left", Label: p.T("kwic.sort.left"), Selected: order == "left"},
		{Value: "right", Label: p.T("kwic.sort.right"), Selected: order == "right"},
	}
	return f
}

// errEnough stops a Scan that has read what it needs.
var errEnough = errors.New("enough hits read")

// kwicTitleWidth is how much of a document's title a line shows, in
// columns (a Chinese character is two); the context needs the room more.
const kwicTitleWidth = 30

// kwicLines returns a line for each match of h, on side lang or both; their
// links to the passage carry the search's parameters search.
func kwicLines(p page, h index.Hit, lang corpus.Lang, titles map[string]corpus.Text, search url.Values) []kwicLine {
	ps := h.Passage
	doc := docLabelOf(titles[ps.Doc], ps.Doc, p.UI, kwicTitleWidth)
	href := p.searchPassageHref(ps, search)
	var out []kwicLine
	for i, l := range corpus.Langs {
		if lang != "" && l != lang {
			continue
		}
		other := corpus.Langs[1-i]
		text := ps.Text.Get(l)
		for _, sp := range h.Matches[l] {
			// A translation equivalent is marked, not a line of its own.
			if !validSpan(text, sp) || slices.Contains(h.Equivalents[l], sp) {
				continue
			}
			left, cutLeft := lastRunes(text[:sp.Start], kwicContext)
			right, cutRight := firstRunes(text[sp.End:], kwicContext)
			line := kwicLine{
				Lang: l, HTMLLang: htmlLang(string(l)), LangLabel: p.langLabel(l),
				Left: oneLine(left), Match: oneLine(text[sp.Start:sp.End]), Right: oneLine(right),
				Other: ps.Text.Get(other), OtherLang: htmlLang(string(other)), OtherLabel: p.langLabel(other),
				Href: href, Doc: doc, Position: ps.Position,
			}
			words := sortWords(line.Left)
			slices.Reverse(words)
			line.leftKey = strings.Join(words, "\x01")
			line.rightKey = strings.Join(sortWords(line.Right), "\x01")
			if cutLeft {
				line.Left = "…" + line.Left
			}
			if cutRight {
				line.Right += "…"
			}
			out = append(out, line)
		}
	}
	return out
}

// validSpan reports whether sp is a span of text on rune boundaries; the
// index promises it, and a wrong span must not cut a character in two.
func validSpan(text string, sp index.Span) bool {
	if sp.Start < 0 || sp.Start >= sp.End || sp.End > len(text) {
		return false
	}
	if !utf8.RuneStart(text[sp.Start]) {
		return false
	}
	return sp.End == len(text) || utf8.RuneStart(text[sp.End])
}

// lastRunes returns the last n runes of s and whether it cut any.
func lastRunes(s string, n int) (string, bool) {
	i := len(s)
	for k := 0; k < n && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:], i > 0
}

// firstRunes returns the first n runes of s and whether it cut any.
func firstRunes(s string, n int) (string, bool) {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], i < len(s)
}

// oneLine replaces line breaks and tabs with spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, s)
}

// sortWords splits a context into the units a concordance sorts by, lower
// case: words of letters and digits, and each Han character alone (Chinese
// has no spaces, and the character next to the match is what groups lines).
// Spaces and punctuation do not count.
func sortWords(s string) []string {
	var out []string
	word := strings.Builder{}
	flush := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// sortLines orders a concordance by the left context read leftwards from
// the match, word by word (so lines group by the word before it, then the
// one before that, as KWIC tools do), by the right context read rightwards,
// or, for "", leaves the text's order.
func sortLines(lines []kwicLine, order string) {
	var key func(kwicLine) string
	switch order {
	case "left":
		key = func(l kwicLine) string { return l.leftKey }
	case "right":
		key = func(l kwicLine) string { return l.rightKey }
	default:
		return
	}
	slices.SortStableFunc(lines, func(a, b kwicLine) int {
		if c := strings.Compare(key(a), key(b)); c != 0 {
			return c
		}
		return strings.Compare(a.Match, b.Match)
	})
}
