// The handlers of the search page and the search API.

package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// homeDocs is how many documents the home page names; a bigger corpus has
// the list of documents for that.
const homeDocs = 5

// exampleQueries show the syntax in both languages.
var exampleQueries = []string{"华为", "Huawei", "字节跳动", `"iron curtain"`, "科技铁幕", "任正非 说", "Zhang Yiming OR 张一鸣"}

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
	res, titles, err := s.searchTitled(ctx, q)
	if err != nil {
		return err
	}
	p := s.newPage(c, q.Text, "search")
	if p.Title == "" {
		p.Title = p.T("search.title")
	}
	st := newState("/search", v, searchParams)
	d := searchData{
		page:    p,
		Q:       q.Text,
		Form:    s.searchForm(p, st, q.Text, string(res.Query.Sort)),
		Total:   res.Total,
		Chips:   s.chips(p, st, titles),
		Capped:  strings.Join(suffixed(res.Capped, "*"), ", "),
		Ignored: strings.Join(res.Ignored, " "),
		CSV:     st.elsewhere("/api/search.csv", nil, "page", "size", "ui"),
		JSONL:   st.elsewhere("/api/search", url.Values{"format": {"jsonl"}}, "page", "size", "ui"),
		API:     st.elsewhere("/api/search", nil, "ui"),
		KWIC:    st.elsewhere("/concordance", nil, "page", "size", "sort"),
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
	if res.Total > 0 && len(res.Hits) == 0 {
		last := min((res.Total+res.Query.Size-1)/res.Query.Size, index.MaxPage)
		d.PastEnd = &pastEnd{Page: res.Query.Page, Last: last, Href: st.page(last)}
	}
	d.Facets = s.facetViews(p, st, q.Text != "", res.Facets, titles)
	d.Years = yearFacetOf(p, st, res.Facets.Year)
	d.ShowFacets = d.Years != nil || slices.ContainsFunc(d.Facets, func(f facetView) bool { return len(f.Values) > 0 })
	d.ActiveFilters = len(d.Chips)
	d.SkipFilters = d.ShowFacets
	if titles.err != nil {
		return titles.err
	}
	if res.Total == 0 && q.Text != "" {
		dym, err := s.searcher.DidYouMean(ctx, q.Text)
		if err != nil {
			return err
		}
		if dym != "" {
			d.DidYouMean = &example{Q: dym, Lang: textLang(dym), Href: st.with("q", dym)}
		}
	}
	if res.Total == 0 && len(d.Chips) == 0 {
		// Nothing to remove: offer words that find something instead.
		home := newState("/search", url.Values{"ui": st.v["ui"]}, nil)
		d.Examples = examples(home)
		d.Browse = home.href(home.v)
	}
	d.Pages = pageLinks(p, st, res.Query.Page, res.Query.Size, res.Total)
	return c.Render(http.StatusOK, "search.html", d)
}

// facetViews are the facets of a search page but the years; the language
// facet only when the query has words (without words every passage
// matches on both sides: it would offer nothing to narrow).
func (s *server) facetViews(p page, st state, words bool, f index.Facets, titles *titleOf) []facetView {
	fs := []facetView{
		s.entityFacet(p, st, "company", f.Company),
		s.entityFacet(p, st, "speaker", f.Speaker),
		s.plainFacet(p, st, "section", f.Section, func(v string) string { return p.sectionLabel(corpus.Section(v)) }),
	}
	if words {
		fs = append(fs, s.plainFacet(p, st, "lang", f.Lang, func(v string) string { return p.langLabel(corpus.Lang(v)) }))
	}
	return append(fs, docFacet(p, st, f.Doc, titles))
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
		return badValue("format", "choice", []any{"json, csv, jsonl"}, "format must be json, csv or jsonl, got %s", quote(format))
	}
	res, err := s.searcher.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	_, pretty := v["pretty"]
	_, plain := c.Echo().JSONSerializer.(*echo.DefaultJSONSerializer)
	if res.Answer == 0 || pretty || c.Echo().Debug || !plain {
		return c.JSON(http.StatusOK, toAPIResults(res, s.searcher.LabelZH))
	}
	key := keptKey{res.Answer, res.Query.Text}
	b, ok := s.kept.get(key)
	if !ok {
		// c.JSON would meet the same encoding error.
		if b, err = encodeKept(toAPIResults(res, s.searcher.LabelZH)); err != nil {
			return err
		}
		s.kept.put(key, b)
	}
	return writeKept(c, b, res.Took)
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

// searchTitled searches q and returns how a page of its hits titles their
// documents.
func (s *server) searchTitled(ctx context.Context, q index.Query) (*index.Results, *titleOf, error) {
	res, err := s.searcher.Search(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	return res, s.docTitles(ctx), nil
}

// titleOf looks up the titles of the documents a page shows (its hits',
// its document facet's, its chips') one by one: a map of every document's,
// built per page, cost 2.5 ms of a 1M-passage search page's 12. A lookup
// that fails other than for a document the index no longer has is kept in
// err, for the page to fail with.
type titleOf struct {
	ctx context.Context
	s   Searcher
	err error
}

func (s *server) docTitles(ctx context.Context) *titleOf {
	return &titleOf{ctx: ctx, s: s.searcher}
}

// of is document id's title, empty when it has none or is gone (a label
// then falls back to the ID); a nil titleOf knows none.
func (t *titleOf) of(id string) corpus.Text {
	if t == nil {
		return corpus.Text{}
	}
	info, err := t.s.DocumentInfo(t.ctx, id)
	if err != nil {
		if !errors.Is(err, corpus.ErrNotFound) && t.err == nil {
			t.err = fmt.Errorf("title of document %q: %w", id, err)
		}
		return corpus.Text{}
	}
	return info.Document.Title
}
