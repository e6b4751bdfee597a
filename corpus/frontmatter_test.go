package corpus

import (
	"strings"
	"testing"
)

// TestReadText runs the cases of testdata/source/text: Markdown and plain
// text with and without front matter.
func TestReadText(t *testing.T) { runSourceCases(t, "text") }

func TestFrontMatterErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"---\ntitle: x\n", "a.md:1: front matter is not closed: no --- line after the opening one"},
		{"---\ntitle: x\ndate: 2021-02-30\n---\nText.\n", `a.md:3: front matter: date "2021-02-30": want YYYY or YYYY-MM-DD`},
		{"---\ndate: March 2021\n---\nText.\n", `a.md:2: front matter: date "March 2021": want YYYY or YYYY-MM-DD`},
		{"---\nlang: fr\n---\nTexte.\n", `a.md:2: front matter: lang "fr": want en or zh`},
		{"---\nid: Not An ID\n---\nText.\n", `a.md:2: front matter: id "Not An ID": want lower-case words and digits joined by hyphens`},
		{"---\ntitle:\n  en: x\n---\nText.\n", "a.md:3: front matter: title: want text or a list of texts"},
		{"---\n- a\n- b\n---\nText.\n", "a.md:2: front matter: want key: value lines"},
		{"---\ntitle: a\ntitle: b\n---\nText.\n", "a.md:3: front matter: title given twice (first on line 2)"},
		{"---\ntitle: \"open\n---\nText.\n", "a.md:1: front matter: found unexpected end of stream"},
		{"---\ndate: 2020\n---\n\n", "a.md:4: no text"},
		{"---\nTitle: x\ntitle: y\n---\nText.\n", "a.md:3: front matter: title given twice (first on line 2)"},
		{"", "a.md:1: no text"},
		{"Text \xc3\x28 here.\n", "a.md:1: invalid UTF-8"},
	} {
		_, err := readTextDocument(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("read %q: error %v, want %s", tc.in, err, tc.want)
		}
	}
}

func readTextDocument(in string) (*Document, error) {
	tf, err := readText(strings.NewReader(in), "a.md", true)
	if err != nil {
		return nil, err
	}
	return tf.document(sourceFile{stem: "a"}, "a.md")
}

func TestMarkdownInline(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"**Huawei** [said](https://example.com/x) *so*", "Huawei said so"},
		{"![A chart](chart.png) shows `go test`", "A chart shows go test"},
		{"snake_case_name stays, _this_ does not", "snake_case_name stays, this does not"},
		{`an \*escaped\* star and a \[bracket\]`, "an *escaped* star and a [bracket]"},
		{"see [the report][1] and note[^2]", "see the report and note"},
		{"<https://example.com> and <b>bold</b>", "https://example.com and bold"},
		{"~~old~~ new; 3 * 4 * 5", "old new; 3 * 4 * 5"},
		{"华为**出海**了", "华为出海了"},
	} {
		if got := mdInline(tc.in); got != tc.want {
			t.Errorf("mdInline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzFrontMatter feeds Markdown files, front matter included, to the text
// reader: it must not panic, and must return a good document or a
// *FileError with a line in the file.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: 华为出海\ndate: 2021-06-01\nlang: zh\nid: a-b\n---\n\n# 标题\n\n正文。\n",
		"---\nauthor: [A, B]\ndate: 2020\n---\nText *with* [links](x).\n\n```\ncode\n```\n\n- item\n- item\n",
		"---\ntitle: [\n---\n",
		"Heading\n=======\n\n> quote\n\n<!-- comment\n-->\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := readTextDocument(string(in))
		checkReaderResult(t, "a.md", in, d, err)
	})
}
