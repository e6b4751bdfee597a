package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// Bounds of a concordance.
const (
	kwicContext   = 40   // characters of context each side of a match, by default
	maxKWICHits   = 1000 // passages read for one concordance
	maxKWICLines  = 2000
	kwicPageLines = 200 // lines a page shows
)

// kwicWidths are the context widths a concordance offers, in characters.
var kwicWidths = []int{20, 40, 60, 80}

// concordanceParams are the URL parameters of the concordance page; sort
// (left or right context), width (of the context) and page are its own,
// the rest are a search's.
var concordanceParams = []string{"q", "lang", "company", "company_op", "speaker", "speaker_op", "year", "year_from", "year_to", "section", "doc", "sort", "width", "page"}

// concordanceData is the data of the concordance page.
type concordanceData struct {
	page
	Form      searchForm
	Q         string
	Sort      string
	Lines     []kwicLine
	Hits      int // passages read
	Total     int // passages that match
	AllLines  int // lines of all pages
	Truncated bool
	// First and Last number the lines of this page, of Lines all told;
	// Pages links to the others.
	First, Last int
	Pages       []pageLink
	Chips       []link
	SortLeft    string
	SortRight   string
	SortText    string
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
	// N numbers the line in the sorted concordance, from 1; the line's
	// anchor is "l" and N.
	N        int
	ps       corpus.Passage
	hit      int    // the passage's rank in reading order, from 0
	leftKey  string // the left context reversed, for sorting
	rightKey string
}

