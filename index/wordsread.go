package index

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"unicode/utf8"

	bindex "github.com/blevesearch/bleve_index_api"
)

// openWords opens the word index at path of a generation of n passages
// and reads its footer and block indexes. Its fields are read as the
// substring index's are; only their dictionaries are of words.
func openWords(path string, n int) (*substrStore, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := readWords(f, n)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

func readWords(f *os.File, n int) (*substrStore, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := uint64(fi.Size())
	if size < uint64(len(wordsMagic)+wordsFooter) {
		return nil, fmt.Errorf("%w: %d bytes", errWords, size)
	}
	head := make([]byte, len(wordsMagic))
	foot := make([]byte, wordsFooter)
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("read head: %w", err)
	}
	if _, err := f.ReadAt(foot, int64(size)-int64(wordsFooter)); err != nil {
		return nil, fmt.Errorf("read footer: %w", err)
	}
	if string(head) != wordsMagic || string(foot[wordsFooter-len(wordsMagic):]) != wordsMagic {
		return nil, fmt.Errorf("%w: bad magic", errWords)
	}
	st := &substrStore{f: f, n: binary.LittleEndian.Uint32(foot)}
	if int(st.n) != n {
		return nil, fmt.Errorf("%w: %d documents, the index has %d", errWords, st.n, n)
	}
	at := uint64(len(wordsMagic))
	bodyEnd := size - uint64(wordsFooter)
	for i, def := range wordFields {
		b := foot[4+i*wordsFieldFoot:]
		fld := &substrField{
			f: f, name: def.name, words: true, positions: def.positions, docs: st.n, damage: errWords,
			lensOff:   binary.LittleEndian.Uint64(b),
			lensWidth: int(binary.LittleEndian.Uint32(b[8:])),
			dictEnd:   binary.LittleEndian.Uint64(b[12:]),
		}
		indexLen := binary.LittleEndian.Uint64(b[20:])
		blocks := uint64(binary.LittleEndian.Uint32(b[28:]))
		terms := uint64(binary.LittleEndian.Uint32(b[32:]))
		// Room left, not sums, so that damaged sizes cannot wrap around.
		if fld.lensOff != at || (fld.lensWidth != 1 && fld.lensWidth != 2 && fld.lensWidth != 4) ||
			fld.dictEnd > bodyEnd || fld.dictEnd < fld.lensOff || uint64(st.n)*uint64(fld.lensWidth) > fld.dictEnd-fld.lensOff ||
			indexLen > bodyEnd-fld.dictEnd || blocks > indexLen/17 || blocks != (terms+substrDictBlock-1)/substrDictBlock {
			return nil, fmt.Errorf("%w: field %s: bad footer", errWords, fld.name)
		}
		raw := make([]byte, indexLen)
		if _, err := f.ReadAt(raw, int64(fld.dictEnd)); err != nil {
			return nil, fmt.Errorf("read block index of %s: %w", fld.name, err)
		}
		fld.indexLen = indexLen
		if err := fld.readWordIndex(raw, blocks); err != nil {
			return nil, err
		}
		st.fields = append(st.fields, fld)
		at = fld.dictEnd + indexLen
	}
	if at != bodyEnd {
		return nil, fmt.Errorf("%w: %d bytes unaccounted for", errWords, bodyEnd-at)
	}
	return st, nil
}

// readWordIndex reads the field's block index, raw, of blocks entries.
func (fld *substrField) readWordIndex(raw []byte, blocks uint64) error {
	bad := fmt.Errorf("%w: field %s: bad block index", errWords, fld.name)
	fld.postEnd = fld.dictEnd
	prev := substrIndexEntry{off: fld.lensOff + uint64(fld.docs)*uint64(fld.lensWidth)}
	prev.post = prev.off
	at := 0
	for k := range blocks {
		l, m := binary.Uvarint(raw[at:])
		// Only the first block may begin with the empty word, which sorts
		// first.
		if m <= 0 || (l == 0 && k > 0) || l > uint64(len(raw)-at-m) || uint64(len(raw)-at-m)-l < 16 {
			return bad
		}
		at += m
		e := substrIndexEntry{word: string(raw[at : at+int(l)])}
		at += int(l)
		e.off = binary.LittleEndian.Uint64(raw[at:])
		e.post = binary.LittleEndian.Uint64(raw[at+8:])
		at += 16
		if k == 0 {
			fld.postEnd = e.off
		}
		if e.post < prev.post || e.off < prev.off || e.off > fld.dictEnd || e.post > fld.postEnd || (k > 0 && e.word <= prev.word) {
			return bad
		}
		fld.index = append(fld.index, e)
		prev = e
	}
	if at != len(raw) {
		return bad
	}
	return nil
}

