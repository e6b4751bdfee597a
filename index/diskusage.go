package index

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blevesearch/vellum"
	"github.com/golang/snappy"
)

// DiskPart is one kind of bytes of an index on disk.
type DiskPart struct {
	Kind  string // stored, postings, locations, dictionary, doc values, facet table, …
	Field string // the bleve field, "" where the part is not a field's
	Bytes int64
}

// DiskUsage is where the bytes of a generation go.
type DiskUsage struct {
	Total int64
	Parts []DiskPart
	// StoredRaw is the stored fields uncompressed; StoredBlocked what they
	// would take compressed as Lucene does, in blocks of many documents
	// (storedBlock bytes, DEFLATE) instead of bleve's snappy per document.
	StoredRaw, StoredBlocked int64
}

// storedBlock is the size of the blocks of StoredBlocked (Lucene 8 packs
// stored fields in chunks of 16 KB or more).
const storedBlock = 16 << 10

// Kinds of DiskPart.
const (
	DiskStored     = "stored fields"      // the passage records and document IDs (snappy), with their index
	DiskPostings   = "postings"           // document lists, frequencies and norms
	DiskLocations  = "positions, offsets" // what phrase searches read ("term vectors" in bleve's mapping)
	DiskDictionary = "term dictionaries"  // the FSTs
	DiskDocValues  = "doc values"
	DiskFacets     = "facet table"
	DiskOther      = "other" // section indexes, footers, bolt, manifest, gazetteer
)

// DiskPassageStore is the Field of the DiskStored part that is the passage
// store (passages.bin), not bleve's.
const DiskPassageStore = "passage store"

// zap v17's footer: the writer ID, its length (uint32), numDocs,
// storedIndexOffset, sectionsIndexOffset (uint64 each), chunk mode,
// version, CRC (uint32 each).
const (
	zapFooterSize     = 4 + 3*8 + 3*4
	zapVersion        = 17
	zap1HitMask       = uint64(0xc000000000000000)
	zap1Hit           = uint64(0x8000000000000000)
	zapInvertedText   = 0 // the section type of inverted text indexes
	zapNotUninverted  = math.MaxUint64
	zapNumSectionsMax = 16
)

// DiskUsageOf measures where the bytes of the live generation of dataDir
// go, reading bleve's segment files (zap v17) section by section.
func DiskUsageOf(dataDir string) (DiskUsage, error) {
	name, err := Current(dataDir)
	if err != nil {
		return DiskUsage{}, err
	}
	gen := filepath.Join(dataDir, name)
	parts := map[DiskPart]int64{}
	var total int64
	var u DiskUsage
	err = filepath.WalkDir(gen, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		total += fi.Size()
		switch {
		case strings.HasSuffix(p, ".zap"):
			if err := zapUsage(p, parts, &u); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		case d.Name() == tableFile:
			parts[DiskPart{Kind: DiskFacets}] += fi.Size()
		case d.Name() == storeFile:
			parts[DiskPart{Kind: DiskStored, Field: DiskPassageStore}] += fi.Size()
		case d.Name() == substrFile:
			if err := storeUsage(p, parts, substrFormat); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		case d.Name() == wordsFile:
			if err := storeUsage(p, parts, wordsFormat); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		default:
			parts[DiskPart{Kind: DiskOther}] += fi.Size()
		}
		return nil
	})
	if err != nil {
		return DiskUsage{}, fmt.Errorf("disk usage of %s: %w", gen, err)
	}
	u.Total = total
	for p, n := range parts {
		p.Bytes = n
		u.Parts = append(u.Parts, p)
	}
	sort.Slice(u.Parts, func(i, j int) bool {
		if u.Parts[i].Bytes != u.Parts[j].Bytes {
			return u.Parts[i].Bytes > u.Parts[j].Bytes
		}
		return u.Parts[i].Kind+u.Parts[i].Field < u.Parts[j].Kind+u.Parts[j].Field
	})
	return u, nil
}

