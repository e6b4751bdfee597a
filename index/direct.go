package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The direct search evaluates a query of terms, conjunctions, disjunctions
// and booleans a node at a time, over whole lists of matches, instead of
// through bleve's searchers a match at a time. At 1M passages a common
// word's first search spent four fifths of its CPU in those searchers: each
// level of the query handed a DocumentMatch to the next for every posting,
// comparing IDs as byte strings. Terms of the substring and word indexes
// are read and scored straight from their postings; any other query (a
// phrase, a term of bleve's own fields) is a leaf whose bleve searcher is
// drained into a list.
//
// Scores are bleve's to the bit (TestDirectMatchesBleve): the tf-idf of its
// TermQueryScorer, the query norm its outermost compound searcher sets, a
// compound's children in the order its searcher sorts them (by Count, with
// sort.Sort), sums in that order, a disjunction's coordination factor. A
// query the direct search does not know is answered by bleve's searchers
// (directPlan says so).

// dlist is what a node matches: documents in order, and their scores.
type dlist struct {
	docs   []uint32
	scores []float64
}

// dbufs lend the lists of one search their memory, from pools, until
// release: a common word's first search at 1M passages made lists of
// megabytes, and the garbage collector's share of its CPU was a sixth.
type dbufs struct {
	u32 []*[]uint32
	f64 []*[]float64
}

var u32Pool, f64Pool sync.Pool

// list returns an empty list with room for n matches.
func (b *dbufs) list(n int) dlist {
	return dlist{b.uint32s(n), b.float64s(n)}
}

func (b *dbufs) uint32s(n int) []uint32 {
	s, _ := u32Pool.Get().(*[]uint32)
	if s == nil || cap(*s) < n {
		s = new([]uint32)
		*s = make([]uint32, 0, max(n, 1024))
	}
	b.u32 = append(b.u32, s)
	return (*s)[:0]
}

func (b *dbufs) float64s(n int) []float64 {
	s, _ := f64Pool.Get().(*[]float64)
	if s == nil || cap(*s) < n {
		s = new([]float64)
		*s = make([]float64, 0, max(n, 1024))
	}
	b.f64 = append(b.f64, s)
	return (*s)[:0]
}

// release returns the memory lent: no list of the search may be used after.
func (b *dbufs) release() {
	for _, s := range b.u32 {
		u32Pool.Put(s)
	}
	for _, s := range b.f64 {
		f64Pool.Put(s)
	}
	b.u32, b.f64 = nil, nil
}

// dnode is a node of a direct search: what its bleve searcher would
// report as its Weight and Count, take as its query norm, and match.
type dnode interface {
	weight() float64
	setNorm(qnorm float64)
	count() uint64
	eval(ctx context.Context, bufs *dbufs) (dlist, error)
}

// errNotDirect says a query has a part the direct search does not know.
var errNotDirect = errors.New("not a query of the direct search")

// directPlanner builds the nodes of a query. Its leaves' searchers are
// open until close.
type directPlanner struct {
	ctx     context.Context // with the scoring model (withScoringModel)
	r       bindex.IndexReader
	m       mapping.IndexMapping
	total   uint64 // the documents, as bleve's term searchers count them
	leaves  []search.Searcher
	readers []bindex.TermFieldReader
	// counting plans a pass that needs no scores; memo is the search's.
	counting bool
	memo     *directMemo
}

// directMemo keeps the documents of the leaves a search drained, for the
// counts of the language facet, which search again with each side's
// query: the same phrases, whose walk was most of a phrase search's time.
type directMemo struct {
	mu   sync.Mutex
	docs map[string][]uint32
	size int
}

type directMemoKey struct{}

// memoDocs bounds a memo: the documents of 16 leaves of 1M matches.
const memoDocs = 16 << 20

// withDirectMemo gives the passes of one search a memo.
func withDirectMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, directMemoKey{}, &directMemo{docs: map[string][]uint32{}})
}

func (m *directMemo) get(key string) ([]uint32, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.docs[key]
	return d, ok
}

