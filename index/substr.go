package index

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"sync"

	"github.com/corpus-dev/corpus/corpus"
)

// The substring index (substr.bin) holds the postings of the Han bigrams
// (zh2) of the Chinese side, and of the Han characters (zh1) that end a
// run of them, which Chinese substring search reads (hanSubstring). A
// character is every bigram it begins and every run it ends: its postings
// are read as the union of those (substrchar.go), so that the index holds
// each character once, not once as itself and again in a bigram (zh1 was
// a quarter of the index at a million passages). Version 1 of the file
// ("corpusS1", formats 9 and 10) held every character in zh1; it is still
// read. They were bleve fields, and half of the
// index: zap writes a frequency and a float32 norm (5 bytes as a varint)
// with every posting, and five varints with every position. Here a
// posting is its document's distance from the previous one and its
// frequency, in one varint when the frequency is 1; a position its
// distance from the previous one; a document's length (for the norm) is
// kept once per field. Postings come in blocks of substrBlock documents
// with a skip entry each, so that a phrase's rarest bigram leads and the
// others skip to its passages without decoding what lies between.
//
// Readers serve these postings through bleve's TermFieldReader (see
// substrread.go), so term and phrase searchers score them as they scored
// bleve's: the same frequencies, norms and document counts, the same
// floating-point scores.
//
// Layout (all integers little-endian):
//
//	magic "corpusS2"
//	per field: lengths: one per document, lensWidth bytes each (zh1's
//	             counts every character, not only those it holds)
//	           postings of each term in key order:
//	             skips (only with more than one block): per block, its
//	               last document, the end of its documents and of its
//	               positions, relative to where each part starts (3×uint32)
//	             documents: per document uvarint(gap<<1 | freq==1), then
//	               uvarint(freq) unless 1; gap = doc - previous - 1, the
//	               first against -1
//	             positions (zh2): per document, its freq positions as
//	               uvarint gaps, the first from 0
//	           dictionary blocks: per term, uvarint(key - previous key,
//	             the first against the block's first), uvarint(documents),
//	             uvarint(document bytes), uvarint(position bytes)
//	           block index: per block of substrDictBlock terms, its first
//	             key, offset and the offset of its first term's postings
//	             (3×uint64)
//	footer: documents (uint32), per field: lengths offset (uint64),
//	        lensWidth (uint32), block index offset (uint64), blocks
//	        (uint32), terms (uint32); then the magic
//
// A term's key is its characters as code points, the first in the high 32
// bits: a character of zh1 has a second of 0.
const (
	substrFile      = "substr.bin"
	substrMagic     = "corpusS2"
	substrMagicV1   = "corpusS1"
	substrBlock     = 128
	substrDictBlock = 64
)

var errSubstr = errors.New("substring index damaged")

// substrFields are the fields of the substring index, in file order: the
// n of each is its tokens' length in characters.
var substrFields = [2]struct {
	name string
	n    int
}{{fieldZH1, 1}, {fieldZH2, 2}}

// hanKeys calls f with the key and position (from 1, as bleve counts) of
// each n-gram of Han characters in text, folded (hanTokenizer), and returns
// how many there were: the field's length, for the norm.
func hanKeys(text string, n int, f func(key uint64, pos uint32)) int {
	runes := []rune(corpus.Fold(text))
	count := 0
	for i := 0; i+n <= len(runes); i++ {
		if !isHan(runes[i]) || (n == 2 && !isHan(runes[i+1])) {
			continue
		}
		f(hanKey(runes[i:i+n]), uint32(i+1))
		count++
	}
	return count
}

// hanEnds calls f with the key and position of each Han character in text,
// folded, that ends a run of them (no Han character follows it): the
// characters zh1 holds since version 2, each of the others being the first
// of a bigram. It returns the number of all Han characters, zh1's length.
func hanEnds(text string, f func(key uint64, pos uint32)) int {
	runes := []rune(corpus.Fold(text))
	count := 0
	for i, r := range runes {
		if !isHan(r) {
			continue
		}
		count++
		if i+1 == len(runes) || !isHan(runes[i+1]) {
			f(hanKey(runes[i:i+1]), uint32(i+1))
		}
	}
	return count
}

// hanKey is the key of one or two characters.
func hanKey(rs []rune) uint64 {
	key := uint64(rs[0]) << 32
	if len(rs) == 2 {
		key |= uint64(rs[1])
	}
	return key
}

// keyTerm is the term of a key.
func keyTerm(key uint64) string {
	if second := rune(key & 0xffffffff); second != 0 {
		return string([]rune{rune(key >> 32), second})
	}
	return string(rune(key >> 32))
}

// substrKey returns the key of term, a token of the field with n
// characters, and whether it is one.
func substrKey(term string, n int) (uint64, bool) {
	rs := []rune(term)
	if len(rs) != n {
		return 0, false
	}
	return hanKey(rs), true
}

// substrPostings are one term's postings as they are written.
type substrPostings struct {
	n     uint32
	last  int64 // the last document, -1 before the first
	docs  []byte
	pos   []byte
	skips []uint32 // per full block: last document, docs end, pos end

	// in the document being added: the term's frequency and positions
	freq uint32
	at   []uint32
}

// postingsWriter collects the postings of one field, document by document
// in increasing order, by key: a Han key (uint64) in the substring index,
// a word in the word index.
type postingsWriter[K cmp.Ordered] struct {
	positions bool
	terms     map[K]*substrPostings
	lens      []uint32
	// the terms of the document being added, in the order first seen
	touched []*substrPostings
}

