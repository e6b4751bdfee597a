package index

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// searchTimeout bounds one search whatever deadline the caller gives.
const searchTimeout = 5 * time.Second

// facetYears is how many years the year facet reports.
const facetYears = 300

// normalize checks q and fills in defaults, or returns an ErrBadQuery.
func normalize(q Query) (Query, error) {
	bad := func(format string, a ...any) (Query, error) {
		return q, fmt.Errorf("%w: "+format, append([]any{ErrBadQuery}, a...)...)
	}
	switch {
	case q.Page < 0:
		return bad("page must be 1 or more, not %d", q.Page)
	case q.Page == 0:
		q.Page = 1
	case q.Page > MaxPage:
		return bad("page %d is too deep; the limit is %d (narrow the search with filters)", q.Page, MaxPage)
	}
	switch {
	case q.Size < 0:
		return bad("size must be between 1 and %d, not %d", MaxSize, q.Size)
	case q.Size == 0:
		q.Size = DefaultSize
	case q.Size > MaxSize:
		return bad("size must be between 1 and %d, not %d", MaxSize, q.Size)
	}
	switch q.Lang {
	case "", corpus.English, corpus.Chinese:
	default:
		return bad("unknown language %q (use en or zh)", q.Lang)
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
	case SortRelevance, SortPosition, SortYear, SortYearDesc:
	default:
		return bad("unknown sort %q (use relevance, position, year or -year)", q.Sort)
	}
	for _, s := range q.Sections {
		if !s.Valid() {
			return bad("unknown section %q (use title, body, caption or reference)", s)
		}
	}
	for _, y := range append(append([]int(nil), q.Years...), q.YearFrom, q.YearTo) {
		if y < 0 || y > 9999 {
			return bad("year %d is out of range", y)
		}
	}
	if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
		return bad("year_from %d is after year_to %d", q.YearFrom, q.YearTo)
	}
	for name, vs := range map[string][]string{"company": q.Companies, "speaker": q.Speakers} {
		if len(vs) > MaxFilterValues {
			return bad("too many %s values (%d; the limit is %d)", name, len(vs), MaxFilterValues)
		}
		for _, v := range vs {
			if len(v) > MaxFilterBytes || !utf8.ValidString(v) {
				return bad("%s value is not valid text or too long", name)
			}
		}
	}
	if len(q.Years) > MaxFilterValues || len(q.Sections) > MaxFilterValues {
		return bad("too many filter values")
	}
	if len(q.Doc) > MaxFilterBytes || !utf8.ValidString(q.Doc) {
		return bad("document id is not valid text or too long")
	}
	return q, nil
}

// facet names, as they appear in Results.Facets.
const (
	facetCompany = "company"
	facetSpeaker = "speaker"
	facetYear    = "year"
	facetSection = "section"
	facetLang    = "lang"
	facetDoc     = "doc"
)

// facetFields are the facets counted from a keyword field. The language
// facet is not one: it counts where the words match, not which sides have
// text (langFacet).
var facetFields = map[string]string{
	facetCompany: fieldCompany,
	facetSpeaker: fieldSpeaker,
	facetYear:    fieldYear,
	facetSection: fieldSection,
	facetDoc:     fieldDoc,
}

// Search runs q. Facets count each facet's values with the filters of the
// other facets applied, as a faceted-search user expects: picking Huawei
// still shows the other companies and their counts. Recent answers are kept
// (resultCache), so asking again costs microseconds; callers share them, so
// the Results' fields may be set but the hits, highlights and facets they
// point to must not be modified.
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	start := time.Now()
	q, err := normalize(q)
	if err != nil {
		return nil, err
	}
	r, _, err := ix.results.do(ctx, cacheKey(q), func() (r *Results, err error) {
		// bleve trusts its files, and a large generation's are verified
		// while it serves (verifyLater): a damaged one must cost this
		// search, not the process (nor, through the cache, every later
		// identical search).
		err = guard("search", func() (err error) { r, err = ix.search(ctx, q); return err })
		return r, err
	})
	if err != nil {
		return nil, err
	}
	// The answer may be shared with the cache and other callers: the
	// caller gets its own top level, with its own query and time; what
	// it points to (hits, highlights, facets) must not be changed.
	cp := *r
	cp.Query = q
	cp.Took = time.Since(start)
	return &cp, nil
}

