package index

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"sync"
)

// A packed table's columns (version 3) are unpacked when a search first
// reads them. Unpacked whole, as they were, the six columns of a million
// passages took 52 MB, and on our machines the first touch of fresh memory
// costs about 3 ms a megabyte: that was most of what reading the table
// cost a cold start, for columns (the document and section scopes, the
// languages) that most first searches never read. Open reads the columns'
// names and the place of their arrays; each array is checked when it is
// unpacked, and a damaged one is damage of the generation (noteDamage).

// packedAt is where a packed array starts in the table's file, and how many
// integers its header says it holds.
type packedAt struct {
	at int64
	n  uint64
}

// columnSource is where a column not yet unpacked lies.
type columnSource struct {
	f        *os.File // the table's, closed by table.close
	path     string
	field    string
	off, val packedAt
}

// lazyColumn holds what column adds for unpacking on first use.
type lazyColumn struct {
	once sync.Once
	err  error
	src  *columnSource // nil: unpacked when made
}

// column returns t's column of field, unpacking it on first use.
func (t *table) column(field string) (*column, error) {
	c := t.columns[field]
	if c == nil {
		return nil, fmt.Errorf("facet table: %w: no column %s", errTableFormat, field)
	}
	c.lazy.once.Do(func() { c.lazy.err = c.unpack(t.n) })
	return c, c.lazy.err
}

// mustColumn is column for callers that have no error to return, once
// their columns are unpacked (unpackFor, unpackFields): a damaged column
// panics here only for a caller that did not, and searches run under
// guard, which makes the panic an error of its own.
func (t *table) mustColumn(field string) *column {
	c, err := t.column(field)
	if err != nil {
		panic(err)
	}
	return c
}

// unpack reads c's arrays from its source and checks them for documents
// below n.
func (c *column) unpack(n uint64) error {
	src := c.lazy.src
	if src == nil {
		return nil
	}
	if cc, ok, err := unpackCompact(src, len(c.names), n); err != nil || ok {
		c.compact = cc
		return err
	}
	read := func(a packedAt, want uint64) ([]uint32, error) {
		r := io.NewSectionReader(src.f, a.at, math.MaxInt64-a.at)
		d := &tableDecoder{r: bufio.NewReaderSize(r, 64<<10), packed: true}
		vs := d.array(want)
		if d.err != nil {
			return nil, fmt.Errorf("%s: %w: column %s", src.path, d.err, src.field)
		}
		return vs, nil
	}
	off, err := read(src.off, n+1)
	if err != nil {
		return err
	}
	val, err := read(src.val, uint64(last(off)))
	if err != nil {
		return err
	}
	u := &column{names: c.names, off: off, val: val}
	if !columnValid(u, n) {
		return fmt.Errorf("%s: %w: column %s out of range", src.path, errTableFormat, src.field)
	}
	c.off, c.val = off, val
	return nil
}

// skipPacked reads the header of the packed array that comes next, skips
// its integers and returns where it starts.
func (d *tableDecoder) skipPacked() packedAt {
	at := d.at
	n := uint64(d.u32())
	head := d.bytes(2)
	if d.err != nil {
		return packedAt{}
	}
	kind, width := head[0], uint64(head[1])
	if kind > packedDeltas || width > 32 || n > maxTableBytes/4 {
		d.fail()
		return packedAt{}
	}
	d.skip(int64((n*width + 63) / 64 * 8))
	return packedAt{at: at, n: n}
}

// skip passes over the next k bytes.
func (d *tableDecoder) skip(k int64) {
	for d.err == nil && k > 0 {
		m, err := d.r.Discard(int(min(k, 1<<30)))
		d.at += int64(m)
		k -= int64(m)
		if err != nil {
			d.fail()
		}
	}
}

// close closes the file t's columns are unpacked from, if any.
func (t *table) close() error {
	if t == nil || t.file == nil {
		return nil
	}
	return t.file.Close()
}

// unpackFor unpacks the columns a one-pass search of q reads, so that a
// damaged one is the search's error rather than a panic in the pass.
func (t *table) unpackFor(q Query, facets bool) error {
	var fields []string
	if facets {
		for _, f := range facetFields {
			fields = append(fields, f)
		}
	}
	for _, f := range []struct {
		on    bool
		field string
	}{
		{len(q.Companies) > 0, fieldCompany},
		{len(q.Speakers) > 0, fieldSpeaker},
		{len(q.Sections) > 0, fieldSection},
		{len(q.Years) > 0 || q.YearFrom != 0 || q.YearTo != 0, fieldYear},
		{q.Doc != "", fieldDoc},
	} {
		if f.on {
			fields = append(fields, f.field)
		}
	}
	return t.unpackFields(fields...)
}

// unpackFields unpacks the columns of fields.
func (t *table) unpackFields(fields ...string) error {
	for _, f := range fields {
		if _, err := t.column(f); err != nil {
			return err
		}
	}
	return nil
}
