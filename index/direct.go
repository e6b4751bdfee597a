package index

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// The direct search evaluates a query of terms, conjunctions, disjunctions
// and booleans a node at a time, over whole lists of matches, instead of
// through bleve's searchers a match at a time. At 1M passages a common
// word's first search spent four fifths of its CPU in those searchers: each
// level of the query handed a DocumentMatch to the next for every posting,
// comparing IDs as byte strings. Terms of the substring and word indexes
// are read and scored straight from their postings, terms of bleve's own
// fields (the entities) from its TermFieldReader; any other query (a
// phrase) is a leaf whose searcher is drained into a list.
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
		// A pass that counts takes a term's documents from the memo
		// when an earlier pass of the search read them: the language
		// facet's count of an entity's side read the entity's
		// postings again, a quarter of the search.
		key := fmt.Sprintf("term|%v|%q|%q", st.none(), x.FieldVal, x.Term)
		if p.counting {
			if docs, ok := p.memo.get(key); ok {
				return &dleaf{docs: docs}, nil
			}
		}
		var t *dterm
		var err error
		if f := st.field(x.FieldVal); f != nil {
			t, err = newDterm(f, x.Term, x.BoostVal.Value(), p.total)
		} else {
			t, err = p.bleveTerm(x)
		}
		if err != nil {
			return nil, err
		}
		t.memo, t.key, t.counting = p.memo, key, p.counting
		return t, nil
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
	for _, c := range []dnode{n.must, n.should} {
		if c != nil {
			n.cs = append(n.cs, c)
		}
	}
	return &n, nil
}

// leaf is the node of q answered by its bleve searcher.
func (p *directPlanner) leaf(q query.Query, st stores) (dnode, error) {
	key := memoKey(q, st)
	if p.counting {
		if docs, ok := p.memo.get(key); ok {
			return &dleaf{docs: docs}, nil
		}
	}
	r := p.r
	if !st.none() {
		r = storeReader{IndexReader: p.r, st: st}
	}
	// A pass that counts needs no scores: a phrase walk then reads no
	// norms.
	var so search.SearcherOptions
	if p.counting {
		so.Score = "none"
	}
	s, err := q.Searcher(p.ctx, r, p.m, so)
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

// memoKey is the key of leaf q in a search's memo: what decides the
// documents of a phrase, whose walks are what the memo saves; "" (kept
// nowhere) for another query.
func memoKey(q query.Query, st stores) string {
	p, ok := q.(*phraseQuery)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%v|%q|%q|%v|%v|%v", st.none(), p.field, p.terms, p.once, p.anywhere, p.viaSearchers)
}

// bleveTerm is the node of a term of one of bleve's own fields: its
// postings are read from the index's one segment (onePostingsList), else
// from bleve's reader, as its term searcher would.
func (p *directPlanner) bleveTerm(q *query.TermQuery) (*dterm, error) {
	t := &dterm{r: p.r, field: q.FieldVal, term: q.Term}
	pl, err := onePostingsList(p.r, q.FieldVal, q.Term)
	switch {
	case err != nil:
		return nil, err
	case pl != nil:
		t.pl, t.n = pl, pl.Count()
	default:
		tfr, err := p.r.TermFieldReader(p.ctx, []byte(q.Term), q.FieldVal, true, true, false)
		if err != nil {
			return nil, err
		}
		p.readers = append(p.readers, tfr)
		t.tfr, t.n = tfr, tfr.Count()
	}
	t.tfidf = newTFIDF(q.BoostVal.Value(), p.total, t.n)
	return t, nil
}

// onePostingsList returns the postings of term in field when r is an index
// of one segment, less its deleted documents (what scorch's reader would
// read), and nil for an index of several.
func onePostingsList(r bindex.IndexReader, field, term string) (segment.PostingsList, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	segs := snap.Segments()
	if len(segs) != 1 {
		return nil, nil
	}
	ss := segs[0]
	dict, err := ss.Segment().Dictionary(field)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", field, term, err)
	}
	pl, err := dict.PostingsList([]byte(term), ss.Deleted(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", field, term, err)
	}
	return pl, nil
}

// minOf is the least number of n's clauses a match needs, as its
// searcher's Min reports it.
func minOf(n dnode) int {
	switch x := n.(type) {
	case *ddisj:
		return x.min
	case *dleaf:
		if x.s != nil {
			return x.s.Min()
		}
	}
	return 0
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
		// A pass that counts: no scores.
		scores := bufs.float64s(len(l.docs))[:len(l.docs)]
		clear(scores)
		return dlist{l.docs, scores}, nil
	}
	out := bufs.list(int(min(l.s.Count(), 1<<16)))
	var err error
	if w, ok := l.s.(*phraseWalk); ok {
		err = w.each(ctx, func(d uint32, score float64) {
			out.docs, out.scores = append(out.docs, d), append(out.scores, score)
		})
	} else {
		err = drain(ctx, l.s, l.r, func(docs []uint32, scores []float64) {
			out.docs, out.scores = append(out.docs, docs...), append(out.scores, scores...)
		})
	}
	if err != nil {
		return dlist{}, err
	}
	l.memo.put(l.key, out.docs)
	return out, nil
}

// eachMatch calls batch with the documents text matches over reader r, in
// order, and their scores, a batch at a time: from the direct search when
// it knows the query, else from bleve's searchers, with options so. A
// batch's slices are only valid during the call.
func (ix *Index) eachMatch(ctx context.Context, r bindex.IndexReader, text query.Query, so search.SearcherOptions, batch func(docs []uint32, scores []float64)) error {
	if !ix.directOff.Load() {
		if _, all := text.(*query.MatchAllQuery); all {
			if n, ok := denseDocs(r); ok {
				return everyPassage(ctx, n, so.Score != "none", batch)
			}
		}
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
	return drain(ctx, s, r, batch)
}

// everyPassage calls batch with documents 0 to n-1, a batch at a time,
// scored as bleve's MatchAllSearcher scores them unnormalised (1, or 0
// without scores): filters without words (of several facets; one alone
// walks its own postings, filterAlone), and the empty query's year
// orders, walked a million passages through bleve's document reader and
// its matches, 50 ms at 1M.
func everyPassage(ctx context.Context, n uint64, scored bool, batch func(docs []uint32, scores []float64)) error {
	if n > math.MaxUint32+1 {
		return fmt.Errorf("%d documents: more than 32-bit numbers", n)
	}
	const size = 4096
	docs, scores := make([]uint32, size), make([]float64, size)
	if scored {
		for i := range scores {
			scores[i] = 1
		}
	}
	for from := uint64(0); from < n; from += size {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := min(n-from, size)
		for i := range docs[:k] {
			docs[i] = uint32(from) + uint32(i)
		}
		batch(docs[:k], scores[:k])
	}
	return nil
}

// drain calls batch with the matches of searcher s over reader r, in its
// order, up to 1024 at a time. A batch's slices are only valid during the
// call.
func drain(ctx context.Context, s search.Searcher, r bindex.IndexReader, batch func(docs []uint32, scores []float64)) error {
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
			d, err := docNumber(dm.IndexInternalID.Value())
			if err != nil {
				return err
			}
			docs, scores = append(docs, d), append(scores, dm.Score)
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

// docNumber is bleve's document number d as the lists hold it: our stores
// number documents in 32 bits, so a larger one is an error, not a wrap.
func docNumber(d uint64) (uint32, error) {
	if d > math.MaxUint32 {
		return 0, fmt.Errorf("document number %d out of range", d)
	}
	return uint32(d), nil
}
