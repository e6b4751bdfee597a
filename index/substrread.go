package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// substrStore reads a generation's substring index (substr.bin) or word
// index (words.bin), whose format postings.go reads. It reads
// with ReadAt, so a search still running when its generation is closed
// gets an error, not a fault.
type substrStore struct {
	f      *os.File
	n      uint32
	fields []*substrField
}

// substrField is one field of the store.
type substrField struct {
	f         *os.File
	name      string
	chars     int  // the length of a key of the substring index
	words     bool // a field of the word index (words.go): a dictionary of words
	damage    error
	positions bool
	docs      uint32
	lensOff   uint64
	lensWidth int
	postEnd   uint64 // where the postings end and the dictionary begins
	dictEnd   uint64 // where the dictionary ends and its block index begins
	indexLen  uint64 // the block index's bytes
	terms     int
	index     []substrIndexEntry
	// follow is, for zh1 since version 2, the zh2 whose bigrams hold the
	// characters that do not end a run (substrchar.go); nil otherwise.
	follow *substrField
	unions charUnions // with follow

	lensOnce sync.Once
	lens     []byte
	lensErr  error

	// The dictionary, read at its first lookup (1–2 MB at a million
	// passages): a read per lookup cost a system call per word searched.
	dictOnce sync.Once
	dict     []byte
	dictErr  error
}

// substrIndexEntry is a block of the dictionary: its first key, where it
// is and where its first term's postings are.
type substrIndexEntry struct {
	first, off, post uint64
	word             string // the first key of a word index's block
}

// substrTerm is a term's entry in the dictionary.
type substrTerm struct {
	off                      uint64 // its postings
	docs, docBytes, posBytes uint64
}

func (t substrTerm) blocks() uint64 { return (t.docs + substrBlock - 1) / substrBlock }

// skipBytes is the length of the term's skip entries.
func (t substrTerm) skipBytes() uint64 {
	if t.docs <= substrBlock {
		return 0
	}
	return 12 * t.blocks()
}

// fits reports whether t's entry is possible in f: its documents no more
// than f has, its postings inside f's postings. The comparisons are of room
// left, so that no sum of damaged sizes wraps around.
func (f *substrField) fits(t substrTerm) bool {
	if t.docs == 0 || t.docs > uint64(f.docs) || t.off > f.postEnd {
		return false
	}
	room := f.postEnd - t.off
	for _, n := range []uint64{t.skipBytes(), t.docBytes, t.posBytes} {
		if n > room {
			return false
		}
		room -= n
	}
	return f.positions || t.posBytes == 0
}

func (st *substrStore) Close() error { return st.f.Close() }

