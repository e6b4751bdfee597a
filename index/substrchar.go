package index

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	bindex "github.com/blevesearch/bleve_index_api"
)

// A character's postings in a substring index of version 2. zh1 holds a
// character only where it ends a run of Han characters; everywhere else
// the character begins a bigram of zh2. So its documents are the union of
// its run-end term's and those of every bigram it begins (a range of zh2's
// keys, which sort by their first character, and whose postings lie one
// after the other in the file), and its frequency in a document is the sum
// of theirs: each occurrence is counted once, as a run's end or as the
// first of a bigram. The union is read whole when a reader is made: bleve
// asks for the count first, for the score.

// charSource is one list of a character's union.
type charSource struct {
	f   *substrField
	key uint64
	t   substrTerm
}

// charSources returns the lists whose union is the character key: its
// run-end term in f (zh1), then the bigrams of f.follow (zh2) it begins, in
// key order; and the sum of their documents.
func (f *substrField) charSources(term string, key uint64) ([]charSource, uint64, error) {
	var srcs []charSource
	var total uint64
	t, found, err := f.lookup(term)
	if err != nil {
		return nil, 0, err
	}
	if found {
		srcs, total = append(srcs, charSource{f, key, t}), t.docs
	}
	z := f.follow
	hi := key + 1<<32 // the bigrams of key are key|second, second > 0
	k := max(0, sort.Search(len(z.index), func(i int) bool { return z.index[i].first > key })-1)
	for stop := false; !stop && k < len(z.index) && z.index[k].first < hi; k++ {
		err := z.walkBlock(k, func(kk uint64, _ []byte, t substrTerm) bool {
			if stop = kk >= hi; stop {
				return false
			}
			if kk > key {
				srcs, total = append(srcs, charSource{z, kk, t}), total+t.docs
			}
			return true
		})
		if err != nil {
			return nil, 0, err
		}
	}
	return srcs, total, nil
}

// charPostings returns the documents of the character term, in order, and
// its frequency in each. One search asks for a character's postings more
// than once (its searcher, its count for the language facet, its cost),
// so the last few unions are kept (charUnions); the slices are shared and
// read only.
func (f *substrField) charPostings(term string) (docs, freqs []uint32, err error) {
	if u, ok := f.unions.get(term); ok {
		return u.docs, u.freqs, nil
	}
	docs, freqs, err = f.charUnion(term)
	if err == nil && len(docs) > 0 {
		f.unions.put(term, charUnion{docs, freqs})
	}
	return docs, freqs, err
}

// charUnion computes charPostings.
func (f *substrField) charUnion(term string) (docs, freqs []uint32, err error) {
	key, ok := substrKey(term, 1)
	if !ok {
		return nil, nil, nil
	}
	srcs, total, err := f.charSources(term, key)
	if err != nil || total == 0 {
		return nil, nil, err
	}
	// Many documents are summed in an array over all of them, a few
	// sorted.
	if total >= uint64(f.docs)/16 {
		return charDense(f.docs, srcs)
	}
	pairs := make([]uint64, 0, total)
	err = eachCharPosting(srcs, func(ds, fs []uint32) {
		for i, d := range ds {
			pairs = append(pairs, uint64(d)<<32|uint64(fs[i]))
		}
	})
	if err != nil {
		return nil, nil, err
	}
	slices.Sort(pairs)
	for _, p := range pairs {
		d, n := uint32(p>>32), uint32(p)
		if len(docs) > 0 && docs[len(docs)-1] == d {
			freqs[len(freqs)-1] += n
			continue
		}
		docs, freqs = append(docs, d), append(freqs, n)
	}
	return docs, freqs, nil
}

// charCounts are arrays of a frequency per document, all zero, for
// charDense.
var charCounts sync.Pool

// charDense is charUnion summed in an array of n counts.
func charDense(n uint32, srcs []charSource) (docs, freqs []uint32, err error) {
	counts, _ := charCounts.Get().(*[]uint32)
	if counts == nil || uint32(len(*counts)) < n {
		c := make([]uint32, n)
		counts = &c
	}
	cs := (*counts)[:n]
	err = eachCharPosting(srcs, func(ds, fs []uint32) {
		for i, d := range ds {
			cs[d] += fs[i]
		}
	})
	// The counts are read and zeroed even after an error, so the array
	// goes back to the pool as it came.
	found := 0
	for _, c := range cs {
		if c != 0 {
			found++
		}
	}
	docs, freqs = make([]uint32, 0, found), make([]uint32, 0, found)
	for d, c := range cs {
		if c != 0 {
			docs, freqs = append(docs, uint32(d)), append(freqs, c)
			cs[d] = 0
		}
	}
	charCounts.Put(counts)
	if err != nil {
		return nil, nil, err
	}
	return docs, freqs, nil
}

