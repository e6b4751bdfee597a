package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// passagePage shows a passage in its document: a window of the document
// around it (as many of its neighbours as fit a page), the passage marked,
// links to its neighbours and to the document's page from there. Links to
// it end in the passage's anchor, so the browser scrolls there without
// JavaScript.
func (s *server) passagePage(c echo.Context) error {
	id, err := pathID(c, "*", "passage")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	pc, err := s.searcher.Passage(ctx, id)
	if err != nil {
		return err
	}
	info, err := s.searcher.DocumentInfo(ctx, pc.Passage.Doc)
	if err != nil {
		return err
	}
	p, sc, doc, dp, err := s.documentWindow(c, info, 0, pc.Passage.Position)
	if err != nil {
		return err
	}
	d := documentView(p, &doc, pc.Passage.ID, sc, dp)
	d.Title = p.T("passage.title", d.Main, pc.Passage.Position)
	d.Prev = neighbourHref(p, &doc, pc.Prev, sc.carry)
	d.Next = neighbourHref(p, &doc, pc.Next, sc.carry)
	if d.Hits, err = s.hitNav(ctx, p, sc, pc.Passage.ID); err != nil {
		return err
	}
	// "The whole document" leads to its page from the window's start.
	v := url.Values{}
	maps.Copy(v, sc.carry)
	if dp.From > 0 {
		v.Set("from", strconv.Itoa(dp.From))
	}
	d.DocHref = p.link("/documents/"+url.PathEscape(doc.ID), v, anchor(pc.Passage))
	return c.Render(http.StatusOK, "document.html", d)
}

// neighbourHref links to the passage id, a neighbour in doc, carrying the
// parameters search; "" for none.
func neighbourHref(p page, doc *corpus.Document, id string, search url.Values) string {
	if id == "" {
		return ""
	}
	for _, ps := range doc.Passages {
		if ps.ID == id {
			return p.searchPassageHref(ps, search)
		}
	}
	return p.link("/passages/"+escapeID(id), search, "")
}

// hitNav leads from a passage to the previous and next hits of the search
// it was reached from.
type hitNav struct {
	N, Total   int // the passage is hit N of Total
	Prev, Next string
}

// hitNav returns the way from passage id to its neighbours among the hits
// of search sc, in the search's order; nil when the page was not reached
// from a search, or the passage is not on the page of hits its link
// names (the index changed, or the link was made by hand). The hits before
// the first and after the last of that page are read from the pages
// around it.
func (s *server) hitNav(ctx context.Context, p page, sc searchContext, id string) (*hitNav, error) {
	if sc.query == nil {
		return nil, nil
	}
	q := *sc.query
	res, err := s.searcher.Search(ctx, q)
	if errors.Is(err, index.ErrBadQuery) {
		return nil, nil // a link from elsewhere may carry anything
	}
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(res.Hits, func(h index.Hit) bool { return h.Passage.ID == id })
	if i < 0 {
		return nil, nil
	}
	cur, size := res.Query.Page, res.Query.Size
	nav := &hitNav{N: (cur-1)*size + i + 1, Total: res.Total}
	link := func(h index.Hit, n int) string {
		v := maps.Clone(sc.carry)
		v.Del("page")
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return p.searchPassageHref(h.Passage, v)
	}
	// other is the first or last hit of page n.
	other := func(n int, last bool) (string, error) {
		q.Page = n
		r, err := s.searcher.Search(ctx, q)
		if err != nil || len(r.Hits) == 0 {
			return "", err
		}
		if last {
			return link(r.Hits[len(r.Hits)-1], n), nil
		}
		return link(r.Hits[0], n), nil
	}
	switch {
	case i > 0:
		nav.Prev = link(res.Hits[i-1], cur)
	case cur > 1:
		if nav.Prev, err = other(cur-1, true); err != nil {
			return nil, err
		}
	}
	switch {
	case i+1 < len(res.Hits):
		nav.Next = link(res.Hits[i+1], cur)
	case nav.N < res.Total && cur < index.MaxPage:
		if nav.Next, err = other(cur+1, false); err != nil {
			return nil, err
		}
	}
	return nav, nil
}

// searchContext is the search a document or passage page was reached from,
// as the parameters of its link (see state.carry).
type searchContext struct {
	q     string      // the search's words, for the header's search box
	lang  corpus.Lang // the side the search chose, "" for both
	carry url.Values  // the parameters, for links to other passages
	back  string      // the search's results, or the concordance
	// backKWIC says back leads to a concordance.
	backKWIC bool
	// query is the search, for the passage page's way from hit to hit.
	query *index.Query
	// matches are where the search's words are in the document's
	// passages: passage ID → side → spans.
	matches map[string]map[corpus.Lang][]index.Span
}

// searchContextOf reads the search in the parameters v of a link to a
// document or passage. Parameters that are not a valid search are ignored,
// as any link from elsewhere may carry anything; the search's words are
// marked in the passages a page shows (markPassages).
func (s *server) searchContextOf(v url.Values) searchContext {
	st := newState("/search", v, searchParams)
	carry := st.carry()
	if len(carry) == 0 {
		return searchContext{}
	}
	q, err := parseQuery(st.v)
	if err != nil {
		return searchContext{}
	}
	sc := searchContext{q: q.Text, lang: q.Lang, carry: carry, back: st.href(st.v), query: &q}
	if b, ok := parseKWICBack(v.Get("kwic")); ok {
		// Reached from a concordance's line: back to that line, and on
		// to the neighbours without it.
		sc.back, sc.backKWIC = b.href(st.v), true
		b.line = 0
		carry.Set("kwic", b.String())
	}
	return sc
}

// apiPassage answers GET /api/passages/{id}.
func (s *server) apiPassage(c echo.Context) error {
	id, err := pathID(c, "*", "passage")
	if err != nil {
		return err
	}
	pc, err := s.searcher.Passage(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIPassageContext(pc))
}