// search answers the normalised query q.
func (ix *Index) search(ctx context.Context, q Query) (*Results, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()

	cq, err := ix.compile(q)
	pq := cq.all
	if err != nil {
		return nil, err
	}
	text := cq.query
	filters := filterQueries(q)
	build := func(skip string) query.Query { return filtered(text, q, filters, skip) }

	// The empty query without filters has the same answer for as long as
	// the generation is open: counting the facets of every passage and
	// sorting them all by position cost tens of milliseconds per 100k
	// passages, so each page is computed once.
	var bc *browseCache
	if pq.empty() && len(pq.Excluded) == 0 && len(filters) == 0 {
		bc = &ix.browse
		if r, ok := bc.get(q); ok {
			r.Took = time.Since(start)
			return r, nil
		}
	}

	out := &Results{Query: q, Terms: ix.displayTerms(pq), Capped: cq.capped, Ignored: pq.Ignored}
	hl := ix.newHighlighter(cq)
	var facets map[string]*search.FacetResult
	var t *table
	if ix.onePassFor(q) {
		t = ix.tableReady()
	}
	if t != nil {
		pg, err := ix.onePass(ctx, t, q, text, passOptions{relevance: q.Sort == SortRelevance && !pq.empty(), k: q.Page * q.Size, facets: true})
		if err != nil {
			return nil, searchError(ctx, err)
		}
		for i, p := range pg.passages {
			out.Hits = append(out.Hits, hl.hit(p, pg.scores[i]))
		}
		out.Total, facets = pg.total, pg.facets
		if out.Facets.Lang, err = ix.langFacet(q, pq, out.Total, func(text query.Query) (int, error) {
			pg, err := ix.onePass(ctx, t, q, text, passOptions{})
			return pg.total, err
		}); err != nil {
			return nil, searchError(ctx, err)
		}
	} else {
		res, fs, err := ix.bleveSearch(ctx, q, pq, filters, build)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			p, err := decodeRecord(h.Fields[fieldSrc])
			if err != nil {
				return nil, fmt.Errorf("passage %s: %w", h.ID, err)
			}
			out.Hits = append(out.Hits, hl.hit(p, h.Score))
		}
		out.Total, facets = int(res.Total), fs
		if out.Facets.Lang, err = ix.langFacet(q, pq, out.Total, func(text query.Query) (int, error) {
			r, err := ix.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(filtered(text, q, filters, ""), 0, 0, false))
			if err != nil {
				return 0, err
			}
			return int(r.Total), nil
		}); err != nil {
			return nil, searchError(ctx, err)
		}
	}
	out.Facets.Company = ix.facetValues(facets[facetCompany], true)
	out.Facets.Speaker = ix.facetValues(facets[facetSpeaker], true)
	out.Facets.Year = yearValues(facets[facetYear])
	out.Facets.Section = ix.facetValues(facets[facetSection], false)
	out.Facets.Doc = ix.facetValues(facets[facetDoc], false)
	out.Took = time.Since(start)
	if bc != nil {
		bc.put(q, out)
		// The caller gets its own copy of the cached answer's top level.
		r := *out
		return &r, nil
	}
	return out, nil
}

// maxBrowsePages bounds the pages of the empty query kept per generation.
const maxBrowsePages = 256

// browseCache keeps the answers to the empty query without filters, by
// page, size and order, for one generation, which never changes. It is
// bounded in pages and in bytes (resultsSize); when either is reached it
// is emptied.
type browseCache struct {
	mu    sync.Mutex
	pages map[browseKey]*Results
	size  int64
	max   int64 // bytes; set with the result cache's budget (SetCacheBytes)
}

type browseKey struct {
	page, size int
	sort       Sort
	lang       corpus.Lang // only echoed back in Results.Query
}

// get returns a copy of the cached answer to q: the copy's fields may be
// set, its hits and facets are shared and must not be modified.
func (c *browseCache) get(q Query) (*Results, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.pages[browseKey{q.Page, q.Size, q.Sort, q.Lang}]
	if !ok {
		return nil, false
	}
	cp := *r
	return &cp, true
}