// eachCharPosting calls fn with each block of documents and frequencies of
// each of srcs. The bigrams' postings lie one after the other, so they are
// read at once.
func eachCharPosting(srcs []charSource, fn func(docs, freqs []uint32)) error {
	bigrams := srcs
	if len(srcs) > 0 && srcs[0].f.follow != nil {
		bigrams = srcs[1:] // the first is zh1's run-end term
	}
	var span []byte
	var spanOff uint64
	if len(bigrams) > 1 {
		// Each term's postings must begin where the last one's end (a
		// damaged block index could say otherwise).
		end := bigrams[0].t.off
		for _, b := range bigrams {
			if b.t.off != end {
				return fmt.Errorf("%w: postings of %s %q out of place", b.f.damage, b.f.name, keyTerm(b.key))
			}
			end += b.t.skipBytes() + b.t.docBytes + b.t.posBytes
		}
		span, spanOff = make([]byte, end-bigrams[0].t.off), bigrams[0].t.off
		if _, err := bigrams[0].f.f.ReadAt(span, int64(spanOff)); err != nil {
			return fmt.Errorf("%s %q: %w", bigrams[0].f.name, keyTerm(bigrams[0].key), err)
		}
	}
	for i, s := range srcs {
		r := &substrReader{f: s.f, term: keyTerm(s.key), t: s.t, blk: -1, last: -1, posBlk: -1}
		var err error
		if span != nil && i >= len(srcs)-len(bigrams) {
			at := s.t.off - spanOff
			err = r.readyFrom(span[at : at+s.t.skipBytes()+s.t.docBytes])
		} else {
			err = r.ready()
		}
		if err != nil {
			return err
		}
		for k := range r.t.blocks() {
			if err := r.load(int(k)); err != nil {
				return err
			}
			fn(r.docs, r.freqs)
		}
	}
	return nil
}

// charReader is bleve's TermFieldReader over a character's union.
type charReader struct {
	f           *substrField // zh1, whose lengths count every character
	term        string
	docs, freqs []uint32
	freq, norm  bool
	next        int
}

func (f *substrField) charReader(term string, freq, norm bool) (*charReader, error) {
	docs, freqs, err := f.charPostings(term)
	if err != nil {
		return nil, err
	}
	return &charReader{f: f, term: term, docs: docs, freqs: freqs, freq: freq, norm: norm}, nil
}

func (r *charReader) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if r.next >= len(r.docs) {
		return nil, nil
	}
	return r.emit(pre)
}

func (r *charReader) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if len(id) != 8 {
		return nil, fmt.Errorf("%s %q: advance to a bad document id", r.f.name, r.term)
	}
	target := id.Value()
	r.next = sort.Search(len(r.docs), func(i int) bool { return uint64(r.docs[i]) >= target })
	return r.Next(pre)
}

func (r *charReader) emit(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if pre == nil {
		pre = &bindex.TermFieldDoc{}
	}
	d, n := r.docs[r.next], r.freqs[r.next]
	pre.Term = r.term
	pre.ID = bindex.NewIndexInternalID(pre.ID, uint64(d))
	if r.freq {
		pre.Freq = uint64(n)
	}
	if r.norm {
		l, err := r.f.length(d)
		if err != nil {
			return nil, err
		}
		if l < n {
			return nil, fmt.Errorf("%w: %s %q: %d occurrences in a length of %d", r.f.damage, r.f.name, r.term, n, l)
		}
		pre.Norm = norm(l)
	}
	r.next++
	return pre, nil
}

func (r *charReader) Count() uint64 { return uint64(len(r.docs)) }

func (r *charReader) Close() error { return nil }

func (r *charReader) Size() int { return 100 + 4*(cap(r.docs)+cap(r.freqs)) }

// charUnion is a character's postings, as charPostings returns them.
type charUnion struct{ docs, freqs []uint32 }

// charUnions keeps the unions of the characters last asked for, up to
// charUnionsBytes of them; when full it is emptied.
type charUnions struct {
	mu    sync.Mutex
	m     map[string]charUnion
	bytes int
}

// charUnionsBytes bounds a field's charUnions: the union of the commonest
// character of a million passages takes about 6 MB.
const charUnionsBytes = 32 << 20

func (c *charUnions) get(term string) (charUnion, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.m[term]
	return u, ok
}

func (c *charUnions) put(term string, u charUnion) {
	size := 64 + len(term) + 4*(cap(u.docs)+cap(u.freqs)) // and the map's entry
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes+size > charUnionsBytes {
		c.m, c.bytes = map[string]charUnion{}, 0
	}
	if size <= charUnionsBytes {
		c.m[term], c.bytes = u, c.bytes+size
	}
}