// put keeps a copy of docs.
func (m *directMemo) put(key string, docs []uint32) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.docs[key]; ok || m.size+len(docs) > memoDocs {
		return
	}
	m.docs[key] = slices.Clone(docs)
	m.size += len(docs)
}

// directPlan plans q over reader r, or returns errNotDirect.
// With counting, the scores are not needed, and leaves another pass of
// the same search drained are taken from its memo (withDirectMemo).
func directPlan(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, q query.Query, counting bool) (dnode, *directPlanner, error) {
	if im, ok := m.(*mapping.IndexMappingImpl); !ok || im.ScoringModel == bindex.BM25Scoring {
		return nil, nil, errNotDirect // BM25 scores need field statistics
	}
	total, err := r.DocCount()
	if err != nil {
		return nil, nil, err
	}
	p := &directPlanner{ctx: ctx, r: r, m: m, total: total, counting: counting}
	p.memo, _ = ctx.Value(directMemoKey{}).(*directMemo)
	n, err := p.plan(q, stores{})
	if err != nil {
		p.close()
		return nil, nil, err
	}
	if counting {
		return n, p, nil
	}
	if _, leaf := n.(*dterm); !leaf {
		if _, leaf := n.(*dleaf); !leaf {
			// The outermost compound searcher sets every term's norm.
			n.setNorm(1.0 / math.Sqrt(n.weight()))
		}
	}
	return n, p, nil
}

func (p *directPlanner) close() {
	for _, s := range p.leaves {
		_ = s.Close()
	}
	for _, r := range p.readers {
		_ = r.Close()
	}
	p.leaves, p.readers = nil, nil
}

// plan is the node of q, whose fields of st are read from st, as bleve's
// Searcher methods of these query types would build its searcher.
func (p *directPlanner) plan(q query.Query, st stores) (dnode, error) {
	switch x := q.(type) {
	case *storeQuery:
		return p.plan(x.q, x.st)
	case heldShould:
		return p.plan(x.q, st)
	case *query.BooleanQuery:
		return p.planBoolean(x, st)
	case *query.ConjunctionQuery:
		if len(x.Conjuncts) == 0 {
			return nil, errNotDirect
		}
		cs, err := p.planAll(x.Conjuncts, st)
		if err != nil {
			return nil, err
		}
		return &dconj{dcompound{sortByCount(cs)}}, nil
	case *query.DisjunctionQuery:
		if len(x.Disjuncts) == 0 || len(x.Disjuncts) > searcher.DisjunctionHeapTakeover || int(x.Min) > len(x.Disjuncts) {
			return nil, errNotDirect // the heap searcher orders its sums otherwise
		}
		cs, err := p.planAll(x.Disjuncts, st)
		if err != nil {
			return nil, err
		}
		return &ddisj{dcompound{sortByCount(cs)}, int(x.Min)}, nil
	case *query.MatchAllQuery:
		// Every passage: bleve's searcher streams them, where a list
		// would hold them all.
		return nil, errNotDirect
	case *query.TermQuery:
		if x.FieldVal == "" {
			break
		}
		if f := st.field(x.FieldVal); f != nil {
			return newDterm(f, x.Term, x.BoostVal.Value(), p.total)
		}
		return p.bleveTerm(x)
	}
	return p.leaf(q, st)
}