func (c *browseCache) put(q Query, r *Results) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := resultsSize(r)
	if n > c.max {
		return
	}
	k := browseKey{q.Page, q.Size, q.Sort, q.Lang}
	if c.pages == nil || len(c.pages) >= maxBrowsePages || c.size+n > c.max {
		c.pages, c.size = map[browseKey]*Results{}, 0
	}
	if old, ok := c.pages[k]; ok {
		c.size -= resultsSize(old)
	}
	c.pages[k] = r
	c.size += n
}

// setMax changes the budget, emptying the cache if it is over it.
func (c *browseCache) setMax(n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = n
	if c.size > n {
		c.pages, c.size = nil, 0
	}
}

func (c *browseCache) bytes() (held, limit int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, c.max
}

// onePassFor reports whether q goes through onePass (given the facet
// table): every search it can answer, unless the index was told to use
// bleve's own search (setOnePass), as tests do to compare the two.
func (ix *Index) onePassFor(q Query) bool {
	return !ix.onePassOff.Load() && onePassable(q)
}

// setOnePass turns the one-pass search on (the default) or off.
func (ix *Index) setOnePass(on bool) { ix.onePassOff.Store(!on) }

// bleveSearch answers q through bleve's search with its facet builders:
// the page of hits, and the facets, a filtered one counted again without
// its own filter.
func (ix *Index) bleveSearch(ctx context.Context, q Query, pq parsed, filters map[string]query.Query, build func(skip string) query.Query) (*bleve.SearchResult, map[string]*search.FacetResult, error) {
	from := (q.Page - 1) * q.Size
	req := bleve.NewSearchRequestOptions(build(""), q.Size, from, false)
	req.Fields = []string{fieldSrc}
	req.SortByCustom(sortOrder(q.Sort, pq.empty()))
	for name, field := range facetFields {
		if _, filtered := filters[name]; !filtered || andFacet(q, name) {
			req.AddFacet(name, bleve.NewFacetRequest(field, facetSize(name)))
		}
	}
	// A facet whose values are ANDed counts with its own filter, in the
	// main search; the others are counted again without theirs.
	var recount []string
	for name := range filters {
		if !andFacet(q, name) {
			recount = append(recount, name)
		}
	}
	// The filtered facets' searches run alongside the main one.
	type facetAnswer struct {
		name string
		fr   *search.FacetResult
		err  error
	}
	answers := make(chan facetAnswer, len(recount))
	for _, name := range recount {
		go func() {
			// A panic here would end the process: no request handler's
			// recover sees this goroutine.
			var r *bleve.SearchResult
			err := guard("count "+name, func() (err error) {
				fr := bleve.NewSearchRequestOptions(build(name), 0, 0, false)
				fr.AddFacet(name, bleve.NewFacetRequest(facetFields[name], facetSize(name)))
				r, err = ix.bi.SearchInContext(ctx, fr)
				return err
			})
			if err != nil {
				answers <- facetAnswer{name: name, err: err}
				return
			}
			answers <- facetAnswer{name: name, fr: r.Facets[name]}
		}()
	}
	res, err := ix.bi.SearchInContext(ctx, req)
	facets := map[string]*search.FacetResult{}
	var facetErr error
	for range recount {
		a := <-answers
		if a.err != nil && facetErr == nil {
			facetErr = a.err
		}
		facets[a.name] = a.fr
	}
	if err == nil {
		err = facetErr
	}
	if err != nil {
		return nil, nil, searchError(ctx, err)
	}
	maps.Copy(facets, res.Facets)
	return res, facets, nil
}

func facetSize(name string) int {
	if name == facetYear {
		return facetYears
	}
	return MaxFacetValues
}

// andFacet reports whether q asks for every value of facet name.
func andFacet(q Query, name string) bool {
	return name == facetCompany && q.CompaniesAll || name == facetSpeaker && q.SpeakersAll
}

