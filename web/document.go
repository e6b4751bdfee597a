package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
)

// documentsData is the data of the list of documents.
type documentsData struct {
	page
	Docs []docItem
}

// docItem is a document in the list.
type docItem struct {
	Href       string
	Main, Alt  string
	MainLang   string
	AltLang    string
	Date       string
	Source     string
	Author     string
	Passages   int
	SearchHref string
}

// documentData is the data of a document's page, which is also the
// passage view: then Current names the passage shown.
type documentData struct {
	page
	ID            string
	Main, Alt     string
	MainLang      string
	AltLang       string
	Meta          []metaItem
	Note          string
	DocHref       string
	SearchHref    string
	Rows          []row
	LooseRefs     []refView // references whose passage the document lacks
	Current       string    // anchor of the passage in view, "" on the document page
	CurrentHref   string
	CurrentNumber int
	Prev, Next    string
}

// metaItem is a labelled piece of metadata.
type metaItem struct{ Label, Value string }

// row is a passage of a document as its page shows it.
type row struct {
	Anchor       string
	Href         string
	Position     int
	Section      corpus.Section
	SectionLabel string
	Sides        []side
	Current      bool
	Ref          *refView
	// RefsStart marks the first reference, where a heading goes.
	RefsStart bool
}

// refView is a reference as a document's page shows it.
type refView struct {
	Number      int
	Title       string
	Publication string
	Date        string
}

// documentsPage lists the documents.
func (s *server) documentsPage(c echo.Context) error {
	docs, err := s.searcher.Documents(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "", "documents")
	p.Title = p.T("documents.title")
	p.HeaderSearch = true
	d := documentsData{page: p}
	for _, di := range docs {
		doc := di.Document
		main, mainLang, alt, altLang := bilingual(doc.Title, p.UI)
		d.Docs = append(d.Docs, docItem{
			Href: p.documentHref(doc.ID), Main: main, MainLang: mainLang, Alt: alt, AltLang: altLang,
			Date: doc.Date, Source: doc.Source, Author: doc.Author, Passages: di.Passages,
			SearchHref: p.link("/search", url.Values{"doc": {doc.ID}}, ""),
		})
	}
	return c.Render(http.StatusOK, "documents.html", d)
}

// documentPage shows a document in reading order.
func (s *server) documentPage(c echo.Context) error {
	id, err := pathID(c, "id", "document")
	if err != nil {
		return err
	}
	doc, err := s.searcher.Document(c.Request().Context(), id)
	if err != nil {
		return err
	}
	p := s.newPage(c, "", "documents")
	p.HeaderSearch = true
	return c.Render(http.StatusOK, "document.html", documentView(p, doc, ""))
}

// apiDocuments answers GET /api/documents.
func (s *server) apiDocuments(c echo.Context) error {
	docs, err := s.searcher.Documents(c.Request().Context())
	if err != nil {
		return err
	}
	out := apiDocumentList{Documents: make([]apiDocumentInfo, 0, len(docs))}
	for _, d := range docs {
		out.Documents = append(out.Documents, apiDocumentInfo{apiDocumentMeta: toAPIMeta(&d.Document), Passages: d.Passages})
	}
	return c.JSON(http.StatusOK, out)
}

// apiDocument answers GET /api/documents/{id}.
func (s *server) apiDocument(c echo.Context) error {
	id, err := pathID(c, "id", "document")
	if err != nil {
		return err
	}
	doc, err := s.searcher.Document(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIDocument(doc))
}

// documentView returns the data of doc's page; current is the ID of the
// passage in view, or "".
func documentView(p page, doc *corpus.Document, current string) documentData {
	main, mainLang, alt, altLang := bilingual(doc.Title, p.UI)
	if main == "" {
		main, mainLang = doc.ID, "en"
	}
	if p.Title == "" {
		p.Title = main
	}
	d := documentData{
		page: p, ID: doc.ID, Main: main, MainLang: mainLang, Alt: alt, AltLang: altLang,
		Note:       doc.Note,
		DocHref:    p.documentHref(doc.ID),
		SearchHref: p.link("/search", url.Values{"doc": {doc.ID}}, ""),
	}
	for _, m := range []metaItem{
		{"doc.date", doc.Date}, {"doc.source", doc.Source}, {"doc.author", doc.Author},
		{"doc.editor", doc.Editor}, {"doc.picture_source", doc.PictureSource},
	} {
		if m.Value != "" {
			d.Meta = append(d.Meta, metaItem{Label: p.T(m.Label), Value: m.Value})
		}
	}
	refs := map[string]*refView{}
	for _, r := range doc.References {
		rv := &refView{Number: r.Number, Title: title(r.Title, p.UI), Publication: r.Publication, Date: r.Date}
		if r.Passage == "" {
			d.LooseRefs = append(d.LooseRefs, *rv)
			continue
		}
		refs[r.Passage] = rv
	}
	seen := map[string]bool{}
	refsStarted := false
	for _, ps := range doc.Passages {
		r := row{
			Anchor: anchor(ps), Href: p.passageHref(ps), Position: ps.Position,
			Section: ps.Section, SectionLabel: p.sectionLabel(ps.Section),
			Current: ps.ID == current, Ref: refs[ps.ID],
		}
		if r.Ref != nil {
			seen[ps.ID] = true
		}
		if ps.Section == corpus.SectionReference && !refsStarted {
			r.RefsStart, refsStarted = true, true
		}
		for _, l := range corpus.Langs {
			r.Sides = append(r.Sides, side{Lang: l, HTMLLang: htmlLang(string(l)), Label: p.langLabel(l), Text: ps.Text.Get(l)})
		}
		if r.Current {
			d.Current, d.CurrentHref, d.CurrentNumber = r.Anchor, r.Href, ps.Position
		}
		d.Rows = append(d.Rows, r)
	}
	for _, r := range doc.References {
		if r.Passage != "" && !seen[r.Passage] {
			d.LooseRefs = append(d.LooseRefs, *refs[r.Passage])
		}
	}
	return d
}

// bilingual returns the side of t in UI language ui first and the other
// side second, with their HTML languages; the second is "" when the same.
func bilingual(t corpus.Text, ui string) (main, mainLang, alt, altLang string) {
	main, mainLang, alt, altLang = t.EN, "en", t.ZH, "zh-Hans"
	if ui == string(corpus.Chinese) {
		main, mainLang, alt, altLang = t.ZH, "zh-Hans", t.EN, "en"
	}
	if main == "" {
		main, mainLang, alt = alt, altLang, ""
	}
	if alt == main {
		alt = ""
	}
	return main, mainLang, alt, altLang
}

// pathID returns the path parameter name, unescaped when the request's path
// was escaped (so "a%2Fb" and "a/b" name the same passage). A missing or
// malformed ID is not found.
func pathID(c echo.Context, name, what string) (string, error) {
	raw := c.Param(name)
	id := raw
	if c.Request().URL.RawPath != "" {
		var err error
		if id, err = url.PathUnescape(raw); err != nil {
			return "", fmt.Errorf("%s %s: %w", what, quote(raw), corpus.ErrNotFound)
		}
	}
	if id == "" {
		return "", fmt.Errorf("no %s given: %w", what, corpus.ErrNotFound)
	}
	return id, nil
}