// field returns the store's field called name, nil if it has none.
func (st *substrStore) field(name string) *substrField {
	if st == nil {
		return nil
	}
	for _, f := range st.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// dictionary returns the field's dictionary blocks.
func (f *substrField) dictionary() ([]byte, error) {
	f.dictOnce.Do(func() {
		f.dict = make([]byte, f.dictEnd-f.postEnd)
		if _, err := f.f.ReadAt(f.dict, int64(f.postEnd)); err != nil {
			f.dictErr = fmt.Errorf("%s dictionary: %w", f.name, err)
		}
	})
	return f.dict, f.dictErr
}

// length returns the field's length in document d.
func (f *substrField) length(d uint32) (uint32, error) {
	lens, err := f.lengths()
	if err != nil {
		return 0, err
	}
	return lens.of(d), nil
}

// fieldLengths are a field's lengths, lensWidth bytes per document.
type fieldLengths struct {
	b     []byte
	width int
}

func (l fieldLengths) of(d uint32) uint32 {
	switch b := l.b[int(d)*l.width:]; l.width {
	case 1:
		return uint32(b[0])
	case 2:
		return uint32(binary.LittleEndian.Uint16(b))
	default:
		return binary.LittleEndian.Uint32(b)
	}
}

// lengths returns the field's lengths, read once.
func (f *substrField) lengths() (fieldLengths, error) {
	f.lensOnce.Do(func() {
		f.lens = make([]byte, int(f.docs)*f.lensWidth)
		if _, err := f.f.ReadAt(f.lens, int64(f.lensOff)); err != nil {
			f.lensErr = fmt.Errorf("%s lengths: %w", f.name, err)
		}
	})
	return fieldLengths{f.lens, f.lensWidth}, f.lensErr
}

// scoreAll sets scores[i] to t's score of docs[i], which has freqs[i]
// occurrences of it in f, a term of f.
func (f *substrField) scoreAll(t *tfidf, term string, docs, freqs []uint32, scores []float64) error {
	lens, err := f.lengths()
	if err != nil {
		return err
	}
	for i, d := range docs {
		l, n := lens.of(d), freqs[i]
		if l < n {
			return fmt.Errorf("%w: %s %q: %d occurrences in a length of %d", f.damage, f.name, term, n, l)
		}
		scores[i] = t.score(uint64(n), norm(l))
	}
	return nil
}

// norm is zap's norm of a field of length l, the float32 of one over its
// root.
func norm(l uint32) float64 {
	if int(l) < len(normTable) {
		return normTable[l]
	}
	return normOf(l)
}

// normOf computes norm.
func normOf(l uint32) float64 { return float64(float32(1.0 / math.Sqrt(float64(l)))) }

// normTable holds the norms of the usual lengths: the square root was most
// of a posting's norm.
var normTable = func() []float64 {
	t := make([]float64, 4096)
	for l := range t {
		t[l] = normOf(uint32(l))
	}
	return t
}()

// bitmap returns the documents of term as a bitmap, and whether
// it could read them. A read that fails is not reported here: the count
// then walks the matches, whose reader returns the same error.
func (f *substrField) bitmap(term string) (*roaring.Bitmap, bool) {
	out := roaring.New()
	if err := f.eachBlock(term, func(docs, _ []uint32) { out.AddMany(docs) }); err != nil {
		return nil, false
	}
	return out, true
}

// eachBlock calls fn with term's documents, in order, and their
// frequencies, a block of postings at a time (a character's union at
// once). The slices are only valid during the call.
func (f *substrField) eachBlock(term string, fn func(docs, freqs []uint32)) error {
	if f.follow != nil {
		docs, freqs, err := f.charPostings(term)
		if err == nil && len(docs) > 0 {
			fn(docs, freqs)
		}
		return err
	}
	r, err := f.reader(term, true, false, false)
	if err != nil || r.t.docs == 0 {
		return err
	}
	if err := r.ready(); err != nil {
		return err
	}
	for k := range r.t.blocks() {
		if err := r.load(int(k)); err != nil {
			return err
		}
		fn(r.docs, r.freqs)
	}
	return nil
}

// storeUsage adds the bytes of the substring or word index at path to
// parts: lengths (the norms), skips and documents are postings, positions
// are positions, the dictionary and its block index term dictionaries,
// the rest (magic, footer) other.
func storeUsage(path string, parts map[DiskPart]int64, format storeFormat) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < int64(format.footer()) {
		return fmt.Errorf("%w: %d bytes", format.damage, fi.Size())
	}
	// The number of documents is the store's own: readPostings checks it
	// against what it is given.
	var foot [4]byte
	if _, err := f.ReadAt(foot[:], fi.Size()-int64(format.footer())); err != nil {
		return err
	}
	st, err := readPostings(f, int(binary.LittleEndian.Uint32(foot[:])), format)
	if err != nil {
		return err
	}
	counted := int64(0)
	add := func(kind, field string, n uint64) {
		parts[DiskPart{Kind: kind, Field: field}] += int64(n)
		counted += int64(n)
	}
	for _, fld := range st.fields {
		add(DiskPostings, fld.name, uint64(fld.docs)*uint64(fld.lensWidth))
		add(DiskDictionary, fld.name, fld.dictEnd-fld.postEnd+fld.indexLen)
		err := fld.each(func(_ uint64, _ []byte, t substrTerm) bool {
			add(DiskPostings, fld.name, t.skipBytes()+t.docBytes)
			if t.posBytes > 0 {
				add(DiskLocations, fld.name, t.posBytes)
			}
			return true
		})
		if err != nil {
			return err
		}
	}
	parts[DiskPart{Kind: DiskOther}] += fi.Size() - counted
	return nil
}

// stores are a generation's indexes of our own, either of them nil: the
// substring index (since format 9) and the word index (since format 10).
// Older generations keep those fields in bleve.
type stores struct{ subs, words *substrStore }

// field returns the field called name of either store, nil if neither has
// it.
func (s stores) field(name string) *substrField {
	if f := s.subs.field(name); f != nil {
		return f
	}
	return s.words.field(name)
}

func (s stores) none() bool { return s.subs == nil && s.words == nil }

// storeReader is an index reader whose fields of the substring and word
// indexes are read from those stores, the rest from bleve's.
type storeReader struct {
	bindex.IndexReader
	st stores
}

func (r storeReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bindex.TermFieldReader, error) {
	f := r.st.field(field)
	if f == nil {
		return r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	}
	if f.follow != nil {
		return f.charReader(string(term), freq, norm)
	}
	return f.reader(string(term), freq, norm, vectors && f.positions)
}

func (r storeReader) FieldDict(field string) (bindex.FieldDict, error) {
	return r.FieldDictPrefix(field, nil)
}

func (r storeReader) FieldDictPrefix(field string, prefix []byte) (bindex.FieldDict, error) {
	if f := r.st.field(field); f != nil && f.words {
		return f.prefixDict(string(prefix)), nil
	}
	if prefix == nil {
		return r.IndexReader.FieldDict(field)
	}
	return r.IndexReader.FieldDictPrefix(field, prefix)
}

func (r storeReader) FieldDictFuzzy(field, term string, fuzziness int, prefix string) (bindex.FieldDict, error) {
	if f := r.st.field(field); f != nil && f.words {
		return f.fuzzy(term, fuzziness, prefix)
	}
	fz, ok := r.IndexReader.(bindex.IndexReaderFuzzy)
	if !ok {
		return nil, fmt.Errorf("%s: no fuzzy dictionary", field)
	}
	return fz.FieldDictFuzzy(field, term, fuzziness, prefix)
}

// storeQuery is a query whose searchers read the fields of the stores from
// them (storeReader): the text queries of a generation that has any.
type storeQuery struct {
	q  query.Query
	st stores
}

func (q *storeQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	return q.q.Searcher(ctx, storeReader{IndexReader: r, st: q.st}, m, opts)
}
