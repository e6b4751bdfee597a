package index

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"os"
	"sort"
)

// The substring index (substr.go) and the word index (words.go) are one
// file format with two kinds of dictionary: Han keys, or words. This file
// holds what they share: the reading and writing of the file, its footer
// and block indexes, and the walk of a dictionary block.

// storeFormat is what differs between the two indexes' files.
type storeFormat struct {
	magic  string
	damage error // what damage found in the file wraps
	// words: a dictionary of front-coded words, whose block index
	// entries begin with the block's first word and whose footer gives
	// the block index's length; else of Han keys (uint64), 24 bytes an
	// entry.
	words  bool
	fields []storeFieldDef
}

// storeFieldDef is a field of a store, in file order.
type storeFieldDef struct {
	name      string
	chars     int // a Han key's characters (the substring index)
	positions bool
}

var substrFormat = storeFormat{magic: substrMagic, damage: errSubstr, fields: func() []storeFieldDef {
	var fs []storeFieldDef
	for _, f := range substrFields {
		fs = append(fs, storeFieldDef{name: f.name, chars: f.n, positions: f.n == 2})
	}
	return fs
}()}

// substrFormatV1 is the substring index's first version, whose zh1 holds
// every character: the same layout under another magic.
var substrFormatV1 = func() storeFormat {
	f := substrFormat
	f.magic = substrMagicV1
	return f
}()

var wordsFormat = storeFormat{magic: wordsMagic, damage: errWords, words: true, fields: func() []storeFieldDef {
	var fs []storeFieldDef
	for _, f := range wordFields {
		fs = append(fs, storeFieldDef{name: f.name, positions: f.positions})
	}
	return fs
}()}

// fieldFoot is the length of a field's part of the footer: lengths offset
// (uint64), lensWidth (uint32), block index offset (uint64), with words
// the block index's length (uint64), blocks and terms (uint32 each).
func (s storeFormat) fieldFoot() int {
	if s.words {
		return 8 + 4 + 8 + 8 + 4 + 4
	}
	return 8 + 4 + 8 + 4 + 4
}

// footer is the length of the footer: the documents (uint32), the fields'
// parts, the magic.
func (s storeFormat) footer() int { return 4 + len(s.fields)*s.fieldFoot() + len(s.magic) }

// openPostings opens the store at path, of a generation of n passages,
// written in format, and reads its footer and block indexes.
func openPostings(path string, n int, format storeFormat) (*substrStore, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := readPostings(f, n, format)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

func openSubstr(path string, n int) (*substrStore, error) { return openPostings(path, n, substrFormat) }
func openWords(path string, n int) (*substrStore, error)  { return openPostings(path, n, wordsFormat) }

func readPostings(f *os.File, n int, format storeFormat) (*substrStore, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := uint64(fi.Size())
	if size < uint64(len(format.magic)+format.footer()) {
		return nil, fmt.Errorf("%w: %d bytes", format.damage, size)
	}
	head := make([]byte, len(format.magic))
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("read head: %w", err)
	}
	if format.magic == substrMagic && string(head) == substrMagicV1 {
		format = substrFormatV1
	}
	foot := make([]byte, format.footer())
	if _, err := f.ReadAt(foot, int64(size)-int64(len(foot))); err != nil {
		return nil, fmt.Errorf("read footer: %w", err)
	}
	if string(head) != format.magic || string(foot[len(foot)-len(format.magic):]) != format.magic {
		return nil, fmt.Errorf("%w: bad magic", format.damage)
	}
	st := &substrStore{f: f, n: binary.LittleEndian.Uint32(foot)}
	if int(st.n) != n {
		return nil, fmt.Errorf("%w: %d documents, the index has %d", format.damage, st.n, n)
	}
	at := uint64(len(format.magic))
	bodyEnd := size - uint64(len(foot))
	for i, def := range format.fields {
		fld, err := readField(f, st.n, format, def, foot[4+i*format.fieldFoot():], at, bodyEnd)
		if err != nil {
			return nil, err
		}
		st.fields = append(st.fields, fld)
		at = fld.dictEnd + fld.indexLen
	}
	if at != bodyEnd {
		return nil, fmt.Errorf("%w: %d bytes unaccounted for", format.damage, bodyEnd-at)
	}
	if format.magic == substrMagic {
		// zh1 holds the run ends; zh2's bigrams the rest of each
		// character (substrchar.go).
		st.fields[0].follow = st.fields[1]
	}
	return st, nil
}

