package index

import (
	"bufio"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"slices"

	"github.com/blevesearch/bleve/v2"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The facet table of a generation is written into it at build time, so
// that a server opening a large generation has it at once: reading the
// columns from the postings takes most of a second for a million passages,
// and until then searches go through bleve's much slower path (a cold
// start's first search: 270 ms against 25 ms).
//
// The table is indexed by bleve's internal document numbers, which are
// fixed for a generation's files (its segments and their order never
// change). Samples of (number, bleve ID) pairs written with it (the ID a
// passage's rank since format 11, its own ID before) check at load that it
// was written for these files' numbering; that its values are intact is
// the manifest's checksums' business.

const (
	tableFile  = "facets.bin"
	tableMagic = "corpus-facets\x00"
	// tableVersion 3 packs each array of integers at the width of its
	// largest value (offsets as the differences between them); 2 was
	// version 1's body compressed with DEFLATE, 1 four bytes an integer.
	tableVersion = 3
	tableSamples = 64
)

var errTableFormat = errors.New("facet table damaged")

// maxTableBytes bounds the uncompressed table a file may claim: about 120
// bytes per passage for ten million passages.
const maxTableBytes = 1 << 30

// writeTableFile builds the facet table of the bleve index at dir,
// writes it to path and returns it.
func writeTableFile(bleveDir, path string) (*table, error) {
	bi, err := bleve.OpenUsing(bleveDir, map[string]any{"read_only": true, "bolt_timeout": "2s"})
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	defer bi.Close()
	t, err := buildTable(bi)
	if err != nil {
		return nil, err
	}
	idx, err := bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	r, err := openReader(idx)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	defer r.Close()
	samples, err := tableSampleIDs(r, t.n)
	if err != nil {
		return nil, err
	}
	return t, createSynced(path, func(f *os.File) error {
		w := bufio.NewWriterSize(f, 1<<20)
		encodeTable(w, t, samples)
		return w.Flush()
	})
}

// tableSampleIDs returns bleve's IDs of evenly spread document numbers
// below n.
func tableSampleIDs(r bindex.IndexReader, n uint64) (map[uint64]string, error) {
	out := map[uint64]string{}
	if n == 0 {
		return out, nil
	}
	for i := range uint64(tableSamples) {
		d := i * n / tableSamples
		id, err := r.ExternalID(bindex.NewIndexInternalID(nil, d))
		if err != nil {
			return nil, fmt.Errorf("read the ID of document %d: %w", d, err)
		}
		out[d] = id
	}
	return out, nil
}

// encodeTable writes the magic, the version and the table, its arrays of
// integers packed (packArray): offsets and values are small integers, so
// the file is about a sixth of their four bytes each, and unpacking them
// costs a small part of inflating what DEFLATE made of them (version 2:
// 0.4 s of a million passages' cold start).
func encodeTable(out *bufio.Writer, t *table, samples map[uint64]string) {
	out.WriteString(tableMagic)
	binary.Write(out, binary.LittleEndian, uint32(tableVersion))
	encodeTableBody(out, t, samples, packArray)
}

// encodeTableBody writes what follows the version: arrays writes each
// array of integers, delta when it never decreases (offsets).
func encodeTableBody(w *bufio.Writer, t *table, samples map[uint64]string, arrays func(w *bufio.Writer, vs []uint32, delta bool)) {
	var b [8]byte
	u32 := func(v uint32) {
		binary.LittleEndian.PutUint32(b[:4], v)
		w.Write(b[:4])
	}
	u64 := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		w.Write(b[:])
	}
	str := func(s string) {
		u32(uint32(len(s)))
		w.WriteString(s)
	}
	u64(t.n)
	u32(uint32(len(tableFields)))
	for _, field := range tableFields {
		c := t.mustColumn(field)
		str(field)
		u32(uint32(len(c.names)))
		for _, s := range c.names {
			str(s)
		}
		off, val := c.general()
		arrays(w, off, true)
		arrays(w, val, false)
	}
	arrays(w, t.rank, false)
	ds := make([]uint64, 0, len(samples))
	for d := range samples {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	u32(uint32(len(ds)))
	for _, d := range ds {
		u64(d)
		str(samples[d])
	}
}

// Kinds of packed array.
const (
	packedValues = 0 // the values themselves
	packedDeltas = 1 // each value less the one before it (the first less 0)
)

// packArray writes vs as its length, its kind, the width in bits of its
// largest packed value and the values at that width, value i in bits
// [i·width, (i+1)·width) of little-endian 64-bit words. With delta, and if
// vs never decreases, the differences are packed instead.
func packArray(w *bufio.Writer, vs []uint32, delta bool) {
	kind := packedValues
	if delta && slices.IsSorted(vs) {
		kind = packedDeltas
	}
	value := func(i int) uint32 {
		if kind == packedDeltas && i > 0 {
			return vs[i] - vs[i-1]
		}
		return vs[i]
	}
	var most uint32
	for i := range vs {
		most = max(most, value(i))
	}
	width := bits.Len32(most)
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:4], uint32(len(vs)))
	w.Write(b[:4])
	w.WriteByte(byte(kind))
	w.WriteByte(byte(width))
	if width == 0 {
		return
	}
	var word uint64
	used := 0 // bits of word filled
	for i := range vs {
		v := uint64(value(i))
		word |= v << used
		used += width
		if used >= 64 {
			binary.LittleEndian.PutUint64(b[:], word)
			w.Write(b[:])
			used -= 64
			word = 0
			if used > 0 {
				word = v >> (width - used)
			}
		}
	}
	if used > 0 {
		binary.LittleEndian.PutUint64(b[:], word)
		w.Write(b[:])
	}
}