func (p *directPlanner) planAll(qs []query.Query, st stores) ([]dnode, error) {
	out := make([]dnode, len(qs))
	for i, q := range qs {
		n, err := p.plan(q, st)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// planBoolean is BooleanQuery.Searcher's choice: the must or the should
// clause alone when it is the only one, else a boolean node.
func (p *directPlanner) planBoolean(b *query.BooleanQuery, st stores) (dnode, error) {
	if b.Filter != nil || b.Must == nil && b.Should == nil {
		return nil, errNotDirect
	}
	var n dbool
	var err error
	if b.Must != nil {
		if n.must, err = p.plan(b.Must, st); err != nil {
			return nil, err
		}
	}
	if b.Should != nil {
		if n.should, err = p.plan(b.Should, st); err != nil {
			return nil, err
		}
		n.shouldMin = minOf(n.should)
	}
	if b.MustNot != nil {
		if n.not, err = p.plan(b.MustNot, st); err != nil {
			return nil, err
		}
	}
	switch {
	case n.not == nil && n.should == nil:
		return n.must, nil
	case n.not == nil && n.must == nil:
		return n.should, nil
	}
	return &n, nil
}

// leaf is the node of q answered by its bleve searcher.
func (p *directPlanner) leaf(q query.Query, st stores) (dnode, error) {
	// A query is its type and values; one holding pointers to others only
	// misses the memo.
	key := fmt.Sprintf("%v %#v", st.none(), q)
	if docs, ok := p.memo.get(key); ok && p.counting {
		return &dleaf{docs: docs}, nil
	}
	r := p.r
	if !st.none() {
		r = storeReader{IndexReader: p.r, st: st}
	}
	s, err := q.Searcher(p.ctx, r, p.m, search.SearcherOptions{})
	if err != nil {
		return nil, err
	}
	p.leaves = append(p.leaves, s)
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		// Its parents would drop it, which changes their sums.
		return nil, errNotDirect
	}
	return &dleaf{s: s, r: r, key: key, memo: p.memo}, nil
}

// bleveTerm is the node of a term of one of bleve's own fields: its
// postings are read from bleve's reader, as its term searcher would.
func (p *directPlanner) bleveTerm(q *query.TermQuery) (dnode, error) {
	tfr, err := p.r.TermFieldReader(p.ctx, []byte(q.Term), q.FieldVal, true, true, false)
	if err != nil {
		return nil, err
	}
	p.readers = append(p.readers, tfr)
	return &dterm{tfr: tfr, term: q.Term, tfidf: newTFIDF(q.BoostVal.Value(), p.total, tfr.Count()), n: tfr.Count()}, nil
}

// minOf is the least number of n's clauses a match needs, as its
// searcher's Min reports it.
func minOf(n dnode) int {
	switch x := n.(type) {
	case *ddisj:
		return x.min
	case *dleaf:
		return x.s.Min()
	}
	return 0
}

// dterm is a term of the substring or word index, or one read by tfr from
// bleve's own fields, scored as bleve's TermQueryScorer with tf-idf
// scores it.
type dterm struct {
	f    *substrField
	tfr  bindex.TermFieldReader
	term string
	tfidf
	n uint64
}

// tfidf scores a term as bleve's TermQueryScorer does with tf-idf scores,
// to the bit: its weight, its query norm, its score of a match.
type tfidf struct {
	boost, idf  float64
	queryWeight float64
}

// newTFIDF scores a term with boost that n of total documents have.
func newTFIDF(boost float64, total, n uint64) tfidf {
	return tfidf{boost: boost, idf: 1.0 + math.Log(float64(total)/float64(n+1.0)), queryWeight: 1.0}
}

func (t *tfidf) weight() float64 {
	sum := t.boost * t.idf
	return sum * sum
}

func (t *tfidf) setNorm(qnorm float64) { t.queryWeight = t.boost * t.idf * qnorm }

// score is the score of a match with n occurrences in a field whose norm
// is nrm.
func (t *tfidf) score(n uint64, nrm float64) float64 {
	var tf float64
	if n < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[n]
	} else {
		tf = math.Sqrt(float64(n))
	}
	s := tf * nrm * t.idf
	if t.queryWeight != 1.0 {
		s = s * t.queryWeight
	}
	return s
}

func newDterm(f *substrField, term string, boost float64, total uint64) (*dterm, error) {
	t := &dterm{f: f, term: term}
	if f.follow != nil {
		docs, _, err := f.charPostings(term)
		if err != nil {
			return nil, err
		}
		t.n = uint64(len(docs))
	} else {
		pt, _, err := f.lookup(term)
		if err != nil {
			return nil, err
		}
		t.n = pt.docs
	}
	t.tfidf = newTFIDF(boost, total, t.n)
	return t, nil
}

