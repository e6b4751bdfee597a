package web

import (
	"context"
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

// Limits on filter values, beyond those of index.Query.
const (
	maxValueBytes   = 200 // bytes of one filter value or document ID
	maxFilterValues = 20  // values of one repeatable parameter
)

// searchParams are the URL parameters parseQuery reads.
var searchParams = []string{"q", "lang", "company", "speaker", "year", "year_from", "year_to", "section", "doc", "page", "size", "sort"}

// apiSearchParams are the parameters /api/search accepts; it refuses others
// so a misspelt filter is an error rather than silently ignored. The pages
// ignore unknown parameters, as links from elsewhere may carry some.
var apiSearchParams = append(slices.Clone(searchParams), "format", "pretty")

// parseQuery reads a search from URL parameters. Every error wraps
// index.ErrBadQuery and says which parameter is wrong and why. An empty
// value counts as absent, as a form sends empty fields.
func parseQuery(v url.Values) (index.Query, error) {
	var q index.Query
	var err error
	if q.Text, err = textParam(v, "q", index.MaxQueryBytes); err != nil {
		return index.Query{}, err
	}
	q.Text = strings.TrimSpace(q.Text)

	lang, err := single(v, "lang")
	if err != nil {
		return index.Query{}, err
	}
	switch lang {
	case "", "all":
	case string(corpus.English), string(corpus.Chinese):
		q.Lang = corpus.Lang(lang)
	default:
		return index.Query{}, badQuery("lang must be en, zh or all, got %s", quote(lang))
	}

	if q.Companies, err = names(v, "company"); err != nil {
		return index.Query{}, err
	}
	if q.Speakers, err = names(v, "speaker"); err != nil {
		return index.Query{}, err
	}
	years, err := values(v, "year")
	if err != nil {
		return index.Query{}, err
	}
	for _, s := range years {
		y, err := parseYear("year", s)
		if err != nil {
			return index.Query{}, err
		}
		if !slices.Contains(q.Years, y) {
			q.Years = append(q.Years, y)
		}
	}
	if q.YearFrom, err = yearParam(v, "year_from"); err != nil {
		return index.Query{}, err
	}
	if q.YearTo, err = yearParam(v, "year_to"); err != nil {
		return index.Query{}, err
	}
	if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
		return index.Query{}, badQuery("year_from %d is after year_to %d", q.YearFrom, q.YearTo)
	}

	sections, err := values(v, "section")
	if err != nil {
		return index.Query{}, err
	}
	for _, s := range sections {
		sec := corpus.Section(s)
		if !sec.Valid() {
			return index.Query{}, badQuery("section must be one of %s, got %s", joinSections(), quote(s))
		}
		if !slices.Contains(q.Sections, sec) {
			q.Sections = append(q.Sections, sec)
		}
	}
	if q.Doc, err = textParam(v, "doc", maxValueBytes); err != nil {
		return index.Query{}, err
	}

	if q.Page, err = intParam(v, "page", index.MaxPage); err != nil {
		return index.Query{}, err
	}
	if q.Size, err = intParam(v, "size", index.MaxSize); err != nil {
		return index.Query{}, err
	}
	s, err := single(v, "sort")
	if err != nil {
		return index.Query{}, err
	}
	switch index.Sort(s) {
	case "", index.SortRelevance, index.SortPosition, index.SortYear, index.SortYearDesc:
		q.Sort = index.Sort(s)
	default:
		return index.Query{}, badQuery("sort must be relevance, position, year or -year, got %s", quote(s))
	}
	return q, nil
}

// badQuery returns an error wrapping index.ErrBadQuery with a message.
func badQuery(format string, args ...any) error {
	return fmt.Errorf("%w: %s", index.ErrBadQuery, fmt.Sprintf(format, args...))
}

// single returns the one value of key, "" when absent.
func single(v url.Values, key string) (string, error) {
	switch vs := v[key]; len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	default:
		return "", badQuery("%s is given %d times; give it once", key, len(vs))
	}
}

// textParam returns the one value of key, checked by checkText.
func textParam(v url.Values, key string, limit int) (string, error) {
	s, err := single(v, key)
	if err != nil {
		return "", err
	}
	return s, checkText(key, s, limit)
}

