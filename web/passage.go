package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
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
	d := documentView(p, doc, pc.Passage.ID)
	d.Title = p.T("passage.title", d.Main, pc.Passage.Position)
	d.Prev = neighbourHref(p, doc, pc.Prev)
	d.Next = neighbourHref(p, doc, pc.Next)
	return c.Render(http.StatusOK, "document.html", d)
}

// neighbourHref links to the passage id, a neighbour in doc; "" for none.
func neighbourHref(p page, doc *corpus.Document, id string) string {
	if id == "" {
		return ""
	}
	for _, ps := range doc.Passages {
		if ps.ID == id {
			return p.passageHref(ps)
		}
	}
	return p.link("/passages/"+escapeID(id), nil, "")
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
