package index

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// searchTimeout bounds a search whose caller gives no deadline. A caller's
// own deadline wins, longer or shorter: a server started with a longer
// --request-timeout means it (a busy machine, a large corpus), and a
// fixed bound here would turn its searches into 503s after 5 s anyway.
const searchTimeout = 5 * time.Second

// withSearchBudget returns ctx with searchTimeout added when it has no deadline.
func withSearchBudget(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, searchTimeout)
}

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
	defer ix.warm.release()
	q, err := normalize(q)
	if err != nil {
		return nil, err
	}
	r, _, err := ix.results.do(ctx, cacheKey(q), func() (r *Results, err error) {
		// bleve trusts its files, and a large generation's are verified
		// while it serves (verifyLater): a damaged one must cost this
		// search, not the process (nor, through the cache, every later
		// identical search).
		err = guard("search", func() (err error) { r, err = ix.search(withDirectMemo(ctx), q); return err })
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

// search answers the normalised query q; ctx carries the memo its passes
// share (withDirectMemo).
func (ix *Index) search(ctx context.Context, q Query) (*Results, error) {
	start := time.Now()
	ctx, cancel := withSearchBudget(ctx)
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
	var facets map[string][]FacetValue
	t, err := ix.passTable(ctx, q)
	if err != nil {
		return nil, err
	}
	// After the table, which a cold start's first searches await idle.
	if err := searchGate.enter(ctx); err != nil {
		return nil, fmt.Errorf("search waited too long for its turn, the server being busy: %w", err)
	}
	defer searchGate.leave()
	if t != nil {
		var pg page
		if browsable(q, pq, len(filters)) {
			pg, err = ix.browsePage(t, q)
		} else {
			opts := passOptionsFor(q, pq.empty(), q.Page*q.Size)
			opts.facets = true
			pg, err = ix.onePass(ctx, t, q, text, opts)
		}
		if err != nil {
			return nil, searchError(ctx, err)
		}
		for i, p := range pg.passages {
			out.Hits = append(out.Hits, hl.hit(p, pg.scores[i]))
		}
		out.Total, facets = pg.total, pg.facets
		if out.Facets.Lang, err = ix.langFacet(q, pq, out.Total, sidesUnite(q, cq), func(text query.Query) (uint64, error) {
			return ix.estimate(ctx, text)
		}, ix.sideCounter(ctx, t, q, len(filters) > 0)); err != nil {
			return nil, searchError(ctx, err)
		}
	} else {
		fs, err := ix.bleveHits(ctx, q, pq, filters, build, hl, out)
		if err != nil {
			return nil, err
		}
		facets = map[string][]FacetValue{}
		for name, fr := range fs {
			facets[name] = bleveFacetValues(fr)
		}
	}
	ix.setFacets(out, facets)
	out.Took = time.Since(start)
	if bc != nil {
		bc.put(q, out)
		// The caller gets its own copy of the cached answer's top level.
		r := *out
		return &r, nil
	}
	return out, nil
}

// setFacets sets out's facets but the language's from facets, by name.
func (ix *Index) setFacets(out *Results, facets map[string][]FacetValue) {
	out.Facets.Company = ix.facetValues(facets[facetCompany], true)
	out.Facets.Speaker = ix.facetValues(facets[facetSpeaker], true)
	out.Facets.Year = yearValues(facets[facetYear])
	out.Facets.Section = ix.facetValues(facets[facetSection], false)
	out.Facets.Doc = ix.facetValues(facets[facetDoc], false)
}

// sideCounter returns how langFacet counts the passages a side's query
// matches in a one-pass search of q: from bitmaps when q has no filters
// and the query allows (countByBitmaps), else by walking its matches.
func (ix *Index) sideCounter(ctx context.Context, t *table, q Query, filtered bool) func(query.Query) (int, error) {
	return func(text query.Query) (int, error) {
		if !filtered {
			if n, ok, err := ix.countByBitmaps(text); ok || err != nil {
				return n, err
			}
		}
		pg, err := ix.onePass(ctx, t, q, text, passOptions{})
		return pg.total, err
	}
}

// bleveHits sets out's hits, total and language facet with bleve's own
// search, and returns the other facets.
func (ix *Index) bleveHits(ctx context.Context, q Query, pq parsed, filters map[string]query.Query, build func(skip string) query.Query, hl *highlighter, out *Results) (map[string]*search.FacetResult, error) {
	res, fs, err := ix.bleveSearch(ctx, q, pq, filters, build)
	if err != nil {
		return nil, err
	}
	for _, h := range res.Hits {
		p, err := ix.storedPassage(h.IndexInternalID)
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, hl.hit(p, h.Score))
	}
	out.Total = int(res.Total)
	if out.Facets.Lang, err = ix.langFacet(q, pq, out.Total, false, nil, func(text query.Query) (int, error) {
		r, err := ix.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(filtered(text, q, filters, ""), 0, 0, false))
		if err != nil {
			return 0, err
		}
		return int(r.Total), nil
	}); err != nil {
		return nil, searchError(ctx, err)
	}
	return fs, nil
}

// onePassFor reports whether q goes through onePass (given the facet
// table): every search it can answer, unless the index was told to use
// bleve's own search (setOnePass), as tests do to compare the two.
func (ix *Index) onePassFor(q Query) bool {
	return !ix.onePassOff.Load() && onePassable(q)
}