// langFacet counts, for each language, the hits of q whose words match on
// that side: count runs q with the words' query for one side and returns
// its total. An empty query matches every passage whatever the side, so
// each count is the total.
func (ix *Index) langFacet(q Query, pq parsed, total int, count func(text query.Query) (int, error)) ([]FacetValue, error) {
	out := []FacetValue{}
	for _, l := range corpus.Langs {
		n := total
		if !pq.empty() || len(pq.Excluded) > 0 {
			var err error
			tq, _, err := ix.textQuery(pq, l)
			if err != nil {
				return nil, fmt.Errorf("count matches in %s: %w", l, err)
			}
			if n, err = count(tq); err != nil {
				return nil, fmt.Errorf("count matches in %s: %w", l, err)
			}
		}
		if n > 0 {
			out = append(out, FacetValue{Value: string(l), Count: n})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out, nil
}

// searchError turns a deadline into a message a user can act on.
func searchError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("search took too long (%v); narrow it with filters or fewer words: %w", ctx.Err(), err)
	}
	return fmt.Errorf("search: %w", err)
}

func sortOrder(s Sort, empty bool) search.SortOrder {
	doc := &search.SortField{Field: fieldDoc, Type: search.SortFieldAsString}
	pos := &search.SortField{Field: fieldPos, Type: search.SortFieldAsString}
	switch {
	case s == SortYear:
		return search.SortOrder{&search.SortField{Field: fieldYearMin, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast}, doc, pos}
	case s == SortYearDesc:
		return search.SortOrder{&search.SortField{Field: fieldYearMax, Type: search.SortFieldAsString, Desc: true, Missing: search.SortFieldMissingLast}, doc, pos}
	case s == SortPosition || empty:
		return search.SortOrder{doc, pos}
	default:
		return search.SortOrder{&search.SortScore{Desc: true}, doc, pos}
	}
}

