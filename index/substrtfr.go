package index

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"

	bindex "github.com/blevesearch/bleve_index_api"
)

// substrReader is bleve's TermFieldReader over a term of the substring
// index: it reads the term's skips and documents at once when first moved
// (a searcher may only ask its Count), its positions at once when a
// document is first asked for with them (a read per block was a tenth of a
// Chinese search's CPU), and decodes them a block at a time. After an
// error it returns that error.
type substrReader struct {
	f     *substrField
	term  string
	t     substrTerm
	skips []uint32 // per block: last document, docs end, pos end; nil for one block
	data  []byte   // the term's documents, nil until read
	err   error

	freq, norm, vectors bool

	blk   int      // the block in docs, -1 before the first
	docs  []uint32 // its documents
	freqs []uint32 // and their frequencies
	next  int      // the index in docs of the next document to hand out
	last  int64    // the last document handed out, -1 for none

	allPos []byte // the term's positions, once read
	posBlk int    // the block in pos, -1 for none
	pos    []byte // its positions
	posAt  int    // the document of the block whose positions pos[posCur:] begin with
	posCur int
}

// reader returns the reader of term's postings.
func (f *substrField) reader(term string, freq, norm, vectors bool) (*substrReader, error) {
	r := &substrReader{f: f, term: term, freq: freq, norm: norm, vectors: vectors, blk: -1, last: -1, posBlk: -1}
	t, found, err := f.lookup(term)
	if err != nil || !found {
		return r, err
	}
	r.t = t
	return r, nil
}

// ready reads the term's skips and documents, unless read, and returns the
// reader's error, if any.
func (r *substrReader) ready() error {
	if r.err != nil || r.data != nil || r.t.docs == 0 {
		return r.err
	}
	t := r.t
	raw := make([]byte, t.skipBytes()+t.docBytes)
	if _, err := r.f.f.ReadAt(raw, int64(t.off)); err != nil {
		r.err = fmt.Errorf("%s %q: %w", r.f.name, r.term, err)
		return r.err
	}
	r.err = r.readyFrom(raw)
	return r.err
}

// readyFrom is ready with the term's skips and documents read: raw.
func (r *substrReader) readyFrom(raw []byte) error {
	t := r.t
	r.data = raw[t.skipBytes():]
	if n := t.skipBytes(); n > 0 {
		r.skips = make([]uint32, n/4)
		for i := range r.skips {
			r.skips[i] = binary.LittleEndian.Uint32(raw[4*i:])
		}
		for k := range t.blocks() {
			if k > 0 && r.skips[3*k] <= r.skips[3*k-3] || r.skips[3*k] >= r.f.docs ||
				uint64(r.skips[3*k+1]) > t.docBytes || uint64(r.skips[3*k+2]) > t.posBytes {
				return r.damaged()
			}
		}
	}
	return nil
}

func (r *substrReader) damaged() error {
	return fmt.Errorf("%w: postings of %s %q", r.f.damage, r.f.name, r.term)
}

// bounds returns where block k's documents and positions begin and end,
// relative to their parts, and the document before its first (-1 for
// none).
func (r *substrReader) bounds(k int) (d0, d1, p0, p1 uint64, prev int64) {
	if r.skips == nil {
		return 0, r.t.docBytes, 0, r.t.posBytes, -1
	}
	d1, p1, prev = uint64(r.skips[3*k+1]), uint64(r.skips[3*k+2]), -1
	if k > 0 {
		prev = int64(r.skips[3*k-3])
		d0, p0 = uint64(r.skips[3*k-2]), uint64(r.skips[3*k-1])
	}
	return d0, d1, p0, p1, prev
}

