package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	Meta       []metaItem
	Passages   int
	SearchHref string
}

// documentData is the data of a document's page, which is also the
// passage view: then one of its Rows is Current.
type documentData struct {
	page
	ID         string
	Main, Alt  string
	MainLang   string
	AltLang    string
	Meta       []metaItem
	Note       string
	NoteLang   string
	DocHref    string
	SearchHref string
	Rows       []row
	LooseRefs  []refView // references whose passage the document lacks
	Prev, Next string    // the neighbours of the passage in view, if any
	// Back leads to the results of the search the page was reached from,
	// "" when it was not reached from one.
	Back string
}

// metaItem is a labelled piece of metadata. Lang is the language of the
// value, which the corpus does not record: a source or a name may be
// written in either language whatever the interface's.
type metaItem struct{ Label, Value, Lang string }

// metaItems returns the labelled metadata among date, source, author,
// editor and picture source that doc has.
func metaItems(p page, doc *corpus.Document, keys ...string) []metaItem {
	values := map[string]string{
		"doc.date": doc.Date, "doc.source": doc.Source, "doc.author": doc.Author,
		"doc.editor": doc.Editor, "doc.picture_source": doc.PictureSource,
	}
	var out []metaItem
	for _, k := range keys {
		if v := values[k]; v != "" {
			out = append(out, metaItem{Label: p.T(k), Value: v, Lang: textLang(v)})
		}
	}
	return out
}

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
	TitleLang   string
	Publication string
	PubLang     string
	Date        string
	// ShowNumber is false when the reference's passage already starts
	// with its number ("1. …"), which the page would otherwise repeat.
	ShowNumber bool
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
			Meta:       metaItems(p, &doc, "doc.date", "doc.author", "doc.source"),
			Passages:   di.Passages,
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
	ctx := c.Request().Context()
	doc, err := s.searcher.Document(ctx, id)
	if err != nil {
		return err
	}
	p := s.newPage(c, "", "documents")
	p.HeaderSearch = true
	sc := s.searchContextOf(ctx, c.QueryParams(), doc)
	p.Query = sc.q
	return c.Render(http.StatusOK, "document.html", documentView(p, doc, "", sc))
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
// passage in view, or "", and sc the search the page was reached from.
func documentView(p page, doc *corpus.Document, current string, sc searchContext) documentData {
	main, mainLang, alt, altLang := bilingual(doc.Title, p.UI)
	if main == "" {
		main, mainLang = doc.ID, "en"
	}
	if p.Title == "" {
		p.Title = main
	}
	search := url.Values{"doc": {doc.ID}}
	if sc.q != "" {
		search.Set("q", sc.q)
	}
	d := documentData{
		page: p, ID: doc.ID, Main: main, MainLang: mainLang, Alt: alt, AltLang: altLang,
		Meta:       metaItems(p, doc, "doc.date", "doc.source", "doc.author", "doc.editor", "doc.picture_source"),
		Note:       doc.Note,
		NoteLang:   textLang(doc.Note),
		DocHref:    p.link("/documents/"+url.PathEscape(doc.ID), sc.carry, ""),
		SearchHref: p.link("/search", search, ""),
		Back:       sc.back,
	}
	texts := map[string]corpus.Text{}
	for _, ps := range doc.Passages {
		texts[ps.ID] = ps.Text
	}
	refs := map[string]*refView{}
	for _, r := range doc.References {
		rt, rtLang, _, _ := bilingual(r.Title, p.UI)
		rv := &refView{
			Number: r.Number, Title: rt, TitleLang: rtLang, Publication: r.Publication, PubLang: textLang(r.Publication), Date: r.Date,
			ShowNumber: !numbered(texts[r.Passage], r.Number),
		}
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
			r.Sides = append(r.Sides, side{
				Lang: l, HTMLLang: htmlLang(string(l)), Label: p.langLabel(l), Text: ps.Text.Get(l),
				matches: sc.matches[ps.ID][l], Variants: variantsOf(ps, l),
			})
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

// numbered reports whether a reference's text starts with its number n on
// either side, as "1." or "[1]".
func numbered(t corpus.Text, n int) bool {
	for _, s := range []string{t.EN, t.ZH} {
		s = strings.TrimSpace(s)
		num := strconv.Itoa(n)
		if strings.HasPrefix(s, num+".") || strings.HasPrefix(s, num+"．") || strings.HasPrefix(s, "["+num+"]") {
			return true
		}
	}
	return false
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
