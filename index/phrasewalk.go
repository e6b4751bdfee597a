package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// phraseWalk is the searcher of a phrase with one word per position, which
// is every phrase our analyzers produce. It reads the words' postings
// itself and compares a candidate's positions before it builds a match or
// a score: through bleve's term and conjunction searchers, every candidate
// (a passage with all the words) was scored, its locations copied and
// merged, and a match built, before the positions were looked at. The
// matches and their scores are those of phraseSearcher over bleve's
// searchers (TestPhraseMatchesBleve, TestPhraseWalkMatchesSearchers).
type phraseWalk struct {
	q       *phraseQuery
	readers []bindex.TermFieldReader
	// scorers score readers' words as bleve's term searchers do.
	scorers []tfidf
	scored  bool // the search keeps scores (not so for counts)
	// order is the readers in the order of bleve's conjunction (by
	// postings, as sort.Sort leaves them), which sums their weights and
	// scores in it: floating-point sums depend on the order.
	order []int
	// at[i] is the reader of the word at position i, -1 for any word.
	at   []int
	docs []bindex.TermFieldDoc
	// cur[r] is reader r's current document, nil once it has no more.
	cur     []*bindex.TermFieldDoc
	started bool
	done    bool
	onMatch bool       // the readers stand on the match Next returned
	pos     [][]uint64 // positions by reader, reused between candidates
	// lazy[k], for a reader of our stores, says what reader k no longer
	// reads at every passage it stops at: positions and norms are read
	// (fill) only where every word is, and norms only for a match.
	lazy []lazyNeeds
}

// newPhraseWalk returns the walk of q, or nil when q has a position with
// alternative words or the scores are not tf-idf's, which phraseSearcher
// handles.
func newPhraseWalk(ctx context.Context, r bindex.IndexReader, q *phraseQuery, opts search.SearcherOptions) (*phraseWalk, error) {
	if opts.Explain || scoringModel(ctx) == bindex.BM25Scoring {
		return nil, nil
	}
	w := &phraseWalk{q: q, at: make([]int, len(q.terms))}
	reader := map[string]int{}
	for i, alts := range q.terms {
		if len(alts) != 1 {
			return nil, nil
		}
		w.at[i] = -1
		t := alts[0]
		if t == "" {
			continue
		}
		if k, ok := reader[t]; ok && q.once {
			w.at[i] = k
			continue
		}
		reader[t] = len(w.readers)
		w.at[i] = len(w.readers)
		w.readers = append(w.readers, nil)
	}
	if len(w.readers) == 0 || w.at[0] < 0 {
		return nil, nil
	}
	w.scored = opts.Score != "none"
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("phrase: %w", err)
	}
	w.scorers = make([]tfidf, len(w.readers))
	for i, alts := range q.terms {
		k := w.at[i]
		if k < 0 || w.readers[k] != nil {
			continue
		}
		// Each word counts against bleve's limit on term searchers, as
		// its term searcher did.
		if err := search.RecordTermSearcher(ctx); err != nil {
			w.Close()
			return nil, fmt.Errorf("phrase: %w", err)
		}
		tfr, err := r.TermFieldReader(ctx, []byte(alts[0]), q.field, w.scored, w.scored, !q.anywhere)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("phrase: %w", err)
		}
		w.readers[k] = tfr
		if sr, ok := tfr.(*substrReader); ok && (sr.norm || sr.vectors) {
			if w.lazy == nil {
				w.lazy = make([]lazyNeeds, len(w.readers))
			}
			w.lazy[k] = lazyNeeds{sr, sr.norm, sr.vectors}
			sr.norm, sr.vectors = false, false
		}
		w.scorers[k] = newTFIDF(q.boost, docs, tfr.Count())
	}
	w.order = conjunctionOrder(w.readers)
	if err := w.optimize(); err != nil {
		w.Close()
		return nil, fmt.Errorf("phrase: %w", err)
	}
	w.docs = make([]bindex.TermFieldDoc, len(w.readers))
	w.cur = make([]*bindex.TermFieldDoc, len(w.readers))
	w.pos = make([][]uint64, len(w.readers))
	w.SetQueryNorm(1 / math.Sqrt(w.Weight()))
	return w, nil
}

// scoringModel is the scoring model bleve's searchers read from ctx
// (withScoringModel).
func scoringModel(ctx context.Context) string {
	if f, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); ok {
		return f()
	}
	return bindex.DefaultScoringModel
}

