package corpus

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadPO runs the cases of testdata/source/po.
func TestReadPO(t *testing.T) { runSourceCases(t, "po") }

func TestPOErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"msgid \"a\"\n\"b\"\nmsgstr \"甲\n", "p.po:3: msgstr: want a string in double quotes"},
		{"msgid \"a\\q\"\nmsgstr \"甲\"\n", `p.po:1: msgid: unknown escape \q`},
		{"msgid \"a\"\n\n", "p.po:1: msgid without msgstr"},
		{"msgstr \"甲\"\n", "p.po:1: msgstr without msgid"},
		{"\"orphan\"\n", "p.po:1: string continues nothing"},
		{"msgid \"a\"\nmsgstr \"甲\"\nmsgfoo \"x\"\n", `p.po:3: unknown keyword "msgfoo"`},
		{"msgid \"a\"\nmsgstr[x] \"甲\"\n", "p.po:2: bad plural index in msgstr[x]"},
		{"msgid \"a\"\nmsgstr \"\\xff\"\n", "p.po:2: msgstr: escapes make invalid UTF-8"},
		{"msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=GB2312\\n\"\n", "p.po:1: header: charset: the file says it is in gb2312 but reads as UTF-8 text; if it is UTF-8, correct the declaration, else convert the file to UTF-8 (iconv -f gb2312 -t UTF-8) (msgconv --to-code=UTF-8 converts a catalogue)"},
		{"msgid \"a\"\nmsgstr \"\"\n", "p.po: no translated message"},
		{"msgid \"a\"\nmsgstr \"甲\xff\"\n", "p.po:2: invalid UTF-8"},
	} {
		_, err := readPO(strings.NewReader(tc.in), "p.po", func(string, ...any) {})
		if err == nil || err.Error() != tc.want {
			t.Errorf("readPO(%q): error %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestPOString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"plain"`, "plain"},
		{`"tab\tnew\nquote\"back\\"`, "tab\tnew\nquote\"back\\"},
		{`"\101\x42"`, "AB"},
		{`"\344\270\255"`, "中"},
	} {
		got, err := poString(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("poString(%s) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

// FuzzPO feeds arbitrary bytes to the PO reader.
func FuzzPO(f *testing.F) {
	f.Add([]byte("msgid \"\"\nmsgstr \"Language: zh_CN\\n\"\n\n#, fuzzy\nmsgid \"a\"\nmsgstr \"甲\"\n\nmsgctxt \"c\"\nmsgid \"b\"\nmsgid_plural \"bs\"\nmsgstr[0] \"乙\"\n"))
	f.Add([]byte("msgid \"\"\n\"multi \"\n\"line\\n\"\nmsgstr \"\"\n\"多行\"\n#~ msgid \"old\"\n"))
	f.Add([]byte("msgid \"\\x\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := readPO(bytes.NewReader(in), "p.po", func(string, ...any) {})
		checkReaderResult(t, "p.po", in, d, err)
	})
}