// passTable returns the facet table a one-pass search of q reads, or nil
// for bleve's own search. While the table of a generation is read from its
// postings (one built before the table had a file, or whose file could
// not be read), searches go through bleve where its keyword fields keep
// doc values (format 10 and before), and otherwise wait for the table.
func (ix *Index) passTable(ctx context.Context, q Query) (*table, error) {
	if !ix.onePassFor(q) {
		return nil, nil
	}
	if t := ix.tableReady(); t != nil || ix.man.Format <= 10 {
		return t, nil
	}
	s := ix.tableSlotOf()
	select {
	case <-s.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.err != nil {
		// The generation cannot be searched: Live serves another.
		ix.noteDamage(s.err)
		return nil, fmt.Errorf("facet table: %w", s.err)
	}
	return s.t, nil
}

// setOnePass turns the one-pass search on (the default) or off.
func (ix *Index) setOnePass(on bool) { ix.onePassOff.Store(!on) }

// setDirect turns the direct search (eachMatch) on or off.
func (ix *Index) setDirect(on bool) { ix.directOff.Store(!on) }

// bleveSearch answers q through bleve's search with its facet builders:
// the page of hits, and the facets, a filtered one counted again without
// its own filter.
func (ix *Index) bleveSearch(ctx context.Context, q Query, pq parsed, filters map[string]query.Query, build func(skip string) query.Query) (*bleve.SearchResult, map[string]*search.FacetResult, error) {
	from := (q.Page - 1) * q.Size
	req := bleve.NewSearchRequestOptions(build(""), q.Size, from, false)
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
// each count is the total. With union (sidesUnite), the hits are those of
// either side, so when one side has none the other has them all: the
// sides of a search with many hits are counted cheapest first (by how
// many postings their searchers would read, estimate), so an English
// word's search, whose Chinese side is a few Latin words inside Chinese
// text, does not walk its English matches a second time, nor a Chinese
// word's its Chinese ones.
func (ix *Index) langFacet(q Query, pq parsed, total int, union bool, estimate func(text query.Query) (uint64, error), count func(text query.Query) (int, error)) ([]FacetValue, error) {
	counts := make([]int, len(corpus.Langs))
	for i := range counts {
		counts[i] = total
	}
	if !pq.empty() || len(pq.Excluded) > 0 {
		queries := make([]query.Query, len(corpus.Langs))
		cost := make([]uint64, len(corpus.Langs))
		for i, l := range corpus.Langs {
			tq, _, err := ix.textQuery(pq, l)
			if err != nil {
				return nil, fmt.Errorf("count matches in %s: %w", l, err)
			}
			queries[i] = tq
			if union && total >= estimateFrom {
				if cost[i], err = estimate(tq); err != nil {
					return nil, fmt.Errorf("count matches in %s: %w", l, err)
				}
			}
		}
		order := make([]int, len(corpus.Langs))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return cost[order[a]] < cost[order[b]] })
		none := true // every side counted so far had no hits
		for k, i := range order {
			if union && k == len(order)-1 && none {
				break // all the hits are this side's
			}
			n, err := count(queries[i])
			if err != nil {
				return nil, fmt.Errorf("count matches in %s: %w", corpus.Langs[i], err)
			}
			counts[i] = n
			none = none && n == 0
		}
	}
	out := []FacetValue{}
	for i, l := range corpus.Langs {
		if counts[i] > 0 {
			out = append(out, FacetValue{Value: string(l), Count: counts[i]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out, nil
}

// estimateFrom is the total from which langFacet orders the sides by
// cost: estimating builds each side's searchers once more, which costs
// what walking a few hundred matches does. A variable for tests.
var estimateFrom = 1000

// sidesUnite reports whether the matches of q's words (cq) are exactly the
// passages where they match on the English side together with those where
// they match on the Chinese side, as langFacet counts the sides: one part
// for both sides (no en:/zh: conditions, no language asked for), one group
// of clauses, which are ORed, nothing excluded, no prefix (its expansion is
// capped over the fields searched, which differ per side) and no
// translation equivalents. Each clause's query is then the union of its
// two sides' queries (the entity field holds both sides' entities).
func sidesUnite(q Query, cq compiled) bool {
	if q.Lang != "" || cq.expand || len(cq.parts) != 1 || cq.parts[0].lang != "" {
		return false
	}
	p := cq.all
	if len(p.Groups) != 1 || len(p.Excluded) != 0 {
		return false
	}
	for _, c := range p.Groups[0] {
		if c.Kind == kindPrefix {
			return false
		}
	}
	return true
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

// facetValues are vs, with their Chinese labels if labels. vs come
// ordered by count, then value: termFacet orders them so, and bleve's
// terms facet builder sorts its results the same way.
func (ix *Index) facetValues(vs []FacetValue, labels bool) []FacetValue {
	out := make([]FacetValue, 0, len(vs))
	for _, v := range vs {
		if labels {
			v.LabelZH = ix.gaz.Label(v.Value)
		}
		out = append(out, v)
	}
	return out
}

// bleveFacetValues are the values of a facet bleve counted, in its order.
func bleveFacetValues(fr *search.FacetResult) []FacetValue {
	if fr == nil || fr.Terms == nil {
		return nil
	}
	var out []FacetValue
	for _, t := range fr.Terms.Terms() {
		out = append(out, FacetValue{Value: t.Term, Count: t.Count})
	}
	return out
}

func yearValues(vs []FacetValue) []FacetValue {
	out := []FacetValue{}
	for _, v := range vs {
		y, err := strconv.Atoi(v.Value)
		if err != nil {
			continue
		}
		out = append(out, FacetValue{Value: strconv.Itoa(y), Count: v.Count})
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i].Value)
		b, _ := strconv.Atoi(out[j].Value)
		return a < b
	})
	return out
}