func newPostingsWriter[K cmp.Ordered](positions bool) *postingsWriter[K] {
	return &postingsWriter[K]{positions: positions, terms: map[K]*substrPostings{}}
}

// add indexes document d, which follows every document added before:
// tokens calls its argument with each token's key and position, in token
// order, and returns their number, the field's length. A token costs one
// lookup of its term, which keeps what the document has of it until the
// document's postings are written: a map of the document's own terms
// besides was a third of the substring index's build.
func (w *postingsWriter[K]) add(d uint32, tokens func(func(key K, pos uint32)) int) {
	w.touched = w.touched[:0]
	length := tokens(func(key K, pos uint32) {
		t := w.terms[key]
		if t == nil {
			t = &substrPostings{last: -1}
			w.terms[key] = t
		}
		if t.freq == 0 {
			w.touched = append(w.touched, t)
			t.at = t.at[:0]
		}
		t.freq++
		if w.positions {
			t.at = append(t.at, pos)
		}
	})
	w.lens = append(w.lens, uint32(length))
	for _, t := range w.touched {
		gap := uint64(int64(d) - t.last - 1)
		if t.freq == 1 {
			t.docs = binary.AppendUvarint(t.docs, gap<<1|1)
		} else {
			t.docs = binary.AppendUvarint(t.docs, gap<<1)
			t.docs = binary.AppendUvarint(t.docs, uint64(t.freq))
		}
		prev := uint32(0)
		for _, p := range t.at {
			t.pos = binary.AppendUvarint(t.pos, uint64(p-prev))
			prev = p
		}
		t.freq = 0
		t.last = int64(d)
		t.n++
		if t.n%substrBlock == 0 {
			t.skips = append(t.skips, d, uint32(len(t.docs)), uint32(len(t.pos)))
		}
	}
}

// substrWriter collects the postings of one field of the substring index.
type substrWriter struct {
	n    int
	ends bool // zh1 of version 2: only the characters that end a run
	*postingsWriter[uint64]
}

func newSubstrWriter(n int, ends bool) *substrWriter {
	return &substrWriter{n: n, ends: ends && n == 1, postingsWriter: newPostingsWriter[uint64](n == 2)}
}

// add indexes text as document d, which follows every document added
// before.
func (w *substrWriter) add(d uint32, text string) {
	if w.ends {
		w.postingsWriter.add(d, func(f func(uint64, uint32)) int { return hanEnds(text, f) })
		return
	}
	w.postingsWriter.add(d, func(f func(uint64, uint32)) int { return hanKeys(text, w.n, f) })
}

// substrFieldInfo is what the footer says of a field.
type substrFieldInfo struct {
	lensOff   uint64
	lensWidth uint32
	indexOff  uint64
	indexLen  uint64
	blocks    uint32
	terms     uint32
}

// countingWriter counts the bytes written through it. Its writes' errors
// may be ignored: bufio keeps the first, and the last write or Flush
// returns it.
type countingWriter struct {
	w *bufio.Writer
	n uint64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}

// writePostings writes the field's lengths and postings, and returns the
// keys in order with where each key's postings begin.
func (w *postingsWriter[K]) writePostings(out *countingWriter) (info substrFieldInfo, keys []K, postOff []uint64) {
	info = substrFieldInfo{lensOff: out.n, lensWidth: 1}
	for _, l := range w.lens {
		for l >= 1<<(8*info.lensWidth) && info.lensWidth < 4 {
			info.lensWidth *= 2
		}
	}
	var b [8]byte
	for _, l := range w.lens {
		binary.LittleEndian.PutUint32(b[:], l)
		out.Write(b[:info.lensWidth])
	}
	keys = make([]K, 0, len(w.terms))
	for k := range w.terms {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// Postings first, in key order; the dictionary and its index follow.
	postOff = make([]uint64, len(keys))
	for i, k := range keys {
		t := w.terms[k]
		postOff[i] = out.n
		if t.n > substrBlock {
			if t.n%substrBlock != 0 {
				t.skips = append(t.skips, uint32(t.last), uint32(len(t.docs)), uint32(len(t.pos)))
			}
			for _, s := range t.skips {
				binary.LittleEndian.PutUint32(b[:], s)
				out.Write(b[:4])
			}
		}
		out.Write(t.docs)
		out.Write(t.pos)
	}
	return info, keys, postOff
}

// writeSubstr writes the substring index of the Chinese texts of ps, ps[d]
// being the passage of internal document d, to path. The fields are
// collected side by side (a core each) and written one after the other.
func writeSubstr(ctx context.Context, path string, ps []*corpus.Passage) error {
	return writeSubstrFormat(ctx, path, ps, substrFormat)
}

// writeSubstrFormat is writeSubstr in either version's format (tests write
// version 1 to check that it is still read).
func writeSubstrFormat(ctx context.Context, path string, ps []*corpus.Passage, format storeFormat) error {
	var ws [len(substrFields)]*substrWriter
	var wg sync.WaitGroup
	for i, fld := range substrFields {
		ws[i] = newSubstrWriter(fld.n, format.magic != substrMagicV1)
		wg.Go(func() {
			for d, p := range ps {
				if d%4096 == 0 && ctx.Err() != nil {
					return
				}
				ws[i].add(uint32(d), searchText(p, corpus.Chinese))
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return writePostingsFile(path, format, len(ps), func(i int, out *countingWriter) (substrFieldInfo, error) {
		return ws[i].write(out,
			binary.LittleEndian.AppendUint64,
			func(block []byte, prev, k uint64, _ bool) []byte { return binary.AppendUvarint(block, k-prev) })
	})
}