// eachWord calls fn with the terms of block k of the field's dictionary,
// in order, until fn returns false. The term is valid only during the
// call.
func (f *substrField) eachWord(k int, fn func(term []byte, t substrTerm) bool) error {
	dict, err := f.dictionary()
	if err != nil {
		return err
	}
	e := f.index[k]
	end := f.dictEnd
	if k+1 < len(f.index) {
		end = f.index[k+1].off
	}
	block := dict[e.off-f.postEnd : end-f.postEnd]
	bad := func() error { return fmt.Errorf("%w: %s dictionary at %d", errWords, f.name, e.off) }
	t := substrTerm{off: e.post}
	var term []byte
	for at := 0; at < len(block); {
		var v [2]uint64
		for i := range v {
			x, m := binary.Uvarint(block[at:])
			if m <= 0 {
				return bad()
			}
			v[i], at = x, at+m
		}
		shared, rest := v[0], v[1]
		if shared > uint64(len(term)) || rest > uint64(len(block)-at) {
			return bad()
		}
		term = append(term[:shared], block[at:at+int(rest)]...)
		at += int(rest)
		var s [3]uint64
		for i := range s {
			x, m := binary.Uvarint(block[at:])
			if m <= 0 {
				return bad()
			}
			s[i], at = x, at+m
		}
		t.docs, t.docBytes, t.posBytes = s[0], s[1], s[2]
		if !f.fits(t) {
			return bad()
		}
		if !fn(term, t) {
			return nil
		}
		t.off += t.skipBytes() + t.docBytes + t.posBytes
	}
	return nil
}

// lookupWord returns the dictionary entry of term, and whether there is
// one.
func (f *substrField) lookupWord(term string) (substrTerm, bool, error) {
	k := sort.Search(len(f.index), func(i int) bool { return f.index[i].word > term }) - 1
	if k < 0 {
		return substrTerm{}, false, nil
	}
	var out substrTerm
	found := false
	want := []byte(term)
	err := f.eachWord(k, func(w []byte, t substrTerm) bool {
		switch c := bytes.Compare(w, want); {
		case c == 0:
			out, found = t, true
			return false
		case c > 0:
			return false
		}
		return true
	})
	return out, found, err
}

// wordDict is a walk of a word field's dictionary in term order, from a
// term on, while the terms begin with a prefix: bleve's FieldDict, read a
// block at a time.
type wordDict struct {
	f            *substrField
	from, prefix []byte
	blk          int
	ents         []bindex.DictEntry
	next         int
	done         bool
}

// prefixDict returns the walk of the field's terms beginning with prefix.
func (f *substrField) prefixDict(prefix string) *wordDict {
	k := sort.Search(len(f.index), func(i int) bool { return f.index[i].word > prefix }) - 1
	return &wordDict{f: f, from: []byte(prefix), prefix: []byte(prefix), blk: max(k, 0)}
}

func (d *wordDict) Next() (*bindex.DictEntry, error) {
	for d.next >= len(d.ents) {
		if d.done || d.blk >= len(d.f.index) {
			return nil, nil
		}
		d.ents, d.next = d.ents[:0], 0
		err := d.f.eachWord(d.blk, func(term []byte, t substrTerm) bool {
			if bytes.Compare(term, d.from) < 0 {
				return true
			}
			if !bytes.HasPrefix(term, d.prefix) {
				d.done = true
				return false
			}
			d.ents = append(d.ents, bindex.DictEntry{Term: string(term), Count: t.docs})
			return true
		})
		d.blk++
		if err != nil {
			d.done = true
			return nil, err
		}
	}
	d.next++
	return &d.ents[d.next-1], nil
}

func (d *wordDict) Close() error      { return nil }
func (d *wordDict) Cardinality() int  { return 0 }
func (d *wordDict) BytesRead() uint64 { return 0 }

// fuzzy returns the terms of the field within fuzziness edits of term that
// begin with prefix, with their distances, as bleve's Levenshtein automata
// count them: in runes, a swap of two neighbours one edit. It walks the
// whole dictionary, which the did-you-mean of a word no passage has reads
// once.
func (f *substrField) fuzzy(term string, fuzziness int, prefix string) (*wordDict, error) {
	n := utf8.RuneCountInString(term)
	out := &wordDict{f: f, done: true}
	pre := []byte(prefix)
	k := sort.Search(len(f.index), func(i int) bool { return f.index[i].word > prefix }) - 1
	for k = max(k, 0); k < len(f.index); k++ {
		past := false
		err := f.eachWord(k, func(w []byte, t substrTerm) bool {
			if !bytes.HasPrefix(w, pre) {
				past = bytes.Compare(w, pre) > 0
				return !past
			}
			// Most words are too long or too short to be near.
			if abs(utf8.RuneCount(w)-n) > fuzziness {
				return true
			}
			if dist := swapDistance(term, string(w)); dist <= fuzziness {
				out.ents = append(out.ents, bindex.DictEntry{Term: string(w), Count: t.docs, EditDistance: uint8(dist)})
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		if past {
			break
		}
	}
	return out, nil
}

// swapDistance is the edit distance of a and b in runes where a swap of two
// neighbouring runes is one edit, and no run is edited twice (the optimal
// string alignment distance).
func swapDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