// filtered is text restricted to q's document and to the facet filters
// but the one named skip ("" for none); the filters do not change scores.
func filtered(text query.Query, q Query, filters map[string]query.Query, skip string) query.Query {
	var fs []query.Query
	for name, f := range filters {
		if name != skip {
			fs = append(fs, f)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(text)
	if len(fs) > 0 {
		b.AddFilter(bleve.NewConjunctionQuery(fs...))
	}
	return b
}

// filterQueries returns one query per active facet filter.
func filterQueries(q Query) map[string]query.Query {
	fs := map[string]query.Query{}
	anyOf := func(field string, vs []string) query.Query {
		qs := make([]query.Query, len(vs))
		for i, v := range vs {
			qs[i] = termQ(field, v)
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	allOf := func(field string, vs []string) query.Query {
		qs := make([]query.Query, len(vs))
		for i, v := range vs {
			qs[i] = termQ(field, v)
		}
		return bleve.NewConjunctionQuery(qs...)
	}
	if len(q.Companies) > 0 {
		fs[facetCompany] = anyOf(fieldCompany, q.Companies)
		if q.CompaniesAll {
			fs[facetCompany] = allOf(fieldCompany, q.Companies)
		}
	}
	if len(q.Speakers) > 0 {
		fs[facetSpeaker] = anyOf(fieldSpeaker, q.Speakers)
		if q.SpeakersAll {
			fs[facetSpeaker] = allOf(fieldSpeaker, q.Speakers)
		}
	}
	if q.Doc != "" {
		fs[facetDoc] = termQ(fieldDoc, q.Doc)
	}
	if len(q.Sections) > 0 {
		ss := make([]string, len(q.Sections))
		for i, s := range q.Sections {
			ss[i] = string(s)
		}
		fs[facetSection] = anyOf(fieldSection, ss)
	}
	var ys []query.Query
	if len(q.Years) > 0 {
		vs := make([]string, len(q.Years))
		for i, y := range q.Years {
			vs[i] = yearTerm(y)
		}
		ys = append(ys, anyOf(fieldYear, vs))
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		lo, hi := q.YearFrom, q.YearTo
		if hi == 0 {
			hi = 9999
		}
		t := true
		r := bleve.NewTermRangeInclusiveQuery(yearTerm(lo), yearTerm(hi), &t, &t)
		r.SetField(fieldYear)
		ys = append(ys, r)
	}
	if len(ys) > 0 {
		fs[facetYear] = bleve.NewConjunctionQuery(ys...)
	}
	return fs
}

// yearTerm is how a year is indexed: four digits, so that term order is
// numeric order and a year range is a term range.
func yearTerm(y int) string { return fmt.Sprintf("%04d", y) }

// textQuery turns parsed clauses into a bleve query on the text fields and
// the entity fields of side lang ("" for both), and lists the prefixes whose
// expansion was capped. A group of stop words ("the", "of", 的) scores but
// does not gate when the query has another group: "the iron curtain" finds
// what "iron curtain" finds, ranked by "the" too, while "the" alone finds
// every passage with "the".
func (ix *Index) textQuery(p parsed, lang corpus.Lang) (query.Query, []string, error) {
	if p.empty() && len(p.Excluded) == 0 {
		return bleve.NewMatchAllQuery(), nil, nil
	}
	var capped []string
	cq := func(c clause) (query.Query, error) {
		q, cut, err := ix.clauseQuery(c, lang)
		if cut {
			capped = append(capped, c.Text)
		}
		return q, err
	}
	gating := false
	for _, g := range p.Groups {
		if !ix.stopGroup(g) {
			gating = true
		}
	}
	b := bleve.NewBooleanQuery()
	for _, g := range p.Groups {
		var alts []query.Query
		for _, c := range g {
			q, err := cq(c)
			if err != nil {
				return nil, nil, err
			}
			alts = append(alts, q)
		}
		var gq query.Query = bleve.NewDisjunctionQuery(alts...)
		if len(alts) == 1 {
			gq = alts[0]
		}
		if gating && ix.stopGroup(g) {
			b.AddShould(gq)
		} else {
			b.AddMust(gq)
		}
	}
	if p.empty() {
		b.AddMust(bleve.NewMatchAllQuery())
	}
	for _, c := range p.Excluded {
		q, err := cq(c)
		if err != nil {
			return nil, nil, err
		}
		b.AddMustNot(q)
	}
	return b, capped, nil
}

// stopGroup reports whether every clause of g is a stop word: an English
// one (bleve's list) or one of queryStop.
func (ix *Index) stopGroup(g []clause) bool {
	for _, c := range g {
		switch c.Kind {
		case kindWord:
			toks := ix.analyze(enAnalyzerName, c.Text)
			if len(toks) == 0 {
				return false
			}
			for _, t := range toks {
				if !enStopWords[string(t.Term)] {
					return false
				}
			}
		case kindHan:
			if !queryStop[corpus.Fold(c.Text)] {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// enStopWords are the English stop words of bleve's list.
var enStopWords = func() map[string]bool {
	m := analysis.NewTokenMap()
	if err := m.LoadBytes(en.EnglishStopWords); err != nil {
		panic(err)
	}
	return m
}()

// entityBoost weighs a match through an entity's tag below a match of the
// words themselves, so passages that say the words rank first.
const entityBoost = 0.4

// wordBoost weighs a Chinese string's match as a whole word of the
// segmenter above its match inside a longer word.
const wordBoost = 2

// clauseQuery returns the query of one clause, and whether it is a prefix
// whose expansion was capped at MaxExpansions.
func (ix *Index) clauseQuery(c clause, lang corpus.Lang) (query.Query, bool, error) {
	var alts []query.Query
	en, zh := lang != corpus.Chinese, lang != corpus.English
	capped := false
	switch c.Kind {
	case kindWord:
		if en {
			alts = appendNonNil(alts, ix.enWordQuery(c.Text))
		}
		if zh {
			alts = appendNonNil(alts, ix.allTerms(fieldZH, ix.analyze(zhAnalyzerName, c.Text)))
		}
	case kindHan:
		if zh {
			alts = appendNonNil(alts, ix.hanQuery(c.Text))
		}
	case kindPhrase:
		switch {
		case hasHan(c.Text):
			if zh {
				alts = appendNonNil(alts, ix.hanQuery(c.Text))
			}
		default:
			if en {
				alts = appendNonNil(alts, phraseOrTerm(fieldEN, ix.analyze(enAnalyzerName, c.Text)))
			}
			if zh {
				alts = appendNonNil(alts, phraseOrTerm(fieldZH, ix.analyze(zhAnalyzerName, c.Text)))
			}
		}
	case kindPrefix:
		var fields []string
		if en {
			fields = append(fields, fieldEN)
		}
		if zh {
			fields = append(fields, fieldZH)
		}
		terms, cut, err := ix.expand(fields, c.Text)
		if err != nil {
			return nil, false, err
		}
		capped = cut
		for _, t := range terms {
			for _, f := range fields {
				alts = append(alts, termQ(f, t))
			}
		}
	}
	entField := map[corpus.Lang]string{"": fieldEntity, corpus.English: fieldEntityEN, corpus.Chinese: fieldEntityZH}[lang]
	for _, e := range c.Entities {
		t := termQ(entField, e)
		t.SetBoost(entityBoost)
		alts = append(alts, t)
	}
	switch len(alts) {
	case 0:
		return bleve.NewMatchNoneQuery(), capped, nil
	case 1:
		return alts[0], capped, nil
	}
	return bleve.NewDisjunctionQuery(alts...), capped, nil
}

func appendNonNil(qs []query.Query, q query.Query) []query.Query {
	if q == nil {
		return qs
	}
	return append(qs, q)
}

// enWordQuery matches every English word of text by its stem (all of
// them, when the text is several words, such as "e-mail"), or returns nil.
// A passage's word w is indexed as itself in "en" and, if its stem s
// differs, as s in "en_stem"; so the passages with a word of stem s are
// those with s in "en_stem", and those with s itself in "en" if s is its
// own stem.
func (ix *Index) enWordQuery(text string) query.Query {
	toks := ix.analyze(enAnalyzerName, text)
	var must []query.Query
	for _, t := range toks {
		s := stem(string(t.Term))
		var q query.Query = termQ(fieldENStem, s)
		if stem(s) == s {
			q = bleve.NewDisjunctionQuery(termQ(fieldEN, s), q)
		}
		must = append(must, q)
	}
	switch len(must) {
	case 0:
		return nil
	case 1:
		return must[0]
	}
	return bleve.NewConjunctionQuery(must...)
}

// allTerms requires every token of toks as a term of field, or returns nil.
func (ix *Index) allTerms(field string, toks analysis.TokenStream) query.Query {
	var must []query.Query
	for _, t := range toks {
		must = append(must, termQ(field, string(t.Term)))
	}
	switch len(must) {
	case 0:
		return nil
	case 1:
		return must[0]
	}
	return bleve.NewConjunctionQuery(must...)
}

// phraseOrTerm is the phrase of toks on field, a term query for one token
// (the same matches and scores, without reading positions), nil for none.
func phraseOrTerm(field string, toks analysis.TokenStream) query.Query {
	switch len(toks) {
	case 0:
		return nil
	case 1:
		return termQ(field, string(toks[0].Term))
	}
	return newPhraseQuery(field, toks)
}

// hanQuery matches text holding Han characters on the Chinese side: each
// run of Han characters as a substring (hanSubstring), every other word of
// it as a word of the Chinese side. A run the segmenter also finds as a
// whole word or words of the passage scores higher, without gating.
func (ix *Index) hanQuery(text string) query.Query {
	var must, should []query.Query
	for _, t := range ix.analyze(zhAnalyzerName, text) {
		if !hasHan(string(t.Term)) {
			must = append(must, termQ(fieldZH, string(t.Term)))
		}
	}
	for _, run := range hanRunsOf(corpus.Fold(text)) {
		must = append(must, hanSubstring(run))
		if w := phraseOrTerm(fieldZH, ix.analyze(zhAnalyzerName, run)); w != nil {
			if b, ok := w.(query.BoostableQuery); ok {
				b.SetBoost(wordBoost)
			}
			should = append(should, w)
		}
	}
	if len(must) == 0 {
		return nil
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(should) > 0 {
		b.AddShould(should...)
	}
	return b
}

// hanSubstring matches the passages whose folded Chinese side contains run,
// a folded run of Han characters: one character is a term of "zh1", two a
// term of "zh2", more the bigrams that cover the run (at offsets 0, 2,
// 4, ... and the last) at their offsets: every character of the run is
// then checked at its place, with half the terms of all its bigrams.
func hanSubstring(run string) query.Query {
	rs := []rune(run)
	switch len(rs) {
	case 1:
		return termQ(fieldZH1, run)
	case 2:
		return termQ(fieldZH2, run)
	}
	terms := make([][]string, len(rs)-1)
	for i := range terms {
		if i%2 == 0 || i == len(rs)-2 {
			terms[i] = []string{string(rs[i : i+2])}
		} else {
			terms[i] = []string{""}
		}
	}
	return &phraseQuery{field: fieldZH2, terms: terms, boost: 1, once: true}
}

// hanRunsOf returns the maximal runs of Han characters of s.
func hanRunsOf(s string) []string {
	var runs []string
	start := -1
	for i, r := range s {
		if isHan(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			runs = append(runs, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, s[start:])
	}
	return runs
}

// expand returns the first MaxExpansions distinct terms of fields that
// begin with prefix, in term order, and whether there were more.
func (ix *Index) expand(fields []string, prefix string) ([]string, bool, error) {
	set := map[string]bool{}
	for _, f := range fields {
		d, err := ix.bi.FieldDictPrefix(f, []byte(prefix))
		if err != nil {
			return nil, false, fmt.Errorf("expand %s*: %w", prefix, err)
		}
		n := 0
		for n <= MaxExpansions {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return nil, false, fmt.Errorf("expand %s*: %w", prefix, err)
			}
			if e == nil {
				break
			}
			set[e.Term] = true
			n++
		}
		if err := d.Close(); err != nil {
			return nil, false, fmt.Errorf("expand %s*: %w", prefix, err)
		}
	}
	terms := make([]string, 0, len(set))
	for t := range set {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	if len(terms) > MaxExpansions {
		return terms[:MaxExpansions], true, nil
	}
	return terms, false, nil
}

// zhWords segments Chinese query text the way the index did.
func (ix *Index) zhWords(s string) []string {
	var out []string
	for _, t := range ix.analyze(zhAnalyzerName, s) {
		out = append(out, string(t.Term))
	}
	return out
}

// fieldAnalyzer names the analyzer of each text field.
var fieldAnalyzer = map[string]string{fieldEN: enAnalyzerName, fieldZH: zhAnalyzerName}

// analyze runs the named analyzer of the index's mapping on s, offsets
// included (see positionsOnly).
func (ix *Index) analyze(analyzer, s string) analysis.TokenStream {
	a := ix.analyzers.get(ix.bi.Mapping(), analyzer)
	if a == nil {
		return nil
	}
	return a.Analyze([]byte(s))
}

// analyzerCache keeps the analyzers Index.analyze runs, by name.
type analyzerCache struct {
	mu sync.Mutex
	m  map[string]analysis.Analyzer
}

func (c *analyzerCache) get(m mapping.IndexMapping, name string) analysis.Analyzer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.m[name]; ok {
		return a
	}
	a := m.AnalyzerNamed(name)
	if a != nil {
		a = withOffsets(a)
	}
	if c.m == nil {
		c.m = map[string]analysis.Analyzer{}
	}
	c.m[name] = a
	return a
}

// displayTerms lists the analysed words of the positive clauses.
func (ix *Index) displayTerms(p parsed) []string {
	seen := map[string]bool{}
	var out []string
	for _, g := range p.Groups {
		for _, c := range g {
			if !seen[c.Text] {
				seen[c.Text] = true
				out = append(out, c.Text)
			}
		}
	}
	return out
}

func (ix *Index) facetValues(fr *search.FacetResult, labels bool) []FacetValue {
	out := []FacetValue{}
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		v := FacetValue{Value: t.Term, Count: t.Count}
		if labels {
			v.LabelZH = ix.gaz.Label(t.Term)
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

func yearValues(fr *search.FacetResult) []FacetValue {
	out := []FacetValue{}
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		y, err := strconv.Atoi(t.Term)
		if err != nil {
			continue
		}
		out = append(out, FacetValue{Value: strconv.Itoa(y), Count: t.Count})
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i].Value)
		b, _ := strconv.Atoi(out[j].Value)
		return a < b
	})
	return out
}