// readTableFile reads the facet table at path and checks it against r,
// the reader of the generation it was written for. A table that does not
// fit is an error, never a panic: the file may be damaged.
func readTableFile(path string, r bindex.IndexReader) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	kept := false
	defer func() {
		if !kept {
			f.Close()
		}
	}()
	d, err := tableBody(path, bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, err
	}
	t := &table{n: d.u64(), columns: map[string]*column{}}
	count, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("%s: count passages: %w", path, err)
	}
	if d.err == nil && t.n != count {
		return nil, fmt.Errorf("%s: %w: %d documents, the index has %d", path, errTableFormat, t.n, count)
	}
	ncols := d.u32()
	for range ncols {
		if d.err != nil {
			break
		}
		field, c, err := d.column(path, f, t.n)
		if err != nil {
			return nil, err
		}
		t.columns[field] = c
	}
	t.rank = d.array(t.n)
	ns := d.u32()
	samples := map[uint64]string{}
	for range ns {
		if d.err != nil {
			break
		}
		doc := d.u64()
		samples[doc] = d.str()
	}
	if !d.end() {
		return nil, fmt.Errorf("%s: %w", path, errTableFormat)
	}
	for _, field := range tableFields {
		if t.columns[field] == nil {
			return nil, fmt.Errorf("%s: %w: no column %s", path, errTableFormat, field)
		}
	}
	if uint64(len(t.rank)) != t.n || slices.ContainsFunc(t.rank, func(v uint32) bool { return uint64(v) >= t.n }) {
		return nil, fmt.Errorf("%s: %w: reading order out of range", path, errTableFormat)
	}
	if t.n > 0 && len(samples) == 0 {
		return nil, fmt.Errorf("%s: %w: no samples", path, errTableFormat)
	}
	for doc, want := range samples {
		if doc >= t.n {
			return nil, fmt.Errorf("%s: %w: sample %d out of range", path, errTableFormat, doc)
		}
		got, err := r.ExternalID(bindex.NewIndexInternalID(nil, doc))
		if err != nil || got != want {
			return nil, fmt.Errorf("%s: %w: document %d is %q, the table was written for %q", path, errTableFormat, doc, got, want)
		}
	}
	t.setYears()
	if d.packed {
		t.file, kept = f, true
	}
	return t, nil
}

// column reads the next column of a table of n documents in file f at
// path: whole, or in version 3 only its names and where its arrays are.
func (d *tableDecoder) column(path string, f *os.File, n uint64) (string, *column, error) {
	field := d.str()
	c := &column{}
	nn := d.u32()
	for range nn {
		if d.err != nil {
			break
		}
		c.names = append(c.names, d.str())
	}
	if d.packed {
		// Unpacked on first use (tablelazy.go).
		c.lazy.src = &columnSource{f: f, path: path, field: field, off: d.skipPacked(), val: d.skipPacked()}
		if d.err == nil && (c.lazy.src.off.n != n+1 || !slices.IsSorted(c.names)) {
			return "", nil, fmt.Errorf("%s: %w: column %s out of range", path, errTableFormat, field)
		}
		return field, c, nil
	}
	c.off = d.array(n + 1)
	c.val = d.array(uint64(last(c.off)))
	if d.err == nil && !columnValid(c, n) {
		return "", nil, fmt.Errorf("%s: %w: column %s out of range", path, errTableFormat, field)
	}
	return field, c, nil
}

