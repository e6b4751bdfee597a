package index

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/corpus-dev/corpus/corpus"
)

// The passage store keeps the one copy of each passage's record (the JSON
// of record.go) beside the bleve index, in reading order: by document id
// (bytewise, as bleve sorts the doc field's terms) and position, which is
// the order of table.rank, so the record of internal document d is record
// rank[d]. Records are packed into blocks of about storeBlock bytes, each
// compressed with DEFLATE, as Lucene packs its stored fields: bleve stored
// each record alone, snappy-compressed, at almost twice the bytes.
//
// A hit costs the decompression of its block, and a page of hits is ten
// blocks: small blocks are fast to read but compress badly alone. So every
// block is compressed against one preset dictionary, a sample of the
// store's own records kept at its head: 4 KB blocks then take the bytes
// 16 KB blocks took without it, and read in a fifth of the time.
//
// A record of version 3 leaves out the passage's document, position and
// ID: the manifest's documents, in the store's order with their numbers of
// passages, say them (docPlaces), and they were a twentieth of the store.
//
// Layout of passages.bin (version 3 and 2, "corpusP2", whose records hold
// their document, position and ID; version 1, "corpusP1", had no
// dictionary either; both are still read):
//
//	magic "corpusP3"
//	dictionary: its length (uint32), then its bytes
//	blocks: DEFLATE of (uvarint length, record)..., with the dictionary
//	index:  per block, its offset (uint64) and first record number (uint32)
//	footer: index offset (uint64), blocks (uint32), records (uint32), magic
//
// The manifest's checksum covers the file; open checks its structure and a
// sample of records against the bleve index (checkStore).
const (
	storeFile    = "passages.bin"
	storeMagicV1 = "corpusP1"
	storeMagicV2 = "corpusP2"
	storeMagic   = "corpusP3"
	// storeBlock is the uncompressed size a block is closed at.
	storeBlock = 4 << 10
	// storeDict is the most a dictionary holds: DEFLATE looks back 32 KB.
	storeDict    = 32 << 10
	storeFooter  = 8 + 4 + 4 + len(storeMagic)
	storeIdxItem = 8 + 4
)

var errStore = errors.New("passage store damaged")

// storeOrder sorts passages in the store's order.
func storeOrder(docs []*corpus.Document) []*corpus.Passage {
	var ps []*corpus.Passage
	for _, d := range docs {
		for i := range d.Passages {
			ps = append(ps, &d.Passages[i])
		}
	}
	slices.SortStableFunc(ps, func(a, b *corpus.Passage) int {
		if c := cmp.Compare(a.Doc, b.Doc); c != 0 {
			return c
		}
		return cmp.Compare(a.Position, b.Position)
	})
	return ps
}

// writeStore writes the records of ps, in the store's order (storeOrder),
// to path.
func writeStore(path string, ps []*corpus.Passage) error {
	return createSynced(path, func(f *os.File) error { return encodeStore(f, ps, 3) })
}

// createSynced creates path, writes it with write and syncs it to disk
// before closing it.
func createSynced(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// encodeStore writes the records of ps as a store of the given version
// (1 and 2 are written only to test that they are still read).
func encodeStore(f io.Writer, ps []*corpus.Passage, version int) error {
	e := &storeEncoder{w: bufio.NewWriterSize(f, 1<<20), magic: storeMagic, block: storeBlock}
	encodeRecord := encodePlacedRecord
	switch version {
	case 1:
		e.magic, e.block, encodeRecord = storeMagicV1, 16<<10, encodeWholeRecord
	case 2:
		e.magic, encodeRecord = storeMagicV2, encodeWholeRecord
	}
	if version != 1 {
		var err error
		if e.dict, err = storeDictionary(ps, encodeRecord); err != nil {
			return err
		}
	}
	e.head()
	fw, err := flate.NewWriterDict(&e.comp, flate.DefaultCompression, e.dict)
	if err != nil {
		return err
	}
	first := 0 // the first record of the block being filled
	for i, p := range ps {
		r, err := encodeRecord(p)
		if err != nil {
			return err
		}
		e.raw.Write(r)
		if e.raw.Len() >= e.block {
			if err := e.flush(fw, first); err != nil {
				return err
			}
			first = i + 1
		}
	}
	if err := e.flush(fw, first); err != nil {
		return err
	}
	e.tail(len(ps))
	return e.w.Flush()
}

// encodePlacedRecord is a passage's record as the store's version 3
// holds it: its length, then its JSON, without its document, position and
// ID.
func encodePlacedRecord(p *corpus.Passage) ([]byte, error) {
	r := toRecord(p)
	r.ID, r.Doc, r.Position = "", "", 0
	return encodeJSONRecord(p, r)
}

// encodeWholeRecord is a passage's record as versions 1 and 2 held it.
func encodeWholeRecord(p *corpus.Passage) ([]byte, error) {
	return encodeJSONRecord(p, toRecord(p))
}

func encodeJSONRecord(p *corpus.Passage, r record) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("passage %s: %w", p.ID, err)
	}
	var lenBuf [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(lenBuf[:], uint64(len(b)))
	return append(append(make([]byte, 0, n+len(b)), lenBuf[:n]...), b...), nil
}

