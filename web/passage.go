package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// passagePage shows a passage in its document: the document's page with the
// passage marked and links to its neighbours. Links to it end in the
// passage's anchor, so the browser scrolls there without JavaScript.
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
	doc, err := s.searcher.Document(ctx, pc.Passage.Doc)
	if err != nil {
		return err
	}
	p := s.newPage(c, "", "documents")
	p.HeaderSearch = true
	sc := s.searchContextOf(ctx, c.QueryParams(), doc)
	p.Query = sc.q
	d := documentView(p, doc, pc.Passage.ID, sc)
	d.Title = p.T("passage.title", d.Main, pc.Passage.Position)
	d.Prev = neighbourHref(p, doc, pc.Prev, sc.carry)
	d.Next = neighbourHref(p, doc, pc.Next, sc.carry)
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
	q     string     // the search's words, for the header's search box
	carry url.Values // the parameters, for links to other passages
	back  string     // the search's results
	// matches are where the search's words are in the document's
	// passages: passage ID → side → spans.
	matches map[string]map[corpus.Lang][]index.Span
}

// searchContextOf reads the search in the parameters v of a link to doc
// and finds its words in doc's passages. Parameters that are not a valid
// search are ignored, as any link from elsewhere may carry anything, and so
// is a failure to find the words: the page is about the document, which
// reads fine without marks.
func (s *server) searchContextOf(ctx context.Context, v url.Values, doc *corpus.Document) searchContext {
	st := newState("/search", v, searchParams)
	carry := st.carry()
	if len(carry) == 0 {
		return searchContext{}
	}
	q, err := parseQuery(st.v)
	if err != nil {
		return searchContext{}
	}
	sc := searchContext{q: q.Text, carry: carry, back: st.href(st.v)}
	if q.Text == "" {
		return sc
	}
	// The words alone, on the side the search chose, in this document: the
	// filters say which passages are results, not which words to mark.
	mq := index.Query{Text: q.Text, Lang: q.Lang, Doc: doc.ID, Sort: index.SortPosition}
	matches := map[string]map[corpus.Lang][]index.Span{}
	// A document longer than MaxExport passages gets its first MaxExport
	// matches marked.
	err = s.searcher.Scan(ctx, mq, max(1, min(len(doc.Passages), index.MaxExport)), func(_ int, h index.Hit) error {
		matches[h.Passage.ID] = h.Matches
		return nil
	})
	if err != nil {
		if !errors.Is(err, index.ErrBadQuery) {
			s.log.WarnContext(ctx, "mark search words in a document", "doc", doc.ID, "err", err)
		}
		return sc
	}
	sc.matches = matches
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
