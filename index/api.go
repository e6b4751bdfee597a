package index

import (
	"errors"
	"time"

	"github.com/corpus-dev/corpus/corpus"
)

// ErrBadQuery is returned (wrapped, with a message a user can act on) for a
// query the index will not run: bad syntax, too long, bad paging, an unknown
// sort or filter value.
var ErrBadQuery = errors.New("bad query")

// Limits on what one search may ask for. The index owns them; the web
// layer and the commands check the same values.
const (
	// MaxQueryRunes is the longest query text in characters: a whole
	// sentence or short paragraph of either language.
	MaxQueryRunes = 1000
	// MaxQueryBytes bounds the query text in bytes (MaxQueryRunes of the
	// longest UTF-8 characters).
	MaxQueryBytes = 4 * MaxQueryRunes
	// MaxTerms is how many distinct operands (words, phrases, Chinese
	// strings, prefixes) are searched; those beyond it are ignored and
	// listed in Results.Ignored.
	MaxTerms = 64
	// MaxExpansions is how many words a prefix (tech*) is expanded to,
	// the first in term order; Results.Capped names a prefix that had more.
	MaxExpansions = 64
	// MaxFilterValues is how many values one filter may have.
	MaxFilterValues = 20
	// MaxFilterBytes is the longest filter value or document ID in bytes.
	MaxFilterBytes = 200
	MaxSize        = 100  // hits per page
	MaxPage        = 1000 // deepest page; MaxPage*MaxSize bounds from+size
	MaxExport      = 10000
	DefaultSize    = 10
	// MaxFacetValues bounds the values a facet reports, so every company,
	// speaker or document of a large corpus is reachable while an answer
	// stays bounded.
	MaxFacetValues = 1000
)

// Sort orders the hits of a search.
type Sort string

// The sort orders. The zero value means relevance for a query with words and
// reading position for an empty query.
const (
	SortRelevance Sort = "relevance"
	SortPosition  Sort = "position"
	SortYear      Sort = "year"
	SortYearDesc  Sort = "-year"
)

// Query is one search: the user's words, filters, paging and order.
type Query struct {
	// Text is the user's query in our small syntax: words, "exact phrases",
	// -excluded words and OR. Empty browses everything.
	Text string
	// Lang restricts which side the words must match; empty means either.
	Lang corpus.Lang
	// Expand also finds passages whose other side has the translation
	// equivalents of the words (as ~ before the text does; equiv.go).
	Expand bool

	// Filters: values within one facet are ORed (unless CompaniesAll or
	// SpeakersAll ask for every value), facets are ANDed.
	Companies []string
	Speakers  []string
	// CompaniesAll and SpeakersAll ask for the passages that name every
	// value of Companies (Speakers) rather than any of them.
	CompaniesAll bool
	SpeakersAll  bool
	Years        []int
	YearFrom     int // inclusive, 0 = unbounded
	YearTo       int // inclusive, 0 = unbounded
	Sections     []corpus.Section
	Doc          string // one document's passages; "" for all

	Sort Sort
	Page int // 1-based; 0 means 1
	Size int // 0 means DefaultSize
}

// Results is the answer to a Query.
type Results struct {
	Query  Query // normalised: Page, Size and Sort filled in
	Total  int
	Took   time.Duration
	Hits   []Hit
	Facets Facets
	// Terms are the analysed forms of the query's words, for display.
	Terms []string
	// Capped lists the prefixes (without the *) that begin more than
	// MaxExpansions words: only the first MaxExpansions were searched.
	Capped []string
	// Ignored lists the operands beyond the first MaxTerms distinct ones,
	// which were not searched.
	Ignored []string
	// Answer names the answer while the generation keeps it (nonzero):
	// the results of every search given the kept answer share its number,
	// and no other results in the process have it, so whatever is derived
	// from its fields but Query.Text and Took (most of its JSON) can be
	// kept under it. Zero when the answer is not kept.
	Answer uint64
}

// Span is a byte range [Start, End) of a passage's text on one side.
type Span struct {
	Start, End int
}

// Hit is one passage that matched.
type Hit struct {
	Passage corpus.Passage
	Score   float64
	// Matches are the spans of each side's text that matched the query
	// (words, phrases, or the names of a matched entity), sorted, not
	// overlapping. Used for concordance lines.
	Matches map[corpus.Lang][]Span
	// Equivalents are the spans of Matches that are translation
	// equivalents of the query's words on the other side (铁幕 for "iron
	// curtain"), rather than matches of the words themselves.
	Equivalents map[corpus.Lang][]Span
	// Highlights are HTML: fragments of each side's text, HTML-escaped, with
	// <mark> and </mark> around the matches. Nothing else is markup.
	Highlights map[corpus.Lang][]string
}

// Facets are the counts of each facet's values among the hits, each computed
// with the filters of the other facets applied (so a selected value's
// alternatives stay visible); a facet whose values are ANDed (CompaniesAll)
// counts with its own filter too, so a count is what adding the value gives.
// Sorted by count, then value; years by year. A facet lists at most
// MaxFacetValues values.
type Facets struct {
	Company []FacetValue
	Speaker []FacetValue
	Year    []FacetValue
	Section []FacetValue
	// Lang counts, for each language, the hits whose words match on that
	// side: the total the same search with that Lang has. An empty query
	// matches everywhere, so there each count is the total.
	Lang []FacetValue
	// Doc counts the hits by document ID, with the other filters applied.
	Doc []FacetValue
}

// FacetValue is one value of a facet with the number of hits that have it.
type FacetValue struct {
	Value   string // canonical name; for years the decimal year
	LabelZH string // Chinese label, when the gazetteer has one
	Count   int
}

// Stats describes the open index generation.
type Stats struct {
	Generation string
	Documents  int
	Passages   int
	Built      time.Time
}

// CacheStats is the memory one cache of a generation holds: Bytes an
// estimate of what it keeps, Max its budget.
type CacheStats struct {
	Name       string
	Bytes, Max int64
}

// DocumentInfo is a document's metadata without its passages.
type DocumentInfo struct {
	Document corpus.Document // Passages is nil
	Passages int
}

// PassageContext is a passage with its neighbours and its document.
type PassageContext struct {
	Passage  corpus.Passage
	Prev     string // ID of the previous passage, "" at the start
	Next     string // ID of the next passage, "" at the end
	Document DocumentInfo
}
