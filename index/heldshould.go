package index

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// heldShould is the should clause of a bleve BooleanQuery whose searcher
// stays on its current match when asked to advance to a document at or
// before it (heldSearcher). bleve's BooleanSearcher.Advance advances its
// should searcher whenever its own cursor trails the target, even when the
// should searcher already stands at or past the target; a disjunction
// there steps past the match it stands on, and that passage loses the
// should clause's score: "华为 美国" ranked a passage that has both words
// as words below every other hit. bleve guards its must-not searcher so
// (bleve#1035, #1065), not its should searcher. Which passages lose depends
// on the order of the documents in the segment, which follows the order in
// which bleve's workers finish analysing them: builds on a busy machine
// ranked differently from builds on an idle one.
type heldShould struct{ q query.Query }

// holdShould makes b's should clause a heldShould, once its clauses are
// all added (BooleanQuery.AddShould needs a *query.DisjunctionQuery).
func holdShould(b *query.BooleanQuery) {
	if b.Should != nil {
		b.Should = heldShould{b.Should}
	}
}

// shouldOf is b's should clause as bleve built it.
func shouldOf(b *query.BooleanQuery) query.Query {
	if h, ok := b.Should.(heldShould); ok {
		return h.q
	}
	return b.Should
}

func (h heldShould) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := h.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	// BooleanQuery drops a should clause that matches nothing by this type.
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		return s, nil
	}
	return &heldSearcher{Searcher: s}, nil
}

func (h heldShould) Validate() error {
	if v, ok := h.q.(query.ValidatableQuery); ok {
		return v.Validate()
	}
	return nil
}

func (h heldShould) MarshalJSON() ([]byte, error) { return json.Marshal(h.q) }

// heldSearcher keeps a copy of the last match its searcher gave: the
// boolean searcher returns that match to the pool before it advances.
type heldSearcher struct {
	search.Searcher
	last  bindex.IndexInternalID // nil before the first match and after the last
	score float64
	expl  *search.Explanation
	locs  []search.FieldTermLocation
}

func (s *heldSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	s.keep(dm)
	return dm, err
}

// Advance gives the kept match again when it is at or past id: the
// searcher has no match between the target it was last moved to (before
// id) and that one.
func (s *heldSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if s.last != nil && s.last.Compare(id) >= 0 {
		dm := ctx.DocumentMatchPool.Get()
		dm.IndexInternalID = append(dm.IndexInternalID[:0], s.last...)
		dm.Score, dm.Expl = s.score, s.expl
		dm.FieldTermLocations = appendLocations(dm.FieldTermLocations[:0], s.locs)
		return dm, nil
	}
	dm, err := s.Searcher.Advance(ctx, id)
	s.keep(dm)
	return dm, err
}

func (s *heldSearcher) keep(dm *search.DocumentMatch) {
	if dm == nil {
		s.last = nil
		return
	}
	s.last = append(s.last[:0], dm.IndexInternalID...)
	s.score, s.expl = dm.Score, dm.Expl
	s.locs = appendLocations(s.locs[:0], dm.FieldTermLocations)
}

// appendLocations appends copies of locs to dst. A match returned to the
// pool keeps its locations' ArrayPositions, which the next user of the
// match refills in place: a copy must not share them.
func appendLocations(dst, locs []search.FieldTermLocation) []search.FieldTermLocation {
	for _, l := range locs {
		l.Location.ArrayPositions = slices.Clone(l.Location.ArrayPositions)
		dst = append(dst, l)
	}
	return dst
}

// DocumentMatchPoolSize counts the match Advance may hand out again.
func (s *heldSearcher) DocumentMatchPoolSize() int { return s.Searcher.DocumentMatchPoolSize() + 1 }
