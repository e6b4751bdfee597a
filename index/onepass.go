package index

import (
	"container/heap"
	"context"
	"math"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// The one-pass search (see facettable.go for why): onePass walks the
// matches of a query's words once; passFilters decide which matches count,
// tallies count their facet values, a collector keeps the best k, and the
// page is what comes out.

// onePassable reports whether onePass can answer q: every order (the year
// orders read the facet table's year column).
func onePassable(q Query) bool {
	switch q.Sort {
	case SortRelevance, SortPosition, SortYear, SortYearDesc:
		return true
	}
	return false
}

// passOptions say what onePass collects.
type passOptions struct {
	relevance bool // best score first; otherwise reading order
	// byYear orders by year before all else: 1 the earliest year of a
	// passage first, -1 the latest first; passages without one last.
	byYear int
	k      int  // matches kept: every page up to the one asked for
	facets bool // count the facets
}

// passOptionsFor are the options of a search for q's hits, up to k of
// them; empty says q has no words to score.
func passOptionsFor(q Query, empty bool, k int) passOptions {
	o := passOptions{relevance: q.Sort == SortRelevance && !empty, k: k}
	switch q.Sort {
	case SortYear:
		o.byYear = 1
	case SortYearDesc:
		o.byYear = -1
	}
	return o
}

// page is what onePass found: the hits of the page asked for with their
// scores, the number of matches and, if asked for, the facets.
type page struct {
	passages []corpus.Passage
	scores   []float64
	total    int
	facets   map[string][]FacetValue
}

// onePass answers q with text, the query of its words: the page's hits
// (best first), the total and, with opts.facets, the facets, each counted
// with the filters of the other facets applied. It keeps the best opts.k
// matches and returns those past the earlier pages of q.
func (ix *Index) onePass(ctx context.Context, t *table, q Query, text query.Query, opts passOptions) (page, error) {
	err := t.unpackFor(q, opts.facets)
	if err == nil && opts.byYear != 0 {
		err = t.unpackFields(fieldYear)
	}
	if err != nil {
		ix.noteDamage(err)
		return page{}, err
	}
	fs := newPassFilters(t, q)
	var ts *tallies
	if opts.facets {
		ts = newTallies(t, fs)
	}
	idx, err := ix.bi.Advanced()
	if err != nil {
		return page{}, err
	}
	r, err := openReader(idx)
	if err != nil {
		return page{}, err
	}
	defer r.Close()
	sctx := withScoringModel(ctx, ix.bi.Mapping())
	// A pass that keeps no hits (the language facet's counts) needs no
	// scores: the direct search then takes the search's phrases from its
	// memo, and bleve's searchers, where they answer, read no frequencies
	// or norms and intersect and unite plain terms' postings as bitmaps.
	var so search.SearcherOptions
	if opts.k == 0 {
		so.Score = "none"
	}
	walk, whole, alone := text, "", false
	if sel, name, ok := filterAlone(text, q, fs); ok && ts != nil {
		// Every passage the filter rejects fails it alone: it counts
		// only in the filter's own facet, which is then that of every
		// passage (browseFacets). So only the passages the filter
		// selects are walked, each passing every filter and scored as
		// every passage is (1).
		walk, whole, alone = sel, name, true
		so.Score = "none"
	}
	// Without filters every match counts in every facet: a batch of
	// matches is counted a column at a time (tallies.addAll), which reads
	// each column in order instead of five columns per match.
	pc := &passCounter{t: t, fs: fs, ts: ts, c: newCollector(t, opts), unfiltered: len(fs.sets) == 0 || alone, ones: alone}
	if err := ix.eachMatch(sctx, r, walk, so, pc.batch); err != nil {
		return page{}, err
	}

	out := page{total: pc.total}
	if opts.facets {
		out.facets = ts.results(t)
		if whole != "" {
			all, err := t.browseFacets()
			if err != nil {
				ix.noteDamage(err)
				return page{}, err
			}
			out.facets[whole] = all[whole]
		}
	}
	if err := ix.fillPage(&out, t, q, pc.c); err != nil {
		return page{}, err
	}
	return out, nil
}

// passCounter counts a one-pass search's matches, a batch at a time: the
// total, the facets' tallies and the best matches.
type passCounter struct {
	t          *table
	fs         *passFilters
	ts         *tallies
	c          *collector
	total      int
	unfiltered bool // every match passes every filter: there are none, or the walk is the filter's
	ones       bool // every match scores 1 (filterAlone)
	scores     []float64
}

func (pc *passCounter) batch(docs []uint32, scores []float64) {
	t := pc.t
	if pc.unfiltered {
		docs = docs[:sort.Search(len(docs), func(i int) bool { return uint64(docs[i]) >= t.n })]
		if pc.ones {
			for len(pc.scores) < len(docs) {
				pc.scores = append(pc.scores, 1)
			}
			scores = pc.scores
		}
		if pc.c.k > 0 { // a pass that counts keeps no matches
			for i, d := range docs {
				pc.c.add(uint64(d), scores[i])
			}
		}
		pc.total += len(docs)
		if pc.ts != nil {
			pc.ts.addAll(docs)
		}
		return
	}
	for i, d32 := range docs {
		if d := uint64(d32); d < t.n {
			failed := pc.fs.check(d, t.years)
			pc.ts.add(d, pc.fs, failed)
			if failed == 0 {
				pc.total++
				if pc.c.k > 0 {
					pc.c.add(d, scores[i])
				}
			}
		}
	}
}

// filterAlone returns, for a search of every passage (text) under one
// facet's filter, the query of the passages the filter selects, and the
// facet's name when it counts without its own filter (values ORed): a
// facet click without words walked every passage, 19 ms at 1M, where the
// filter's own postings hold the few it keeps. ok is false otherwise.
func filterAlone(text query.Query, q Query, fs *passFilters) (sel query.Query, whole string, ok bool) {
	if _, all := text.(*query.MatchAllQuery); !all {
		return nil, "", false
	}
	filters := filterQueries(q)
	if len(filters) != 1 {
		return nil, "", false
	}
	for name, fq := range filters {
		if fs.counted(name) {
			whole = name
		}
		return fq, whole, true
	}
	return nil, "", false
}

// fillPage sets out's hits: the best matches c kept, less those of the
// pages of q before its own.
func (ix *Index) fillPage(out *page, t *table, q Query, c *collector) error {
	best := c.best()
	from := min((q.Page-1)*q.Size, len(best))
	for _, m := range best[from:] {
		p, err := t.passage(ix.st, m.d)
		if err != nil {
			return err
		}
		out.passages = append(out.passages, p)
		out.scores = append(out.scores, m.score)
	}
	return nil
}

// passFilters are a query's facet filters over the columns of a table.
type passFilters struct {
	// names are the filtered facets counted without their own filter,
	// sorted; sets holds their filters, then those of the facets whose
	// values are ANDed (counted with every filter, as the unfiltered ones).
	names []string
	sets  []*filterSet
	fails []bool // aligned with sets: what the last check failed
}

func newPassFilters(t *table, q Query) *passFilters {
	byName := map[string]*filterSet{}
	set := func(name, field string, vs []string) *filterSet {
		f := newFilterSet(t.mustColumn(field), vs)
		byName[name] = f
		return f
	}
	// all makes a filter's values ANDed.
	all := func(f *filterSet, vs []string) {
		slices.Sort(vs)
		f.need = len(slices.Compact(vs))
	}
	if len(q.Companies) > 0 {
		f := set(facetCompany, fieldCompany, q.Companies)
		if q.CompaniesAll {
			all(f, slices.Clone(q.Companies))
		}
	}
	if len(q.Speakers) > 0 {
		f := set(facetSpeaker, fieldSpeaker, q.Speakers)
		if q.SpeakersAll {
			all(f, slices.Clone(q.Speakers))
		}
	}
	if len(q.Sections) > 0 {
		ss := make([]string, len(q.Sections))
		for i, s := range q.Sections {
			ss[i] = string(s)
		}
		set(facetSection, fieldSection, ss)
	}
	if len(q.Years) > 0 || q.YearFrom != 0 || q.YearTo != 0 {
		ys := make([]string, len(q.Years))
		for i, y := range q.Years {
			ys[i] = yearTerm(y)
		}
		f := set(facetYear, fieldYear, ys)
		f.list = len(q.Years) > 0
		if q.YearFrom != 0 || q.YearTo != 0 {
			f.hasRng, f.minYear, f.maxYear = true, q.YearFrom, q.YearTo
			if f.maxYear == 0 {
				f.maxYear = 9999
			}
		}
	}
	if q.Doc != "" {
		set(facetDoc, fieldDoc, []string{q.Doc})
	}
	f := &passFilters{}
	for name := range byName {
		if !andFacet(q, name) {
			f.names = append(f.names, name)
		}
	}
	sort.Strings(f.names)
	for _, n := range f.names {
		f.sets = append(f.sets, byName[n])
	}
	for name, s := range byName {
		if andFacet(q, name) {
			f.sets = append(f.sets, s)
		}
	}
	f.fails = make([]bool, len(f.sets))
	return f
}

// check returns how many of the filters document d fails (which ones:
// f.fails).
func (f *passFilters) check(d uint64, years []int) (failed int) {
	for i, s := range f.sets {
		f.fails[i] = !s.pass(d, years)
		if f.fails[i] {
			failed++
		}
	}
	return failed
}

// counted reports whether facet name is counted without its own filter.
func (f *passFilters) counted(name string) bool {
	return slices.Contains(f.names, name)
}

// filterSet is a facet filter as the column indexes it accepts.
type filterSet struct {
	col     *column
	ok      []bool // by value index
	minYear int    // year range, when hasRange
	maxYear int
	list    bool // ok applies
	hasRng  bool
	// need is, for a filter whose values are ANDed, how many of them a
	// document must have: all that were asked for, known or not.
	need int
}

// newFilterSet accepts the values vs of column c.
func newFilterSet(c *column, vs []string) *filterSet {
	f := &filterSet{col: c, ok: make([]bool, len(c.names)), list: true}
	for _, v := range vs {
		if i := sort.SearchStrings(c.names, v); i < len(c.names) && c.names[i] == v {
			f.ok[i] = true
		}
	}
	return f
}

func (f *filterSet) pass(d uint64, years []int) bool {
	vs := f.col.of(d)
	if f.need > 0 {
		n := 0
		for _, v := range vs {
			if f.ok[v] {
				n++
			}
		}
		return n >= f.need
	}
	if f.list {
		found := false
		for _, v := range vs {
			if f.ok[v] {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if f.hasRng {
		for _, v := range vs {
			if y := years[v]; y >= f.minYear && y <= f.maxYear {
				return true
			}
		}
		return false
	}
	return true
}

// tallies count the facet values of the matches. Each filtered facet
// counts the documents that pass the other filters; the other facets (and
// those whose values are ANDed), those that pass them all.
type tallies struct {
	counts map[string][]int // by facet name, by value index
	// add runs once per match, hundreds of thousands of times for a
	// frequent word: it works on slices, not on the map (map lookups and
	// iteration were a third of its time).
	filtered   []tally // aligned with the filters' names
	unfiltered []tally
}

type tally struct {
	col    *column
	counts []int
	// bins are addAll's counts, added to counts by fold.
	bins *[]int32
}

func newTallies(t *table, f *passFilters) *tallies {
	ts := &tallies{counts: map[string][]int{}}
	for name, field := range facetFields {
		ts.counts[name] = make([]int, len(t.columns[field].names))
	}
	for i, name := range f.names {
		ts.filtered = append(ts.filtered, tally{col: f.sets[i].col, counts: ts.counts[name]})
	}
	for name, field := range facetFields {
		if !f.counted(name) {
			ts.unfiltered = append(ts.unfiltered, tally{col: t.mustColumn(field), counts: ts.counts[name]})
		}
	}
	return ts
}

// add counts document d, which failed failed of f's filters. A nil
// tallies counts nothing.
func (ts *tallies) add(d uint64, f *passFilters, failed int) {
	if ts == nil {
		return
	}
	for i, tl := range ts.filtered {
		if failed == 0 || failed == 1 && f.fails[i] {
			for _, v := range tl.col.of(d) {
				tl.counts[v]++
			}
		}
	}
	if failed == 0 {
		for _, tl := range ts.unfiltered {
			for _, v := range tl.col.of(d) {
				tl.counts[v]++
			}
		}
	}
}

// addAll counts documents ds, ascending, which pass every filter, column
// by column.
func (ts *tallies) addAll(ds []uint32) {
	for i := range ts.filtered {
		ts.filtered[i].addAll(ds)
	}
	for i := range ts.unfiltered {
		ts.unfiltered[i].addAll(ds)
	}
}

// addAll counts ds in tl's column.
func (tl *tally) addAll(ds []uint32) {
	c := tl.col.compact
	if c == nil {
		for _, d := range ds {
			for _, v := range tl.col.of(uint64(d)) {
				tl.counts[v]++
			}
		}
		return
	}
	// Four interleaved histograms, bins[4v+i%4] counting value v-1 (v = 0:
	// no value), then one bin per set of values (compact.intern): one
	// store per document, without a branch on whether it has a value,
	// which a sparse column (a company in one passage of ten) mispredicts,
	// and without each increment of a common value (no company, the body
	// section) waiting for the one before it.
	names := c.names
	singles := 4 * (names + 1)
	if tl.bins == nil {
		tl.bins = c.getBins()
	}
	bins := *tl.bins
	m := 0 // in c.mdocs: ds ascend, so the documents with several values are met in order
	one := c.one
	for i, d := range ds {
		if int(d) >= len(one) {
			continue
		}
		v := int(one[d])
		if v > names {
			if v != multiValued {
				bins[singles+v-names-1]++
				continue
			}
			m = max(m, int(c.mblock[d/64]))
			for c.mdocs[m] < d {
				m++
			}
			for _, v := range c.mval[c.moff[m]:c.moff[m+1]] {
				bins[4*(v+1)]++
			}
			continue
		}
		bins[v<<2|i&3]++
	}
}

// fold adds the counts addAll keeps in bins to tl's counts, once every
// batch is counted.
func (tl *tally) fold() {
	if tl.bins == nil {
		return
	}
	c, bins := tl.col.compact, *tl.bins
	singles := 4 * (c.names + 1)
	counts := tl.counts
	for v := range counts {
		b := bins[4*(v+1) : 4*(v+1)+4]
		counts[v] += int(b[0]) + int(b[1]) + int(b[2]) + int(b[3])
	}
	for k, n := range bins[singles:] {
		if n != 0 {
			for _, v := range c.setVal[c.setOff[k]:c.setOff[k+1]] {
				counts[v] += int(n)
			}
		}
	}
	c.bins.Put(tl.bins)
	tl.bins = nil
}

// results are the facets' values as bleve's facet builders keep them.
func (ts *tallies) results(t *table) map[string][]FacetValue {
	for i := range ts.filtered {
		ts.filtered[i].fold()
	}
	for i := range ts.unfiltered {
		ts.unfiltered[i].fold()
	}
	out := map[string][]FacetValue{}
	for name, field := range facetFields {
		out[name] = termFacet(t.columns[field], ts.counts[name], facetSize(name))
	}
	return out
}

// match is a hit of the one-pass search.
type match struct {
	d     uint64 // the document
	score float64
	rank  uint32
	year  int // yearKey, with passOptions.byYear
}

// yearKey is what a passage whose year column holds vs is ordered by:
// with byYear 1 its earliest year, -1 its latest, negated, so that the
// smaller key comes first either way; without a year, after every year.
func yearKey(vs []uint32, years []int, byYear int) int {
	key := math.MaxInt
	for _, v := range vs {
		if y := years[v]; y >= 0 {
			key = min(key, byYear*y)
		}
	}
	return key
}

// collector keeps the best k matches.
type collector struct {
	h      *hitHeap
	k      int
	t      *table
	years  *column // with byYear
	byYear int
}

func newCollector(t *table, opts passOptions) *collector {
	c := &collector{h: &hitHeap{relevance: opts.relevance, byYear: opts.byYear != 0, ms: make([]match, 0, min(opts.k, 1024))}, k: opts.k, t: t, byYear: opts.byYear}
	if opts.byYear != 0 {
		c.years = t.mustColumn(fieldYear)
	}
	return c
}

// add offers the match of document d.
func (c *collector) add(d uint64, score float64) {
	h := c.h
	if c.k > 0 && len(h.ms) >= c.k && h.relevance && !h.byYear && score < h.ms[0].score {
		// Worse than the worst kept, wherever it is in reading order:
		// most matches of a common word end here, without reading their
		// rank, a cache miss each.
		return
	}
	m := match{d: d, score: score, rank: c.t.rank[d]}
	if c.years != nil {
		m.year = yearKey(c.years.of(d), c.t.years, c.byYear)
	}
	if len(h.ms) < c.k {
		heap.Push(h, m)
	} else if c.k > 0 && h.better(&m, &h.ms[0]) {
		h.ms[0] = m
		heap.Fix(h, 0)
	}
}

// best empties the collector: its matches, best first.
func (c *collector) best() []match {
	out := make([]match, len(c.h.ms))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(c.h).(match)
	}
	return out
}

// hitHeap keeps the best k matches, worst on top.
type hitHeap struct {
	ms        []match
	relevance bool
	byYear    bool
}

// better reports whether a ranks before b: by year key with byYear, by
// score with relevance, then by reading order.
func (h *hitHeap) better(a, b *match) bool {
	if h.byYear && a.year != b.year {
		return a.year < b.year
	}
	if h.relevance && a.score != b.score {
		return a.score > b.score
	}
	return a.rank < b.rank
}

func (h *hitHeap) Len() int           { return len(h.ms) }
func (h *hitHeap) Less(i, j int) bool { return h.better(&h.ms[j], &h.ms[i]) }
func (h *hitHeap) Swap(i, j int)      { h.ms[i], h.ms[j] = h.ms[j], h.ms[i] }
func (h *hitHeap) Push(x any)         { h.ms = append(h.ms, x.(match)) }
func (h *hitHeap) Pop() any {
	m := h.ms[len(h.ms)-1]
	h.ms = h.ms[:len(h.ms)-1]
	return m
}

// estimate is how many postings the searcher of text would read (bleve's
// Count of its searcher, without scores): a cost, not a count of matches,
// to order work by.
func (ix *Index) estimate(ctx context.Context, text query.Query) (uint64, error) {
	idx, err := ix.bi.Advanced()
	if err != nil {
		return 0, err
	}
	r, err := openReader(idx)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	s, err := text.Searcher(withScoringModel(ctx, ix.bi.Mapping()), r, ix.bi.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	return s.Count(), nil
}