// byPostings sorts readers as bleve's OrderedSearcherList sorts their
// term searchers (whose Count is their reader's).
type byPostings struct {
	counts []uint64
	order  []int
}

func (b byPostings) Len() int           { return len(b.order) }
func (b byPostings) Less(i, j int) bool { return b.counts[i] < b.counts[j] }
func (b byPostings) Swap(i, j int) {
	b.counts[i], b.counts[j] = b.counts[j], b.counts[i]
	b.order[i], b.order[j] = b.order[j], b.order[i]
}

// conjunctionOrder returns the order in which bleve's conjunction
// searcher would hold term searchers of readers: sort.Sort by count, which
// is deterministic, so equal counts end where they end there.
func conjunctionOrder(readers []bindex.TermFieldReader) []int {
	b := byPostings{counts: make([]uint64, len(readers)), order: make([]int, len(readers))}
	for i, r := range readers {
		b.counts[i], b.order[i] = r.Count(), i
	}
	sort.Sort(b)
	return b.order
}

// optimize has scorch intersect the words' postings once, so that each
// reader visits only the passages with every word, as bleve's conjunction
// searcher has it do.
func (w *phraseWalk) optimize() error {
	if len(w.readers) < 2 {
		return nil
	}
	var octx bindex.OptimizableContext
	for _, k := range w.order {
		o, ok := w.readers[k].(bindex.Optimizable)
		if !ok {
			return nil
		}
		var err error
		if octx, err = o.Optimize("conjunction", octx); err != nil {
			return err
		}
		if octx == nil {
			return nil
		}
	}
	_, err := octx.Finish()
	return err
}

func (w *phraseWalk) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	ok, err := w.nextMatch()
	if !ok || err != nil {
		return nil, err
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = bindex.NewIndexInternalIDFrom(dm.IndexInternalID, w.cur[0].ID)
	if w.scored {
		dm.Score = w.score()
	}
	return dm, nil
}

// each calls f with every match left and its score: Next without building
// matches, for the direct search.
func (w *phraseWalk) each(ctx context.Context, f func(d uint32, score float64)) error {
	for seen := 0; ; seen++ {
		if seen%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		ok, err := w.nextMatch()
		if !ok || err != nil {
			return err
		}
		d, err := docNumber(w.cur[0].ID.Value())
		if err != nil {
			return err
		}
		var score float64
		if w.scored {
			score = w.score()
		}
		f(d, score)
	}
}

// nextMatch moves the walk to its next match, which w.cur then holds, and
// reports whether there was one. The readers leave it on the next call.
func (w *phraseWalk) nextMatch() (bool, error) {
	if err := w.start(nil); err != nil {
		return false, err
	}
	if err := w.leave(); err != nil {
		return false, err
	}
	for !w.done {
		// Leap every reader to the furthest one's passage. IDs compare as
		// numbers: as byte strings they were a fourteenth of a phrase's
		// search.
		var far bindex.IndexInternalID
		var farV uint64
		for _, d := range w.cur {
			if v := d.ID.Value(); far == nil || v > farV {
				far, farV = d.ID, v
			}
		}
		aligned := true
		for k, d := range w.cur {
			if d.ID.Value() < farV {
				aligned = false
				if err := w.step(k, far); err != nil {
					return false, err
				}
				if w.done {
					return false, nil
				}
			}
		}
		if !aligned {
			continue
		}
		ok, err := w.matches()
		if err != nil {
			return false, err
		}
		if ok {
			w.onMatch = true
			return true, w.fill()
		}
		if err := w.stepAll(nil); err != nil {
			return false, err
		}
	}
	return false, nil
}

// start moves each reader to its first passage (at or after id, if not
// nil), once.
func (w *phraseWalk) start(id bindex.IndexInternalID) error {
	if w.started {
		return nil
	}
	w.started = true
	return w.stepAll(id)
}

// leave moves the readers off the match the walk stands on, if it does.
func (w *phraseWalk) leave() error {
	if !w.onMatch {
		return nil
	}
	w.onMatch = false
	return w.stepAll(nil)
}

// stepAll steps every reader (step).
func (w *phraseWalk) stepAll(id bindex.IndexInternalID) error {
	for k := range w.readers {
		if err := w.step(k, id); err != nil {
			return err
		}
	}
	return nil
}