func (t *dterm) count() uint64 { return t.n }

// evalReader evaluates a term of bleve's own fields.
func (t *dterm) evalReader(ctx context.Context, bufs *dbufs) (dlist, error) {
	out := bufs.list(int(min(t.n, 1<<20)))
	var tfd bindex.TermFieldDoc
	for seen := 0; ; seen++ {
		if seen%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return dlist{}, err
			}
		}
		m, err := t.tfr.Next(tfd.Reset())
		if err != nil || m == nil {
			return out, err
		}
		d := m.ID.Value()
		if d > math.MaxUint32 {
			return dlist{}, fmt.Errorf("document number %d out of range", d)
		}
		out.docs, out.scores = append(out.docs, uint32(d)), append(out.scores, t.score(m.Freq, m.Norm))
	}
}

func (t *dterm) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	if t.tfr != nil {
		return t.evalReader(ctx, bufs)
	}
	docs, freqs, err := t.postings(bufs)
	if err != nil || len(docs) == 0 {
		return dlist{}, err
	}
	if err := ctx.Err(); err != nil {
		return dlist{}, err
	}
	scores := bufs.float64s(len(docs))[:len(docs)]
	for i, d := range docs {
		l, err := t.f.length(d)
		if err != nil {
			return dlist{}, err
		}
		n := freqs[i]
		if l < n {
			return dlist{}, fmt.Errorf("%w: %s %q: %d occurrences in a length of %d", t.f.damage, t.f.name, t.term, n, l)
		}
		scores[i] = t.score(uint64(n), norm(l))
	}
	return dlist{docs, scores}, nil
}

// postings are the term's documents and frequencies, read whole.
func (t *dterm) postings(bufs *dbufs) (docs, freqs []uint32, err error) {
	if t.f.follow != nil {
		return t.f.charPostings(t.term)
	}
	r, err := t.f.reader(t.term, true, true, false)
	if err != nil || r.t.docs == 0 {
		return nil, nil, err
	}
	if err := r.ready(); err != nil {
		return nil, nil, err
	}
	docs, freqs = bufs.uint32s(int(r.t.docs)), bufs.uint32s(int(r.t.docs))
	for k := range r.t.blocks() {
		if err := r.load(int(k)); err != nil {
			return nil, nil, err
		}
		docs, freqs = append(docs, r.docs...), append(freqs, r.freqs...)
	}
	return docs, freqs, nil
}

// dleaf is a query answered by its bleve searcher, or, in a pass that
// counts, by the documents its searcher found in an earlier pass (docs).
type dleaf struct {
	s    search.Searcher
	r    bindex.IndexReader
	key  string
	memo *directMemo
	docs []uint32
}

func (l *dleaf) weight() float64 {
	if l.s == nil {
		return 0
	}
	return l.s.Weight()
}

func (l *dleaf) setNorm(qnorm float64) {
	if l.s != nil {
		l.s.SetQueryNorm(qnorm)
	}
}

func (l *dleaf) count() uint64 {
	if l.s == nil {
		return uint64(len(l.docs))
	}
	return l.s.Count()
}

func (l *dleaf) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	if l.s == nil {
		// No scores: the pass counts.
		return dlist{l.docs, bufs.float64s(len(l.docs))[:len(l.docs)]}, nil
	}
	sc := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(l.s.DocumentMatchPoolSize()+1, 0), IndexReader: l.r}
	out := bufs.list(int(min(l.s.Count(), 1<<16)))
	if w, ok := l.s.(*phraseWalk); ok {
		err := w.each(ctx, func(d uint64, score float64) {
			out.docs, out.scores = append(out.docs, uint32(d)), append(out.scores, score)
		})
		if err != nil {
			return dlist{}, err
		}
		l.memo.put(l.key, out.docs)
		return out, nil
	}
	for seen := 0; ; seen++ {
		if seen%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return dlist{}, err
			}
		}
		dm, err := l.s.Next(sc)
		if err != nil {
			return dlist{}, err
		}
		if dm == nil {
			l.memo.put(l.key, out.docs)
			return out, nil
		}
		d := dm.IndexInternalID.Value()
		if d > math.MaxUint32 {
			return dlist{}, fmt.Errorf("document number %d out of range", d)
		}
		out.docs, out.scores = append(out.docs, uint32(d)), append(out.scores, dm.Score)
		sc.DocumentMatchPool.Put(dm)
	}
}

