package index

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// phraseQuery is an exact phrase on one field: bleve's MatchPhraseQuery
// without fuzziness, with the same candidates and scores, checked faster.
//
// bleve's phrase searcher turns the term locations of every candidate (a
// passage holding all the phrase's words) into maps of maps before looking
// for consecutive positions; for "United States" on a million passages,
// 77k matches among more candidates, that was half the search. Here the
// positions are compared in the flat list the candidate already carries.
type phraseQuery struct {
	field string
	// terms holds the analysed words by position; "" is a position any
	// word fills (a stop word the analyzer dropped), as in bleve.
	terms [][]string
	boost float64
	// once searches a term that stands at several positions once
	// (哈哈哈): fewer postings read, while bleve's scores count it at
	// each position.
	once bool
	// anywhere drops the check of positions: the words need only all be
	// in the field, scored as the phrase would be. It is the phrase of a
	// field that keeps no positions (zh).
	anywhere bool
	// viaSearchers searches through bleve's term and conjunction
	// searchers even where phraseWalk could: tests compare the two.
	viaSearchers bool
}

// newPhraseQuery is the phrase of toks, a text's words as field's analyzer
// cut them, laid out by position as bleve's MatchPhraseQuery lays them out:
// a position left empty (a stop word the analyzer dropped) takes any word.
// It returns nil for no words.
func newPhraseQuery(field string, toks analysis.TokenStream) *phraseQuery {
	if len(toks) == 0 {
		return nil
	}
	first, last := toks[0].Position, toks[0].Position
	for _, t := range toks {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	terms := make([][]string, last-first+1)
	for _, t := range toks {
		terms[t.Position-first] = append(terms[t.Position-first], string(t.Term))
	}
	for i := range terms {
		if len(terms[i]) == 0 {
			terms[i] = []string{""}
		}
	}
	return &phraseQuery{field: field, terms: terms, boost: 1}
}

func (q *phraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	// The searchers bleve's NewMultiPhraseSearcher builds, without its
	// fuzzy and synonym branches, which our queries never use.
	opts.IncludeTermVectors = !q.anywhere
	if !q.viaSearchers {
		w, err := newPhraseWalk(ctx, r, q, opts)
		if err != nil {
			return nil, err
		}
		if w != nil {
			return w, nil
		}
	}
	var parts []search.Searcher
	closeAll := func() {
		for _, s := range parts {
			s.Close()
		}
	}
	// A term at several positions (哈哈哈) needs one searcher: the
	// positions are compared in matches.
	seen := map[string]bool{}
	for _, alts := range q.terms {
		if q.once && len(alts) == 1 {
			if seen[alts[0]] {
				continue
			}
			seen[alts[0]] = true
		}
		var ts []search.Searcher
		for _, t := range alts {
			if t == "" {
				continue
			}
			s, err := searcher.NewTermSearcher(ctx, r, t, q.field, q.boost, opts)
			if err != nil {
				closeAll()
				for _, s := range ts {
					s.Close()
				}
				return nil, fmt.Errorf("phrase: %w", err)
			}
			ts = append(ts, s)
		}
		switch len(ts) {
		case 0:
		case 1:
			parts = append(parts, ts[0])
		default:
			d, err := searcher.NewDisjunctionSearcher(ctx, r, ts, 1, opts)
			if err != nil {
				closeAll()
				return nil, fmt.Errorf("phrase: %w", err)
			}
			parts = append(parts, d)
		}
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, parts, opts)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("phrase: %w", err)
	}
	s := &phraseSearcher{must: must, q: q}
	s.SetQueryNorm(1 / math.Sqrt(must.Weight()))
	return s, nil
}

// phraseSearcher keeps the candidates of must (the conjunction of the
// phrase's words) whose words stand at consecutive positions.
type phraseSearcher struct {
	must search.Searcher
	q    *phraseQuery
	cur  *search.DocumentMatch
	init bool
	// pos[i] are the positions of the words of q.terms[i] in the current
	// candidate; reused between candidates.
	pos [][]uint64
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.init {
		if err := s.advance(ctx); err != nil {
			return nil, err
		}
		s.init = true
	}
	for s.cur != nil {
		var hit *search.DocumentMatch
		if s.matches(s.cur) {
			hit, s.cur = s.cur, nil
		}
		if err := s.advance(ctx); err != nil {
			return nil, err
		}
		if hit != nil {
			return hit, nil
		}
	}
	return nil, nil
}

func (s *phraseSearcher) advance(ctx *search.SearchContext) error {
	if s.cur != nil {
		ctx.DocumentMatchPool.Put(s.cur)
	}
	var err error
	s.cur, err = s.must.Next(ctx)
	return err
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.init {
		if err := s.advance(ctx); err != nil {
			return nil, err
		}
		s.init = true
	}
	if s.cur != nil {
		if s.cur.IndexInternalID.Compare(id) >= 0 {
			return s.Next(ctx)
		}
		ctx.DocumentMatchPool.Put(s.cur)
	}
	if s.cur == nil {
		return nil, nil
	}
	var err error
	if s.cur, err = s.must.Advance(ctx, id); err != nil {
		return nil, err
	}
	return s.Next(ctx)
}

// matches reports whether the words of dm's phrase terms stand at
// consecutive positions (a "" term at any), and leaves in dm only the
// locations of the words it found there. Our text fields hold one value,
// so there are no array positions to compare.
func (s *phraseSearcher) matches(dm *search.DocumentMatch) bool {
	if s.q.anywhere {
		return true
	}
	terms := s.q.terms
	if cap(s.pos) < len(terms) {
		s.pos = make([][]uint64, len(terms))
	}
	s.pos = s.pos[:len(terms)]
	for i := range s.pos {
		s.pos[i] = s.pos[i][:0]
	}
	for _, l := range dm.FieldTermLocations {
		if l.Field != s.q.field {
			continue
		}
		for i, alts := range terms {
			if slices.Contains(alts, l.Term) {
				s.pos[i] = append(s.pos[i], l.Location.Pos)
			}
		}
	}
	found := false
	for _, p := range s.pos[0] {
		ok := true
		for i := 1; i < len(terms) && ok; i++ {
			if len(terms[i]) == 1 && terms[i][0] == "" {
				continue
			}
			ok = slices.Contains(s.pos[i], p+uint64(i))
		}
		if ok {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	// Nothing reads the locations of a hit (highlights are ours); bleve
	// would have kept only the phrase's.
	dm.FieldTermLocations = dm.FieldTermLocations[:0]
	return true
}

func (s *phraseSearcher) Close() error               { return s.must.Close() }
func (s *phraseSearcher) Weight() float64            { return s.must.Weight() }
func (s *phraseSearcher) SetQueryNorm(n float64)     { s.must.SetQueryNorm(n) }
func (s *phraseSearcher) Count() uint64              { return s.must.Count() }
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() + 1 }
func (s *phraseSearcher) Size() int                  { return 64 + s.must.Size() }
