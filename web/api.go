package web

import (
	"encoding/json"
	"io"
	"slices"
	"sort"
	"strconv"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// The JSON API's types. They are described in api/openapi.json; a test
// checks responses against it, so change both together. Slices are never
// nil, so clients see [] rather than null.

// apiError is the body of every API error.
type apiError struct {
	Error string `json:"error"`
}

// apiText is a text in both languages.
type apiText struct {
	EN string `json:"en"`
	ZH string `json:"zh"`
}

// apiPassage is a passage.
type apiPassage struct {
	ID        string   `json:"id"`
	Doc       string   `json:"doc"`
	Position  int      `json:"position"`
	Section   string   `json:"section"`
	Text      apiText  `json:"text"`
	Companies []string `json:"companies"`
	Years     []int    `json:"years"`
	Speakers  []string `json:"speakers"`
	// Corrections are the hand corrections of the facets above; most
	// passages have none.
	Corrections []apiCorrection `json:"corrections,omitempty"`
	// Variants are the other wordings the source gives (a TMX unit's
	// zh-TW segment, a PO message's context or plural); most passages
	// have none.
	Variants []apiVariant `json:"variants,omitempty"`
}

// apiVariant is one more wording of a passage in one language.
type apiVariant struct {
	Lang  string `json:"lang"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// apiCorrection is a hand correction of a passage's facets.
type apiCorrection struct {
	Added   apiFacetChange `json:"added"`
	Removed apiFacetChange `json:"removed"`
	Why     string         `json:"why"`
}

// apiFacetChange lists the values a correction added or removed.
type apiFacetChange struct {
	Companies []string `json:"companies,omitempty"`
	Years     []int    `json:"years,omitempty"`
	Speakers  []string `json:"speakers,omitempty"`
}

// apiHighlights are HTML fragments of each side (see index.Hit).
type apiHighlights struct {
	EN []string `json:"en"`
	ZH []string `json:"zh"`
}

// apiHit is a passage that matched a search.
type apiHit struct {
	apiPassage
	Highlights apiHighlights `json:"highlights"`
	Score      float64       `json:"score"`
	// ViaEquivalent says the passage matched only through translation
	// equivalents of the query's words (expand=1), none of the words
	// themselves.
	ViaEquivalent bool `json:"via_equivalent"`
}

// apiFacetValue is a value of the company or speaker facet.
type apiFacetValue struct {
	Value   string `json:"value"`
	LabelZH string `json:"label_zh"`
	Count   int    `json:"count"`
}

// apiYearCount is a value of the year facet.
type apiYearCount struct {
	Value int `json:"value"`
	Count int `json:"count"`
}

// apiCount is a value of the section or lang facet.
type apiCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// apiFacets are the facet counts of a search.
type apiFacets struct {
	Company []apiFacetValue `json:"company"`
	Year    []apiYearCount  `json:"year"`
	Speaker []apiFacetValue `json:"speaker"`
	Section []apiCount      `json:"section"`
	Lang    []apiCount      `json:"lang"`
	Doc     []apiCount      `json:"doc"`
}

// apiSearchResults is the answer of GET /api/search.
type apiSearchResults struct {
	Q      string    `json:"q"`
	Total  int       `json:"total"`
	Page   int       `json:"page"`
	Size   int       `json:"size"`
	TookMS float64   `json:"took_ms"`
	Hits   []apiHit  `json:"hits"`
	Facets apiFacets `json:"facets"`
	// Capped are the prefixes (tech for tech*) that begin more than
	// index.MaxExpansions words, of which only the first were searched.
	Capped []string `json:"capped,omitempty"`
	// Ignored are the operands beyond index.MaxTerms, not searched.
	Ignored []string `json:"ignored,omitempty"`
}

// apiDocumentRef names a document.
type apiDocumentRef struct {
	ID    string  `json:"id"`
	Title apiText `json:"title"`
}

// apiPassageContext is the answer of GET /api/passages/{id}.
type apiPassageContext struct {
	apiPassage
	Prev     *string        `json:"prev"`
	Next     *string        `json:"next"`
	Document apiDocumentRef `json:"document"`
}

// apiDocumentMeta is a document's metadata.
type apiDocumentMeta struct {
	ID            string  `json:"id"`
	Title         apiText `json:"title"`
	Date          string  `json:"date"`
	Source        string  `json:"source"`
	Author        string  `json:"author"`
	Editor        string  `json:"editor"`
	PictureSource string  `json:"picture_source"`
	Note          string  `json:"note"`
}

// apiDocumentInfo is an entry of GET /api/documents.
type apiDocumentInfo struct {
	apiDocumentMeta
	Passages int `json:"passages"`
}

// apiDocumentList is the answer of GET /api/documents.
type apiDocumentList struct {
	Documents []apiDocumentInfo `json:"documents"`
	Total     int               `json:"total"`
	Page      int               `json:"page"`
	NextPage  *int              `json:"next_page,omitempty"` // absent on the last page
}

// apiReference is an entry of a document's references.
type apiReference struct {
	Number      int     `json:"number"`
	Title       apiText `json:"title"`
	Publication string  `json:"publication"`
	Date        string  `json:"date"`
	Passage     string  `json:"passage"`
}

// apiDocument is the answer of GET /api/documents/{id}.
type apiDocument struct {
	apiDocumentMeta
	Passages   []apiPassage   `json:"passages"`
	References []apiReference `json:"references"`
	// The passages are those from position From, as many as fit a page;
	// NextFrom is where the next page starts, absent on the last.
	TotalPassages int  `json:"total_passages"`
	From          int  `json:"from"`
	NextFrom      *int `json:"next_from,omitempty"`
}

// apiHealth is the answer of GET /healthz.
type apiHealth struct {
	Status      string     `json:"status"` // ok, busy, no index
	Ready       bool       `json:"ready"`
	Version     string     `json:"version"`
	Generation  string     `json:"generation"`
	Documents   int        `json:"documents"`
	Passages    int        `json:"passages"`
	Slots       int        `json:"slots"`
	SlotsInUse  int        `json:"slots_in_use"`
	Waiting     int        `json:"waiting"`
	Shed        int64      `json:"shed"`
	Caches      []apiCache `json:"caches"`
	Connections *apiConns  `json:"connections,omitempty"`
}

// apiCache is a cache's memory in /healthz.
type apiCache struct {
	Name  string `json:"name"`
	Bytes int64  `json:"bytes"`
	Max   int64  `json:"max_bytes"`
}

// apiConns are the connection figures in /healthz.
type apiConns struct {
	Open     int   `json:"open"`
	Idle     int   `json:"idle"`
	Max      int   `json:"max"`
	IdleShed int64 `json:"idle_shed"`
	Refused  int64 `json:"refused"`
}

func toAPIText(t corpus.Text) apiText { return apiText{EN: t.EN, ZH: t.ZH} }

func toAPIPassage(p corpus.Passage) apiPassage {
	a := apiPassage{
		ID:        p.ID,
		Doc:       p.Doc,
		Position:  p.Position,
		Section:   string(p.Section),
		Text:      toAPIText(p.Text),
		Companies: nonNil(p.Companies),
		Years:     nonNil(p.Years),
		Speakers:  nonNil(p.Speakers),
	}
	change := func(f corpus.Facets) apiFacetChange {
		return apiFacetChange{Companies: f.Companies, Years: f.Years, Speakers: f.Speakers}
	}
	for _, c := range p.Corrections {
		a.Corrections = append(a.Corrections, apiCorrection{Added: change(c.Add), Removed: change(c.Remove), Why: c.Why})
	}
	for _, v := range p.Variants {
		a.Variants = append(a.Variants, apiVariant{Lang: string(v.Lang), Label: v.Label, Text: v.Text})
	}
	return a
}

func toAPIHit(h index.Hit) apiHit {
	return apiHit{
		apiPassage: toAPIPassage(h.Passage),
		Highlights: apiHighlights{
			EN: nonNil(h.Highlights[corpus.English]),
			ZH: nonNil(h.Highlights[corpus.Chinese]),
		},
		Score:         h.Score,
		ViaEquivalent: viaEquivalent(h),
	}
}

// viaEquivalent reports whether every span hit h matched is a translation
// equivalent's: the passage was found through a translation of the words.
func viaEquivalent(h index.Hit) bool {
	if len(h.Equivalents) == 0 {
		return false
	}
	for l, spans := range h.Matches {
		for _, sp := range spans {
			if !slices.Contains(h.Equivalents[l], sp) {
				return false
			}
		}
	}
	return true
}

func toAPIMeta(d *corpus.Document) apiDocumentMeta {
	return apiDocumentMeta{
		ID:            d.ID,
		Title:         toAPIText(d.Title),
		Date:          d.Date,
		Source:        d.Source,
		Author:        d.Author,
		Editor:        d.Editor,
		PictureSource: d.PictureSource,
		Note:          d.Note,
	}
}

func toAPIDocument(d *corpus.Document) apiDocument {
	out := apiDocument{
		apiDocumentMeta: toAPIMeta(d),
		Passages:        make([]apiPassage, 0, len(d.Passages)),
		References:      make([]apiReference, 0, len(d.References)),
	}
	for _, p := range d.Passages {
		out.Passages = append(out.Passages, toAPIPassage(p))
	}
	for _, r := range d.References {
		out.References = append(out.References, apiReference{
			Number:      r.Number,
			Title:       toAPIText(r.Title),
			Publication: r.Publication,
			Date:        r.Date,
			Passage:     r.Passage,
		})
	}
	return out
}

func toAPIPassageContext(pc *index.PassageContext) apiPassageContext {
	return apiPassageContext{
		apiPassage: toAPIPassage(pc.Passage),
		Prev:       optional(pc.Prev),
		Next:       optional(pc.Next),
		Document:   apiDocumentRef{ID: pc.Document.Document.ID, Title: toAPIText(pc.Document.Document.Title)},
	}
}

// toAPIResults converts a search's results; labelZH fills Chinese labels
// the facets lack.
func toAPIResults(r *index.Results, labelZH func(string) string) apiSearchResults {
	out := apiSearchResults{
		Q:      r.Query.Text,
		Total:  r.Total,
		Page:   r.Query.Page,
		Size:   r.Query.Size,
		TookMS: float64(r.Took.Microseconds()) / 1000,
		Hits:   make([]apiHit, 0, len(r.Hits)),
		Capped: r.Capped, Ignored: r.Ignored,
		Facets: apiFacets{
			Company: toAPIFacet(r.Facets.Company, labelZH),
			Speaker: toAPIFacet(r.Facets.Speaker, labelZH),
			Year:    toAPIYears(r.Facets.Year),
			Section: toAPICounts(r.Facets.Section),
			Lang:    toAPICounts(r.Facets.Lang),
			Doc:     toAPICounts(r.Facets.Doc),
		},
	}
	for _, h := range r.Hits {
		out.Hits = append(out.Hits, toAPIHit(h))
	}
	return out
}

func toAPIFacet(vs []index.FacetValue, labelZH func(string) string) []apiFacetValue {
	out := make([]apiFacetValue, 0, len(vs))
	for _, v := range vs {
		l := v.LabelZH
		if l == "" {
			l = labelZH(v.Value)
		}
		out = append(out, apiFacetValue{Value: v.Value, LabelZH: l, Count: v.Count})
	}
	return out
}

// toAPIYears converts the year facet, whose values are decimal years;
// anything else the index might send is left out rather than sent as 0.
func toAPIYears(vs []index.FacetValue) []apiYearCount {
	out := make([]apiYearCount, 0, len(vs))
	for _, v := range vs {
		y, err := strconv.Atoi(v.Value)
		if err != nil {
			continue
		}
		out = append(out, apiYearCount{Value: y, Count: v.Count})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

func toAPICounts(vs []index.FacetValue) []apiCount {
	out := make([]apiCount, 0, len(vs))
	for _, v := range vs {
		out = append(out, apiCount{Value: v.Value, Count: v.Count})
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// WriteSearchJSON writes r as the JSON API's /api/search answer, so that
// other clients of the index (the command line) speak the same format.
func WriteSearchJSON(w io.Writer, r *index.Results, labelZH func(string) string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(toAPIResults(r, labelZH))
}
