package bench

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Message is one entry of a GNU gettext catalogue: an original string and
// its translation.
type Message struct {
	ID, Str string
}

// moMagic is the first word of a .mo file, read in the file's byte order.
const moMagic = 0x950412de

// ReadMO parses a GNU MO catalogue (the binary format msgfmt writes). It
// returns the entries in file order. A plural entry gives its singular
// msgid and its first translation; a msgctxt prefix ("ctx\x04id") is
// dropped. The header entry (empty msgid) is skipped.
func ReadMO(data []byte) ([]Message, error) {
	if len(data) < 28 {
		return nil, errors.New("mo: file too short for a header")
	}
	var order binary.ByteOrder
	switch {
	case binary.LittleEndian.Uint32(data) == moMagic:
		order = binary.LittleEndian
	case binary.BigEndian.Uint32(data) == moMagic:
		order = binary.BigEndian
	default:
		return nil, errors.New("mo: bad magic number")
	}
	if rev := order.Uint32(data[4:]); rev>>16 > 1 {
		return nil, fmt.Errorf("mo: unknown major revision %d", rev>>16)
	}
	n := int(order.Uint32(data[8:]))
	origTab := int(order.Uint32(data[12:]))
	transTab := int(order.Uint32(data[16:]))
	if n < 0 || n > len(data)/8 {
		return nil, fmt.Errorf("mo: %d entries cannot fit in %d bytes", n, len(data))
	}
	str := func(tab, i int) (string, error) {
		at := tab + 8*i
		if at < 0 || at+8 > len(data) || at < tab {
			return "", fmt.Errorf("mo: string table entry %d out of the file", i)
		}
		l := int(order.Uint32(data[at:]))
		off := int(order.Uint32(data[at+4:]))
		if off < 0 || l < 0 || off+l > len(data) || off+l < off {
			return "", fmt.Errorf("mo: string %d (offset %d, length %d) out of the file", i, off, l)
		}
		return string(data[off : off+l]), nil
	}
	out := make([]Message, 0, n)
	for i := range n {
		id, err := str(origTab, i)
		if err != nil {
			return nil, err
		}
		tr, err := str(transTab, i)
		if err != nil {
			return nil, err
		}
		if k := strings.IndexByte(id, 4); k >= 0 {
			id = id[k+1:]
		}
		if k := strings.IndexByte(id, 0); k >= 0 {
			id = id[:k]
		}
		if k := strings.IndexByte(tr, 0); k >= 0 {
			tr = tr[:k]
		}
		if id == "" {
			continue
		}
		out = append(out, Message{ID: id, Str: tr})
	}
	return out, nil
}