// storeEncoder writes a store: its head, blocks as they fill, then the
// block index and the footer.
type storeEncoder struct {
	w      *bufio.Writer
	magic  string
	block  int    // uncompressed bytes a block is closed at
	dict   []byte // none in version 1
	off    uint64 // bytes written
	offs   []uint64
	firsts []uint32
	raw    bytes.Buffer // the block being filled
	comp   bytes.Buffer
}

// head writes the magic and, from version 2, the dictionary.
func (e *storeEncoder) head() {
	e.w.WriteString(e.magic)
	e.off = uint64(len(e.magic))
	if e.magic != storeMagicV1 {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(e.dict)))
		e.w.Write(n[:])
		e.w.Write(e.dict)
		e.off += uint64(len(n) + len(e.dict))
	}
}

// flush compresses the records gathered since the last block, the first
// of which is record first, as one block.
func (e *storeEncoder) flush(fw *flate.Writer, first int) error {
	if e.raw.Len() == 0 {
		return nil
	}
	e.comp.Reset()
	fw.Reset(&e.comp)
	if _, err := fw.Write(e.raw.Bytes()); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	e.offs = append(e.offs, e.off)
	e.firsts = append(e.firsts, uint32(first))
	e.w.Write(e.comp.Bytes())
	e.off += uint64(e.comp.Len())
	e.raw.Reset()
	return nil
}

// tail writes the block index and the footer of a store of n records.
func (e *storeEncoder) tail(n int) {
	idx := e.off
	var buf [storeIdxItem]byte
	for i, off := range e.offs {
		binary.BigEndian.PutUint64(buf[0:], off)
		binary.BigEndian.PutUint32(buf[8:], e.firsts[i])
		e.w.Write(buf[:])
	}
	var foot [storeFooter]byte
	binary.BigEndian.PutUint64(foot[0:], idx)
	binary.BigEndian.PutUint32(foot[8:], uint32(len(e.offs)))
	binary.BigEndian.PutUint32(foot[12:], uint32(n))
	copy(foot[16:], e.magic)
	e.w.Write(foot[:])
}

// storeDictionary is the preset dictionary of a store of ps: whole
// records taken at even steps through the store, up to storeDict bytes, so
// that it holds what recurs across the corpus (the records' field names,
// document ids, recurring words) rather than one document's.
func storeDictionary(ps []*corpus.Passage, encode func(*corpus.Passage) ([]byte, error)) ([]byte, error) {
	// Up to 256 records spread over the store, then every stride-th of
	// those, so that the dictionary spans the store however long they are.
	var samples [][]byte
	total := 0
	for i := 0; i < len(ps); i += max(1, len(ps)/256) {
		r, err := encode(ps[i])
		if err != nil {
			return nil, err
		}
		samples = append(samples, r)
		total += len(r)
	}
	stride := max(1, (total+storeDict-1)/storeDict)
	var dict []byte
	for i := 0; i < len(samples) && len(dict) < storeDict; i += stride {
		dict = append(dict, samples[i]...)
	}
	return dict[:min(len(dict), storeDict)], nil
}

// store reads a passage store.
type store struct {
	f       *os.File
	n       int      // records
	offs    []uint64 // block i is f[offs[i]:offs[i+1]]
	firsts  []uint32 // first record of each block
	dict    []byte   // the blocks' preset dictionary (none in version 1)
	inflate sync.Pool
	// placed says the records leave out their document, position and
	// ID (version 3), which places then gives.
	placed bool
	places docPlaces

	// recent holds the last blocks read, uncompressed: hits of one page,
	// and the passages of one document, often share blocks.
	mu     sync.Mutex
	recent [storeRecent]recentBlock
	clock  int
}

