package index

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/corpus-dev/corpus/corpus"
)

// Counting facets through bleve costs a visit of every hit's doc values,
// field by field, chunk decompression included: over half the time of a
// search with thousands of hits. A generation never changes, so its facet
// values are read once into columns indexed by bleve's internal document
// number, and a search runs in one pass over the matches of its words: each
// match is checked against the filters and counted in the facets from the
// columns, and kept if it ranks among the page's hits. Filtered facets,
// which bleve counted with one more search each, come from the same pass.

// column holds the values of one keyword field: the values of document d
// are val[off[d]:off[d+1]], indexes into names (sorted).
type column struct {
	names []string
	off   []uint32
	val   []uint32
}

func (c *column) of(d uint64) []uint32 {
	if d+1 >= uint64(len(c.off)) {
		return nil
	}
	return c.val[c.off[d]:c.off[d+1]]
}

// table is the facet columns of one generation, and each document's place
// in reading order.
type table struct {
	n       uint64 // internal document numbers are below n
	columns map[string]*column
	// rank is each document's position in (document id, position) order,
	// the order hits of equal score are shown in.
	rank []uint32
	// years are the year column's names as numbers.
	years []int

	// passages caches decoded stored records by document number: reading
	// and decoding a hit's record was a third of a small search's time.
	mu       sync.Mutex
	passages map[uint64]corpus.Passage
}

// maxCachedRecords bounds table.passages; when full it is emptied, as the
// highlighter's token cache is.
const maxCachedRecords = 10000

// passage returns the stored passage of document d.
func (t *table) passage(r bindex.IndexReader, d uint64, id bindex.IndexInternalID) (corpus.Passage, error) {
	t.mu.Lock()
	p, ok := t.passages[d]
	t.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := storedPassage(r, id)
	if err != nil {
		return p, err
	}
	t.mu.Lock()
	if t.passages == nil || len(t.passages) >= maxCachedRecords {
		t.passages = make(map[uint64]corpus.Passage)
	}
	t.passages[d] = p
	t.mu.Unlock()
	return p, nil
}

// tableFields are the keyword fields read into columns: the facets and the
// document scope.
var tableFields = []string{fieldCompany, fieldSpeaker, fieldYear, fieldSection, fieldLang, fieldDoc}

// tableSlot is a table being built, then built.
type tableSlot struct {
	done chan struct{}
	t    *table
	err  error
}

// tableSlotOf returns ix's slot, starting the table's build in the
// background on first call.
func (ix *Index) tableSlotOf() *tableSlot {
	ix.tableOnce.Do(func() {
		slot := &ix.tslot
		slot.done = make(chan struct{})
		bi := ix.bi
		go func() {
			defer close(slot.done)
			slot.err = guard("read facet columns", func() (err error) {
				slot.t, err = buildTable(bi)
				return err
			})
		}()
	})
	return &ix.tslot
}

// table returns ix's facet table, waiting for it to be built.
func (ix *Index) table() (*table, error) {
	s := ix.tableSlotOf()
	<-s.done
	return s.t, s.err
}

// tableReady returns ix's facet table if it is built, and otherwise starts
// building it and returns nil: reading the columns takes about 2 s for a
// million passages, and the first searches of a freshly opened generation
// go through bleve meanwhile rather than wait.
func (ix *Index) tableReady() *table {
	s := ix.tableSlotOf()
	select {
	case <-s.done:
		if s.err != nil {
			return nil
		}
		return s.t
	default:
		return nil
	}
}

// openReader returns a reader of the index's current snapshot. Scorch
// hands out a nil snapshot once the index is closed, which a table being
// built in the background may meet when its generation is replaced.
func openReader(idx bindex.Index) (bindex.IndexReader, error) {
	r, err := idx.Reader()
	if err != nil {
		return nil, err
	}
	if s, ok := r.(*scorch.IndexSnapshot); r == nil || ok && s == nil {
		return nil, errClosed
	}
	return r, nil
}

