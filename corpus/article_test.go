package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// update is shared by every golden test of the package.
var update = flag.Bool("update", false, "rewrite golden files in testdata")

// archiveFile is one file of a txtar-style test case.
type archiveFile struct {
	name string
	data []byte
}

// parseArchive splits a txtar-style test case: an optional comment, then
// files each introduced by a line "-- name --". The format is the one of
// golang.org/x/tools/txtar, which is not a dependency of this module.
func parseArchive(data []byte) (comment []byte, files []archiveFile) {
	cur := &comment
	for len(data) > 0 {
		line := data
		rest := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, rest = data[:i+1], data[i+1:]
		}
		data = rest
		t := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(t, []byte("-- ")) && bytes.HasSuffix(t, []byte(" --")) && len(t) > 6 {
			files = append(files, archiveFile{name: string(t[3 : len(t)-3])})
			cur = &files[len(files)-1].data
			continue
		}
		*cur = append(*cur, line...)
	}
	return comment, files
}

func formatArchive(comment []byte, files []archiveFile) []byte {
	var b bytes.Buffer
	b.Write(comment)
	for _, f := range files {
		b.WriteString("-- " + f.name + " --\n")
		b.Write(f.data)
		if len(f.data) > 0 && f.data[len(f.data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func marshalGolden(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// checkGolden compares got with the golden file path, or rewrites it with
// -update.
func checkGolden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestParseArticleGolden runs the cases of testdata/article/*.txtar: the
// file "input" is parsed; "want.json" holds the Article, or "error" the
// error. go test -update rewrites both.
func TestParseArticleGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/article/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no test cases in testdata/article")
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			comment, files := parseArchive(data)
			var input []byte
			var kept []archiveFile
			for _, f := range files {
				switch f.name {
				case "input":
					input = f.data
					kept = append(kept, f)
				case "want.json", "error":
				default:
					t.Fatalf("unknown file %q in %s", f.name, path)
				}
			}
			if input == nil {
				t.Fatalf("%s has no input file", path)
			}
			var got archiveFile
			a, err := ParseArticle(bytes.NewReader(input), "input")
			if err != nil {
				got = archiveFile{name: "error", data: []byte(err.Error() + "\n")}
			} else {
				got = archiveFile{name: "want.json", data: marshalGolden(t, a)}
			}
			if *update {
				if err := os.WriteFile(path, formatArchive(comment, append(kept, got)), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want *archiveFile
			for i := range files {
				if files[i].name == got.name {
					want = &files[i]
				}
			}
			if want == nil {
				t.Fatalf("ParseArticle(%s) gave %s:\n%s\nbut the case has no file %q (run go test -update)", path, got.name, got.data, got.name)
			}
			if diff := cmp.Diff(string(want.data), string(got.data)); diff != "" {
				t.Errorf("ParseArticle(%s) %s mismatch (-want +got):\n%s", path, got.name, diff)
			}
		})
	}
}

func parseEssayEN(t testing.TB) *Article {
	t.Helper()
	f, err := os.Open("data/essay.en.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := ParseArticle(f, "data/essay.en.txt")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestParseArticleEssay pins the parse of the raw essay as a golden file and
// checks what the project relies on explicitly.
func TestParseArticleEssay(t *testing.T) {
	a := parseEssayEN(t)
	checkGolden(t, "testdata/article/essay.en.json", marshalGolden(t, a))

	count := map[Section]int{}
	var captions []string
	for _, p := range a.Parts {
		count[p.Section]++
		if p.Section == SectionCaption {
			captions = append(captions, p.Text)
		}
		for _, bad := range []string{"slotbydup", "u2014", "Picture source", "editor in charge", "NN4994"} {
			if strings.Contains(p.Text, bad) {
				t.Errorf("part at line %d contains %q: %q", p.Line, bad, p.Text)
			}
		}
	}
	wantCount := map[Section]int{SectionTitle: 1, SectionBody: 67, SectionCaption: 4, SectionReference: 7}
	if diff := cmp.Diff(wantCount, count); diff != "" {
		t.Errorf("parts by section (-want +got):\n%s", diff)
	}
	wantCaptions := []string{"Ren Zhengfei", "Zhang Yiming", "Huawei overseas branch", "Video capture of tiktok, President of France"}
	if diff := cmp.Diff(wantCaptions, captions); diff != "" {
		t.Errorf("captions (-want +got):\n%s", diff)
	}
	wantRefs := []ArticleReference{
		{Number: 1, Title: "Huaweis global enclosure war will usher in a critical moment of transformation this year", Publication: "China business daily", Date: "2000-04-20", Part: 72},
		{Number: 2, Title: "China has become the key Internet enterprise development, US companies gather to seize the opportunity", Publication: "Sohu it", Date: "2005-06-05", Part: 73},
		{Number: 3, Title: "Chinas enterprises are facing big test after Chinas entry into WTO", Date: "2004-11-30", Part: 74},
		{Number: 4, Title: "Professor Qian Yingyi, Dean of Tsinghua Institute of economics and management, talks with Zhang Yiming, founder and CEO of todays headlines", Date: "2018-03-22", Part: 75},
		{Number: 6, Title: "Time: Top 100 most influential people in the world in 2019: Ren Zhengfei and Zhang Yiming on the list", Publication: "Phoenix technology", Date: "2019-04-18", Part: 76},
		{Number: 7, Title: "Huawei: the United States will always be unable to provide evidence, so it is forced to take legal action", Publication: "global times", Date: "2019-03-07", Part: 77},
		{Number: 8, Title: "Zhang Yimings visit to Silicon Valley: the golden age of Chinese technology companies is coming", Publication: "it times weekly", Date: "2020-08-06", Part: 78},
	}
	if diff := cmp.Diff(wantRefs, a.References); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	if got := a.Parts[72].Text; !strings.HasPrefix(got, "1. Huaweis global") || !strings.HasSuffix(got, "April 20, 2000;") {
		t.Errorf("reference passage = %q, want the line as written", got)
	}
	meta := [4]string{a.Source, a.Editor, a.PictureSource, a.Author}
	if want := [4]string{"Houchang 108", "Dai Lili", "Visual China", ""}; meta != want {
		t.Errorf("Source, Editor, PictureSource, Author = %q, want %q", meta, want)
	}
	if got := a.Parts[38].Text; !strings.Contains(got, "social application ——As of July 2016") {
		t.Errorf("escape not restored in part 38: %q", got)
	}
	if a.Title() != "The history of Huawei and byte going to sea: a history of struggle with the political circle of the United States" {
		t.Errorf("Title() = %q", a.Title())
	}
}

// TestParseArticleEssayPassages checks the parse against the list of the
// essay's cleaned passages that the Chinese side is aligned with.
func TestParseArticleEssayPassages(t *testing.T) {
	data, err := os.ReadFile("testdata/essay_passages.txt")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for p := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n\n") {
		_, text, ok := strings.Cut(p, "] ")
		if !ok {
			t.Fatalf("bad line in essay_passages.txt: %q", p)
		}
		want = append(want, text)
	}
	if diff := cmp.Diff(want, parseEssayEN(t).Texts()); diff != "" {
		t.Errorf("essay passages (-want +got):\n%s", diff)
	}
}

func TestParseArticleErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", "a.txt:1: no text"},
		{"only blank lines", "\n \n\t\n", "a.txt:1: no text"},
		{"only script", "T\n\n(function(){ window.x = {} })()", ""},
		{"only junk", "* * *\n\n(function(){ window.x = {} })()\n", "a.txt:3: no text"},
		{"invalid UTF-8", "Title\n\nGood line.\nbad \xff line\n", "a.txt:4: invalid UTF-8"},
		{"invalid date", "Title\n\nBody.\n\n1. A paper, Daily, February 30, 2020;\n", `a.txt:5: reference 1: invalid date "February 30, 2020;"`},
		{"invalid month", "Title\n\nBody.\n\n1. A paper, 2020-13-01\n", `a.txt:5: reference 1: invalid date "2020-13-01"`},
		{"reader error", "", "read a.txt: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r = strings.NewReader(tt.input)
			var err error
			if tt.name == "reader error" {
				_, err = ParseArticle(iotest.ErrReader(errors.New("boom")), "a.txt")
			} else {
				_, err = ParseArticle(r, "a.txt")
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("ParseArticle(%q) error = %q, want %q", tt.input, got, tt.want)
			}
		})
	}
}

func TestRestoreEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"application u2014u2014As of", "application ——As of"},
		{`a \u201cquote\u201d`, "a “quote”"},
		{"it u2019s", "it ’s"},
		{"u3001 and uff0c", "、 and ，"},
		{"succeed", "succeed"},         // u + "ccee" decodes to a Hangul syllable
		{"id:u5811557", "id:u5811557"}, // a CJK ideograph, not punctuation
		{"stuffed", "stuffed"},         // U+FFED is a symbol
		{"u0041", "u0041"},             // a letter
		{"u2014", "—"},
		{"u201", "u201"},
	}
	for _, tt := range tests {
		if got := restoreEscapes(tt.in); got != tt.want {
			t.Errorf("restoreEscapes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsCaption(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Ren Zhengfei", true},
		{"Video capture of tiktok, President of France", true},
		{"任正非", true},
		{"But honeymoons dont last.", false},
		{"Compared with Huawei, byte skipping is much more active.", false},
		{"Under the iron curtain of technology, what will Huawei and byte jump do?", false},
		{"He said: “yes.”", false},
		{"Notes:", false},
		{"one two three four five six seven eight nine ten eleven", false},
		{strings.Repeat("x", 61), false},
		{"华为海外分部。", false},
	}
	for _, tt := range tests {
		if got := isCaption(tt.in); got != tt.want {
			t.Errorf("isCaption(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseReference(t *testing.T) {
	tests := []struct {
		in   string
		want ArticleReference
	}{
		{"3. A title, November 30, 2004,;", ArticleReference{Number: 3, Title: "A title", Date: "2004-11-30"}},
		{"12. A title, with a comma, The Paper, Sept. 3rd, 2019.", ArticleReference{Number: 12, Title: "A title, with a comma", Publication: "The Paper", Date: "2019-09-03"}},
		{"2. Title, Daily, 5 June 2005", ArticleReference{Number: 2, Title: "Title", Publication: "Daily", Date: "2005-06-05"}},
		{"4. Title, Daily, 2020-08-06", ArticleReference{Number: 4, Title: "Title", Publication: "Daily", Date: "2020-08-06"}},
		{"5、华为的故事，中国经营报，2000年4月20日；", ArticleReference{Number: 5, Title: "华为的故事", Publication: "中国经营报", Date: "2000-04-20"}},
		{"6. A title without a date, Some Daily", ArticleReference{Number: 6, Title: "A title without a date, Some Daily"}},
		{"7. Interview with A, founder of B, May 1, 2018", ArticleReference{Number: 7, Title: "Interview with A, founder of B", Date: "2018-05-01"}},
		{"8. Results, Q2 2020 report, May 1, 2018", ArticleReference{Number: 8, Title: "Results, Q2 2020 report", Date: "2018-05-01"}},
		{"9. Apples, oranges and pears", ArticleReference{Number: 9, Title: "Apples, oranges and pears"}},
		{"10.Title, Daily, Feb 29, 2020", ArticleReference{Number: 10, Title: "Title", Publication: "Daily", Date: "2020-02-29"}},
	}
	for _, tt := range tests {
		got, err := parseReference(tt.in)
		if err != nil {
			t.Errorf("parseReference(%q) error: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parseReference(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseMeta(t *testing.T) {
	tests := []struct {
		in       string
		want     map[string]string
		wantRest string
	}{
		{"Picture source: visual China", map[string]string{metaPicture: "visual China"}, ""},
		{"Source: Houchang 108 editor in charge: Dai Lili_ NN4994", map[string]string{metaSource: "Houchang 108", metaEditor: "Dai Lili"}, "_ NN4994"},
		{"Author: Li Wei. Editor: Wang Fang", map[string]string{metaAuthor: "Li Wei", metaEditor: "Wang Fang"}, ""},
		{"来源：猴场108 责任编辑：戴丽丽", map[string]string{metaSource: "猴场108", metaEditor: "戴丽丽"}, ""},
		{"Source: " + strings.Repeat("word ", 20), nil, "Source: " + strings.Repeat("word ", 20)},
		{"Resource: x", nil, "Resource: x"},
		{"The source: x", nil, "The source: x"},
	}
	for _, tt := range tests {
		got, rest := parseMeta(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" || rest != tt.wantRest {
			t.Errorf("parseMeta(%q) = %v, %q, want %v, %q", tt.in, got, rest, tt.want, tt.wantRest)
		}
	}
}

// FuzzParseArticle checks that ParseArticle never panics and that whatever
// it accepts is well formed: a title first, non-empty valid UTF-8 passages,
// references pointing at reference parts.
func FuzzParseArticle(f *testing.F) {
	paths, _ := filepath.Glob("testdata/article/*.txtar")
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		_, files := parseArchive(data)
		for _, file := range files {
			if file.name == "input" {
				f.Add(file.data)
			}
		}
	}
	if data, err := os.ReadFile("data/essay.en.txt"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("T\n\n1. x, y, May 5, 2020\n\n2.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseArticle(bytes.NewReader(data), "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		if len(a.Parts) == 0 || a.Parts[0].Section != SectionTitle {
			t.Fatalf("parts %+v do not start with a title", a.Parts)
		}
		for i, p := range a.Parts {
			if p.Text == "" || !utf8.ValidString(p.Text) || strings.TrimSpace(p.Text) != p.Text {
				t.Errorf("part %d text %q is empty, untrimmed or invalid UTF-8", i, p.Text)
			}
			if !p.Section.Valid() || (i > 0 && p.Section == SectionTitle) {
				t.Errorf("part %d has section %q", i, p.Section)
			}
		}
		refs := 0
		for _, p := range a.Parts {
			if p.Section == SectionReference {
				refs++
			}
		}
		if refs != len(a.References) {
			t.Errorf("%d reference parts, %d references", refs, len(a.References))
		}
		for _, r := range a.References {
			if r.Part < 0 || r.Part >= len(a.Parts) || a.Parts[r.Part].Section != SectionReference {
				t.Errorf("reference %+v does not point at a reference part", r)
			}
		}
	})
}

func TestFindScriptMeta(t *testing.T) {
	tests := []struct {
		in, want string // want is the text from the label on, "" for none
	}{
		{"(function(){ push({id:u5811557, async:true }Source: Houchang 108", "Source: Houchang 108"},
		{"(function(){ push({source: u1, async:true }Picture source: visual China", "Picture source: visual China"},
		{"(function(){ push({source: u1}) })()", ""},
		{"(function(){ x() })()来源：猴场", "来源：猴场"},
	}
	for _, tt := range tests {
		got := ""
		if i := findScriptMeta(tt.in); i >= 0 {
			got = tt.in[i:]
		}
		if got != tt.want {
			t.Errorf("findScriptMeta(%q) finds %q, want %q", tt.in, got, tt.want)
		}
	}
}
