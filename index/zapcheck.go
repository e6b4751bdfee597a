package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// What zap (bleve's segment format, github.com/blevesearch/zapx/v17) reads
// at open and trusts. A large generation is served before its big files'
// checksums are verified (verifyLater); bleve recovers from most damage by
// panicking (guard turns that into an error), but one count it reads at
// open sizes an allocation: each field's number of doc-value chunks. A
// flipped bit there asks for a terabyte and the runtime ends the process,
// which no recover can stop. checkSegments reads those counts, and the
// few offsets that lead to them, before bleve opens the segments, and
// refuses a segment whose counts cannot be right.
//
// On upgrading zapx, re-check against its segment.go (loadConfig,
// loadFields, loadField, loadDvReaders) and docvalues.go
// (loadFieldDocValueReader): the footer layout, the sections index, and
// the doc-value trailer (chunk offsets length, then chunk count).
// The format's constants are diskusage.go's (zapVersion, zapFooterSize,
// zapInvertedText, zapNotUninverted).

// errZapDamaged marks a segment whose open-time structure is impossible.
var errZapDamaged = errors.New("segment structure damaged")

// checkSegments checks every zap segment file under dir.
func checkSegments(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := checkSegment(f); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(f), err)
		}
	}
	return nil
}

// zapReader reads pieces of a segment file, bounds-checked.
type zapReader struct {
	f    *os.File
	size uint64
}

func (r zapReader) bytes(off, n uint64) ([]byte, error) {
	if off > r.size || n > r.size-off {
		return nil, fmt.Errorf("%w: %d bytes at %d in a file of %d", errZapDamaged, n, off, r.size)
	}
	b := make([]byte, n)
	if _, err := r.f.ReadAt(b, int64(off)); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b, nil
}

func (r zapReader) u64(off uint64) (uint64, error) {
	b, err := r.bytes(off, 8)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(b), nil
}

// uvarint reads a varint at off and returns it with the offset after it.
func (r zapReader) uvarint(off uint64) (uint64, uint64, error) {
	b, err := r.bytes(off, min(binary.MaxVarintLen64, r.size-min(off, r.size)))
	if err != nil {
		return 0, 0, err
	}
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, 0, fmt.Errorf("%w: bad varint at %d", errZapDamaged, off)
	}
	return v, off + uint64(n), nil
}

func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	r := zapReader{f: f, size: uint64(fi.Size())}
	if r.size < zapFooterSize {
		return fmt.Errorf("%w: %d bytes is shorter than a footer", errZapDamaged, r.size)
	}
	foot, err := r.bytes(r.size-zapFooterSize, zapFooterSize)
	if err != nil {
		return err
	}
	// From the end: crc, version, chunk mode (4 bytes each), then the
	// sections index, stored index and document count (8 each), then the
	// writer id's length (4).
	if v := binary.BigEndian.Uint32(foot[zapFooterSize-8:]); v != zapVersion {
		return nil // not the format this check knows; bleve will say
	}
	sectionsIndex := binary.BigEndian.Uint64(foot[zapFooterSize-20:])
	numDocs := binary.BigEndian.Uint64(foot[4:])
	if numDocs == 0 {
		return nil
	}
	numFields, pos, err := r.uvarint(sectionsIndex)
	if err != nil {
		return err
	}
	if numFields > r.size/8 {
		return fmt.Errorf("%w: %d fields", errZapDamaged, numFields)
	}
	for i := range numFields {
		addr, err := r.u64(pos + 8*i)
		if err != nil {
			return err
		}
		if addr == 0 {
			continue
		}
		if err := checkField(r, addr, numDocs); err != nil {
			return fmt.Errorf("field %d: %w", i, err)
		}
	}
	return nil
}

// checkField follows one field's sections to its doc values, if any, and
// checks their chunk count.
func checkField(r zapReader, pos, numDocs uint64) error {
	nameLen, pos, err := r.uvarint(pos)
	if err != nil {
		return err
	}
	if nameLen > r.size {
		return fmt.Errorf("%w: name of %d bytes", errZapDamaged, nameLen)
	}
	_, pos, err = r.uvarint(pos + nameLen) // options
	if err != nil {
		return err
	}
	numSections, pos, err := r.uvarint(pos)
	if err != nil {
		return err
	}
	if numSections > r.size/10 {
		return fmt.Errorf("%w: %d sections", errZapDamaged, numSections)
	}
	for s := range numSections {
		b, err := r.bytes(pos+10*s, 10)
		if err != nil {
			return err
		}
		typ, addr := binary.BigEndian.Uint16(b), binary.BigEndian.Uint64(b[2:])
		if typ != zapInvertedText || addr == 0 {
			continue
		}
		start, next, err := r.uvarint(addr)
		if err != nil {
			return err
		}
		end, _, err := r.uvarint(next)
		if err != nil {
			return err
		}
		if start == zapNotUninverted {
			continue
		}
		if end <= start || end > r.size || end-start <= 16 {
			return fmt.Errorf("%w: doc values at %d–%d", errZapDamaged, start, end)
		}
		chunks, err := r.u64(end - 8)
		if err != nil {
			return err
		}
		offsetsLen, err := r.u64(end - 16)
		if err != nil {
			return err
		}
		// Each chunk holds at least one document, and its offset takes at
		// least one byte of the offsets that precede the trailer.
		if chunks > numDocs || chunks > offsetsLen || offsetsLen > end-16-start {
			return fmt.Errorf("%w: %d doc-value chunks (%d offset bytes) for %d documents", errZapDamaged, chunks, offsetsLen, numDocs)
		}
	}
	return nil
}
