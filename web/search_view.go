// What the search page shows: its data types and how hits, chips and
// pagination are built from a search's results.

package web

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

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
	// ExpandOption offers to search the translation equivalents of the
	// words too (expand=1); Expand says it is chosen.
	ExpandOption, Expand bool
	// Widths are the concordance's context widths.
	Widths []option
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
	// ViaEquivalent says the hit matched only through translation
	// equivalents of the words (expand=1).
	ViaEquivalent bool
	// Corrections say which of the tags a person set by hand, and why.
	Corrections []correctionView
}

// correctionView is a hand correction of a hit's facets.
type correctionView struct {
	Changes string // "added Speaker: Zhang Yiming; removed Year: 2016"
	Why     string // in English, as the corpus gives it
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

	Q     string
	Total int
	// Capped and Ignored say what of the query was not searched in full
	// (index.Results).
	Capped, Ignored string
	First, Last     int
	Hits            []hitView
	Chips           []link
	// PastEnd is set for a page past the last one.
	PastEnd *pastEnd
	// DidYouMean is a query near the words that finds something, when
	// they find nothing.
	DidYouMean *example
	// WithoutQ searches the filters without the words, when there are both.
	WithoutQ string
	Facets   []facetView
	Years    *yearFacet
	// ShowFacets is false when no facet has a value to offer, so the page
	// does not show a heading over nothing.
	ShowFacets bool
	// ActiveFilters is how many filters are chosen, for the label of the
	// filter panel on a phone.
	ActiveFilters int
	Pages         []pageLink
	CSV           string
	JSONL         string
	API           string
	KWIC          string
}

// MaxExpansions is index.MaxExpansions, for the page's note on a capped prefix.
func (searchData) MaxExpansions() int { return index.MaxExpansions }

// MaxTerms is index.MaxTerms, for the page's note on ignored words.
func (searchData) MaxTerms() int { return index.MaxTerms }

// suffixed returns each of ss with suffix added.
func suffixed(ss []string, suffix string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s + suffix
	}
	return out
}

// pastEnd says a page asked for is past the last one, and links there.
type pastEnd struct {
	Page, Last int
	Href       string
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

// searchForm returns the data of the search form for state st.
func (s *server) searchForm(p page, st state, q, sort string) searchForm {
	f := searchForm{Action: st.path, Q: q, Hidden: st.hidden("q", "lang", "sort", "expand")}
	if st.path == "/search" {
		f.ExpandOption = true
		f.Expand = st.has("expand", "1") || st.has("expand", "on") || st.has("expand", "true")
	}
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

// hitTitleWidth is how much of a document's title a hit shows, in columns
// (a Chinese character is two): one line on a phone with its ¶ number and
// section.
const hitTitleWidth = 36

// hitView returns hit h as the result list shows it.
func (s *server) hitView(p page, st state, h index.Hit, titles *titleOf) hitView {
	ps := h.Passage
	v := hitView{
		ID:            ps.ID,
		Href:          p.searchPassageHref(ps, st.carry()),
		Doc:           docLabelOf(titles.of(ps.Doc), ps.Doc, p.UI, hitTitleWidth),
		Position:      ps.Position,
		Section:       ps.Section,
		SectionLabel:  p.sectionLabel(ps.Section),
		ViaEquivalent: viaEquivalent(h),
	}
	for _, l := range corpus.Langs {
		v.Sides = append(v.Sides, side{
			Lang: l, HTMLLang: htmlLang(string(l)), Label: p.langLabel(l),
			Text: ps.Text.Get(l), fragments: h.Highlights[l], matches: h.Matches[l],
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

// chips returns a removing link for each active filter, in a fixed order.
func (s *server) chips(p page, st state, titles *titleOf) []link {
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
				if t := title(titles.of(val), p.UI); t != "" {
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
		out = append(out, pageLink{Label: p.T("pages.prev"), Href: st.page(min(cur-1, last)), Rel: "prev"})
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