// zapUsage adds the bytes of one zap segment to parts; what it cannot
// attribute counts as DiskOther.
func zapUsage(path string, parts map[DiskPart]int64, u *DiskUsage) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(b) < zapFooterSize {
		return errors.New("shorter than a zap footer")
	}
	f := b[len(b)-zapFooterSize:]
	idLen := int(binary.BigEndian.Uint32(f[0:]))
	numDocs := binary.BigEndian.Uint64(f[4:])
	storedIndex := binary.BigEndian.Uint64(f[12:])
	sectionsIndex := binary.BigEndian.Uint64(f[20:])
	if v := binary.BigEndian.Uint32(f[32:]); v != zapVersion {
		return fmt.Errorf("zap version %d, can read %d", v, zapVersion)
	}
	if idLen != 0 {
		return errors.New("zap: segment written through a file callback (encrypted?)")
	}
	mem := zapMem(b[:len(b)-zapFooterSize])
	if storedIndex+8*numDocs > uint64(len(mem)) || sectionsIndex >= uint64(len(mem)) {
		return zapBad("footer")
	}
	used := storedIndex + 8*numDocs
	parts[DiskPart{Kind: DiskStored}] += int64(used)
	raw, blocked, err := reblock(mem, storedIndex, numDocs)
	if err != nil {
		return err
	}
	u.StoredRaw += raw
	u.StoredBlocked += blocked

	numFields, n, err := mem.uv(sectionsIndex)
	if err != nil {
		return err
	}
	pos := sectionsIndex + n
	if pos+8*numFields > uint64(len(mem)) {
		return zapBad("sections index")
	}
	for i := range numFields {
		addr := binary.BigEndian.Uint64(mem[pos+8*i:])
		if addr == 0 {
			continue
		}
		n, err := fieldUsage(mem, addr, parts)
		if err != nil {
			return err
		}
		used += n
	}
	parts[DiskPart{Kind: DiskOther}] += int64(len(b)) - int64(used)
	return nil
}

// zapMem is a zap segment without its footer.
type zapMem []byte

// uv reads the uvarint at at, and returns it and its length.
func (mem zapMem) uv(at uint64) (v, n uint64, err error) {
	if at >= uint64(len(mem)) {
		return 0, 0, zapBad("offset")
	}
	v, l := binary.Uvarint(mem[at:])
	if l <= 0 {
		return 0, 0, zapBad("varint")
	}
	return v, uint64(l), nil
}

func zapBad(what string) error { return fmt.Errorf("zap: bad %s", what) }

// fieldUsage adds to parts the sizes of the inverted text sections of the
// field whose record is at addr, and returns the bytes accounted for.
func fieldUsage(mem zapMem, addr uint64, parts map[DiskPart]int64) (used uint64, err error) {
	nameLen, n, err := mem.uv(addr)
	if err != nil {
		return 0, err
	}
	at := addr + n
	if at+nameLen > uint64(len(mem)) {
		return 0, zapBad("field name")
	}
	field := string(mem[at : at+nameLen])
	at += nameLen
	_, n, err = mem.uv(at) // field options
	if err != nil {
		return 0, err
	}
	at += n
	numSections, n, err := mem.uv(at)
	if err != nil {
		return 0, err
	}
	at += n
	if numSections > zapNumSectionsMax || at+10*numSections > uint64(len(mem)) {
		return 0, zapBad("sections of " + field)
	}
	for s := range numSections {
		typ := binary.BigEndian.Uint16(mem[at+10*s:])
		secAddr := binary.BigEndian.Uint64(mem[at+10*s+2:])
		if typ != zapInvertedText || secAddr == 0 {
			continue
		}
		n, err := invertedUsage(mem, secAddr, field, parts)
		if err != nil {
			return 0, fmt.Errorf("field %s: %w", field, err)
		}
		used += n
	}
	return used, nil
}

