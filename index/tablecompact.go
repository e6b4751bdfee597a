package index

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
)

// The compact form of a column, for columns where few documents have more
// than one value (the company, speaker and year facets, the document and
// section scopes): one 16-bit entry per document instead of an offset of
// 32 bits and the values after it. At a million passages a facet column
// takes 2 MB instead of about 5, which a cold start's first search pays
// for in fresh memory, and counting a match's facets reads one entry per
// column instead of two offsets and a slice.

const (
	// multiValued marks, in one, a document with more than one value.
	multiValued = math.MaxUint16
	// compactNames bounds the names a compact column can have: entries
	// are 1 + a value's index.
	compactNames = multiValued - 1
)

// compact is the compact form: one[d] is 0 for a document without a
// value, 1+v for the one value v (up to names), names+1+k for the k-th of
// the sets of several values documents have (setVal[setOff[k]:setOff[k+1]]),
// or, when there were more sets than entries can name, multiValued: the
// values of those documents, ascending in mdocs, are mval[moff[i]:moff[i+1]],
// and mblock[b] is the first of them at or after document 64·b (a
// document with several companies is found in a few steps, not by a
// search of them all).
type compact struct {
	one    []uint16
	names  int
	setOff []uint32
	setVal []uint32
	mdocs  []uint32
	moff   []uint32
	mval   []uint32
	mblock []uint32
	// ident holds every value once, so that of can return one value as a
	// slice without allocating.
	ident []uint32
	// bins holds tally.addAll's bins between searches, all of one size
	// for the column: a search of a common word at 1M counted the
	// document column's 10,000 names in 160 KB of bins, which a fresh
	// allocation per search paid for in zeroed memory.
	bins sync.Pool
}

// getBins returns zeroed bins for tally.addAll: four per value and its
// absence, one per set of values.
func (c *compact) getBins() *[]int32 {
	n := 4*(c.names+1) + max(len(c.setOff)-1, 0)
	if p, ok := c.bins.Get().(*[]int32); ok && len(*p) == n {
		clear(*p)
		return p
	}
	b := make([]int32, n)
	return &b
}

func (c *compact) of(d uint64) []uint32 {
	if d >= uint64(len(c.one)) {
		return nil
	}
	switch v := int(c.one[d]); {
	case v == 0:
		return nil
	case v <= c.names:
		return c.ident[v-1 : v]
	case v != multiValued:
		k := v - c.names - 1
		return c.setVal[c.setOff[k]:c.setOff[k+1]]
	default:
		i := c.mblock[d/64]
		for c.mdocs[i] < uint32(d) {
			i++
		}
		return c.mval[c.moff[i]:c.moff[i+1]]
	}
}

// intern gives each distinct set of values of the documents with several
// its own entry, so that one[d] names a document's set and counting it
// costs what a document with one value costs, not a walk of mdocs (the
// company facet's counts took a third of a search for 华为 at 1M). A
// column with more sets than its entries can name keeps mdocs.
func (c *compact) intern() {
	if len(c.mdocs) == 0 {
		return
	}
	free := compactNames - c.names
	// Sets are found by a 64-bit hash of their values; two sets with the
	// same hash (about one chance in 10^10 at 1M passages) leave the
	// column as it was rather than merge.
	ids := make(map[uint64]int, min(len(c.mdocs), free))
	setOff, setVal := []uint32{0}, []uint32(nil)
	one := make([]uint16, 0, len(c.mdocs)) // the new entries, by document in mdocs
	for i := range c.mdocs {
		vs := c.mval[c.moff[i]:c.moff[i+1]]
		h := uint64(len(vs))
		for _, v := range vs {
			h = (h ^ uint64(v)) * 0x9e3779b97f4a7c15
			h ^= h >> 29
		}
		k, ok := ids[h]
		if !ok {
			if len(ids) >= free {
				return
			}
			k = len(ids)
			ids[h] = k
			setVal = append(setVal, vs...)
			setOff = append(setOff, uint32(len(setVal)))
		} else if !slices.Equal(vs, setVal[setOff[k]:setOff[k+1]]) {
			return
		}
		one = append(one, uint16(c.names+1+k))
	}
	for i, d := range c.mdocs {
		c.one[d] = one[i]
	}
	c.setOff, c.setVal = setOff, setVal
	c.mdocs, c.moff, c.mval, c.mblock = nil, nil, nil, nil
}

// packedReader reads the integers of a packed array one after the other,
// without holding them all: it unpacks them a block at a time.
type packedReader struct {
	r            *bufio.Reader
	n, i         uint64 // integers in the array, and unpacked so far
	width        uint
	deltas       bool
	word         uint64
	bits         uint // bits of word not yet read
	sum          uint64
	buf          []uint32
	at           int // next of buf to return
	err          error
	path, column string
}

func newPackedReader(src *columnSource, a packedAt) *packedReader {
	r := io.NewSectionReader(src.f, a.at, math.MaxInt64-a.at)
	return readPacked(bufio.NewReaderSize(r, 256<<10), a.n, src.path, src.field)
}

