package web

import (
	"maps"
	"net/http"
	"net/url"
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
	p := s.newPage(c, "", "documents")
	p.HeaderSearch = true
	sc := s.searchContextOf(c.QueryParams())
	p.Query = sc.q
	ps, dp, err := s.docPage(ctx, p, info, 0, pc.Passage.Position, &sc)
	if err != nil {
		return err
	}
	doc := info.Document
	doc.Passages = ps
	d := documentView(p, &doc, pc.Passage.ID, sc, dp)
	d.Title = p.T("passage.title", d.Main, pc.Passage.Position)
	d.Prev = neighbourHref(p, &doc, pc.Prev, sc.carry)
	d.Next = neighbourHref(p, &doc, pc.Next, sc.carry)
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

// searchContext is the search a document or passage page was reached from,
// as the parameters of its link (see state.carry).
type searchContext struct {
	q     string      // the search's words, for the header's search box
	lang  corpus.Lang // the side the search chose, "" for both
	carry url.Values  // the parameters, for links to other passages
	back  string      // the search's results
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
	return searchContext{q: q.Text, lang: q.Lang, carry: carry, back: st.href(st.v)}
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