// buildTable reads the columns from the term dictionaries and postings of
// the facet fields: one pass over each field's postings, much cheaper than
// visiting doc values document by document.
func buildTable(bi bleve.Index) (*table, error) {
	idx, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := openReader(idx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	ctx := context.Background()
	t := &table{columns: map[string]*column{}}

	// postings calls f with every document of every term of field.
	postings := func(field string, f func(term string, d uint64)) error {
		dict, err := r.FieldDict(field)
		if err != nil {
			return err
		}
		defer dict.Close()
		var tfd bindex.TermFieldDoc
		for {
			e, err := dict.Next()
			if err != nil {
				return err
			}
			if e == nil {
				return nil
			}
			tfr, err := r.TermFieldReader(ctx, []byte(e.Term), field, false, false, false)
			if err != nil {
				return err
			}
			for {
				p, err := tfr.Next(&tfd)
				if err != nil {
					tfr.Close()
					return err
				}
				if p == nil {
					break
				}
				d := p.ID.Value()
				t.n = max(t.n, d+1)
				f(e.Term, d)
			}
			if err := tfr.Close(); err != nil {
				return err
			}
		}
	}

	type pair struct {
		d uint64
		v uint32
	}
	pairs := map[string][]pair{}
	for _, field := range tableFields {
		c := &column{}
		t.columns[field] = c
		var ps []pair
		err := postings(field, func(term string, d uint64) {
			if len(c.names) == 0 || c.names[len(c.names)-1] != term {
				c.names = append(c.names, term) // the dictionary is sorted
			}
			ps = append(ps, pair{d, uint32(len(c.names) - 1)})
		})
		if err != nil {
			return nil, fmt.Errorf("read %s values: %w", field, err)
		}
		pairs[field] = ps
	}
	type docPos struct {
		d   uint64
		pos int
	}
	var positions []docPos
	var posErr error
	err = postings(fieldPos, func(term string, d uint64) {
		i, err := strconv.Atoi(term)
		if err != nil && posErr == nil {
			posErr = fmt.Errorf("position term %q: %w", term, err)
		}
		positions = append(positions, docPos{d, i})
	})
	if err == nil {
		err = posErr
	}
	if err != nil {
		return nil, fmt.Errorf("read positions: %w", err)
	}
	pos := make([]int, t.n)
	for _, p := range positions {
		pos[p.d] = p.pos
	}

	// Columns in compressed-row form.
	for field, c := range t.columns {
		ps := pairs[field]
		c.off = make([]uint32, t.n+1)
		for _, p := range ps {
			c.off[p.d+1]++
		}
		for d := uint64(1); d <= t.n; d++ {
			c.off[d] += c.off[d-1]
		}
		c.val = make([]uint32, len(ps))
		fill := append([]uint32(nil), c.off[:t.n]...)
		for _, p := range ps {
			c.val[fill[p.d]] = p.v
			fill[p.d]++
		}
	}
	t.setYears()

	// Reading order: by document id (as bleve sorts the doc field's terms,
	// bytewise: the column's names are in that order), then position.
	docs := t.columns[fieldDoc]
	docOf := func(d uint64) uint32 {
		if v := docs.of(d); len(v) > 0 {
			return v[0]
		}
		return ^uint32(0)
	}
	order := make([]uint64, t.n)
	for d := range t.n {
		order[d] = d
	}
	slices.SortFunc(order, func(a, b uint64) int {
		if c := cmp.Compare(docOf(a), docOf(b)); c != 0 {
			return c
		}
		return cmp.Compare(pos[a], pos[b])
	})
	t.rank = make([]uint32, t.n)
	for i, d := range order {
		t.rank[d] = uint32(i)
	}
	return t, nil
}

// setYears fills t.years from the year column.
func (t *table) setYears() {
	t.years = t.years[:0]
	for _, y := range t.columns[fieldYear].names {
		n, err := strconv.Atoi(y)
		if err != nil {
			n = -1
		}
		t.years = append(t.years, n)
	}
}

// termFacet is a bleve facet result built from our counts, as bleve's
// terms facet builder builds it: top size values by count, then value.
func termFacet(field string, c *column, counts []int, size int) *search.FacetResult {
	fr := &search.FacetResult{Field: field, Terms: &search.TermFacets{}}
	for v, n := range counts {
		if n > 0 {
			fr.Terms.Add(&search.TermFacet{Term: c.names[v], Count: n})
			fr.Total += n
		}
	}
	sort.Sort(fr.Terms)
	fr.Terms.TrimToTopN(min(size, fr.Terms.Len()))
	return fr
}

// match is a hit of the one-pass search.
type match struct {
	id    bindex.IndexInternalID
	score float64
	rank  uint32
}

// hitHeap keeps the best k matches, worst on top.
type hitHeap struct {
	ms        []match
	relevance bool
}

// better reports whether a ranks before b: by score, then reading order;
// without relevance, by reading order.
func (h *hitHeap) better(a, b *match) bool {
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

// onePassable reports whether onePass can answer q: every order but the
// year orders, which need the year bounds bleve keeps as numbers.
func onePassable(q Query) bool {
	return q.Sort == SortRelevance || q.Sort == SortPosition
}

// onePass answers q with text, the query of its words: the page's hits (IDs
// and scores, best first), the total, and the facets, each counted with the
// filters of the other facets applied.
//
// It keeps the best k matches and returns those past the earlier pages of
// q; without withFacets it counts none (facets is nil).
func (ix *Index) onePass(ctx context.Context, t *table, q Query, text query.Query, relevance bool, k int, withFacets bool) ([]corpus.Passage, []float64, int, map[string]*search.FacetResult, error) {
	// The filters, by facet name; the document scope applies to all.
	filters := map[string]*filterSet{}
	set := func(name, field string, vs []string) *filterSet {
		c := t.columns[field]
		f := &filterSet{col: c, ok: make([]bool, len(c.names)), list: true}
		for _, v := range vs {
			if i := sort.SearchStrings(c.names, v); i < len(c.names) && c.names[i] == v {
				f.ok[i] = true
			}
		}
		filters[name] = f
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
	// A facet whose values are ANDed counts with every filter, its own
	// included, as the facets without a filter do.
	var names []string
	for name := range filters {
		if !andFacet(q, name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	fsets := make([]*filterSet, len(names), len(filters))
	for i, n := range names {
		fsets[i] = filters[n]
	}
	for name, f := range filters {
		if andFacet(q, name) {
			fsets = append(fsets, f) // after the counted ones, unaligned with filtered
		}
	}
	counts := map[string][]int{}
	for name, field := range facetFields {
		counts[name] = make([]int, len(t.columns[field].names))
	}
	// The loop below runs once per match, hundreds of thousands of times
	// for a frequent word: it works on slices, not on the maps above
	// (map lookups and iteration were a third of its time).
	type tally struct {
		col    *column
		counts []int
	}
	filtered := make([]tally, len(names)) // aligned with fsets
	for i, name := range names {
		filtered[i] = tally{filters[name].col, counts[name]}
	}
	var unfiltered []tally
	for name, field := range facetFields {
		if _, ok := filters[name]; !ok || andFacet(q, name) {
			unfiltered = append(unfiltered, tally{t.columns[field], counts[name]})
		}
	}

	idx, err := ix.bi.Advanced()
	if err != nil {
		return nil, nil, 0, nil, err
	}
	r, err := openReader(idx)
	if err != nil {
		return nil, nil, 0, nil, err
	}
	defer r.Close()
	// Scores as bleve's own search computes them (see isBM25Enabled).
	scoring := bindex.DefaultScoringModel
	if m, ok := ix.bi.Mapping().(*mapping.IndexMappingImpl); ok && m.ScoringModel == bindex.BM25Scoring {
		scoring = bindex.BM25Scoring
	}
	sctx := context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string { return scoring }))
	s, err := text.Searcher(sctx, r, ix.bi.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, nil, 0, nil, err
	}
	defer s.Close()
	sc := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}

	if !withFacets {
		filtered, unfiltered = nil, nil
	}
	h := &hitHeap{relevance: relevance, ms: make([]match, 0, min(k, 1024))}
	total := 0
	fails := make([]bool, len(fsets))
	for seen := 0; ; seen++ {
		if seen%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, 0, nil, err
			}
		}
		dm, err := s.Next(sc)
		if err != nil {
			return nil, nil, 0, nil, err
		}
		if dm == nil {
			break
		}
		d := dm.IndexInternalID.Value()
		if d >= t.n {
			sc.DocumentMatchPool.Put(dm)
			continue
		}
		failed := 0
		for i, f := range fsets {
			fails[i] = !f.pass(d, t.years)
			if fails[i] {
				failed++
			}
		}
		// Each filtered facet counts the documents that pass the other
		// filters; the other facets, those that pass them all.
		for i, f := range filtered {
			if failed == 0 || failed == 1 && fails[i] {
				for _, v := range f.col.of(d) {
					f.counts[v]++
				}
			}
		}
		if failed == 0 {
			total++
			for _, f := range unfiltered {
				for _, v := range f.col.of(d) {
					f.counts[v]++
				}
			}
			m := match{score: dm.Score, rank: t.rank[d]}
			if len(h.ms) < k {
				m.id = append(bindex.IndexInternalID(nil), dm.IndexInternalID...)
				heap.Push(h, m)
			} else if k > 0 && h.better(&m, &h.ms[0]) {
				m.id = append(h.ms[0].id[:0], dm.IndexInternalID...)
				h.ms[0] = m
				heap.Fix(h, 0)
			}
		}
		sc.DocumentMatchPool.Put(dm)
	}

	var facets map[string]*search.FacetResult
	if withFacets {
		facets = map[string]*search.FacetResult{}
		for name, field := range facetFields {
			facets[name] = termFacet(field, t.columns[field], counts[name], facetSize(name))
		}
	}
	// The page: the heap's matches best first, less those of earlier pages.
	best := make([]match, len(h.ms))
	for i := len(best) - 1; i >= 0; i-- {
		best[i] = heap.Pop(h).(match)
	}
	from := min((q.Page-1)*q.Size, len(best))
	var ps []corpus.Passage
	var scores []float64
	for _, m := range best[from:] {
		p, err := t.passage(r, m.id.Value(), m.id)
		if err != nil {
			return nil, nil, 0, nil, err
		}
		ps = append(ps, p)
		scores = append(scores, m.score)
	}
	return ps, scores, total, facets, nil
}

// storedPassage reads the stored record of a document straight from the
// reader: a search by ID would sort and visit doc values for nothing.
func storedPassage(r bindex.IndexReader, id bindex.IndexInternalID) (corpus.Passage, error) {
	ext, err := r.ExternalID(id)
	if err != nil {
		return corpus.Passage{}, err
	}
	doc, err := r.Document(ext)
	if err != nil {
		return corpus.Passage{}, fmt.Errorf("passage %s: %w", ext, err)
	}
	if doc == nil {
		return corpus.Passage{}, fmt.Errorf("passage %s: not in the index", ext)
	}
	var src []byte
	doc.VisitFields(func(f bindex.Field) {
		if f.Name() == fieldSrc {
			src = f.Value()
		}
	})
	if src == nil {
		return corpus.Passage{}, fmt.Errorf("passage %s: stored record missing", ext)
	}
	p, err := decodeRecord(string(src))
	if err != nil {
		return corpus.Passage{}, fmt.Errorf("passage %s: %w", ext, err)
	}
	return p, nil
}