// dcompound are the children of a compound node, in its searcher's order.
type dcompound struct{ cs []dnode }

func (c dcompound) weight() float64 {
	var w float64
	for _, n := range c.cs {
		w += n.weight()
	}
	return w
}

func (c dcompound) setNorm(qnorm float64) {
	for _, n := range c.cs {
		n.setNorm(qnorm)
	}
}

func (c dcompound) count() uint64 {
	var sum uint64
	for _, n := range c.cs {
		sum += n.count()
	}
	return sum
}

func (c dcompound) evalAll(ctx context.Context, bufs *dbufs) ([]dlist, error) {
	ls := make([]dlist, len(c.cs))
	for i, n := range c.cs {
		l, err := n.eval(ctx, bufs)
		if err != nil {
			return nil, err
		}
		ls[i] = l
	}
	return ls, nil
}

// nodesByCount orders nodes as bleve's OrderedSearcherList orders searchers.
type nodesByCount []dnode

func (s nodesByCount) Len() int           { return len(s) }
func (s nodesByCount) Less(i, j int) bool { return s[i].count() < s[j].count() }
func (s nodesByCount) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// sortByCount sorts ns as bleve's compound searchers sort their children:
// with sort.Sort, whose result for equal counts is the algorithm's.
func sortByCount(ns []dnode) []dnode {
	sort.Sort(nodesByCount(ns))
	return ns
}

// dconj matches the documents all its children match, scored by the sum
// of theirs (bleve's ConjunctionQueryScorer).
type dconj struct{ dcompound }

func (c *dconj) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	ls, err := c.evalAll(ctx, bufs)
	if err != nil || len(ls) == 1 {
		return ls[0], err // the sum of one score
	}
	// The shortest list leads; the others are searched forward.
	lead := 0
	for i, l := range ls {
		if len(l.docs) < len(ls[lead].docs) {
			lead = i
		}
	}
	at := make([]int, len(ls))
	out := bufs.list(len(ls[lead].docs))
next:
	for _, d := range ls[lead].docs {
		for i, l := range ls {
			j := seek(l.docs, at[i], d)
			at[i] = j
			if j == len(l.docs) {
				break next
			}
			if l.docs[j] != d {
				continue next
			}
		}
		var sum float64
		for i, l := range ls {
			sum += l.scores[at[i]]
		}
		out.docs, out.scores = append(out.docs, d), append(out.scores, sum)
	}
	return out, nil
}

// seek returns the first index from i on of docs whose document is not
// below d: a few steps forward, then a binary search.
func seek(docs []uint32, i int, d uint32) int {
	for end := min(i+8, len(docs)); i < end; i++ {
		if docs[i] >= d {
			return i
		}
	}
	return i + sort.Search(len(docs)-i, func(k int) bool { return docs[i+k] >= d })
}

// ddisj matches the documents at least min of its children match, scored
// by the sum of theirs times the share of its children that match (bleve's
// DisjunctionQueryScorer).
type ddisj struct {
	dcompound
	min int
}

func (c *ddisj) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	ls, err := c.evalAll(ctx, bufs)
	if err != nil {
		return dlist{}, err
	}
	if len(ls) == 1 && c.min <= 1 {
		return ls[0], nil // the sum of one score, times 1/1
	}
	at := make([]int, len(ls))
	n := 0
	for _, l := range ls {
		n = max(n, len(l.docs))
	}
	out := bufs.list(n)
	total := float64(len(ls))
	for {
		d, any := uint32(math.MaxUint32), false
		for i, l := range ls {
			if at[i] < len(l.docs) && (!any || l.docs[at[i]] < d) {
				d, any = l.docs[at[i]], true
			}
		}
		if !any {
			return out, nil
		}
		var sum float64
		n := 0
		for i, l := range ls {
			if at[i] < len(l.docs) && l.docs[at[i]] == d {
				sum += l.scores[at[i]]
				n++
				at[i]++
			}
		}
		if n >= c.min {
			out.docs, out.scores = append(out.docs, d), append(out.scores, sum*(float64(n)/total))
		}
	}
}

