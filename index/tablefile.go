package index

import (
	"bufio"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
// change). Samples of (number, passage ID) pairs written with it check at
// load that it was written for these files' numbering; that its values
// are intact is the manifest's checksums' business.

const (
	tableFile    = "facets.bin"
	tableMagic   = "corpus-facets\x00"
	tableVersion = 2 // 1 was the same without DEFLATE
	tableSamples = 64
)

var errTableFormat = errors.New("facet table damaged")

// maxTableBytes bounds the uncompressed table a file may claim: about 120
// bytes per passage for ten million passages.
const maxTableBytes = 1 << 30

// writeTableFile builds the facet table of the bleve index at dir and
// writes it to path.
func writeTableFile(bleveDir, path string) error {
	bi, err := bleve.OpenUsing(bleveDir, map[string]any{"read_only": true, "bolt_timeout": "2s"})
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	defer bi.Close()
	t, err := buildTable(bi)
	if err != nil {
		return err
	}
	idx, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	r, err := openReader(idx)
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	defer r.Close()
	samples, err := tableSampleIDs(r, t.n)
	if err != nil {
		return err
	}
	return createSynced(path, func(f *os.File) error {
		w := bufio.NewWriterSize(f, 1<<20)
		encodeTable(w, t, samples)
		return w.Flush()
	})
}

// tableSampleIDs returns the passage IDs of evenly spread document numbers
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
			return nil, fmt.Errorf("read passage ID of document %d: %w", d, err)
		}
		out[d] = id
	}
	return out, nil
}

// encodeTable writes the magic and the version, then the table compressed
// with DEFLATE: its offsets and values are small integers, so the file is
// about a quarter of their four bytes each (4.6 → 1.2 MB for 100k passages).
func encodeTable(out *bufio.Writer, t *table, samples map[uint64]string) {
	out.WriteString(tableMagic)
	binary.Write(out, binary.LittleEndian, uint32(tableVersion))
	fw, _ := flate.NewWriter(out, flate.BestCompression) // the level is valid
	w := bufio.NewWriterSize(fw, 1<<16)
	defer func() {
		w.Flush()
		fw.Close()
	}()
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
	u32s := func(vs []uint32) {
		u32(uint32(len(vs)))
		for _, v := range vs {
			u32(v)
		}
	}
	u64(t.n)
	u32(uint32(len(tableFields)))
	for _, field := range tableFields {
		c := t.columns[field]
		str(field)
		u32(uint32(len(c.names)))
		for _, s := range c.names {
			str(s)
		}
		u32s(c.off)
		u32s(c.val)
	}
	u32s(t.rank)
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

// readTableFile reads the facet table at path and checks it against r,
// the reader of the generation it was written for. A table that does not
// fit is an error, never a panic: the file may be damaged.
func readTableFile(path string, r bindex.IndexReader) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
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
		field := d.str()
		c := &column{}
		nn := d.u32()
		for range nn {
			if d.err != nil {
				break
			}
			c.names = append(c.names, d.str())
		}
		c.off = d.u32s()
		c.val = d.u32s()
		if d.err == nil && !columnValid(c, t.n) {
			return nil, fmt.Errorf("%s: %w: column %s out of range", path, errTableFormat, field)
		}
		t.columns[field] = c
	}
	t.rank = d.u32s()
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
	return t, nil
}

// tableBody checks the header of the file read by f and returns a decoder
// of what follows it: as it is in version 1, inflated since version 2.
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
	case tableVersion:
		d.r = bufio.NewReaderSize(io.LimitReader(flate.NewReader(f), maxTableBytes), 64<<10)
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
