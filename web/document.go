package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// documentsData is the data of the list of documents.
type documentsData struct {
	page
	Docs   []docItem
	Paging docPaging // From and To are indexes of documents here
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
	// BackKWIC says Back leads to a concordance rather than a search.
	BackKWIC bool
	// Hits lead to the neighbouring hits of that search, on a passage's
	// page.
	Hits *hitNav
	// Paging says which passages of the document the page shows.
	Paging docPaging
	// Langs are the page's columns: the languages its passages are in (one
	// for a monolingual document, which reads as one column).
	Langs []column
}

// column is a language column of a document's page.
type column struct {
	Lang  corpus.Lang
	Label string
}

// pageLangs returns the languages any of ps has text in (both when none
// has any).
func pageLangs(p page, ps []corpus.Passage) []column {
	var out []column
	for _, l := range corpus.Langs {
		for _, q := range ps {
			if q.Text.Get(l) != "" || hasVariant(q, l) {
				out = append(out, column{Lang: l, Label: p.langLabel(l)})
				break
			}
		}
	}
	if len(out) == 0 {
		for _, l := range corpus.Langs {
			out = append(out, column{Lang: l, Label: p.langLabel(l)})
		}
	}
	return out
}

func hasVariant(q corpus.Passage, l corpus.Lang) bool {
	for _, v := range q.Variants {
		if v.Lang == l {
			return true
		}
	}
	return false
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

// documentsPage lists the documents, documentsPerPage at a time.
func (s *server) documentsPage(c echo.Context) error {
	docs, n, err := s.documentList(c)
	if err != nil {
		return err
	}
	p := s.newPage(c, "", "documents")
	p.Title = p.T("documents.title")
	p.HeaderSearch = true
	d := documentsData{page: p}
	lo, hi := (n-1)*documentsPerPage, min(n*documentsPerPage, len(docs))
	for _, di := range docs[lo:hi] {
		doc := di.Document
		main, mainLang, alt, altLang := bilingual(doc.Title, p.UI)
		d.Docs = append(d.Docs, docItem{
			Href: p.documentHref(doc.ID), Main: main, MainLang: mainLang, Alt: alt, AltLang: altLang,
			Meta:       metaItems(p, &doc, "doc.date", "doc.author", "doc.source"),
			Passages:   di.Passages,
			SearchHref: p.link("/search", url.Values{"doc": {doc.ID}}, ""),
		})
	}
	d.Paging = docPaging{From: lo, To: hi, Total: len(docs)}
	pageLink := func(n int) string {
		v := url.Values{}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return p.link("/documents", v, "")
	}
	last := max(1, (len(docs)+documentsPerPage-1)/documentsPerPage)
	if n > 1 {
		d.Paging.First, d.Paging.Prev = pageLink(1), pageLink(n-1)
	}
	if n < last {
		d.Paging.Next, d.Paging.Last = pageLink(n+1), pageLink(last)
	}
	return c.Render(http.StatusOK, "documents.html", d)
}

// pageParam reads the 1-based "page" of a list of total documents; a
// bad value, or a page past the last, is a 400 naming it.
func pageParam(v url.Values, total int) (int, error) {
	raw := v.Get("page")
	if raw == "" {
		return 1, nil
	}
	last := max(1, (total+documentsPerPage-1)/documentsPerPage)
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > last {
		return 0, fmt.Errorf("%w: page must be a whole number from 1 to %d, not %s", index.ErrBadQuery, last, quote(raw))
	}
	return n, nil
}

// documentPage shows a page of a document in reading order: the passages
// from the position "from" (default 0) as many as fit a page, with links
// to the pages around it.
func (s *server) documentPage(c echo.Context) error {
	_, info, from, err := s.documentFrom(c)
	if err != nil {
		return err
	}
	p, sc, doc, dp, err := s.documentWindow(c, info, from, -1)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "document.html", documentView(p, &doc, "", sc, dp))
}

// documentWindow is the part of the document info that a document page
// shows: the passages from the position from, or those around the
// position around when it is not -1, with the search the page was reached
// from (its words marked) and where the page is in the document.
func (s *server) documentWindow(c echo.Context, info index.DocumentInfo, from, around int) (page, searchContext, corpus.Document, docPaging, error) {
	p := s.newPage(c, "", "documents")
	p.HeaderSearch = true
	sc := s.searchContextOf(c.QueryParams())
	p.Query = sc.q
	ps, dp, err := s.docPage(c.Request().Context(), p, info, from, around, &sc)
	if err != nil {
		return page{}, searchContext{}, corpus.Document{}, docPaging{}, err
	}
	doc := info.Document
	doc.Passages = ps
	return p, sc, doc, dp, nil
}

// documentList returns the documents and the page of them the query
// parameter "page" asks for.
func (s *server) documentList(c echo.Context) ([]index.DocumentInfo, int, error) {
	docs, err := s.searcher.Documents(c.Request().Context())
	if err != nil {
		return nil, 0, err
	}
	n, err := pageParam(c.QueryParams(), len(docs))
	if err != nil {
		return nil, 0, err
	}
	return docs, n, nil
}

