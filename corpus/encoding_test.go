package corpus

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// encode returns s in enc, failing the test on a character enc lacks.
func encode(t testing.TB, enc encoding.Encoding, s string) string {
	t.Helper()
	b, err := enc.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

const (
	simplifiedText  = "这是一个用简体中文写的段落，我们在这里测试编码的识别。\n\n第二段：他说这个文件是用国家标准编码保存的。\n"
	traditionalText = "這是一個用繁體中文寫的段落，我們在這裡測試編碼的識別。\n\n第二段：他說這個檔案是用大五碼保存的。\n"
)

// TestEncodings reads files in GB18030, GBK, Big5 and UTF-16 with a byte
// order mark, as text, PO (whose header names its charset) and TMX (whose
// XML declaration names its encoding), and finds the text as written.
func TestEncodings(t *testing.T) {
	utf16le := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM)
	utf16be := xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM)
	po := "msgid \"\"\nmsgstr \"\"\n\"Language: zh_CN\\n\"\n\"Content-Type: text/plain; charset=GBK\\n\"\n\nmsgid \"Open the file\"\nmsgstr \"打开这个文件\"\n"
	tmx := `<?xml version="1.0" encoding="Big5"?>` + "\n<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>Software update</seg></tuv><tuv xml:lang=\"zh-TW\"><seg>這是我們的軟體更新</seg></tuv></tu></body></tmx>\n"
	tmx16 := `<?xml version="1.0" encoding="UTF-16"?>` + "\n<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>Update</seg></tuv><tuv xml:lang=\"zh-CN\"><seg>更新</seg></tuv></tu></body></tmx>\n"
	fsys := fstest.MapFS{
		"gb18030.txt":    {Data: []byte(encode(t, simplifiedchinese.GB18030, simplifiedText))},
		"gbk.txt":        {Data: []byte(encode(t, simplifiedchinese.GBK, simplifiedText))},
		"big5.txt":       {Data: []byte(encode(t, traditionalchinese.Big5, traditionalText))},
		"utf16le.txt":    {Data: []byte(encode(t, utf16le, simplifiedText))},
		"utf16be.txt":    {Data: []byte(encode(t, utf16be, traditionalText))},
		"utf8bom.txt":    {Data: []byte("\uFEFF" + simplifiedText)},
		"gbk.po":         {Data: []byte(encode(t, simplifiedchinese.GBK, po))},
		"big5.tmx":       {Data: []byte(encode(t, traditionalchinese.Big5, tmx))},
		"utf16.tmx":      {Data: []byte(encode(t, utf16le, tmx16))},
		"latin1.txt":     {Data: []byte(encode(t, charmap.ISO8859_1, "Caf\u00e9 cr\u00e8me, na\u00efve fa\u00e7ade.\n"))},
		"sjis.txt":       {Data: []byte(encode(t, japanese.ShiftJIS, "これは日本語の文章です。\n"))},
		"utf16nobom.txt": {Data: []byte(encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), "Plain English text without a mark.\n"))},
	}
	s := read(t, fsys, ReadOptions{})
	got := map[string]string{}
	for _, d := range s.Documents {
		var ps []string
		for _, p := range d.Passages {
			ps = append(ps, p.Text.EN+"|"+p.Text.ZH)
		}
		got[d.ID] = strings.Join(ps, " / ")
	}
	simp := "|这是一个用简体中文写的段落，我们在这里测试编码的识别。 / |第二段：他说这个文件是用国家标准编码保存的。"
	trad := "|這是一個用繁體中文寫的段落，我們在這裡測試編碼的識別。 / |第二段：他說這個檔案是用大五碼保存的。"
	for id, want := range map[string]string{
		"gb18030": simp, "gbk-txt": simp, "utf16le": simp, "utf8bom": simp,
		"big5-txt": trad, "utf16be": trad,
		// big5.tmx comes before big5.txt and keeps the plain id.
		"gbk":   "Open the file|打开这个文件",
		"big5":  "Software update|這是我們的軟體更新",
		"utf16": "Update|更新",
	} {
		if got[id] != want {
			t.Errorf("document %s = %q, want %q", id, got[id], want)
		}
	}
	for _, want := range []string{
		"src/gb18030.txt: read as GB18030", "src/gbk.txt: read as GB18030", "src/big5.txt: read as Big5",
		"src/utf16le.txt: read as UTF-16LE", "src/utf16be.txt: read as UTF-16BE", "src/gbk.po: read as GB18030",
		"src/big5.tmx: read as Big5", "src/utf16.tmx: read as UTF-16LE",
	} {
		if !slices.Contains(s.Notices, want) {
			t.Errorf("notices %q lack %q", s.Notices, want)
		}
	}
	var errs []string
	for _, e := range s.Errors {
		errs = append(errs, e.Error())
	}
	for _, want := range []string{
		"src/latin1.txt:1: not UTF-8: the file looks like an encoding this program does not read (Latin-1 or Windows-1252",
		"src/sjis.txt:1: not UTF-8: the file looks like",
		"src/utf16nobom.txt:1: not UTF-8: the file looks like UTF-16LE without a byte order mark; convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8)",
	} {
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, want) }) {
			t.Errorf("errors %q lack one starting %q", errs, want)
		}
	}
	if len(errs) != 3 {
		t.Errorf("errors %q, want 3", errs)
	}
}

// TestEncodingFurtherOn: a file whose start is UTF-8 and a later line GBK
// is reported at that line, with the encoding the line looks like.
func TestEncodingFurtherOn(t *testing.T) {
	text := strings.Repeat("这是用UTF-8写的一行。\n\n", sniffBytes/20) + encode(t, simplifiedchinese.GBK, "这一行是我们用国家标准编码写的。") + "\n"
	s := read(t, fstest.MapFS{"mixed.txt": {Data: []byte(text)}}, ReadOptions{})
	want := "invalid UTF-8: this line reads as GB18030; convert the file to UTF-8 as a whole (iconv -f GB18030 -t UTF-8)"
	if len(s.Errors) != 1 || !strings.HasSuffix(s.Errors[0].Error(), want) || !strings.HasPrefix(s.Errors[0].Error(), "src/mixed.txt:") {
		t.Errorf("errors %v, want one ending %q", s.Errors, want)
	}
}