// checkText refuses text that is not UTF-8, holds control characters, or
// is longer than limit bytes.
func checkText(key, s string, limit int) error {
	if !utf8.ValidString(s) {
		return badQuery("%s is not valid UTF-8 text", key)
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return badQuery("%s contains a control character (%U)", key, []rune(s[i:])[0])
	}
	if len(s) > limit {
		return badQuery("%s is too long: %d bytes, at most %d", key, len(s), limit)
	}
	return nil
}

// values returns the non-empty values of a repeatable key.
func values(v url.Values, key string) ([]string, error) {
	var out []string
	for _, s := range v[key] {
		if s != "" {
			out = append(out, s)
		}
	}
	if len(out) > maxFilterValues {
		return nil, badQuery("%s is given %d times, at most %d", key, len(out), maxFilterValues)
	}
	return out, nil
}

// names returns the distinct values of a repeatable key of entity names.
func names(v url.Values, key string) ([]string, error) {
	vs, err := values(v, key)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range vs {
		if err := checkText(key, s, maxValueBytes); err != nil {
			return nil, err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// intParam returns the one value of key as a whole number from 1 to limit,
// 0 when absent.
func intParam(v url.Values, key string, limit int) (int, error) {
	s, err := single(v, key)
	if err != nil || s == "" {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > limit || strings.TrimLeft(s, "0123456789") != "" {
		return 0, badQuery("%s must be a whole number from 1 to %d, got %s", key, limit, quote(s))
	}
	return n, nil
}

// yearParam returns the one value of key as a year, 0 when absent.
func yearParam(v url.Values, key string) (int, error) {
	s, err := single(v, key)
	if err != nil || s == "" {
		return 0, err
	}
	return parseYear(key, s)
}

// parseYear reads a year of four digits.
func parseYear(key, s string) (int, error) {
	if len(s) != 4 || s[0] == '0' || strings.TrimLeft(s, "0123456789") != "" {
		return 0, badQuery("%s must be a year of four digits like 2009, got %s", key, quote(s))
	}
	y, _ := strconv.Atoi(s) // four ASCII digits always parse
	return y, nil
}

// knownParams refuses parameters not in allowed.
func knownParams(v url.Values, allowed []string) error {
	for k := range v {
		if !slices.Contains(allowed, k) {
			return badQuery("unknown parameter %s; known are %s", quote(k), strings.Join(allowed, ", "))
		}
	}
	return nil
}

// quote quotes a value for an error message, shortened so a huge value
// does not make a huge message.
func quote(s string) string {
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

func joinSections() string {
	var ss []string
	for _, s := range corpus.Sections {
		ss = append(ss, string(s))
	}
	return strings.Join(ss, ", ")
}

// displayable makes a raw parameter safe to show back in a form: valid
// UTF-8, no control characters, not absurdly long.
func displayable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return shorten(s, 2*index.MaxQueryBytes)
}

// state is the URL parameters of a search page, for links that change one
// of them. Only known parameters are kept, so a link never carries on junk.
type state struct {
	path string
	v    url.Values
}

// newState keeps the non-empty values of the parameters keys (and ui).
func newState(path string, v url.Values, keys []string) state {
	st := state{path: path, v: url.Values{}}
	for _, k := range append(slices.Clone(keys), "ui") {
		for _, s := range v[k] {
			if s != "" {
				st.v.Add(k, s)
			}
		}
	}
	return st
}

// href returns the link to the state's page with parameters v.
func (st state) href(v url.Values) string {
	u := url.URL{Path: st.path, RawQuery: v.Encode()}
	return u.String()
}

// edit returns a copy of the parameters, without the page, since any change
// to a search starts its results over.
func (st state) edit() url.Values {
	v := url.Values{}
	for k, vs := range st.v {
		if k != "page" {
			v[k] = slices.Clone(vs)
		}
	}
	return v
}

// carry returns the parameters a link to a passage carries, so its page
// can mark the search's words and link back to the results: the state's,
// less ui, which page.link adds, and less a concordance's sort, which a
// search does not know.
func (st state) carry() url.Values {
	v := url.Values{}
	for k, vs := range st.v {
		if k == "ui" || (k == "sort" && st.path == "/concordance") {
			continue
		}
		v[k] = slices.Clone(vs)
	}
	return v
}

// has reports whether key has the value val.
func (st state) has(key, val string) bool { return slices.Contains(st.v[key], val) }

// toggle links to the search with val added to key, or removed when
// present.
func (st state) toggle(key, val string) string {
	if st.has(key, val) {
		return st.without(key, val)
	}
	v := st.edit()
	v.Add(key, val)
	return st.href(v)
}

// without links to the search without the value val of key.
func (st state) without(key, val string) string {
	v := st.edit()
	v[key] = slices.DeleteFunc(v[key], func(s string) bool { return s == val })
	if len(v[key]) == 0 {
		delete(v, key)
	}
	return st.href(v)
}

// with links to the search with key set to val.
func (st state) with(key, val string) string {
	v := st.edit()
	v.Set(key, val)
	return st.href(v)
}

// page links to page n of the search.
func (st state) page(n int) string {
	v := st.edit()
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	return st.href(v)
}

// elsewhere links to path with the state's parameters, less drop, plus
// set.
func (st state) elsewhere(path string, set url.Values, drop ...string) string {
	v := st.edit()
	for _, k := range drop {
		delete(v, k)
	}
	for k, vs := range set {
		v[k] = vs
	}
	u := url.URL{Path: path, RawQuery: v.Encode()}
	return u.String()
}

// hidden lists the state's parameters, less drop and ui, as hidden form
// fields; the template adds ui.
func (st state) hidden(drop ...string) []field {
	var out []field
	for _, k := range sortedKeys(st.v) {
		if k == "ui" || k == "page" || slices.Contains(drop, k) {
			continue
		}
		for _, s := range st.v[k] {
			out = append(out, field{Name: k, Value: s})
		}
	}
	return out
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// field is a hidden form field.
type field struct{ Name, Value string }

// option is an option of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// link is a labelled link.
type link struct {
	Label, Href string
}

// tag is a filter value a link adds or removes.
type tag struct {
	Main, MainLang string
	Alt, AltLang   string // the name in the other language, if any
	Count          int
	Active         bool
	Href           string
}

// searchForm is the data of a search form.
type searchForm struct {
	Action string
	Q      string
	Langs  []option
	Sorts  []option
	Hidden []field
}

// hitView is a hit as the result list shows it.
type hitView struct {
	ID           string
	Href         string
	Doc          docLabel
	Position     int
	Section      corpus.Section
	SectionLabel string
	Sides        []side
	Tags         []tag
	// Corrections say which of the tags a person set by hand, and why.
	Corrections []correctionView
}

// correctionView is a hand correction of a hit's facets.
type correctionView struct {
	Changes string // "added Speaker: Zhang Yiming; removed Year: 2016"
	Why     string // in English, as the corpus gives it
}

// facetView is a facet of the sidebar.
type facetView struct {
	Key, Title string
	Values     []tag
}

// timeline is the year facet drawn as a bar chart. Its viewBox is
// stretched to the width of its column, whatever that is, so the years
// under it are HTML rather than SVG text that would shrink with it.
type timeline struct {
	Width, Height int // of the viewBox
	Bars          []bar
	First, Last   string
}

// bar is one year of the timeline.
type bar struct {
	X, Y, W, H int
	Label      string
	Href       string // "" for a year without hits
	Active     bool
}

// yearFacet is the year facet: the chart, the list and a range form.
type yearFacet struct {
	Chart    *timeline
	Values   []tag
	From, To string
	Hidden   []field
}

// pageLink is an item of the pagination.
type pageLink struct {
	Label   string
	Href    string
	Rel     string
	Current bool
	Gap     bool
}

// searchData is the data of the search page.
type searchData struct {
	page
	Home     bool
	Form     searchForm
	Examples []example
	// Stats says how much the corpus holds; DocLinks name its documents
	// when they are few enough to list on the home page.
	Stats    string
	DocLinks []docLink
	Browse   string // browses every passage

	Q           string
	Total       int
	First, Last int
	Hits        []hitView
	Chips       []link
	// WithoutQ searches the filters without the words, when there are both.
	WithoutQ string
	Facets   []facetView
	Years    *yearFacet
	// ShowFacets is false when no facet has a value to offer, so the page
	// does not show a heading over nothing.
	ShowFacets bool
	Pages      []pageLink
	CSV        string
	JSONL      string
	API        string
	KWIC       string
}

// example is an example query of the home page.
type example struct {
	Q, Lang, Href string
}

// docLink is a link to a document, labelled with its title.
type docLink struct {
	Href  string
	Title docLabel
}

// homeDocs is how many documents the home page names; a bigger corpus has
// the list of documents for that.
const homeDocs = 5

// exampleQueries show the syntax in both languages.
var exampleQueries = []string{"华为", "Huawei", "字节跳动", `"trade war"`, "科技铁幕", "任正非 说", "Zhang Yiming OR 张一鸣"}

// home is the search page before a search; with parameters it searches.
func (s *server) home(c echo.Context) error {
	v := c.QueryParams()
	if len(v) > 1 || (len(v) == 1 && !v.Has("ui")) {
		return s.searchPage(c)
	}
	docs, err := s.searcher.Documents(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "", "search")
	st := newState("/search", v, nil)
	d := searchData{page: p, Home: true, Form: s.searchForm(p, st, "", ""), Examples: examples(st), Browse: st.href(st.v)}
	stats := s.searcher.Stats()
	if stats.Documents == 1 {
		d.Stats = p.T("home.stats.one", stats.Passages)
	} else {
		d.Stats = p.T("home.stats", stats.Documents, stats.Passages)
	}
	if len(docs) <= homeDocs {
		for _, di := range docs {
			doc := di.Document
			d.DocLinks = append(d.DocLinks, docLink{Href: p.documentHref(doc.ID), Title: docLabelOf(doc.Title, doc.ID, p.UI, 80)})
		}
	}
	return c.Render(http.StatusOK, "search.html", d)
}

// examples returns the example queries as searches from state st.
func examples(st state) []example {
	var out []example
	for _, q := range exampleQueries {
		out = append(out, example{Q: q, Lang: textLang(q), Href: st.with("q", q)})
	}
	return out
}

// searchPage shows the results of the search in the URL.
func (s *server) searchPage(c echo.Context) error {
	v := c.QueryParams()
	q, err := parseQuery(v)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := s.searcher.Search(ctx, q)
	if err != nil {
		return err
	}
	titles, err := s.docTitles(ctx)
	if err != nil {
		return err
	}
	p := s.newPage(c, q.Text, "search")
	if p.Title == "" {
		p.Title = p.T("search.title")
	}
	st := newState("/search", v, searchParams)
	d := searchData{
		page:  p,
		Q:     q.Text,
		Form:  s.searchForm(p, st, q.Text, string(res.Query.Sort)),
		Total: res.Total,
		Chips: s.chips(p, st, titles),
		CSV:   st.elsewhere("/api/search.csv", nil, "page", "size", "ui"),
		JSONL: st.elsewhere("/api/search", url.Values{"format": {"jsonl"}}, "page", "size", "ui"),
		API:   st.elsewhere("/api/search", nil, "ui"),
		KWIC:  st.elsewhere("/concordance", nil, "page", "size", "sort"),
	}
	if q.Text != "" && len(d.Chips) > 0 {
		d.WithoutQ = st.without("q", st.v.Get("q"))
	}
	if len(res.Hits) > 0 {
		d.First = (res.Query.Page-1)*res.Query.Size + 1
		d.Last = d.First + len(res.Hits) - 1
	}
	for _, h := range res.Hits {
		d.Hits = append(d.Hits, s.hitView(p, st, h, titles))
	}
	d.Facets = []facetView{
		s.entityFacet(p, st, "company", res.Facets.Company),
		s.entityFacet(p, st, "speaker", res.Facets.Speaker),
		s.plainFacet(p, st, "section", res.Facets.Section, func(v string) string { return p.sectionLabel(corpus.Section(v)) }),
		s.plainFacet(p, st, "lang", res.Facets.Lang, func(v string) string { return p.langLabel(corpus.Lang(v)) }),
	}
	d.Years = yearFacetOf(p, st, res.Facets.Year)
	d.ShowFacets = d.Years != nil || slices.ContainsFunc(d.Facets, func(f facetView) bool { return len(f.Values) > 0 })
	if res.Total == 0 && len(d.Chips) == 0 {
		// Nothing to remove: offer words that find something instead.
		home := newState("/search", url.Values{"ui": st.v["ui"]}, nil)
		d.Examples = examples(home)
		d.Browse = home.href(home.v)
	}
	d.Pages = pageLinks(p, st, res.Query.Page, res.Query.Size, res.Total)
	return c.Render(http.StatusOK, "search.html", d)
}

// apiSearch answers GET /api/search: a page of hits as JSON, or all hits
// as CSV or JSON lines with format=csv|jsonl.
func (s *server) apiSearch(c echo.Context) error {
	v := c.QueryParams()
	if err := knownParams(v, apiSearchParams); err != nil {
		return err
	}
	format, err := single(v, "format")
	if err != nil {
		return err
	}
	q, err := parseQuery(v)
	if err != nil {
		return err
	}
	switch format {
	case "", "json":
	case "csv":
		return s.export(c, q, csvExport)
	case "jsonl":
		return s.export(c, q, jsonlExport)
	default:
		return badQuery("format must be json, csv or jsonl, got %s", quote(format))
	}
	res, err := s.searcher.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIResults(res, s.searcher.LabelZH))
}

// apiSearchCSV answers GET /api/search.csv: every hit as CSV.
func (s *server) apiSearchCSV(c echo.Context) error {
	v := c.QueryParams()
	if err := knownParams(v, searchParams); err != nil {
		return err
	}
	q, err := parseQuery(v)
	if err != nil {
		return err
	}
	return s.export(c, q, csvExport)
}

// searchForm returns the data of the search form for state st.
func (s *server) searchForm(p page, st state, q, sort string) searchForm {
	f := searchForm{Action: st.path, Q: q, Hidden: st.hidden("q", "lang", "sort")}
	lang := st.v.Get("lang")
	f.Langs = []option{
		{Value: "all", Label: p.T("search.lang.all"), Selected: lang == "" || lang == "all"},
		{Value: "en", Label: p.langLabel(corpus.English), Selected: lang == "en"},
		{Value: "zh", Label: p.langLabel(corpus.Chinese), Selected: lang == "zh"},
	}
	for _, o := range []index.Sort{index.SortRelevance, index.SortPosition, index.SortYear, index.SortYearDesc} {
		f.Sorts = append(f.Sorts, option{Value: string(o), Label: p.T("sort." + sortKey(o)), Selected: sort == string(o)})
	}
	return f
}

// sortKey is the translation key suffix of a sort order.
func sortKey(o index.Sort) string {
	if o == index.SortYearDesc {
		return "year_desc"
	}
	return string(o)
}

// docTitles maps document IDs to titles.
func (s *server) docTitles(ctx context.Context) (map[string]corpus.Text, error) {
	docs, err := s.searcher.Documents(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]corpus.Text, len(docs))
	for _, d := range docs {
		m[d.Document.ID] = d.Document.Title
	}
	return m, nil
}

// hitTitleWidth is how much of a document's title a hit shows, in columns
// (a Chinese character is two): one line on a phone with its ¶ number and
// section.
const hitTitleWidth = 36

// hitView returns hit h as the result list shows it.
func (s *server) hitView(p page, st state, h index.Hit, titles map[string]corpus.Text) hitView {
	ps := h.Passage
	v := hitView{
		ID:           ps.ID,
		Href:         p.searchPassageHref(ps, st.carry()),
		Doc:          docLabelOf(titles[ps.Doc], ps.Doc, p.UI, hitTitleWidth),
		Position:     ps.Position,
		Section:      ps.Section,
		SectionLabel: p.sectionLabel(ps.Section),
	}
	for _, l := range corpus.Langs {
		v.Sides = append(v.Sides, side{
			Lang: l, HTMLLang: htmlLang(string(l)), Label: p.langLabel(l),
			Text: ps.Text.Get(l), fragments: h.Highlights[l],
		})
	}
	for _, c := range ps.Companies {
		v.Tags = append(v.Tags, s.entityTag(p, st, "company", c, ""))
	}
	for _, sp := range ps.Speakers {
		v.Tags = append(v.Tags, s.entityTag(p, st, "speaker", sp, ""))
	}
	for _, y := range ps.Years {
		ys := strconv.Itoa(y)
		v.Tags = append(v.Tags, tag{Main: ys, MainLang: "en", Active: st.has("year", ys), Href: st.toggle("year", ys)})
	}
	for _, c := range ps.Corrections {
		v.Corrections = append(v.Corrections, correctionView{Changes: s.correctionChanges(p, c), Why: c.Why})
	}
	return v
}

// correctionChanges says what correction c changed, facet by facet, names
// in the page's language first.
func (s *server) correctionChanges(p page, c corpus.Correction) string {
	var parts []string
	name := func(n string) string {
		if zh := s.searcher.LabelZH(n); p.UI == "zh" && zh != "" {
			return zh
		}
		return n
	}
	add := func(how, facet string, vs []string) {
		for _, v := range vs {
			parts = append(parts, how+" "+p.T("facet."+facet)+p.T("correction.colon")+v)
		}
	}
	for _, f := range []struct {
		sign string
		fs   corpus.Facets
	}{{p.T("correction.added"), c.Add}, {p.T("correction.removed"), c.Remove}} {
		var companies, speakers, years []string
		for _, n := range f.fs.Companies {
			companies = append(companies, name(n))
		}
		for _, n := range f.fs.Speakers {
			speakers = append(speakers, name(n))
		}
		for _, y := range f.fs.Years {
			years = append(years, strconv.Itoa(y))
		}
		add(f.sign, "company", companies)
		add(f.sign, "speaker", speakers)
		add(f.sign, "year", years)
	}
	return strings.Join(parts, p.T("correction.join"))
}

// entityTag returns the link toggling entity name as a value of key,
// labelled in the page's language first.
func (s *server) entityTag(p page, st state, key, name, zh string) tag {
	if zh == "" {
		zh = s.searcher.LabelZH(name)
	}
	t := tag{Main: name, MainLang: "en", Alt: zh, AltLang: "zh-Hans", Active: st.has(key, name), Href: st.toggle(key, name)}
	if p.UI == "zh" && zh != "" {
		t.Main, t.MainLang, t.Alt, t.AltLang = zh, "zh-Hans", name, "en"
	}
	if t.Alt == t.Main {
		t.Alt = ""
	}
	return t
}

// entityFacet returns a facet of entity names.
func (s *server) entityFacet(p page, st state, key string, vs []index.FacetValue) facetView {
	f := facetView{Key: key, Title: p.T("facet." + key)}
	for _, v := range vs {
		t := s.entityTag(p, st, key, v.Value, v.LabelZH)
		t.Count = v.Count
		f.Values = append(f.Values, t)
	}
	return f
}

// plainFacet returns a facet whose values label names.
func (s *server) plainFacet(p page, st state, key string, vs []index.FacetValue, label func(string) string) facetView {
	f := facetView{Key: key, Title: p.T("facet." + key)}
	for _, v := range vs {
		f.Values = append(f.Values, tag{
			Main: label(v.Value), MainLang: p.HTMLLang(), Count: v.Count,
			Active: st.has(key, v.Value), Href: st.toggle(key, v.Value),
		})
	}
	return f
}

// Sizes of the timeline, in SVG user units.
const (
	barWidth     = 10
	barStep      = 13
	chartHeight  = 60
	maxChartSpan = 200 // years; a wider span shows only the years with hits
)

// yearFacetOf returns the year facet, with a bar per year from the first to
// the last so the chart's gaps are true gaps in time.
func yearFacetOf(p page, st state, vs []index.FacetValue) *yearFacet {
	counts := map[int]int{}
	var years []int
	most := 0
	for _, v := range vs {
		y, err := strconv.Atoi(v.Value)
		if err != nil {
			continue
		}
		if _, ok := counts[y]; !ok {
			years = append(years, y)
		}
		counts[y] += v.Count
		most = max(most, counts[y])
	}
	f := &yearFacet{From: st.v.Get("year_from"), To: st.v.Get("year_to"), Hidden: st.hidden("year_from", "year_to")}
	if len(years) == 0 && f.From == "" && f.To == "" {
		return nil
	}
	slices.Sort(years)
	for _, y := range years {
		ys := strconv.Itoa(y)
		f.Values = append(f.Values, tag{Main: ys, MainLang: "en", Count: counts[y], Active: st.has("year", ys), Href: st.toggle("year", ys)})
	}
	if len(years) == 0 {
		return f
	}
	axis := years
	if span := years[len(years)-1] - years[0] + 1; span <= maxChartSpan {
		axis = make([]int, span)
		for i := range axis {
			axis[i] = years[0] + i
		}
	}
	ch := &timeline{
		Width:  len(axis)*barStep - (barStep - barWidth),
		Height: chartHeight,
		First:  strconv.Itoa(axis[0]),
		Last:   strconv.Itoa(axis[len(axis)-1]),
	}
	for i, y := range axis {
		ys := strconv.Itoa(y)
		n := counts[y]
		b := bar{X: i * barStep, W: barWidth, Label: p.T("facet.year.bar", y, n), Active: st.has("year", ys)}
		if n > 0 {
			b.H = max(2, (n*chartHeight+most-1)/most)
			b.Href = st.toggle("year", ys)
		} else {
			b.H = 1
		}
		b.Y = chartHeight - b.H
		ch.Bars = append(ch.Bars, b)
	}
	f.Chart = ch
	return f
}

// chips returns a removing link for each active filter, in a fixed order.
func (s *server) chips(p page, st state, titles map[string]corpus.Text) []link {
	var out []link
	for _, key := range []string{"company", "speaker", "year", "year_from", "year_to", "section", "lang", "doc"} {
		for _, val := range st.v[key] {
			label := val
			switch key {
			case "company", "speaker":
				t := s.entityTag(p, st, key, val, "")
				label = t.Main
			case "section":
				label = p.sectionLabel(corpus.Section(val))
			case "lang":
				if val == "all" {
					continue
				}
				label = p.langLabel(corpus.Lang(val))
			case "doc":
				if t := title(titles[val], p.UI); t != "" {
					label = t
				}
			}
			out = append(out, link{Label: p.T("chip."+key, label), Href: st.without(key, val)})
		}
	}
	return out
}

// pageLinks returns the pagination of a search: previous, the first, a
// window around the current, the last, next.
func pageLinks(p page, st state, cur, size, total int) []pageLink {
	if size <= 0 {
		return nil
	}
	last := min((total+size-1)/size, index.MaxPage)
	if last <= 1 {
		return nil
	}
	var out []pageLink
	if cur > 1 {
		out = append(out, pageLink{Label: p.T("pages.prev"), Href: st.page(cur - 1), Rel: "prev"})
	}
	prev := 0
	for n := 1; n <= last; n++ {
		if n != 1 && n != last && (n < cur-2 || n > cur+2) {
			continue
		}
		if prev != 0 && n > prev+1 {
			out = append(out, pageLink{Gap: true})
		}
		out = append(out, pageLink{Label: strconv.Itoa(n), Href: st.page(n), Current: n == cur})
		prev = n
	}
	if cur < last {
		out = append(out, pageLink{Label: p.T("pages.next"), Href: st.page(cur + 1), Rel: "next"})
	}
	return out
}

// textLang guesses the language of a text the corpus does not label, such
// as a document's source or note, as an HTML lang attribute: Chinese when
// Han characters make up a good share of its letters. A Han character
// counts for about three Latin letters, so an English note naming 华为
// stays English and a Chinese one naming Huawei stays Chinese.
func textLang(s string) string {
	han, other := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsLetter(r):
			other++
		}
	}
	if han > 0 && han*3 >= other {
		return htmlLang(string(corpus.Chinese))
	}
	return htmlLang(string(corpus.English))
}