// reblock returns the size of a segment's stored fields uncompressed and
// compressed in blocks of storedBlock bytes. A document's record is its
// metadata (the _id's length first), the _id, then the other fields,
// snappy-compressed.
func reblock(mem []byte, storedIndex, numDocs uint64) (raw, blocked int64, err error) {
	var block bytes.Buffer
	var out countWriter
	zw, err := flate.NewWriter(&out, flate.DefaultCompression)
	if err != nil {
		return 0, 0, err
	}
	flush := func() error {
		if block.Len() == 0 {
			return nil
		}
		zw.Reset(&out)
		if _, err := zw.Write(block.Bytes()); err != nil {
			return err
		}
		block.Reset()
		return zw.Close()
	}
	var buf []byte
	for d := range numDocs {
		at := binary.BigEndian.Uint64(mem[storedIndex+8*d:])
		if at >= storedIndex {
			return 0, 0, errors.New("zap: bad stored index")
		}
		metaLen, n1 := binary.Uvarint(mem[at:])
		dataLen, n2 := binary.Uvarint(mem[at+uint64(max(n1, 0)):])
		start := at + uint64(n1) + uint64(n2)
		if n1 <= 0 || n2 <= 0 || start+metaLen+dataLen > storedIndex {
			return 0, 0, errors.New("zap: bad stored record")
		}
		meta, data := mem[start:start+metaLen], mem[start+metaLen:start+metaLen+dataLen]
		idLen, n := binary.Uvarint(meta)
		if n <= 0 || idLen > uint64(len(data)) {
			return 0, 0, errors.New("zap: bad stored _id")
		}
		if buf, err = snappy.Decode(buf[:cap(buf)], data[idLen:]); err != nil {
			return 0, 0, fmt.Errorf("zap: stored fields: %w", err)
		}
		block.Write(meta)
		block.Write(data[:idLen])
		block.Write(buf)
		raw += int64(len(meta)) + int64(idLen) + int64(len(buf))
		if block.Len() >= storedBlock {
			if err := flush(); err != nil {
				return 0, 0, err
			}
		}
	}
	if err := flush(); err != nil {
		return 0, 0, err
	}
	return raw, out.n, nil
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// invertedUsage adds the bytes of one field's inverted index (postings,
// locations, dictionary, doc values) to parts and returns how many it
// attributed.
func invertedUsage(mem zapMem, addr uint64, field string, parts map[DiskPart]int64) (uint64, error) {
	dvStart, n, err := mem.uv(addr)
	if err != nil {
		return 0, err
	}
	at := addr + n
	dvEnd, n, err := mem.uv(at)
	if err != nil {
		return 0, err
	}
	dictAddr, _, err := mem.uv(at + n)
	if err != nil {
		return 0, err
	}
	var used uint64
	if dvStart != zapNotUninverted && dvEnd >= dvStart {
		parts[DiskPart{Kind: DiskDocValues, Field: field}] += int64(dvEnd - dvStart)
		used += dvEnd - dvStart
	}
	if dictAddr == 0 {
		return used, nil
	}
	fstLen, n, err := mem.uv(dictAddr)
	if err != nil {
		return 0, err
	}
	if dictAddr+n+fstLen > uint64(len(mem)) {
		return 0, zapBad("dictionary")
	}
	parts[DiskPart{Kind: DiskDictionary, Field: field}] += int64(n + fstLen)
	used += n + fstLen
	fst, err := vellum.Load(mem[dictAddr+n : dictAddr+n+fstLen])
	if err != nil {
		return 0, fmt.Errorf("dictionary: %w", err)
	}
	it, err := fst.Iterator(nil, nil)
	for err == nil {
		_, v := it.Current()
		if v&zap1HitMask != zap1Hit && v != 0 {
			n, err := postingsUsage(mem, v, field, parts)
			if err != nil {
				return 0, err
			}
			used += n
		}
		err = it.Next()
	}
	if !errors.Is(err, vellum.ErrIteratorDone) {
		return 0, fmt.Errorf("dictionary: %w", err)
	}
	return used, nil
}

// postingsUsage adds to parts the sizes of the postings whose record is
// at v: frequencies and norms, then locations, then the record (the
// offsets of both and the roaring bitmap). It returns the bytes accounted
// for.
func postingsUsage(mem zapMem, v uint64, field string, parts map[DiskPart]int64) (uint64, error) {
	tf, n1, err := mem.uv(v)
	if err != nil {
		return 0, err
	}
	loc, n2, err := mem.uv(v + n1)
	if err != nil {
		return 0, err
	}
	bmLen, n3, err := mem.uv(v + n1 + n2)
	if err != nil {
		return 0, err
	}
	// An offset of 0 is a list not written (no frequencies, no locations).
	start, tfEnd := v, v
	if loc != 0 {
		start, tfEnd = loc, loc
		parts[DiskPart{Kind: DiskLocations, Field: field}] += int64(v - loc)
	}
	if tf != 0 {
		start = tf
	}
	if start > tfEnd || tfEnd > v {
		return 0, zapBad("postings offsets")
	}
	rec := n1 + n2 + n3 + bmLen
	parts[DiskPart{Kind: DiskPostings, Field: field}] += int64(tfEnd - start + rec)
	return v - start + rec, nil
}
