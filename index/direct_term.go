package index

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// dterm is a term of the substring or word index, or one read by tfr from
// bleve's own fields, scored as bleve's TermQueryScorer with tf-idf
// scores it.
type dterm struct {
	f *substrField
	// A term of bleve's fields is read from its one segment's postings
	// (pl), or from tfr; r and field are its reader and field.
	pl    segment.PostingsList
	tfr   bindex.TermFieldReader
	r     bindex.IndexReader
	field string
	term  string
	tfidf
	n uint64
	// memo keeps the documents for the search's later passes (key).
	memo *directMemo
	key  string
	// counting: the pass needs documents, not scores (all 0).
	counting bool
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

// evalReader evaluates a term of bleve's own fields: from its segment's
// postings where it can (zapPostings), else through a TermFieldReader.
func (t *dterm) evalReader(ctx context.Context, bufs *dbufs) (dlist, error) {
	if t.pl != nil {
		if out, ok, err := t.zapPostings(ctx, bufs); ok || err != nil {
			return out, err
		}
		// Postings that do not keep the field's length: bleve's reader.
		tfr, err := t.r.TermFieldReader(ctx, []byte(t.term), t.field, true, true, false)
		if err != nil {
			return dlist{}, err
		}
		defer tfr.Close()
		t.tfr = tfr
	}
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
		d, err := docNumber(m.ID.Value())
		if err != nil {
			return dlist{}, err
		}
		out.docs, out.scores = append(out.docs, d), append(out.scores, t.score(m.Freq, m.Norm))
	}
}

// zapPostings evaluates the term from its segment's postings, pl, and
// reports whether it could (not for postings that do not keep a field's
// length). Scorch's TermFieldReader computed a square root per posting for
// its norm and built an ID for it: a quarter of an entity's search at 1M.
// The norm is zap's, to the bit: the float32 of one over the root of the
// length it keeps as the norm's bits. A pass that counts reads the
// documents alone, scored 0, from the postings' bitmap without decoding
// frequencies or norms (the language facet's count of an entity's side
// decoded them, 2 ms of a 10 ms search at 1M).
func (t *dterm) zapPostings(ctx context.Context, bufs *dbufs) (dlist, bool, error) {
	scored := !t.counting
	it := t.pl.Iterator(scored, scored, false, nil)
	out := bufs.list(int(min(t.n, 1<<20)))
	for seen := 0; ; seen++ {
		if seen%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return dlist{}, true, err
			}
		}
		p, err := it.Next()
		if err != nil || p == nil {
			return out, true, err
		}
		d, err := docNumber(p.Number())
		if err != nil {
			return dlist{}, true, err
		}
		score := 0.0
		if scored {
			zp, ok := p.(lengthPosting)
			if !ok {
				return dlist{}, false, nil
			}
			score = t.score(p.Frequency(), norm(uint32(zp.NormUint64())))
		}
		out.docs, out.scores = append(out.docs, d), append(out.scores, score)
	}
}

// lengthPosting is a zap posting, which keeps a field's length as its
// norm's bits.
type lengthPosting interface{ NormUint64() uint64 }

func (t *dterm) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	out, err := t.read(ctx, bufs)
	if err == nil {
		t.memo.put(t.key, out.docs)
	}
	return out, err
}

// read is eval: the term's documents and scores.
func (t *dterm) read(ctx context.Context, bufs *dbufs) (dlist, error) {
	if t.tfr != nil || t.pl != nil {
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
	if t.counting {
		clear(scores)
		return dlist{docs, scores}, nil
	}
	if err := t.f.scoreAll(&t.tfidf, t.term, docs, freqs, scores); err != nil {
		return dlist{}, err
	}
	return dlist{docs, scores}, nil
}

// postings are the term's documents and frequencies, read whole: a
// character's union as its cache shares it (read only), other terms in
// slices from bufs.
func (t *dterm) postings(bufs *dbufs) (docs, freqs []uint32, err error) {
	if t.f.follow != nil {
		return t.f.charPostings(t.term)
	}
	docs, freqs = bufs.uint32s(int(t.n)), bufs.uint32s(int(t.n))
	err = t.f.eachBlock(t.term, func(ds, fs []uint32) {
		docs, freqs = append(docs, ds...), append(freqs, fs...)
	})
	return docs, freqs, err
}