// readField reads the field def of a store of n documents: its part of the
// footer, b, and its block index. Its lengths begin at at; the fields and
// their block indexes end at bodyEnd.
func readField(f *os.File, n uint32, format storeFormat, def storeFieldDef, b []byte, at, bodyEnd uint64) (*substrField, error) {
	fld := &substrField{
		f: f, name: def.name, chars: def.chars, words: format.words, positions: def.positions, docs: n, damage: format.damage,
		lensOff:   binary.LittleEndian.Uint64(b),
		lensWidth: int(binary.LittleEndian.Uint32(b[8:])),
		dictEnd:   binary.LittleEndian.Uint64(b[12:]),
	}
	b = b[20:]
	if format.words {
		fld.indexLen, b = binary.LittleEndian.Uint64(b), b[8:]
	}
	blocks := uint64(binary.LittleEndian.Uint32(b))
	terms := uint64(binary.LittleEndian.Uint32(b[4:]))
	// Room left, not sums, so that damaged sizes cannot wrap around. An
	// entry of the block index takes 24 bytes (a key, two offsets), or 17
	// at least (a word's length and a byte, two offsets).
	bad := fmt.Errorf("%w: field %s: bad footer", format.damage, fld.name)
	if fld.lensOff != at || (fld.lensWidth != 1 && fld.lensWidth != 2 && fld.lensWidth != 4) ||
		fld.dictEnd > bodyEnd || fld.dictEnd < fld.lensOff || uint64(n)*uint64(fld.lensWidth) > fld.dictEnd-fld.lensOff ||
		blocks != (terms+substrDictBlock-1)/substrDictBlock {
		return nil, bad
	}
	if !format.words {
		if blocks > (bodyEnd-fld.dictEnd)/24 {
			return nil, bad
		}
		fld.indexLen = 24 * blocks
	}
	if fld.indexLen > bodyEnd-fld.dictEnd || blocks > fld.indexLen/17 {
		return nil, bad
	}
	fld.terms = int(terms)
	raw := make([]byte, fld.indexLen)
	if _, err := f.ReadAt(raw, int64(fld.dictEnd)); err != nil {
		return nil, fmt.Errorf("read block index of %s: %w", fld.name, err)
	}
	if err := fld.readIndex(raw, blocks); err != nil {
		return nil, err
	}
	return fld, nil
}