// readPacked reads the header of the packed array r is at, which must hold
// n integers, and returns a reader of its integers; errors name path and
// column.
func readPacked(r *bufio.Reader, n uint64, path, column string) *packedReader {
	p := &packedReader{r: r, path: path, column: column}
	var head [6]byte
	if _, err := io.ReadFull(p.r, head[:]); err != nil {
		p.fail()
		return p
	}
	p.n = uint64(binary.LittleEndian.Uint32(head[:4]))
	kind, width := head[4], uint(head[5])
	if p.n != n || kind > packedDeltas || width > 32 || n > maxTableBytes/4 {
		p.fail()
	}
	p.width, p.deltas = width, kind == packedDeltas
	return p
}

// bytes is how many bytes p's array takes in its file, header included.
func (p *packedReader) bytes() int64 {
	return 6 + int64((p.n*uint64(p.width)+63)/64*8)
}

func (p *packedReader) fail() {
	if p.err == nil {
		p.err = fmt.Errorf("%s: %w: column %s", p.path, errTableFormat, p.column)
	}
}

// next returns the next integer, as it was before packing; past the end,
// or after damage, 0 with p.err set.
func (p *packedReader) next() uint32 {
	if p.at < len(p.buf) {
		v := p.buf[p.at]
		p.at++
		return v
	}
	p.unpack()
	if len(p.buf) == 0 {
		p.fail()
		return 0
	}
	p.at = 1
	return p.buf[0]
}

// unpack fills buf with the next block of integers.
func (p *packedReader) unpack() {
	k := int(min(p.n-p.i, 4096))
	if p.err != nil {
		k = 0
	}
	if cap(p.buf) < k {
		p.buf = make([]uint32, 4096)
	}
	p.buf = p.buf[:k]
	p.i += uint64(k)
	mask := uint64(1)<<p.width - 1
	for j := range p.buf {
		var v uint64
		if p.width > 0 {
			if p.bits == 0 {
				p.word, p.bits = p.read(), 64
			}
			v = p.word & mask
			if p.bits >= p.width {
				p.word >>= p.width
				p.bits -= p.width
			} else {
				// The value continues in the next word.
				got := p.bits
				p.word, p.bits = p.read(), 64
				v |= (p.word & (1<<(p.width-got) - 1)) << got
				p.word >>= p.width - got
				p.bits -= p.width - got
			}
		}
		if p.deltas {
			p.sum += v
			v = p.sum
		}
		p.buf[j] = uint32(v)
	}
	if p.deltas && p.sum > math.MaxUint32 {
		p.fail()
	}
}

func (p *packedReader) read() uint64 {
	var b [8]byte
	if _, err := io.ReadFull(p.r, b[:]); err != nil {
		p.fail()
	}
	return binary.LittleEndian.Uint64(b[:])
}

// unpackCompact reads src's column of n documents into the compact form,
// and reports false (with no error) when the column suits it badly: more
// names than its entries hold, or more than one document in eight with
// several values (the languages of bilingual passages).
func unpackCompact(src *columnSource, names int, n uint64) (*compact, bool, error) {
	if names > compactNames {
		return nil, false, nil
	}
	c := &compact{one: make([]uint16, n), names: names, ident: make([]uint32, names)}
	for i := range c.ident {
		c.ident[i] = uint32(i)
	}
	offs, vals := newPackedReader(src, src.off), newPackedReader(src, src.val)
	prev := offs.next()
	if prev != 0 {
		offs.fail()
	}
	for d := range n {
		if d%64 == 0 {
			c.mblock = append(c.mblock, uint32(len(c.mdocs)))
		}
		at := offs.next()
		if at < prev || uint64(at) > src.val.n {
			offs.fail()
			break
		}
		k := at - prev
		prev = at
		if k > 1 {
			if uint64(len(c.mdocs)) >= n/8 {
				return nil, false, nil
			}
			c.mdocs = append(c.mdocs, uint32(d))
			c.moff = append(c.moff, uint32(len(c.mval)))
		}
		for range k {
			v := vals.next()
			if int(v) >= names {
				vals.fail()
			}
			if k == 1 {
				c.one[d] = uint16(v + 1)
			} else {
				c.one[d] = multiValued
				c.mval = append(c.mval, v)
			}
		}
	}
	c.moff = append(c.moff, uint32(len(c.mval)))
	if err := cmpErr(offs.err, vals.err); err != nil {
		return nil, false, err
	}
	if uint64(prev) != src.val.n {
		return nil, false, fmt.Errorf("%s: %w: column %s has %d values, its offsets %d", src.path, errTableFormat, src.field, src.val.n, prev)
	}
	c.intern()
	return c, true, nil
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// general returns c's values as offsets and values, whatever its form:
// what the table file's writer and tests read.
func (c *column) general() (off, val []uint32) {
	if c.compact == nil {
		return c.off, c.val
	}
	n := uint64(len(c.compact.one))
	off = make([]uint32, 0, n+1)
	off = append(off, 0)
	for d := range n {
		val = append(val, c.of(d)...)
		off = append(off, uint32(len(val)))
	}
	return off, val
}