// step moves reader k to its next passage, or to the first at or after
// id; done is set when it has none.
func (w *phraseWalk) step(k int, id bindex.IndexInternalID) error {
	if w.done {
		return nil
	}
	var d *bindex.TermFieldDoc
	var err error
	if id == nil {
		d, err = w.readers[k].Next(w.docs[k].Reset())
	} else {
		d, err = w.readers[k].Advance(id, w.docs[k].Reset())
	}
	if err != nil {
		return err
	}
	w.cur[k] = d
	if d == nil {
		w.done = true
	}
	return nil
}

func (w *phraseWalk) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !w.started {
		if err := w.start(id); err != nil {
			return nil, err
		}
		return w.Next(ctx)
	}
	if err := w.leave(); err != nil {
		return nil, err
	}
	for k, d := range w.cur {
		if w.done {
			return nil, nil
		}
		if d.ID.Compare(id) < 0 {
			if err := w.step(k, id); err != nil {
				return nil, err
			}
		}
	}
	return w.Next(ctx)
}

// matches reports whether the current passage has the words at
// consecutive positions (a position of any word takes any).
func (w *phraseWalk) matches() (bool, error) {
	if w.q.anywhere {
		return true, nil
	}
	for k, d := range w.cur {
		w.pos[k] = w.pos[k][:0]
		if w.lazy != nil && w.lazy[k].r != nil && w.lazy[k].vectors {
			ln := w.lazy[k]
			var err error
			if w.pos[k], err = ln.r.rawPositions(ln.r.next-1, w.pos[k]); err != nil {
				return false, err
			}
			continue
		}
		for _, v := range d.Vectors {
			w.pos[k] = append(w.pos[k], v.Pos)
		}
		slices.Sort(w.pos[k]) // in order already: a check of one pass
	}
	first := w.at[0]
	for _, p := range w.pos[first] {
		ok := true
		for i := 1; i < len(w.at) && ok; i++ {
			if k := w.at[i]; k >= 0 {
				ok = containsPos(w.pos[k], p+uint64(i))
			}
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// lazyNeeds are what a reader of our stores was asked for and reads only
// when fill asks.
type lazyNeeds struct {
	r             *substrReader
	norm, vectors bool
}

// fill reads the norms of the passage every reader stands on, for the
// readers that left them (lazy); matches reads their positions itself.
func (w *phraseWalk) fill() error {
	for k, ln := range w.lazy {
		if ln.r == nil || !ln.norm {
			continue
		}
		d, j := w.cur[k], ln.r.next-1 // the document the reader handed out last
		l, err := ln.r.f.length(ln.r.docs[j])
		if err != nil {
			return err
		}
		if uint64(l) < d.Freq {
			// A damaged length; zero would make the score infinite.
			return ln.r.damaged()
		}
		d.Norm = norm(l)
	}
	return nil
}

// containsPos reports whether sorted positions hold p.
func containsPos(ps []uint64, p uint64) bool {
	i := sort.Search(len(ps), func(i int) bool { return ps[i] >= p })
	return i < len(ps) && ps[i] == p
}

// score is the current passage's score as bleve's conjunction of term
// searchers scores it: the sum, in its order, of each word's score.
func (w *phraseWalk) score() float64 {
	var sum float64
	for _, k := range w.order {
		d := w.cur[k]
		sum += w.scorers[k].score(d.Freq, d.Norm)
	}
	return sum
}

func (w *phraseWalk) Weight() float64 {
	var sum float64
	for _, k := range w.order {
		sum += w.scorers[k].weight()
	}
	return sum
}

func (w *phraseWalk) SetQueryNorm(n float64) {
	for i := range w.scorers {
		w.scorers[i].setNorm(n)
	}
}

func (w *phraseWalk) Count() uint64 {
	var n uint64
	for _, r := range w.readers {
		n += r.Count()
	}
	return n
}

func (w *phraseWalk) Close() error {
	var first error
	for _, r := range w.readers {
		if r == nil {
			continue
		}
		if err := r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (w *phraseWalk) Min() int                   { return 0 }
func (w *phraseWalk) DocumentMatchPoolSize() int { return 2*len(w.readers) + 1 }
func (w *phraseWalk) Size() int                  { return 64 + 128*len(w.readers) }