// readIndex reads the field's block index, raw, of blocks entries: per
// block its first key (a Han key, or a word with its length), its offset
// and that of its first term's postings.
func (fld *substrField) readIndex(raw []byte, blocks uint64) error {
	bad := fmt.Errorf("%w: field %s: bad block index", fld.damage, fld.name)
	fld.postEnd = fld.dictEnd
	prev := substrIndexEntry{off: fld.lensOff + uint64(fld.docs)*uint64(fld.lensWidth)}
	prev.post = prev.off
	at := 0
	for k := range blocks {
		var e substrIndexEntry
		if fld.words {
			l, m := binary.Uvarint(raw[at:])
			// Only the first block may begin with the empty word,
			// which sorts first.
			if m <= 0 || (l == 0 && k > 0) || l > uint64(len(raw)-at-m) {
				return bad
			}
			at += m
			e.word, at = string(raw[at:at+int(l)]), at+int(l)
		} else {
			e.first, at = binary.LittleEndian.Uint64(raw[at:]), at+8
		}
		if len(raw)-at < 16 {
			return bad
		}
		e.off = binary.LittleEndian.Uint64(raw[at:])
		e.post = binary.LittleEndian.Uint64(raw[at+8:])
		at += 16
		if k == 0 {
			fld.postEnd = e.off
		}
		if e.post < prev.post || e.off < prev.off || e.off > fld.dictEnd || e.post > fld.postEnd ||
			(k > 0 && (e.first <= prev.first && !fld.words || e.word <= prev.word && fld.words)) {
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

// walkBlock calls fn with the terms of block k of the field's dictionary,
// in order, until fn returns false: each term's key (a Han key) or word
// (valid only during the call), and its entry.
func (f *substrField) walkBlock(k int, fn func(key uint64, word []byte, t substrTerm) bool) error {
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
	bad := func() error { return fmt.Errorf("%w: %s dictionary at %d", f.damage, f.name, e.off) }
	t := substrTerm{off: e.post}
	key := e.first
	var word []byte
	var v [3]uint64
	for at := 0; at < len(block); {
		var ok bool
		if f.words {
			// The bytes shared with the previous word, and the rest.
			if at, ok = uvarints(block, at, v[:2]); !ok || v[0] > uint64(len(word)) || v[1] > uint64(len(block)-at) {
				return bad()
			}
			word = append(word[:v[0]], block[at:at+int(v[1])]...)
			at += int(v[1])
		} else {
			// The distance from the previous key (the block's first).
			if at, ok = uvarints(block, at, v[:1]); !ok {
				return bad()
			}
			key += v[0]
		}
		if at, ok = uvarints(block, at, v[:3]); !ok {
			return bad()
		}
		t.docs, t.docBytes, t.posBytes = v[0], v[1], v[2]
		if !f.fits(t) {
			return bad()
		}
		if !fn(key, word, t) {
			return nil
		}
		t.off += t.skipBytes() + t.docBytes + t.posBytes
	}
	return nil
}

// uvarints reads len(v) uvarints of b from at into v, and returns where
// they end and whether they were there.
func uvarints(b []byte, at int, v []uint64) (int, bool) {
	for i := range v {
		x, m := binary.Uvarint(b[at:])
		if m <= 0 {
			return at, false
		}
		v[i], at = x, at+m
	}
	return at, true
}

// lookup returns the dictionary entry of term, and whether there is one.
func (f *substrField) lookup(term string) (substrTerm, bool, error) {
	var key uint64
	var k int
	if f.words {
		k = sort.Search(len(f.index), func(i int) bool { return f.index[i].word > term }) - 1
	} else {
		var ok bool
		if key, ok = substrKey(term, f.chars); !ok {
			return substrTerm{}, false, nil
		}
		k = sort.Search(len(f.index), func(i int) bool { return f.index[i].first > key }) - 1
	}
	if k < 0 {
		return substrTerm{}, false, nil
	}
	var want []byte
	if f.words {
		want = []byte(term)
	}
	var out substrTerm
	found := false
	err := f.walkBlock(k, func(kk uint64, w []byte, t substrTerm) bool {
		var c int
		if f.words {
			c = bytes.Compare(w, want)
		} else {
			c = cmp.Compare(kk, key)
		}
		found, out = c == 0, t
		return c < 0
	})
	if !found {
		out = substrTerm{}
	}
	return out, found, err
}

// each calls fn with every term of the field's dictionary, in order, until
// fn returns false.
func (f *substrField) each(fn func(key uint64, word []byte, t substrTerm) bool) error {
	for k := range f.index {
		stop := false
		err := f.walkBlock(k, func(key uint64, word []byte, t substrTerm) bool {
			stop = !fn(key, word, t)
			return !stop
		})
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// writePostingsFile writes a store of n documents in format to path: the
// magic, each field's parts as write(i, out) writes them, the footer and
// the magic.
func writePostingsFile(path string, format storeFormat, n int, write func(i int, out *countingWriter) (substrFieldInfo, error)) error {
	return createSynced(path, func(f *os.File) error {
		out := &countingWriter{w: bufio.NewWriterSize(f, 1<<20)}
		out.Write([]byte(format.magic))
		foot := binary.LittleEndian.AppendUint32(nil, uint32(n))
		for i, def := range format.fields {
			info, err := write(i, out)
			if err != nil {
				return fmt.Errorf("write %s: %w", def.name, err)
			}
			foot = binary.LittleEndian.AppendUint64(foot, info.lensOff)
			foot = binary.LittleEndian.AppendUint32(foot, info.lensWidth)
			foot = binary.LittleEndian.AppendUint64(foot, info.indexOff)
			if format.words {
				foot = binary.LittleEndian.AppendUint64(foot, info.indexLen)
			}
			foot = binary.LittleEndian.AppendUint32(foot, info.blocks)
			foot = binary.LittleEndian.AppendUint32(foot, info.terms)
		}
		out.Write(foot)
		if _, err := out.Write([]byte(format.magic)); err != nil {
			return err
		}
		return out.w.Flush()
	})
}

// write writes the field's lengths, postings, dictionary and block index.
// first appends a block's first key to the block index; entry appends key
// k, which follows prev, to a block (head: k is the block's first).
func (w *postingsWriter[K]) write(out *countingWriter, first func(index []byte, k K) []byte, entry func(block []byte, prev, k K, head bool) []byte) (substrFieldInfo, error) {
	info, keys, postOff := w.writePostings(out)
	var index, block []byte
	for i := 0; i < len(keys); i += substrDictBlock {
		index = first(index, keys[i])
		index = binary.LittleEndian.AppendUint64(index, out.n)
		index = binary.LittleEndian.AppendUint64(index, postOff[i])
		block = block[:0]
		for j, k := range keys[i:min(i+substrDictBlock, len(keys))] {
			block = entry(block, keys[i+max(j-1, 0)], k, j == 0)
			t := w.terms[k]
			block = binary.AppendUvarint(block, uint64(t.n))
			block = binary.AppendUvarint(block, uint64(len(t.docs)))
			block = binary.AppendUvarint(block, uint64(len(t.pos)))
		}
		out.Write(block)
		info.blocks++
	}
	info.indexOff = out.n
	info.indexLen = uint64(len(index))
	info.terms = uint32(len(keys))
	_, err := out.Write(index)
	return info, err
}