// tableBody checks the header of the file read by f and returns a decoder
// of what follows it: as it is in versions 1 and 3, inflated in version 2.
// The columns are decoded as they are inflated, each into its own slice:
// inflating the whole body first cost a 1M corpus's open 45 MB more, and
// clearing that one buffer held up the garbage collector for most of a
// second.
func tableBody(path string, f *bufio.Reader) (*tableDecoder, error) {
	d := &tableDecoder{r: f, file: f}
	if string(d.bytes(len(tableMagic))) != tableMagic {
		return d, fmt.Errorf("%s: %w: not a facet table", path, errTableFormat)
	}
	switch d.u32() {
	case 1:
		return d, nil
	case 2:
		d.r = bufio.NewReaderSize(io.LimitReader(flate.NewReader(f), maxTableBytes), 64<<10)
		return d, nil
	case tableVersion:
		d.packed = true
		return d, nil
	}
	return d, fmt.Errorf("%s: %w: not a facet table of this version", path, errTableFormat)
}

// columnValid reports whether c's offsets and values can be used for
// documents below n without indexing out of range.
func columnValid(c *column, n uint64) bool {
	if uint64(len(c.off)) != n+1 || c.off[0] != 0 || int(c.off[n]) != len(c.val) {
		return false
	}
	for i := uint64(1); i <= n; i++ {
		if c.off[i] < c.off[i-1] {
			return false
		}
	}
	for _, v := range c.val {
		if int(v) >= len(c.names) {
			return false
		}
	}
	return slices.IsSorted(c.names)
}

// tableDecoder reads what encodeTable wrote; after the first error every
// read returns zero values and err stays set.
type tableDecoder struct {
	r    *bufio.Reader // the body: the file, or its inflation
	file *bufio.Reader // the file, to check that nothing follows the body
	err  error
	buf  []byte
	at   int64 // bytes of the body read so far
	// packed: arrays are packed (version 3), not four bytes an integer.
	packed bool
}

func (d *tableDecoder) fail() {
	if d.err == nil {
		d.err = errTableFormat
	}
}

// bytes reads the next n bytes into a buffer reused by the next read.
func (d *tableDecoder) bytes(n int) []byte {
	if d.err != nil || n < 0 || n > maxTableString {
		d.fail()
		return nil
	}
	if cap(d.buf) < n {
		d.buf = make([]byte, n)
	}
	v := d.buf[:n]
	if _, err := io.ReadFull(d.r, v); err != nil {
		d.fail()
		return nil
	}
	d.at += int64(n)
	return v
}

// maxTableString bounds one string (a facet value, a passage ID) or one
// read of integers.
const maxTableString = 1 << 20

func (d *tableDecoder) u32() uint32 {
	if v := d.bytes(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (d *tableDecoder) u64() uint64 {
	if v := d.bytes(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (d *tableDecoder) str() string {
	return string(d.bytes(int(d.u32())))
}

// last returns the last of vs, 0 for none.
func last(vs []uint32) uint32 {
	if len(vs) == 0 {
		return 0
	}
	return vs[len(vs)-1]
}

// array reads an array of integers that must hold n of them, as the
// table's version writes it.
func (d *tableDecoder) array(n uint64) []uint32 {
	var vs []uint32
	if d.packed {
		vs = d.unpack(n)
	} else {
		vs = d.u32s()
	}
	if d.err == nil && uint64(len(vs)) != n {
		d.fail()
		return nil
	}
	return vs
}

// unpack reads what packArray wrote, which must hold n integers. Nothing
// is allocated for a length other than n, nor more than maxTableBytes, nor
// more than the file holds unless the width is 0.
func (d *tableDecoder) unpack(n uint64) []uint32 {
	if d.err != nil {
		return nil
	}
	p := readPacked(d.r, n, "", "")
	// Grown a block at a time: a damaged count cannot make it allocate
	// more than the file holds.
	out := make([]uint32, 0, min(n, 1<<20))
	for p.err == nil && uint64(len(out)) < n {
		p.unpack()
		out = append(out, p.buf...)
	}
	if p.err != nil {
		d.fail()
		return nil
	}
	d.at += p.bytes()
	return out
}

// u32s reads a count and that many integers. A damaged count cannot make
// it allocate more than the file holds: the slice grows as integers
// arrive, from at most a million.
func (d *tableDecoder) u32s() []uint32 {
	n := int(d.u32())
	if d.err != nil {
		return nil
	}
	out := make([]uint32, 0, min(n, 1<<20))
	for len(out) < n {
		v := d.bytes(4 * min(n-len(out), maxTableString/4))
		if v == nil {
			return nil
		}
		for i := 0; i < len(v); i += 4 {
			out = append(out, binary.LittleEndian.Uint32(v[i:]))
		}
	}
	return out
}

// end reports whether the body was read without error and to its end, and
// nothing follows it in the file.
func (d *tableDecoder) end() bool {
	if d.err != nil {
		return false
	}
	if _, err := d.r.ReadByte(); err != io.EOF {
		return false
	}
	if d.r != d.file {
		if _, err := d.file.ReadByte(); err != io.EOF {
			return false
		}
	}
	return true
}