// load decodes block k's documents and frequencies.
func (r *substrReader) load(k int) error {
	d0, d1, _, _, prev := r.bounds(k)
	if d1 < d0 {
		return r.damaged()
	}
	buf := r.data[d0:d1]
	n := min(substrBlock, int(r.t.docs)-k*substrBlock)
	if n < 0 || n > len(buf) {
		return r.damaged() // a document takes a byte at least
	}
	r.docs, r.freqs = slices.Grow(r.docs[:0], n)[:n], slices.Grow(r.freqs[:0], n)[:n]
	docs, freqs := r.docs, r.freqs
	limit := uint64(r.f.docs)
	at := 0
	for i := range docs {
		// Most gaps of a frequent term fit a byte: read those inline
		// (binary.Uvarint's call was a tenth of a Chinese phrase's search).
		var v uint64
		if at < len(buf) && buf[at] < 0x80 {
			v = uint64(buf[at])
			at++
		} else {
			var m int
			if v, m = binary.Uvarint(buf[at:]); m <= 0 {
				return r.damaged()
			}
			at += m
		}
		freq := uint64(1)
		if v&1 == 0 {
			var m int
			if freq, m = binary.Uvarint(buf[at:]); m <= 0 || freq < 2 || freq > 1<<24 {
				return r.damaged()
			}
			at += m
		}
		if v>>1 >= limit {
			return r.damaged()
		}
		d := prev + 1 + int64(v>>1)
		if d >= int64(limit) {
			return r.damaged()
		}
		docs[i], freqs[i] = uint32(d), uint32(freq)
		prev = d
	}
	if at != len(buf) || r.skips != nil && int64(r.skips[3*k]) != prev {
		return r.damaged()
	}
	r.blk, r.next = k, 0
	return nil
}

func (r *substrReader) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if err := r.ready(); err != nil {
		return nil, err
	}
	d, err := r.nextDoc(pre)
	r.err = err
	return d, err
}

func (r *substrReader) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if err := r.ready(); err != nil {
		return nil, err
	}
	d, err := r.advance(id, pre)
	r.err = err
	return d, err
}

func (r *substrReader) nextDoc(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if r.next >= len(r.docs) {
		if uint64(r.blk+1) >= r.t.blocks() {
			r.next = len(r.docs)
			return nil, nil
		}
		if err := r.load(r.blk + 1); err != nil {
			return nil, err
		}
	}
	return r.emit(pre)
}

// advance is Advance on a reader that has read its documents.
func (r *substrReader) advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if len(id) != 8 {
		return nil, fmt.Errorf("%s %q: advance to a bad document id", r.f.name, r.term)
	}
	target := id.Value()
	if r.last >= 0 && uint64(r.last) >= target {
		// Backwards, as scorch's readers allow: from the start.
		r.blk, r.docs, r.next, r.last, r.posBlk = -1, r.docs[:0], 0, -1, -1
	}
	if r.next >= len(r.docs) || uint64(r.docs[len(r.docs)-1]) < target {
		k := r.blk + 1
		if r.skips != nil {
			// The first block after the current one that ends at or past
			// target.
			nb := int(r.t.blocks())
			k += sort.Search(nb-k, func(i int) bool { return uint64(r.skips[3*(k+i)]) >= target })
		}
		if uint64(k) >= r.t.blocks() {
			// Past the end; documents between the last handed out and
			// target may remain, so a later Advance starts again.
			r.blk, r.docs, r.next, r.last = int(r.t.blocks()), r.docs[:0], 0, int64(r.f.docs)
			return nil, nil
		}
		if err := r.load(k); err != nil {
			return nil, err
		}
	}
	for r.next < len(r.docs) && uint64(r.docs[r.next]) < target {
		r.next++
	}
	if r.next >= len(r.docs) {
		// Only a block without skips ends before target here.
		r.last = int64(r.f.docs)
		return nil, nil
	}
	return r.emit(pre)
}