// documentFrom reads the document of the path's id and the position
// "from" (default 0) a page of it starts at, which must be one of its
// passages.
func (s *server) documentFrom(c echo.Context) (id string, info index.DocumentInfo, from int, err error) {
	id, err = pathID(c, "id", "document")
	if err != nil {
		return "", index.DocumentInfo{}, 0, err
	}
	info, err = s.searcher.DocumentInfo(c.Request().Context(), id)
	if err != nil {
		return "", index.DocumentInfo{}, 0, err
	}
	from, err = fromParam(c.QueryParams(), "from")
	if err != nil {
		return "", index.DocumentInfo{}, 0, err
	}
	if from > 0 && from >= info.Passages {
		return "", index.DocumentInfo{}, 0, fmt.Errorf("%w: from must be below the document's %d passages, not %d", index.ErrBadQuery, info.Passages, from)
	}
	return id, info, from, nil
}

// apiDocuments answers GET /api/documents: documentsPerPage documents a
// page.
func (s *server) apiDocuments(c echo.Context) error {
	docs, n, err := s.documentList(c)
	if err != nil {
		return err
	}
	lo, hi := (n-1)*documentsPerPage, min(n*documentsPerPage, len(docs))
	out := apiDocumentList{Documents: make([]apiDocumentInfo, 0, hi-lo), Total: len(docs), Page: n}
	for _, d := range docs[lo:hi] {
		out.Documents = append(out.Documents, apiDocumentInfo{apiDocumentMeta: toAPIMeta(&d.Document), Passages: d.Passages})
	}
	if hi < len(docs) {
		next := n + 1
		out.NextPage = &next
	}
	return c.JSON(http.StatusOK, out)
}

// apiDocument answers GET /api/documents/{id}: the document with the
// passages from the position "from" (default 0), as many as fit a page,
// and where the next page starts.
func (s *server) apiDocument(c echo.Context) error {
	ctx := c.Request().Context()
	id, info, from, err := s.documentFrom(c)
	if err != nil {
		return err
	}
	ps, err := s.searcher.DocumentPassages(ctx, id, from, from+apiPagePassages)
	if err != nil {
		return err
	}
	ps = ps[:fitForward(ps, nil, pageBytes)]
	doc := info.Document
	doc.Passages = ps
	out := toAPIDocument(&doc)
	out.TotalPassages, out.From = info.Passages, from
	if end := from + len(ps); end < info.Passages {
		out.NextFrom = &end
	}
	return c.JSON(http.StatusOK, out)
}

// documentView returns the data of a page of doc, whose Passages are the
// page's; current is the ID of the passage in view, or "", sc the search
// the page was reached from and dp where the page is in the document.
func documentView(p page, doc *corpus.Document, current string, sc searchContext, dp docPaging) documentData {
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
		BackKWIC:   sc.backKWIC,
		Paging:     dp,
		Langs:      pageLangs(p, doc.Passages),
	}
	texts := map[string]corpus.Text{}
	for _, ps := range doc.Passages {
		texts[ps.ID] = ps.Text
	}
	// A reference goes with its passage on the page that shows it; one
	// whose passage the document lacks (or that names none) is listed
	// once, on the document's last page, not on every page.
	refs := map[string]*refView{}
	lastPage := dp.To >= dp.Total
	for _, r := range doc.References {
		_, onPage := texts[r.Passage]
		if !onPage && (!lastPage || inDocument(doc.ID, r.Passage, dp.Total)) {
			continue
		}
		rt, rtLang, _, _ := bilingual(r.Title, p.UI)
		rv := &refView{
			Number: r.Number, Title: rt, TitleLang: rtLang, Publication: r.Publication, PubLang: textLang(r.Publication), Date: r.Date,
			ShowNumber: !numbered(texts[r.Passage], r.Number),
		}
		if !onPage {
			d.LooseRefs = append(d.LooseRefs, *rv)
			continue
		}
		refs[r.Passage] = rv
	}
	refsStarted := false
	for _, ps := range doc.Passages {
		r := row{
			Anchor: anchor(ps), Href: p.passageHref(ps), Position: ps.Position,
			Section: ps.Section, SectionLabel: p.sectionLabel(ps.Section),
			Current: ps.ID == current, Ref: refs[ps.ID],
		}
		if ps.Section == corpus.SectionReference && !refsStarted {
			r.RefsStart, refsStarted = true, true
		}
		for _, c := range d.Langs {
			l := c.Lang
			r.Sides = append(r.Sides, side{
				Lang: l, HTMLLang: htmlLang(string(l)), Label: p.langLabel(l), Text: ps.Text.Get(l),
				matches: sc.matches[ps.ID][l], Variants: variantsOf(ps, l),
			})
		}
		d.Rows = append(d.Rows, r)
	}
	return d
}

// inDocument reports whether passage is one of the total passages of
// document doc: passages are numbered by position (corpus.PassageID).
func inDocument(doc, passage string, total int) bool {
	d, n, ok := corpus.ParsePassageID(passage)
	return ok && d == doc && n < total
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