// dbool is a boolean query with a must clause and a should or must-not
// clause, or a should and a must-not clause (bleve's BooleanSearcher).
type dbool struct {
	must, should, not dnode
	shouldMin         int
}

func (b *dbool) weight() float64 {
	var w float64
	if b.must != nil {
		w += b.must.weight()
	}
	if b.should != nil {
		w += b.should.weight()
	}
	return w
}

func (b *dbool) setNorm(qnorm float64) {
	if b.must != nil {
		b.must.setNorm(qnorm)
	}
	if b.should != nil {
		b.should.setNorm(qnorm)
	}
}

func (b *dbool) count() uint64 {
	var sum uint64
	if b.must != nil {
		sum += b.must.count()
	}
	if b.should != nil {
		sum += b.should.count()
	}
	return sum
}

func (b *dbool) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	var must, should, not dlist
	var err error
	for _, p := range []struct {
		n dnode
		l *dlist
	}{{b.must, &must}, {b.should, &should}, {b.not, &not}} {
		if p.n != nil {
			if *p.l, err = p.n.eval(ctx, bufs); err != nil {
				return dlist{}, err
			}
		}
	}
	if b.must == nil {
		// The should clause leads, as bleve's searcher has it.
		must, should = should, dlist{}
	}
	out := bufs.list(len(must.docs))
	si, ni := 0, 0
	for i, d := range must.docs {
		ni = seek(not.docs, ni, d)
		if ni < len(not.docs) && not.docs[ni] == d {
			continue
		}
		var sum float64
		sum += must.scores[i]
		si = seek(should.docs, si, d)
		if si < len(should.docs) && should.docs[si] == d {
			sum += should.scores[si]
		} else if b.must != nil && b.should != nil && b.shouldMin > 0 {
			continue
		}
		out.docs, out.scores = append(out.docs, d), append(out.scores, sum)
	}
	return out, nil
}

// eachMatch calls batch with the documents text matches over reader r, in
// order, and their scores, a batch at a time: from the direct search when
// it knows the query, else from bleve's searchers, with options so. A
// batch's slices are only valid during the call.
func (ix *Index) eachMatch(ctx context.Context, r bindex.IndexReader, text query.Query, so search.SearcherOptions, batch func(docs []uint32, scores []float64)) error {
	if !ix.directOff.Load() {
		n, p, err := directPlan(ctx, r, ix.bi.Mapping(), text, so.Score == "none")
		if err == nil {
			defer p.close()
			var bufs dbufs
			defer bufs.release()
			l, err := n.eval(ctx, &bufs)
			if err == nil {
				batch(l.docs, l.scores)
			}
			return err
		}
		if !errors.Is(err, errNotDirect) {
			return err
		}
	}
	s, err := text.Searcher(ctx, r, ix.bi.Mapping(), so)
	if err != nil {
		return err
	}
	defer s.Close()
	sc := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	const size = 1024
	docs, scores := make([]uint32, 0, size), make([]float64, 0, size)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		for len(docs) < size {
			dm, err := s.Next(sc)
			if err != nil {
				return err
			}
			if dm == nil {
				break
			}
			docs, scores = append(docs, uint32(dm.IndexInternalID.Value())), append(scores, dm.Score)
			sc.DocumentMatchPool.Put(dm)
		}
		if len(docs) == 0 {
			return nil
		}
		batch(docs, scores)
		if len(docs) < size {
			return nil
		}
		docs, scores = docs[:0], scores[:0]
	}
}
