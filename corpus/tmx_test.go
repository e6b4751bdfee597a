package corpus

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadTMX runs the cases of testdata/source/tmx.
func TestReadTMX(t *testing.T) { runSourceCases(t, "tmx") }

func TestTMXErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<tmx><body>\n<tu><tuv xml:lang='en'><seg>a</seg></tuv>\n</body></tmx>", "m.tmx:3: element <tu> closed by </body>"},
		{"<?xml version='1.0'?>\n<html><body/></html>", "m.tmx:2: not a TMX file: the root element is <html>, want <tmx>"},
		{"<tmx><body>\n<tu><tuv xml:lang='en'><seg>a &bogus; b</seg></tuv></tu>\n</body></tmx>", "m.tmx:2: invalid character entity &bogus;"},
		{"<tmx>\n<body>\n<tu><tuv xml:lang='en'><seg>\xff</seg></tuv></tu></body></tmx>", "m.tmx:3: invalid UTF-8"},
		{"<?xml version='1.0' encoding='UTF-16'?>\n<tmx/>", `m.tmx:1: xml: opening charset "UTF-16": the file says it is in UTF-16 but reads as UTF-8 text; if it is UTF-8, correct the declaration, else convert the file to UTF-8 (iconv -f UTF-16 -t UTF-8)`},
		{"<tmx><body>\n<tu><tuv xml:lang='en'><seg>a</seg></tuv></tu>\n</body>", "m.tmx:3: unexpected EOF"},
		{"<tmx><body><tu><tuv xml:lang='fr'><seg>a</seg></tuv></tu></body></tmx>", "m.tmx: no translation unit with both an English and a Chinese segment"},
		{"", "m.tmx:1: not a TMX file: no <tmx> element"},
	} {
		_, _, err := readTMX(strings.NewReader(tc.in), "m.tmx")
		if err == nil || err.Error() != tc.want {
			t.Errorf("readTMX(%q): error %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestLangOf(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"en", English, true}, {"en-US", English, true}, {"EN-GB", English, true}, {"en_gb", English, true},
		{"zh", Chinese, true}, {"zh-CN", Chinese, true}, {"zh-Hans", Chinese, true}, {"ZH-tw", Chinese, true},
		{"zh_Hant_HK", Chinese, true}, {"fr", "", false}, {"", "", false}, {"english", "", false},
	} {
		got, ok := langOf(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("langOf(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzTMX feeds arbitrary bytes to the TMX reader.
func FuzzTMX(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en-US"><seg>Phone <bpt i="1">&lt;b&gt;</bpt>makers<ept i="1">&lt;/b&gt;</ept> &amp; more</seg></tuv>
<tuv xml:lang="zh-TW"><seg>手機<hi>廠商</hi><ph>&lt;br/&gt;</ph></seg></tuv></tu></body></tmx>`))
	f.Add([]byte("<tmx><body><tu><tuv lang='en'><seg>a<sub>b</sub></seg></tuv><tuv lang='zh'><seg>甲</seg></tuv></tu></body></tmx>"))
	f.Add([]byte("<tmx><body><tu><tuv xml:lang='en'><seg>a"))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, _, err := readTMX(bytes.NewReader(in), "m.tmx")
		checkReaderResult(t, "m.tmx", in, d, err)
	})
}
