package index

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// countByBitmaps counts the passages text matches from bitmaps
// (bitmapCount), and reports whether it could. The bitmaps hold no
// filters: the caller asks only for a search without any.
func (ix *Index) countByBitmaps(text query.Query) (int, bool, error) {
	if ix.noBitmapCounts.Load() {
		return 0, false, nil
	}
	idx, err := ix.bi.Advanced()
	if err != nil {
		return 0, false, err
	}
	r, err := openReader(idx)
	if err != nil {
		return 0, false, err
	}
	defer r.Close()
	n, ok := bitmapCount(r, text)
	return n, ok, nil
}

// bitmapCount returns how many passages text matches, computed from the
// postings of its terms as bitmaps (unions for disjunctions, intersections
// for conjunctions and words anywhere), and whether text is made only of
// what it can count so. A side of the language facet (an entity searched
// on both sides) was counted by walking every match through bleve's
// searchers, a third of such a search; the bitmaps' union and count take a
// small part of that. Phrases with positions are not counted here.
func bitmapCount(r bindex.IndexReader, text query.Query) (int, bool) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil {
		return 0, false
	}
	n := 0
	segs := snap.Segments()
	for _, ss := range segs {
		bm, ok := matchBitmap(ss.Segment(), len(segs) == 1, stores{}, text)
		if !ok {
			return 0, false
		}
		if del := ss.Deleted(); del != nil {
			bm.AndNot(del)
		}
		n += int(bm.GetCardinality())
	}
	return n, true
}

// orInto is what zap's postings lists offer: their documents added to a
// bitmap.
type orInto interface{ OrInto(*roaring.Bitmap) }

// matchBitmap returns the documents of seg that q matches, or false when q
// holds something other than terms, their unions and intersections
// (bleve's boolean, conjunction and disjunction queries of at most one
// required match), words anywhere, and nothing. The terms of the fields of
// st, the stores of a storeQuery around q, are read from them, and only
// when seg is the whole index (whole), whose document numbers they hold.
func matchBitmap(seg segment.Segment, whole bool, st stores, q query.Query) (*roaring.Bitmap, bool) {
	switch q := q.(type) {
	case *storeQuery:
		if !whole {
			return nil, false
		}
		return matchBitmap(seg, whole, q.st, q.q)
	case *query.TermQuery:
		return termBitmap(seg, st, q.FieldVal, q.Term)
	case *query.MatchNoneQuery:
		return roaring.New(), true
	case *phraseQuery:
		if !q.anywhere {
			return nil, false
		}
		var out *roaring.Bitmap
		for _, alts := range q.terms {
			if len(alts) != 1 || alts[0] == "" {
				return nil, false
			}
			bm, ok := termBitmap(seg, st, q.field, alts[0])
			if !ok {
				return nil, false
			}
			out = intersect(out, bm)
		}
		return out, out != nil
	case *query.DisjunctionQuery:
		if q.Min > 1 {
			return nil, false
		}
		out := roaring.New()
		for _, c := range q.Disjuncts {
			bm, ok := matchBitmap(seg, whole, st, c)
			if !ok {
				return nil, false
			}
			out.Or(bm)
		}
		return out, true
	case *query.ConjunctionQuery:
		var out *roaring.Bitmap
		for _, c := range q.Conjuncts {
			bm, ok := matchBitmap(seg, whole, st, c)
			if !ok {
				return nil, false
			}
			out = intersect(out, bm)
		}
		return out, out != nil
	case *query.BooleanQuery:
		// What must match, less what must not; what should match only
		// scores, unless it is required (a minimum above zero), or the
		// query has nothing that must.
		if q.Must == nil {
			return nil, false
		}
		if d, ok := shouldOf(q).(*query.DisjunctionQuery); q.Should != nil && (!ok || d.Min > 0) {
			return nil, false
		}
		out, ok := matchBitmap(seg, whole, st, q.Must)
		if !ok {
			return nil, false
		}
		if q.MustNot != nil {
			not, ok := matchBitmap(seg, whole, st, q.MustNot)
			if !ok {
				return nil, false
			}
			out.AndNot(not)
		}
		return out, true
	}
	return nil, false
}

// intersect returns bm when acc is nil (the first operand), else acc with
// only what bm also holds.
func intersect(acc, bm *roaring.Bitmap) *roaring.Bitmap {
	if acc == nil {
		return bm
	}
	acc.And(bm)
	return acc
}

// termBitmap returns the documents of seg that hold term in field, in a
// bitmap of their own: from st when field is one of its fields.
func termBitmap(seg segment.Segment, st stores, field, term string) (*roaring.Bitmap, bool) {
	if f := st.field(field); f != nil {
		return f.bitmap(term)
	}
	out := roaring.New()
	dict, err := seg.Dictionary(field)
	if err != nil {
		return nil, false
	}
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, false
	}
	o, ok := pl.(orInto)
	if !ok {
		return nil, false
	}
	o.OrInto(out)
	return out, true
}
