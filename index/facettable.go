package index

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
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
// are val[off[d]:off[d+1]], indexes into names (sorted). A column read
// from a table file is unpacked on first use: get it from table.column.
type column struct {
	names []string
	off   []uint32
	val   []uint32
	// compact, if set, holds the values instead of off and val
	// (tablecompact.go).
	compact *compact
	lazy    lazyColumn
}

func (c *column) of(d uint64) []uint32 {
	if c.compact != nil {
		return c.compact.of(d)
	}
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
	// browse holds the facets of every passage, counted once asked for
	// (browse.go).
	browseOnce sync.Once
	browse     map[string][]FacetValue
	browseErr  error
	// file is the table's file, which columns are unpacked from.
	file *os.File

	// passages caches decoded stored records by document number: reading
	// and decoding a hit's record was a third of a small search's time.
	mu       sync.Mutex
	passages map[uint64]corpus.Passage
}

// maxCachedRecords bounds table.passages; when full it is emptied, as the
// highlighter's token cache is.
const maxCachedRecords = 10000

// passage returns the stored passage of document d.
func (t *table) passage(st *store, d uint64) (corpus.Passage, error) {
	t.mu.Lock()
	p, ok := t.passages[d]
	t.mu.Unlock()
	if ok {
		return p, nil
	}
	if d >= t.n {
		return p, fmt.Errorf("document number %d of %d: %w", d, t.n, errStore)
	}
	p, err := st.passage(int(t.rank[d]))
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
// building it and returns nil: reading the columns from the postings takes
// seconds for a million passages, and the first searches of a generation
// of format 10 or before (whose keyword fields keep doc values) go through
// bleve meanwhile rather than wait; later ones wait (passTable).
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

// buildTable reads the columns from the term dictionaries and postings of
// the facet fields: one pass over each field's postings, much cheaper than
// visiting doc values document by document. The reading order is read
// from the bleve IDs where they are ranks (rankID, format 11 on), else
// from the position field.
func buildTable(bi bleve.Index) (*table, error) {
	r, err := readerOf(bi)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	t := &table{columns: map[string]*column{}}
	postings := func(field string, f func(term string, d uint64)) error {
		return eachPosting(r, field, func(term string, d uint64) {
			t.n = max(t.n, d+1)
			f(term, d)
		})
	}
	pairs := map[string][]docValue{}
	for _, field := range tableFields {
		c := &column{}
		t.columns[field] = c
		var ps []docValue
		err := postings(field, func(term string, d uint64) {
			if len(c.names) == 0 || c.names[len(c.names)-1] != term {
				c.names = append(c.names, term) // the dictionary is sorted
			}
			ps = append(ps, docValue{d, uint32(len(c.names) - 1)})
		})
		if err != nil {
			return nil, fmt.Errorf("read %s values: %w", field, err)
		}
		pairs[field] = ps
	}
	for field, c := range t.columns {
		c.fill(t.n, pairs[field])
	}
	t.setYears()
	if t.n > 0 {
		id, err := r.ExternalID(bindex.NewIndexInternalID(nil, 0))
		if err != nil {
			return nil, fmt.Errorf("read the ID of document 0: %w", err)
		}
		// A passage's own ID (format 10 and before) is longer than a
		// rank's: PassageID makes at least "d/p000".
		if _, ranked := rankOfID(id); ranked {
			if err := t.ranksFromIDs(r); err != nil {
				return nil, err
			}
			return t, nil
		}
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
	t.setRank(pos)
	return t, nil
}

// ranksFromIDs sets each document's rank from its bleve ID (rankID): a
// rank for each document, each rank once.
func (t *table) ranksFromIDs(r bindex.IndexReader) error {
	t.rank = make([]uint32, t.n)
	seen := make([]bool, t.n)
	var buf []byte
	for d := range t.n {
		id, err := r.ExternalID(bindex.NewIndexInternalID(buf, d))
		if err != nil {
			return fmt.Errorf("read the ID of document %d: %w", d, err)
		}
		rk, ok := rankOfID(id)
		if !ok || uint64(rk) >= t.n || seen[rk] {
			return fmt.Errorf("document %d: ID %q is not a rank below %d, or another's: %w", d, id, t.n, errTableFormat)
		}
		t.rank[d], seen[rk] = rk, true
	}
	return nil
}

// eachPosting calls f with every document of every term of field.
func eachPosting(r bindex.IndexReader, field string, f func(term string, d uint64)) error {
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
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, false, false, false)
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
			f(e.Term, p.ID.Value())
		}
		if err := tfr.Close(); err != nil {
			return err
		}
	}
}

