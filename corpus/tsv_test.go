package corpus

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadTSV runs the cases of testdata/source/tsv.
func TestReadTSV(t *testing.T) { runSourceCases(t, "tsv") }

func TestTSVErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a\tb\n\nno tab\n", "t.tsv:3: no tab: want English<TAB>Chinese"},
		{"a\tb\tc\n", "t.tsv:1: 3 tab-separated fields, want 2 (English<TAB>Chinese), or a header line naming the columns"},
		{"id\ten\tzh\n1\ta\t甲\n2\tb\n", "t.tsv:3: 2 tab-separated fields, want 3 as in the header line"},
		{"a\t\xe4\xb8\n", "t.tsv:1: invalid UTF-8"},
		{"en\tzh\n\n", "t.tsv:2: no text"},
	} {
		_, err := readTSV(strings.NewReader(tc.in), "t.tsv", func(string, ...any) {})
		if err == nil || err.Error() != tc.want {
			t.Errorf("readTSV(%q): error %v, want %s", tc.in, err, tc.want)
		}
	}
}

// FuzzTSV feeds arbitrary bytes to the TSV reader.
func FuzzTSV(f *testing.F) {
	f.Add([]byte("en\tzh\nHuawei\t华为\n\nByteDance\t字节跳动\r\n"))
	f.Add([]byte("id\tChinese\tEnglish\n1\t华为\tHuawei\n"))
	f.Add([]byte("\tonly Chinese side empty\n甲\t\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := readTSV(bytes.NewReader(in), "t.tsv", func(string, ...any) {})
		checkReaderResult(t, "t.tsv", in, d, err)
	})
}