type recentBlock struct {
	i   int
	raw []byte
}

// storeRecent is how many uncompressed blocks a store keeps.
const storeRecent = 16

// openStore opens the passage store at path, which must hold n records.
func openStore(path string, n int) (*store, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := readStoreIndex(f, n)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func readStoreIndex(f *os.File, n int) (*store, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size < int64(len(storeMagic)+storeFooter) {
		return nil, fmt.Errorf("%w: %d bytes", errStore, size)
	}
	var foot [storeFooter]byte
	if _, err := f.ReadAt(foot[:], size-int64(storeFooter)); err != nil {
		return nil, err
	}
	magic := string(foot[16:])
	if magic != storeMagic && magic != storeMagicV2 && magic != storeMagicV1 {
		return nil, fmt.Errorf("%w: bad magic", errStore)
	}
	idx := binary.BigEndian.Uint64(foot[0:])
	nb := int64(binary.BigEndian.Uint32(foot[8:]))
	recs := int(binary.BigEndian.Uint32(foot[12:]))
	if recs != n {
		return nil, fmt.Errorf("%w: %d records, the index holds %d passages", errStore, recs, n)
	}
	// The blocks start after the magic and, from version 2, the
	// dictionary.
	start := uint64(len(magic))
	var dict []byte
	if magic != storeMagicV1 {
		var n [4]byte
		if _, err := f.ReadAt(n[:], int64(start)); err != nil {
			return nil, err
		}
		l := uint64(binary.BigEndian.Uint32(n[:]))
		if l > storeDict || start+4+l > uint64(size) {
			return nil, fmt.Errorf("%w: bad dictionary", errStore)
		}
		dict = make([]byte, l)
		if _, err := f.ReadAt(dict, int64(start+4)); err != nil {
			return nil, err
		}
		start += 4 + l
	}
	if idx < start || int64(idx)+nb*storeIdxItem != size-int64(storeFooter) {
		return nil, fmt.Errorf("%w: bad block index", errStore)
	}
	b := make([]byte, nb*storeIdxItem)
	if _, err := f.ReadAt(b, int64(idx)); err != nil {
		return nil, err
	}
	s := &store{f: f, n: n, offs: make([]uint64, nb+1), firsts: make([]uint32, nb), dict: dict, placed: magic == storeMagic}
	for i := range nb {
		s.offs[i] = binary.BigEndian.Uint64(b[i*storeIdxItem:])
		s.firsts[i] = binary.BigEndian.Uint32(b[i*storeIdxItem+8:])
		if i > 0 && (s.offs[i] <= s.offs[i-1] || s.firsts[i] <= s.firsts[i-1]) || s.firsts[i] >= uint32(max(n, 1)) {
			return nil, fmt.Errorf("%w: block %d out of order", errStore, i)
		}
	}
	s.offs[nb] = idx
	if nb > 0 && (s.firsts[0] != 0 || s.offs[0] != start) || nb == 0 && n > 0 {
		return nil, fmt.Errorf("%w: bad first block", errStore)
	}
	return s, nil
}

func (s *store) Close() error { return s.f.Close() }

// block returns the records of block i, uncompressed. The caller must
// not modify them.
func (s *store) block(i int) ([]byte, error) {
	s.mu.Lock()
	for _, r := range s.recent {
		if r.raw != nil && r.i == i {
			s.mu.Unlock()
			return r.raw, nil
		}
	}
	s.mu.Unlock()
	raw, err := s.readBlock(i)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.recent[s.clock] = recentBlock{i, raw}
	s.clock = (s.clock + 1) % storeRecent
	s.mu.Unlock()
	return raw, nil
}

// readBlock reads and decompresses block i.
func (s *store) readBlock(i int) ([]byte, error) {
	comp := make([]byte, s.offs[i+1]-s.offs[i])
	if _, err := s.f.ReadAt(comp, int64(s.offs[i])); err != nil {
		return nil, fmt.Errorf("read passage store: %w", err)
	}
	fr, _ := s.inflate.Get().(io.ReadCloser)
	if fr == nil {
		fr = flate.NewReaderDict(bytes.NewReader(comp), s.dict)
	} else if err := fr.(flate.Resetter).Reset(bytes.NewReader(comp), s.dict); err != nil {
		return nil, err
	}
	defer s.inflate.Put(fr)
	// A block is a little over storeBlock unless one record is longer.
	raw := bytes.NewBuffer(make([]byte, 0, storeBlock+storeBlock/2))
	if _, err := raw.ReadFrom(fr); err != nil {
		return nil, fmt.Errorf("%w: block %d: %v", errStore, i, err)
	}
	return raw.Bytes(), nil
}

// records calls fn with the records from (inclusive) to to (exclusive), in
// order, reading each block once.
func (s *store) records(from, to int, fn func(i int, rec []byte) error) error {
	if from < 0 || to > s.n || from > to {
		return fmt.Errorf("%w: records %d to %d of %d", errStore, from, to, s.n)
	}
	for i := from; i < to; {
		bi := sort.Search(len(s.firsts), func(b int) bool { return s.firsts[b] > uint32(i) }) - 1
		raw, err := s.block(bi)
		if err != nil {
			return err
		}
		for r := int(s.firsts[bi]); len(raw) > 0 && i < to; r++ {
			l, k := binary.Uvarint(raw)
			if k <= 0 || uint64(len(raw)-k) < l {
				return fmt.Errorf("%w: block %d: bad record %d", errStore, bi, r)
			}
			if r == i {
				if err := fn(i, raw[k:k+int(l)]); err != nil {
					return err
				}
				i++
			}
			raw = raw[k+int(l):]
		}
		if i < to && bi+1 < len(s.firsts) && i < int(s.firsts[bi+1]) {
			return fmt.Errorf("%w: block %d ends before record %d", errStore, bi, i)
		}
		if bi+1 == len(s.firsts) && i < to {
			return fmt.Errorf("%w: last block ends before record %d", errStore, i)
		}
	}
	return nil
}

// passage returns record i as a passage.
func (s *store) passage(i int) (corpus.Passage, error) {
	var p corpus.Passage
	err := s.records(i, i+1, func(_ int, rec []byte) error {
		var err error
		p, err = s.decode(i, rec)
		return err
	})
	return p, err
}

// passages returns records from to to as passages.
func (s *store) passages(from, to int) ([]corpus.Passage, error) {
	out := make([]corpus.Passage, 0, to-from)
	err := s.records(from, to, func(i int, rec []byte) error {
		p, err := s.decode(i, rec)
		out = append(out, p)
		return err
	})
	return out, err
}

// decode decodes rec, record i.
func (s *store) decode(i int, rec []byte) (corpus.Passage, error) {
	p, err := decodeRecordBytes(rec)
	if err != nil || !s.placed {
		return p, err
	}
	doc, pos, ok := s.places.at(i)
	if !ok {
		return p, fmt.Errorf("%w: record %d is in no document", errStore, i)
	}
	p.Doc, p.Position, p.ID = doc, pos, corpus.PassageID(doc, pos)
	for j := range p.Corrections {
		p.Corrections[j].Passage = p.ID
	}
	return p, nil
}

// docPlaces say which document and position each record of a store is:
// the documents' IDs in the store's order (bytewise) and the record each
// begins at.
type docPlaces struct {
	ids    []string
	starts []int
}

// manifestPlaces are the places of the records of the generation whose
// manifest is man: its documents in the store's order, each with its
// passages.
func manifestPlaces(man manifest) docPlaces {
	docs := slices.SortedFunc(slices.Values(man.Documents), func(a, b docRecord) int { return cmp.Compare(a.ID, b.ID) })
	var pl docPlaces
	at := 0
	for _, d := range docs {
		pl.ids, pl.starts = append(pl.ids, d.ID), append(pl.starts, at)
		at += d.Passages
	}
	return pl
}

// placesOf are the places of the records of ps, in the store's order.
func placesOf(ps []*corpus.Passage) docPlaces {
	var pl docPlaces
	for i, p := range ps {
		if len(pl.ids) == 0 || pl.ids[len(pl.ids)-1] != p.Doc {
			pl.ids, pl.starts = append(pl.ids, p.Doc), append(pl.starts, i)
		}
	}
	return pl
}

// at returns the document and position of record i.
func (pl docPlaces) at(i int) (string, int, bool) {
	k := sort.SearchInts(pl.starts, i+1) - 1
	if k < 0 {
		return "", 0, false
	}
	return pl.ids[k], i - pl.starts[k], true
}
