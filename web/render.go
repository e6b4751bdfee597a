package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// uiLangs are the languages of the interface, the default first.
var uiLangs = []string{"en", "zh"}

// uiMatcher picks the interface language from Accept-Language.
var uiMatcher = language.NewMatcher([]language.Tag{language.English, language.Chinese})

// catalog holds the interface strings of every UI language.
type catalog struct {
	msgs map[string]map[string]string // UI language → key → text
	// missing records keys asked for but absent, so a test can fail on a
	// key that only Go code builds.
	missing sync.Map
}

// loadCatalog reads i18n/<lang>.json for every UI language and checks that
// they have the same keys.
func loadCatalog(fsys fs.FS) (*catalog, error) {
	c := &catalog{msgs: map[string]map[string]string{}}
	for _, l := range uiLangs {
		b, err := fs.ReadFile(fsys, "i18n/"+l+".json")
		if err != nil {
			return nil, fmt.Errorf("read translations: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("parse i18n/%s.json: %w", l, err)
		}
		c.msgs[l] = m
	}
	base := c.msgs[uiLangs[0]]
	for _, l := range uiLangs[1:] {
		for k := range base {
			if _, ok := c.msgs[l][k]; !ok {
				return nil, fmt.Errorf("i18n/%s.json lacks key %q", l, k)
			}
		}
		for k := range c.msgs[l] {
			if _, ok := base[k]; !ok {
				return nil, fmt.Errorf("i18n/%s.json has key %q that %s.json lacks", l, k, uiLangs[0])
			}
		}
	}
	return c, nil
}

// text returns the string for key in UI language l, formatted with args.
// A missing key shows as itself, so a page still renders.
func (c *catalog) text(l, key string, args ...any) string {
	s, ok := c.msgs[l][key]
	if !ok {
		c.missing.Store(key, true)
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// renderer executes a page template inside layout.html; it is echo's
// Renderer.
type renderer struct {
	pages map[string]*template.Template
}

// parseTemplates parses each templates/*.html page with layout.html,
// partials.html and parts/*.html, the pieces pages share.
func parseTemplates(fsys fs.FS) (*renderer, error) {
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	r := &renderer{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := path.Base(n)
		if name == "layout.html" || name == "partials.html" {
			continue
		}
		t, err := template.New(name).ParseFS(fsys, "templates/layout.html", "templates/partials.html", "templates/parts/*.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Render writes page name with data to w.
func (r *renderer) Render(w io.Writer, name string, data any, c echo.Context) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	if err := t.ExecuteTemplate(w, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// page is what every template's layout needs; each page's data type embeds
// it.
type page struct {
	UI    string // interface language: "en" or "zh"
	Title string
	Nav   string // the navigation item to mark current
	// Query fills the search box of the header; HeaderSearch shows it
	// (pages with their own search form leave it off).
	Query        string
	HeaderSearch bool
	// SkipFilters adds a skip link (and the F key) to the filters.
	SkipFilters bool
	Version     string

	// uiParam is the ui query parameter when the URL set it; links carry
	// it on so a chosen language sticks.
	uiParam string
	url     *url.URL
	cat     *catalog
	assets  string
}

// newPage starts the data of a page for the request in c.
func (s *server) newPage(c echo.Context, title, nav string) page {
	ui, explicit := uiLang(c.Request().URL.Query().Get("ui"), c.Request().Header.Get("Accept-Language"))
	p := page{UI: ui, Title: title, Nav: nav, Version: s.version, url: c.Request().URL, cat: s.cat, assets: s.assetVersion}
	if explicit {
		p.uiParam = ui
	} else {
		c.Response().Header().Add("Vary", "Accept-Language")
	}
	return p
}

// uiLang picks the interface language: the ui parameter when valid, else the
// best match of the Accept-Language header, else English.
func uiLang(param, accept string) (lang string, explicit bool) {
	if slices.Contains(uiLangs, param) {
		return param, true
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return uiLangs[0], false
	}
	_, i, conf := uiMatcher.Match(tags...)
	if conf == language.No {
		return uiLangs[0], false
	}
	return uiLangs[i], false
}

// T returns the interface string for key in the page's language, formatted
// with args as by fmt.Sprintf.
func (p page) T(key string, args ...any) string { return p.cat.text(p.UI, key, args...) }

// HTMLLang is the page's language as an HTML lang attribute.
func (p page) HTMLLang() string { return htmlLang(p.UI) }

// UIParam is the ui parameter forms must carry on, "" when the language
// came from the browser.
func (p page) UIParam() string { return p.uiParam }

// Link returns path with the page's ui parameter added when it has one.
func (p page) Link(path string) string { return p.link(path, nil, "") }

// link returns path?query#fragment with the page's ui parameter added.
func (p page) link(path string, q url.Values, fragment string) string {
	if p.uiParam != "" {
		q = maps.Clone(q)
		if q == nil {
			q = url.Values{}
		}
		q.Set("ui", p.uiParam)
	}
	u := url.URL{Path: path, RawQuery: q.Encode(), Fragment: fragment}
	return u.String()
}

// Static returns the URL of a static file, versioned by content.
func (p page) Static(name string) string { return "/static/" + name + "?v=" + p.assets }

// SwitchUI is this page's URL in the other interface language.
func (p page) SwitchUI() string {
	q := p.url.Query()
	q.Set("ui", p.OtherUI())
	u := url.URL{Path: p.url.Path, RawQuery: q.Encode()}
	return u.String()
}

// OtherUI is the interface language the switch leads to.
func (p page) OtherUI() string {
	if p.UI == "zh" {
		return "en"
	}
	return "zh"
}

// OtherHTMLLang is OtherUI as an HTML lang attribute.
func (p page) OtherHTMLLang() string { return htmlLang(p.OtherUI()) }

// htmlLang maps a UI or corpus language to an HTML lang attribute.
func htmlLang(l string) string {
	if l == string(corpus.Chinese) {
		return "zh-Hans"
	}
	return "en"
}

// passageHref returns the link to a passage: the passage view of its
// document, scrolled to it by the fragment.
func (p page) passageHref(ps corpus.Passage) string {
	return p.searchPassageHref(ps, nil)
}

// searchPassageHref is passageHref carrying the parameters of the search
// the link comes from, so the passage view can mark the search's words and
// lead back to its results.
func (p page) searchPassageHref(ps corpus.Passage, search url.Values) string {
	return p.link("/passages/"+escapeID(ps.ID), search, anchor(ps))
}

// documentHref returns the link to a document.
func (p page) documentHref(id string) string {
	return p.link("/documents/"+url.PathEscape(id), nil, "")
}

// escapeID escapes each slash-separated part of a passage ID for a path.
func escapeID(id string) string {
	parts := strings.Split(id, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// anchor is the fragment naming passage ps in its document's page: the part
// of its ID after the document ID ("p012").
func anchor(ps corpus.Passage) string {
	if a, ok := strings.CutPrefix(ps.ID, ps.Doc+"/"); ok && a != "" && !strings.Contains(a, "/") {
		return a
	}
	return fmt.Sprintf("p%03d", ps.Position)
}

// docLabel is a document's title as a link to one of its passages shows
// it: clipped to fit a line, with the whole title for a tooltip when it was
// clipped, and the language the title is in.
type docLabel struct {
	Short, Full, Lang string
}

// docLabelOf returns the label of the document id titled t, in UI language
// ui when the title has that side, clipped to width columns.
func docLabelOf(t corpus.Text, id, ui string, width int) docLabel {
	main, lang, _, _ := bilingual(t, ui)
	if main == "" {
		main, lang = id, textLang(id)
	}
	l := docLabel{Short: clip(main, width), Lang: lang}
	if l.Short != main {
		l.Full = main
	}
	return l
}

// title returns the side of t for UI language ui, or the other side when
// that one is empty.
func title(t corpus.Text, ui string) string {
	l := corpus.Lang(ui)
	if s := t.Get(l); s != "" {
		return s
	}
	if l == corpus.Chinese {
		return t.EN
	}
	return t.ZH
}

// side is one language's text of a passage as a page shows it.
type side struct {
	Lang     corpus.Lang
	HTMLLang string
	Label    string
	Text     string
	// Variants are the other wordings of this side the source gives (a
	// zh-TW segment, a PO message's context or plural), shown after Text.
	Variants []variantView
	// fragments are highlight fragments from the index: HTML.
	fragments []string
	// matches are the spans of Text a search matched, to mark in the
	// whole text.
	matches []index.Span
}

// variantView is a passage's variant as a page shows it: its source's
// label (zh-TW, msgctxt) and its text, in the language the label names
// when it is a language tag.
type variantView struct {
	Label, Text, HTMLLang string
}

// variantsOf returns the variants of passage p in language l.
func variantsOf(p corpus.Passage, l corpus.Lang) []variantView {
	var out []variantView
	for _, v := range p.Variants {
		if v.Lang != l {
			continue
		}
		hl := htmlLang(string(l))
		if strings.HasPrefix(strings.ToLower(v.Label), string(l)) {
			hl = v.Label
		}
		out = append(out, variantView{Label: v.Label, Text: v.Text, HTMLLang: hl})
	}
	return out
}

// textPart is a piece of a text, marked as a match or not.
type textPart struct {
	Text string
	Mark bool
}

// Parts returns the side's whole text cut at its matches, so a template can
// mark them while html/template escapes every piece. A span that is not on
// rune boundaries, overlaps the one before or runs past the text is left
// unmarked.
func (s side) Parts() []textPart {
	var out []textPart
	at := 0
	for _, sp := range s.matches {
		if sp.Start < at || !validSpan(s.Text, sp) {
			continue
		}
		if sp.Start > at {
			out = append(out, textPart{Text: s.Text[at:sp.Start]})
		}
		out = append(out, textPart{Text: s.Text[sp.Start:sp.End], Mark: true})
		at = sp.End
	}
	if at < len(s.Text) {
		out = append(out, textPart{Text: s.Text[at:]})
	}
	return out
}

// Marked returns the side's highlight fragments as HTML. It is the one place
// the site turns a string from elsewhere into template.HTML, and it may:
// index.Hit.Highlights documents that fragments are the passage's text
// HTML-escaped with only <mark> and </mark> added. A fragment that breaks
// that promise is left out rather than trusted.
func (s side) Marked() []template.HTML {
	var out []template.HTML
	for _, f := range s.fragments {
		if !isMarkedText(f) {
			continue
		}
		// Fragments shown one after another share the ellipsis between
		// them: the previous one already ends with it.
		if len(out) > 0 {
			f = strings.TrimPrefix(f, "… ")
		}
		out = append(out, template.HTML(f)) //nolint:gosec // checked by isMarkedText, see above
	}
	return out
}

// Snippet is the side's text shortened for a result list; html/template
// escapes it.
func (s side) Snippet() string { return shorten(s.Text, snippetRunes) }

// Clipped reports whether a result list shows less than the side's whole
// text: its highlight fragments leave something out, or, without them, the
// snippet is shortened. The list then offers the whole text in place.
func (s side) Clipped() bool {
	if m := s.Marked(); len(m) > 0 {
		first, last := string(m[0]), string(m[len(m)-1])
		return len(m) > 1 || strings.HasPrefix(first, "… ") || strings.HasSuffix(last, " …")
	}
	return s.Text != "" && s.Snippet() != s.Text
}

// snippetRunes is how much of a side a result shows without highlights.
const snippetRunes = 280

// isMarkedText reports whether f is escaped text whose only tags are
// <mark> and </mark>, balanced and not nested.
func isMarkedText(f string) bool {
	open := false
	for f != "" {
		i := strings.IndexAny(f, "<>")
		if i < 0 {
			break
		}
		if f[i] == '>' {
			return false
		}
		f = f[i:]
		switch {
		case !open && strings.HasPrefix(f, "<mark>"):
			open = true
			f = f[len("<mark>"):]
		case open && strings.HasPrefix(f, "</mark>"):
			open = false
			f = f[len("</mark>"):]
		default:
			return false
		}
	}
	return !open
}

// shorten cuts s to at most n runes at a space when one is near, adding an
// ellipsis when it cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for i := n; i > n*3/4; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ") + "…"
}

// clip shortens s to about width columns for a line of links, counting a
// wide (CJK) character as two columns, as it takes twice the room of a
// Latin letter. It cuts at a space when one is near the end and adds an
// ellipsis when it cut; a text at most a fifth too long is left whole, as
// an ellipsis would save next to nothing.
func clip(s string, width int) string {
	cols, cut, space := 0, -1, -1
	for i, r := range s {
		w := 1
		if isWide(r) {
			w = 2
		}
		if cols+w > width && cut < 0 {
			cut = i
		}
		if cols+w > width+width/5 {
			if space > 0 {
				cut = space
			}
			return strings.TrimRight(s[:cut], " ,.:;，。：；、") + "…"
		}
		if r == ' ' && cols >= width*3/4 && cols <= width {
			space = i // the text before it fits
		}
		cols += w
	}
	return s
}

// isWide reports whether r takes two columns: Han characters, kana, Hangul
// and full-width forms and punctuation.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60)
}

// sectionKey is the translation key of a section's name.
func sectionKey(s corpus.Section) string { return "section." + string(s) }

// langKey is the translation key of a corpus language's name.
func langKey(l corpus.Lang) string { return "lang." + string(l) }

// sectionLabel names section s in the page's language; a section the site
// does not know shows as it is.
func (p page) sectionLabel(s corpus.Section) string {
	if !s.Valid() {
		return string(s)
	}
	return p.T(sectionKey(s))
}

// langLabel names corpus language l in the page's language.
func (p page) langLabel(l corpus.Lang) string {
	if l != corpus.English && l != corpus.Chinese {
		return string(l)
	}
	return p.T(langKey(l))
}