// concordancePage shows every match of a search with its context (KWIC).
func (s *server) concordancePage(c echo.Context) error {
	v := c.QueryParams()
	order, width, pageN, q, err := parseKWIC(v)
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
	titles := s.docTitles(ctx)
	d := concordanceData{
		page: p, Q: q.Text, Sort: order,
		Form:      s.kwicForm(p, st, q.Text, order, width),
		Chips:     s.chips(p, st, titles),
		SortLeft:  st.with("sort", "left"),
		SortRight: st.with("sort", "right"),
		SortText:  st.without("sort", order),
		CSV:       st.elsewhere("/api/concordance", url.Values{"format": {"csv"}}, "sort", "ui", "width", "page"),
		JSONL:     st.elsewhere("/api/concordance", url.Values{"format": {"jsonl"}}, "sort", "ui", "width", "page"),
	}
	if titles.err != nil {
		return titles.err
	}
	if q.Text == "" {
		return c.Render(http.StatusOK, "concordance.html", d)
	}
	err = s.searcher.Scan(ctx, q, maxKWICHits, func(total int, h index.Hit) error {
		d.Total = total
		for _, l := range kwicLines(p, h, q.Lang, titles, nil, width) {
			if len(d.Lines) == maxKWICLines {
				d.Truncated = true
				return errEnough
			}
			l.hit = d.Hits
			d.Lines = append(d.Lines, l)
		}
		d.Hits++
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	if titles.err != nil {
		return titles.err
	}
	d.Truncated = d.Truncated || d.Hits < d.Total
	sortLines(d.Lines, order)
	// A page of the sorted lines; their links carry the search and the
	// way back to this line of this concordance (kwicBack).
	all := len(d.Lines)
	d.Pages = pageLinks(p, st, pageN, kwicPageLines, all)
	from := min((pageN-1)*kwicPageLines, all)
	d.Lines = d.Lines[from:min(from+kwicPageLines, all)]
	d.First, d.Last = from+1, from+len(d.Lines)
	back := kwicBack{order: order, width: width, page: pageN}
	for i := range d.Lines {
		l := &d.Lines[i]
		l.N = from + i + 1
		back.line = l.N
		l.Href = p.searchPassageHref(l.ps, back.carry(st, l.hit))
	}
	d.AllLines = all
	return c.Render(http.StatusOK, "concordance.html", d)
}

// parseKWIC reads a concordance page's parameters: its sort, context
// width and page, and the search it shows.
func parseKWIC(v url.Values) (order string, width, pageN int, q index.Query, err error) {
	order, err = single(v, "sort")
	if err != nil {
		return "", 0, 0, q, err
	}
	if order != "" && order != "left" && order != "right" {
		return "", 0, 0, q, badValue("sort", "choice", []any{"left, right"}, "sort must be left or right, got %s", quote(order))
	}
	width, err = kwicWidth(v)
	if err != nil {
		return "", 0, 0, q, err
	}
	pageN, err = intParam(v, "page", maxKWICLines/kwicPageLines)
	if err != nil {
		return "", 0, 0, q, err
	}
	pageN = max(pageN, 1)
	qv := make(map[string][]string, len(v))
	for k, vs := range v {
		if k != "sort" && k != "page" && k != "size" && k != "width" {
			qv[k] = vs
		}
	}
	q, err = parseQuery(qv)
	if err != nil {
		return "", 0, 0, q, err
	}
	return order, width, pageN, q, nil
}

// kwicWidth reads the width of a concordance's context: one of kwicWidths,
// kwicContext when absent.
func kwicWidth(v url.Values) (int, error) {
	w, err := intParam(v, "width", kwicWidths[len(kwicWidths)-1])
	if err != nil {
		return 0, err
	}
	if w == 0 {
		return kwicContext, nil
	}
	if !slices.Contains(kwicWidths, w) {
		return 0, badValue("width", "choice", []any{"20, 40, 60, 80"}, "width must be 20, 40, 60 or 80, got %d", w)
	}
	return w, nil
}

// kwicBack is the way back from a passage to the concordance line it was
// reached from: the concordance's sort, width, page and line. A link from
// a line carries it as one parameter, kwic=left.60.2.57 ("text" for the
// text's order, line 0 for none), with the search's parameters, sorted by
// position and paged as the concordance reads its passages, so the passage
// page can step from hit to hit in that order.
type kwicBack struct {
	order             string // "", left or right
	width, page, line int
}

// carry returns the parameters of a link from a line of the concordance
// st to the passage of its hit'th passage (from 0, in reading order).
func (b kwicBack) carry(st state, hit int) url.Values {
	v := st.carry()
	delete(v, "width")
	delete(v, "page")
	v.Set("sort", string(index.SortPosition))
	if n := hit/index.DefaultSize + 1; n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	v.Set("kwic", b.String())
	return v
}

// String is kwicBack as the kwic parameter writes it.
func (b kwicBack) String() string {
	order := b.order
	if order == "" {
		order = "text"
	}
	return fmt.Sprintf("%s.%d.%d.%d", order, b.width, b.page, b.line)
}

// parseKWICBack reads the kwic parameter; ok is false for one that is not
// a concordance's, which a page then ignores.
func parseKWICBack(s string) (b kwicBack, ok bool) {
	f := strings.Split(s, ".")
	if len(f) != 4 {
		return kwicBack{}, false
	}
	switch f[0] {
	case "text":
	case "left", "right":
		b.order = f[0]
	default:
		return kwicBack{}, false
	}
	var err error
	if b.width, err = strconv.Atoi(f[1]); err != nil || !slices.Contains(kwicWidths, b.width) {
		return kwicBack{}, false
	}
	if b.page, err = strconv.Atoi(f[2]); err != nil || b.page < 1 || b.page > maxKWICLines/kwicPageLines {
		return kwicBack{}, false
	}
	if b.line, err = strconv.Atoi(f[3]); err != nil || b.line < 0 || b.line > maxKWICLines {
		return kwicBack{}, false
	}
	return b, true
}

// href links to the concordance of search (a passage's search context,
// with ui) with b's sort, width and page, at b's line.
func (b kwicBack) href(search url.Values) string {
	v := url.Values{}
	for k, vs := range search {
		if (slices.Contains(concordanceParams, k) || k == "ui") && k != "sort" && k != "page" && k != "width" {
			v[k] = slices.Clone(vs)
		}
	}
	if b.order != "" {
		v.Set("sort", b.order)
	}
	if b.width != kwicContext {
		v.Set("width", strconv.Itoa(b.width))
	}
	if b.page > 1 {
		v.Set("page", strconv.Itoa(b.page))
	}
	frag := ""
	if b.line > 0 {
		frag = "l" + strconv.Itoa(b.line)
	}
	u := url.URL{Path: "/concordance", RawQuery: v.Encode(), Fragment: frag}
	return u.String()
}

// kwicForm returns the data of the concordance's form.
func (s *server) kwicForm(p page, st state, q, order string, width int) searchForm {
	f := s.searchForm(p, st, q, "")
	f.Hidden = st.hidden("q", "lang", "sort", "width")
	f.Sorts = []option{
		{Value: "", Label: p.T("kwic.sort.text"), Selected: order == ""},
		{Value: "left", Label: p.T("kwic.sort.left"), Selected: order == "left"},
		{Value: "right", Label: p.T("kwic.sort.right"), Selected: order == "right"},
	}
	for _, w := range kwicWidths {
		f.Widths = append(f.Widths, option{Value: strconv.Itoa(w), Label: p.T("kwic.width.n", w), Selected: w == width})
	}
	return f
}

// errEnough stops a Scan that has read what it needs.
var errEnough = errors.New("enough hits read")

// kwicTitleWidth is how much of a document's title a line shows, in
// columns (a Chinese character is two); the context needs the room more.
const kwicTitleWidth = 30

// kwicLines returns a line for each match of h, on side lang or both, with
// width characters of context each side; their links to the passage carry
// the search's parameters search.
func kwicLines(p page, h index.Hit, lang corpus.Lang, titles *titleOf, search url.Values, width int) []kwicLine {
	ps := h.Passage
	doc := docLabelOf(titles.of(ps.Doc), ps.Doc, p.UI, kwicTitleWidth)
	href := p.searchPassageHref(ps, search)
	var out []kwicLine
	eachLineMatch(h, lang, func(l, other corpus.Lang, text string, sp index.Span) {
		left, cutLeft := leftContext(text[:sp.Start], width)
		right, cutRight := rightContext(text[sp.End:], width)
		line := kwicLine{
			Lang: l, HTMLLang: htmlLang(string(l)), LangLabel: p.langLabel(l),
			Left: oneLine(left), Match: oneLine(text[sp.Start:sp.End]), Right: oneLine(right),
			Other: ps.Text.Get(other), OtherLang: htmlLang(string(other)), OtherLabel: p.langLabel(other),
			Href: href, Doc: doc, Position: ps.Position, ps: ps,
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
	})
	return out
}

// eachLineMatch calls f, in order, for each match of h on side lang (or
// both when lang is "") that makes a concordance line, with the side, the
// other side and the side's text. A translation equivalent is marked, not
// a line of its own; a span the text cannot hold is skipped.
func eachLineMatch(h index.Hit, lang corpus.Lang, f func(l, other corpus.Lang, text string, sp index.Span)) {
	for i, l := range corpus.Langs {
		if lang != "" && l != lang {
			continue
		}
		text := h.Passage.Text.Get(l)
		for _, sp := range h.Matches[l] {
			if validSpan(text, sp) && !slices.Contains(h.Equivalents[l], sp) {
				f(l, corpus.Langs[1-i], text, sp)
			}
		}
	}
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

// leftContext returns the end of s, the context left of a match, in at most
// n characters and whether it cut any. It cuts between Chinese characters,
// and between words of Latin script: a word the cut would halve is left
// out, unless it is all there is.
func leftContext(s string, n int) (string, bool) {
	out, cut := lastRunes(s, n)
	if !cut {
		return out, false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:len(s)-len(out)])
	if first, _ := utf8.DecodeRuneInString(out); inWord(prev) && inWord(first) {
		if i := strings.IndexFunc(out, func(r rune) bool { return !inWord(r) }); i >= 0 {
			out = out[i:]
		}
	}
	return out, true
}

// rightContext is leftContext for the context right of a match: the start
// of s.
func rightContext(s string, n int) (string, bool) {
	out, cut := firstRunes(s, n)
	if !cut {
		return out, false
	}
	next, _ := utf8.DecodeRuneInString(s[len(out):])
	if last, _ := utf8.DecodeLastRuneInString(out); inWord(next) && inWord(last) {
		if i := strings.LastIndexFunc(out, func(r rune) bool { return !inWord(r) }); i >= 0 {
			_, size := utf8.DecodeRuneInString(out[i:])
			out = out[:i+size]
		}
	}
	return out, true
}

// inWord reports whether r belongs to a word of Latin (or other spaced)
// script, which a context must not cut: a letter, digit or mark that is not
// Han. Han characters are words of one character as far as cutting goes.
func inWord(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' || r == '-') && !unicode.Is(unicode.Han, r)
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
