package corpus

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"
)

// maxLineBytes bounds one line of a source file. A 1 MB paragraph on one
// line is fine; a file that is one endless line is not text.
const maxLineBytes = 64 << 20

// lineReader reads a file line by line, without line endings and a leading
// byte order mark, counting lines for errors and rejecting invalid UTF-8.
// Unlike bufio.Scanner it has no 64 KB limit on a line.
type lineReader struct {
	r    *bufio.Reader
	name string
	n    int // lines read
	buf  []byte
}

func newLineReader(r io.Reader, name string) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), name: name}
}

// next returns the next line, io.EOF after the last, or a *FileError.
func (lr *lineReader) next() (string, error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		lr.buf = append(lr.buf, chunk...)
		if len(lr.buf) > maxLineBytes {
			return "", fileErr(lr.name, lr.n+1, "line longer than %d MiB", maxLineBytes>>20)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(lr.buf) == 0 {
			return "", io.EOF
		}
		if err != nil && err != io.EOF {
			return "", &FileError{Path: lr.name, Line: lr.n + 1, Err: err}
		}
		break
	}
	lr.n++
	line := bytes.TrimSuffix(lr.buf, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if lr.n == 1 {
		line = bytes.TrimPrefix(line, []byte("\uFEFF"))
	}
	if !utf8.Valid(line) {
		// decodeText found the start of the file to be UTF-8 (or the
		// caller read it without); this line is not.
		if enc, err := guessEncoding(line); err == nil {
			return "", fileErr(lr.name, lr.n, "invalid UTF-8: this line reads as %s; convert the file to UTF-8 as a whole (iconv -f %s -t UTF-8)", enc, enc)
		}
		return "", fileErr(lr.name, lr.n, "invalid UTF-8")
	}
	return string(line), nil
}