// emit hands out the document at r.next.
func (r *substrReader) emit(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if pre == nil {
		pre = &bindex.TermFieldDoc{}
	}
	j := r.next
	d := r.docs[j]
	pre.Term = r.term
	pre.ID = bindex.NewIndexInternalID(pre.ID, uint64(d))
	if r.freq {
		pre.Freq = uint64(r.freqs[j])
	}
	if r.norm {
		l, err := r.f.length(d)
		if err != nil {
			return nil, err
		}
		if l < r.freqs[j] {
			// A damaged length; zero would make the score infinite.
			return nil, r.damaged()
		}
		pre.Norm = norm(l)
	}
	if r.vectors {
		if err := r.positions(j, pre); err != nil {
			return nil, err
		}
	}
	r.next++
	r.last = int64(d)
	return pre, nil
}

// positions sets pre's vectors to the positions of the block's document j.
func (r *substrReader) positions(j int, pre *bindex.TermFieldDoc) error {
	n, err := r.seekPositions(j)
	if err != nil {
		return err
	}
	if cap(pre.Vectors) < n {
		pre.Vectors = make([]*bindex.TermFieldVector, n)
		backing := make([]bindex.TermFieldVector, n)
		for i := range backing {
			pre.Vectors[i] = &backing[i]
		}
	}
	pre.Vectors = pre.Vectors[:n]
	for i, v := range pre.Vectors {
		if v == nil {
			pre.Vectors[i] = &bindex.TermFieldVector{}
		}
	}
	p := uint64(0)
	for i := range n {
		g, err := r.nextPosition()
		if err != nil {
			return err
		}
		p += g
		*pre.Vectors[i] = bindex.TermFieldVector{Field: r.f.name, Pos: p}
	}
	r.posAt = j + 1
	return nil
}

// rawPositions appends the positions of the block's document j to ps,
// ascending: what a phrase compares, without the vectors positions builds
// for each (a fifth of a common phrase's walk at 1M).
func (r *substrReader) rawPositions(j int, ps []uint64) ([]uint64, error) {
	n, err := r.seekPositions(j)
	if err != nil {
		return ps, err
	}
	p := uint64(0)
	for range n {
		g, err := r.nextPosition()
		if err != nil {
			return ps, err
		}
		p += g
		ps = append(ps, p)
	}
	r.posAt = j + 1
	return ps, nil
}

// seekPositions moves to the positions of the block's document j, reading
// the term's positions at their first use, and returns how many it has.
func (r *substrReader) seekPositions(j int) (int, error) {
	if r.posBlk != r.blk || j < r.posAt {
		if r.allPos == nil {
			r.allPos = make([]byte, r.t.posBytes)
			if _, err := r.f.f.ReadAt(r.allPos, int64(r.t.off+r.t.skipBytes()+r.t.docBytes)); err != nil {
				return 0, fmt.Errorf("%s %q: %w", r.f.name, r.term, err)
			}
		}
		_, _, p0, p1, _ := r.bounds(r.blk)
		if p1 < p0 || p1 > uint64(len(r.allPos)) {
			return 0, r.damaged()
		}
		r.pos = r.allPos[p0:p1]
		r.posBlk, r.posAt, r.posCur = r.blk, 0, 0
	}
	for ; r.posAt < j; r.posAt++ {
		for range r.freqs[r.posAt] {
			_, m := binary.Uvarint(r.pos[r.posCur:])
			if m <= 0 {
				return 0, r.damaged()
			}
			r.posCur += m
		}
	}
	n := int(r.freqs[j])
	if n > len(r.pos)-r.posCur {
		return 0, r.damaged() // a position takes a byte at least
	}
	return n, nil
}

// nextPosition reads the gap to the next position.
func (r *substrReader) nextPosition() (uint64, error) {
	g, m := binary.Uvarint(r.pos[r.posCur:])
	if m <= 0 || g == 0 {
		return 0, r.damaged()
	}
	r.posCur += m
	return g, nil
}

func (r *substrReader) Count() uint64 { return r.t.docs }

func (r *substrReader) Close() error { return nil }

func (r *substrReader) Size() int {
	return 200 + cap(r.data) + cap(r.allPos) + 4*(cap(r.docs)+cap(r.freqs)+cap(r.skips))
}