// docValue is a document's value, by its index in a column's names.
type docValue struct {
	d uint64
	v uint32
}

// fill sets c in compressed-row form from the values of n documents.
func (c *column) fill(n uint64, ps []docValue) {
	c.off = make([]uint32, n+1)
	for _, p := range ps {
		c.off[p.d+1]++
	}
	for d := uint64(1); d <= n; d++ {
		c.off[d] += c.off[d-1]
	}
	c.val = make([]uint32, len(ps))
	fill := append([]uint32(nil), c.off[:n]...)
	for _, p := range ps {
		c.val[fill[p.d]] = p.v
		fill[p.d]++
	}
}

// setRank sets each document's rank in reading order: by document id (as
// bleve sorts the doc field's terms, bytewise: the column's names are in
// that order), then position pos.
func (t *table) setRank(pos []int) {
	docs := t.mustColumn(fieldDoc)
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

// termFacet is a facet's values as bleve's terms facet builder keeps
// them: the top size by count, then value. A facet of documents has as
// many values as the corpus has documents, and a common word's search
// counts most of them: values are ordered as plain indexes, and only
// those kept are named.
//
// A column's names are in its field's dictionary order, bytewise, so a
// value's index orders as its name: each value is sorted as one integer,
// its count's complement above its index (sorting with the names compared
// was a tenth of a common word's search at a million passages).
func termFacet(c *column, counts []int, size int) []FacetValue {
	var keys []uint64
	for v, n := range counts {
		if n > 0 {
			keys = append(keys, uint64(^uint32(n))<<32|uint64(v))
		}
	}
	if len(keys) > size {
		// Only the first size are shown: a common word at a million
		// passages counts nearly all 10,000 documents, whose full sort was
		// a tenth of its search.
		selectSmallest(keys, size)
		keys = keys[:size]
	}
	slices.Sort(keys)
	out := make([]FacetValue, 0, len(keys))
	for _, k := range keys {
		v := int(uint32(k))
		out = append(out, FacetValue{Value: c.names[v], Count: counts[v]})
	}
	return out
}

// selectSmallest moves the k smallest of keys, which are distinct, to its
// first k places, in no order (quickselect, the pivot a median of three).
func selectSmallest(keys []uint64, k int) {
	lo, hi := 0, len(keys)-1
	for lo < hi && k > lo && k <= hi {
		mid := lo + (hi-lo)/2
		if keys[mid] < keys[lo] {
			keys[mid], keys[lo] = keys[lo], keys[mid]
		}
		if keys[hi] < keys[lo] {
			keys[hi], keys[lo] = keys[lo], keys[hi]
		}
		if keys[hi] < keys[mid] {
			keys[hi], keys[mid] = keys[mid], keys[hi]
		}
		pivot := keys[mid]
		// Lomuto's partition around pivot, moved to the end first.
		keys[mid], keys[hi] = keys[hi], keys[mid]
		p := lo
		for i := lo; i < hi; i++ {
			if keys[i] < pivot {
				keys[i], keys[p] = keys[p], keys[i]
				p++
			}
		}
		keys[p], keys[hi] = keys[hi], keys[p]
		// keys[:p] are below the pivot, keys[p] is it.
		switch {
		case p == k || p == k-1:
			return
		case p < k:
			lo = p + 1
		default:
			hi = p - 1
		}
	}
}

// storedPassage returns the passage of bleve's document id from the
// passage store, through the table's reading order.
func (ix *Index) storedPassage(id bindex.IndexInternalID) (corpus.Passage, error) {
	t, err := ix.table()
	if err != nil {
		return corpus.Passage{}, err
	}
	return t.passage(ix.st, id.Value())
}

// checkStore compares the IDs of evenly spread records of the store with
// the IDs bleve has for the same documents: a store that does not belong to
// the index (or a table whose order does not) fails here, at open.
func (ix *Index) checkStore(t *table) error {
	idx, err := ix.bi.Advanced()
	if err != nil {
		return err
	}
	r, err := openReader(idx)
	if err != nil {
		return err
	}
	defer r.Close()
	var sr bindex.IndexReader = r
	if !ix.stores.none() {
		sr = storeReader{IndexReader: r, st: ix.stores}
	}
	step := max(t.n/storeSamples, 1)
	var buf []byte
	for d := uint64(0); d < t.n; d += step {
		ext, err := r.ExternalID(bindex.NewIndexInternalID(buf, d))
		if err != nil {
			return fmt.Errorf("check passage store: %w", err)
		}
		rk := int(t.rank[d])
		p, err := ix.st.passage(rk)
		if err != nil {
			return fmt.Errorf("check passage store: %w", err)
		}
		got, ranked := rankOfID(ext)
		if !ranked {
			// A passage ID (before format 11).
			if p.ID != ext {
				return fmt.Errorf("check passage store: record %d is %s, the index has %s there: %w", rk, p.ID, ext, errStore)
			}
			continue
		}
		// The bleve ID is the rank, and the record there (whose document
		// and position the manifest says) has the section and words the
		// index holds for that passage.
		if int(got) != rk {
			return fmt.Errorf("check facet table: document %d has rank %d, its ID %q: %w", d, rk, ext, errTableFormat)
		}
		for _, fv := range ix.recordTerms(p) {
			if ix.commonTerm(fv[0], fv[1], t.n) {
				continue
			}
			ok, err := hasTerm(sr, fv[0], fv[1], d)
			if err != nil {
				return fmt.Errorf("check passage store: %w", err)
			}
			if !ok {
				return fmt.Errorf("check passage store: record %d is %s, with %s %q, which the index does not give it: %w", rk, p.ID, fv[0], fv[1], errStore)
			}
		}
	}
	return nil
}

// recordTerms are fields and terms the index must hold for the passage of
// p's record: its section, and the first, middle and last of its English
// words, or the first and last bigram (or the first character) of its
// Chinese text.
func (ix *Index) recordTerms(p corpus.Passage) [][2]string {
	out := [][2]string{{fieldSection, string(p.Section)}}
	if toks := ix.analyze(enAnalyzerName, p.Text.EN); len(toks) > 0 {
		for _, i := range []int{0, len(toks) / 2, len(toks) - 1} {
			out = append(out, [2]string{fieldEN, string(toks[i].Term)})
		}
		return out
	}
	var keys []uint64
	hanKeys(p.Text.ZH, 2, func(key uint64, _ uint32) { keys = append(keys, key) })
	switch {
	case len(keys) > 0:
		out = append(out, [2]string{fieldZH2, keyTerm(keys[0])}, [2]string{fieldZH2, keyTerm(keys[len(keys)-1])})
	default:
		hanKeys(p.Text.ZH, 1, func(key uint64, _ uint32) { keys = append(keys, key) })
		if len(keys) > 0 {
			out = append(out, [2]string{fieldZH1, keyTerm(keys[0])})
		}
	}
	return out
}

// commonTerm reports whether term of field, a field of the stores, is in
// more documents than the open of a generation of n reads the postings of
// (a common word's are a megabyte at a million passages): the store check
// passes over it. A term the field lacks is not common: the check fails on
// it.
func (ix *Index) commonTerm(field, term string, n uint64) bool {
	f := ix.stores.field(field)
	if f == nil {
		return false
	}
	if f.follow != nil {
		return true // a character's union: read only by searches
	}
	t, found, err := f.lookup(term)
	return err == nil && found && t.docs > max(n/64, 4096)
}

// hasTerm reports whether r's postings of term in field hold document d.
func hasTerm(r bindex.IndexReader, field, term string, d uint64) (bool, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return false, err
	}
	defer tfr.Close()
	m, err := tfr.Advance(bindex.NewIndexInternalID(nil, d), nil)
	if err != nil {
		return false, err
	}
	return m != nil && m.ID.Value() == d, nil
}

// storeSamples is how many records checkStore compares.
const storeSamples = 64
