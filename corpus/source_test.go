package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// runSourceCases runs the cases of testdata/source/dir/*.txtar. Each case
// is a folder: every file of the archive but "want" and "options" is a
// file of the folder, read by ReadSources as folder "src". "options" lists
// ReadOptions, one a line (unaligned, strict). "want" is a dump of what was
// read (documents, passages, notices, errors; facets are the extractor's
// business and tested there), rewritten by go test -update.
func runSourceCases(t *testing.T, dir string) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata/source", dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no test cases in testdata/source/%s", dir)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			comment, files := parseArchive(data)
			fsys := fstest.MapFS{}
			var opts ReadOptions
			var kept []archiveFile
			for _, f := range files {
				switch f.name {
				case "want":
					continue
				case "options":
					for o := range strings.FieldsSeq(string(f.data)) {
						switch o {
						case "unaligned":
							opts.Unaligned = true
						case "strict":
							opts.Strict = true
						default:
							t.Fatalf("%s: unknown option %q", path, o)
						}
					}
				default:
					fsys[f.name] = &fstest.MapFile{Data: f.data}
				}
				kept = append(kept, f)
			}
			src, err := ReadSources(t.Context(), []Folder{{Name: "src", FS: fsys}}, opts)
			got := archiveFile{name: "want", data: []byte(dumpSources(src, err))}
			if *update {
				if err := os.WriteFile(path, formatArchive(comment, append(kept, got)), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want []byte
			for _, f := range files {
				if f.name == "want" {
					want = f.data
				}
			}
			if want == nil {
				t.Fatalf("%s has no file \"want\"; got:\n%s(run go test -update)", path, got.data)
			}
			if diff := cmp.Diff(string(want), string(got.data)); diff != "" {
				t.Errorf("ReadSources(%s) mismatch (-want +got):\n%s", path, diff)
			}
		})
	}
}

// dumpSources prints what ReadSources returned, for golden files.
func dumpSources(s *Sources, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "fatal: %v\n", err)
		return b.String()
	}
	for _, d := range s.Documents {
		fmt.Fprintf(&b, "document %s (%s)\n", d.ID, d.Origin)
		fmt.Fprintf(&b, "  title en=%q zh=%q\n", d.Title.EN, d.Title.ZH)
		for _, f := range []struct{ k, v string }{{"date", d.Date}, {"source", d.Source}, {"author", d.Author}, {"note", d.Note}} {
			if f.v != "" {
				fmt.Fprintf(&b, "  %s %s\n", f.k, f.v)
			}
		}
		for _, p := range d.Passages {
			fmt.Fprintf(&b, "  %s %s", p.ID, p.Section)
			if p.Text.EN != "" {
				fmt.Fprintf(&b, " en=%q", p.Text.EN)
			}
			if p.Text.ZH != "" {
				fmt.Fprintf(&b, " zh=%q", p.Text.ZH)
			}
			b.WriteByte('\n')
			for _, v := range p.Variants {
				fmt.Fprintf(&b, "    variant %s %s=%q\n", v.Lang, v.Label, v.Text)
			}
		}
	}
	for _, e := range s.Entities {
		fmt.Fprintf(&b, "entity %s %s zh=%v aliases=%v cased=%v parent=%q members=%v\n", e.Name, e.Type, e.ZH, e.Aliases, e.Cased, e.Parent, e.Members)
	}
	for _, n := range s.Notices {
		fmt.Fprintf(&b, "notice: %s\n", n)
	}
	for _, e := range s.Errors {
		fmt.Fprintf(&b, "error: %v\n", e)
	}
	fmt.Fprintf(&b, "files %d\n", s.Files)
	return b.String()
}

// TestReadSourcesFolders runs the cases of testdata/source/folder: what a
// folder as a whole does (pairs, ids, hidden and unknown files, entities).
func TestReadSourcesFolders(t *testing.T) { runSourceCases(t, "folder") }

func read(t testing.TB, fsys fstest.MapFS, opts ReadOptions) *Sources {
	t.Helper()
	s, err := ReadSources(t.Context(), []Folder{{Name: "src", FS: fsys}}, opts)
	if err != nil {
		t.Fatalf("ReadSources: %v", err)
	}
	return s
}

func files(kv ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return m
}

// TestReadSourcesBadFiles checks that every bad file is reported with its
// file and line while the good ones are read, and that Strict stops at the
// first.
func TestReadSourcesBadFiles(t *testing.T) {
	fsys := files(
		"good.md", "Hello world.\n\n你好，世界。\n",
		"bad-front.md", "---\ntitle: [unclosed\n---\n\nText.\n",
		"bad.tmx", "<tmx><body><tu>\n<tuv xml:lang=\"en\"><seg>a</seg></tuv>\n</tu></bodyx></tmx>\n",
		"bad.tsv", "a\tb\nno tab here\n",
		"bad.po", "msgid \"a\"\nmsgstr \"甲\nmore\n",
		"bad-utf8.txt", "fine\n\nbroken \xff here\n",
		"zz.tsv", "good\t好\n",
	)
	s := read(t, fsys, ReadOptions{})
	var got []string
	for _, e := range s.Errors {
		got = append(got, e.Error())
	}
	want := []string{
		"src/bad-front.md:2: front matter: did not find expected ',' or ']'",
		"src/bad-utf8.txt:3: not UTF-8: the file looks like an encoding this program does not read (Latin-1 or Windows-1252 for Western text, Shift_JIS, …); convert it to UTF-8 (iconv -f ENCODING -t UTF-8, or save it as UTF-8 in an editor)",
		"src/bad.po:2: msgstr: want a string in double quotes",
		"src/bad.tmx:3: element <body> closed by </bodyx>",
		"src/bad.tsv:2: no tab: want English<TAB>Chinese",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var ids []string
	for _, d := range s.Documents {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"good", "zz"}, ids); diff != "" {
		t.Errorf("documents read besides the bad files (-want +got):\n%s", diff)
	}
	for _, e := range s.Errors {
		var fe *FileError
		if !errors.As(e, &fe) || fe.Line == 0 {
			t.Errorf("error %v: want a *FileError with a line", e)
		}
	}

	_, err := ReadSources(t.Context(), []Folder{{Name: "src", FS: fsys}}, ReadOptions{Strict: true})
	if err == nil || err.Error() != want[0] {
		t.Errorf("strict: error %v, want the first bad file's: %s", err, want[0])
	}
}

// TestReadSourcesDuplicateIDs checks that an id used twice is an error
// naming both files, across folders and against reserved ids.
func TestReadSourcesDuplicateIDs(t *testing.T) {
	a := files("news/report.md", "One.\n", "news-report.txt", "Two.\n")
	b := files("x.md", "---\nid: news-report\n---\nThree.\n", "essay.md", "---\nid: the-essay\n---\nFour.\n")
	s, err := ReadSources(t.Context(), []Folder{{Name: "a", FS: a}, {Name: "b", FS: b}},
		ReadOptions{Reserved: map[string]string{"the-essay": "the embedded essay"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range s.Errors {
		got = append(got, e.Error())
	}
	want := []string{
		`b/essay.md: document id "the-essay" is also the id of the embedded essay: rename one of the files or give one another id (` + idHow + `)`,
		`b/x.md: document id "news-report" is also the id of a/news/report.md: rename one of the files or give one another id (` + idHow + `)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if len(s.Documents) != 2 || s.Documents[0].Origin != "a/news/report.md" || s.Documents[1].ID != "news-report-txt" {
		t.Errorf("documents %v, want a/news/report.md as news-report and a/news-report.txt as news-report-txt", s.Documents)
	}
}

// TestReadSourcesAnnotates checks that documents get facets from the
// gazetteer merged with the folder's entities, and years from their own
// date.
func TestReadSourcesAnnotates(t *testing.T) {
	fsys := files(
		"entities.yaml", "- name: Lantern Labs\n  type: company\n  zh: 灯笼实验室\n",
		"a.md", "---\ndate: 2015\n---\nLantern Labs said last year was hard.\n\n灯笼实验室今年扩张。\n",
	)
	s := read(t, fsys, ReadOptions{})
	if len(s.Errors) > 0 {
		t.Fatalf("errors: %v", s.Errors)
	}
	ps := s.Documents[0].Passages
	type facets struct {
		Companies []string
		Years     []int
	}
	got := []facets{{ps[0].Companies, ps[0].Years}, {ps[1].Companies, ps[1].Years}}
	want := []facets{{[]string{"Lantern Labs"}, []int{2014}}, {[]string{"Lantern Labs"}, []int{2015}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	if _, ok := s.Gazetteer.Entity("Lantern Labs"); !ok {
		t.Error("Sources.Gazetteer lacks the folder's entity")
	}
	if _, ok := s.Gazetteer.Entity("Huawei"); !ok {
		t.Error("Sources.Gazetteer lacks the built-in entities")
	}
}

// TestReadSourcesCancelled checks that a cancelled context stops the read.
func TestReadSourcesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := ReadSources(ctx, []Folder{{Name: "src", FS: files("a.md", "Text.\n")}}, ReadOptions{})
	if err == nil {
		t.Error("ReadSources with a cancelled context: no error")
	}
}

// TestReadSourcesExample reads the example folder of the repository, which
// the README shows: every file must be good.
func TestReadSourcesExample(t *testing.T) {
	s, err := ReadSources(t.Context(), []Folder{{Name: "examples/mini-corpus", FS: os.DirFS("../examples/mini-corpus")}}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) > 0 {
		t.Errorf("errors in the example folder: %v", s.Errors)
	}
	if len(s.Documents) != 5 || len(s.Entities) != 3 {
		t.Errorf("read %d documents and %d entities, want 5 and 3", len(s.Documents), len(s.Entities))
	}
}

func TestDetectLang(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
	}{
		{"", ""},
		{"2021 — 3.5%", ""},
		{"Huawei went abroad.", English},
		{"华为出海。", Chinese},
		{"華為出海", Chinese},
		{"华为 Huawei", Chinese},
		{"Ren Zhengfei (任正非) founded Huawei in Shenzhen", English},
		{"ＨＵＡＷＥＩ", English},
	} {
		if got := DetectLang(tc.in); got != tc.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSlugID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"news/Huawei_2021", "news-huawei-2021"},
		{"a  b--c", "a-b-c"},
		{"报告/华为出海", "报告-华为出海"},
		{"--x--", "x"},
	} {
		got, err := slugID(tc.in, "f")
		if err != nil || got != tc.want || !validID(got) {
			t.Errorf("slugID(%q) = %q, %v, want %q (valid)", tc.in, got, err, tc.want)
		}
	}
	if _, err := slugID("--", "f.md"); err == nil {
		t.Error(`slugID("--"): no error`)
	}
	for _, id := range []string{"", "A", "a--b", "-a", "a b", "a_b"} {
		if validID(id) {
			t.Errorf("validID(%q) = true", id)
		}
	}
}

func TestChunk(t *testing.T) {
	sentence := "Huawei opened a new office abroad. " // 35 runes
	long := strings.Repeat(sentence, 100)
	zh := strings.Repeat("华为在海外开设了新的办公室。", 100) // 14 runes each
	noBreaks := strings.Repeat("华", 250)
	for _, tc := range []struct {
		name  string
		in    string
		limit int
	}{
		{"english", long, 200},
		{"chinese", zh, 100},
		{"no breaks", noBreaks, 100},
		{"short", "Short.", 100},
	} {
		got := chunk(strings.TrimSpace(tc.in), tc.limit)
		joined := strings.Join(got, "")
		if strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(tc.in, " ", "") {
			t.Errorf("%s: chunks do not add up to the text", tc.name)
		}
		for i, c := range got {
			n := utf8.RuneCountInString(c)
			if n > tc.limit || n == 0 {
				t.Errorf("%s: chunk %d has %d runes, want 1..%d", tc.name, i, n, tc.limit)
			}
			if tc.name != "no breaks" && i < len(got)-1 && !strings.HasSuffix(c, ".") && !strings.HasSuffix(c, "。") {
				t.Errorf("%s: chunk %d ends mid-sentence: …%q", tc.name, i, c[max(0, len(c)-20):])
			}
		}
	}
}

func TestSplitAligned(t *testing.T) {
	en := strings.Repeat("Huawei opened a new office abroad. ", 120) // 4200 runes
	zh := strings.Repeat("华为在海外开设了新的办公室。", 120)                      // 1680 runes
	got := splitAligned(Text{EN: strings.TrimSpace(en), ZH: zh}, 2000)
	if len(got) != 3 {
		t.Fatalf("splitAligned gave %d pieces, want 3", len(got))
	}
	for i, p := range got {
		if n := utf8.RuneCountInString(p.EN); n > 2000*3/2 {
			t.Errorf("piece %d: English side %d runes", i, n)
		}
		if !strings.HasSuffix(p.EN, ".") || !strings.HasSuffix(p.ZH, "。") {
			t.Errorf("piece %d does not end at a sentence end: %q / %q", i, p.EN[len(p.EN)-10:], p.ZH[len(p.ZH)-9:])
		}
	}
	if one := splitAligned(Text{EN: "a", ZH: "甲"}, 2000); len(one) != 1 {
		t.Errorf("short text split into %d", len(one))
	}
	// One side far shorter than the other: its few bytes go to the first
	// pieces, and nothing is lost.
	long := strings.Repeat("华", 5000)
	for _, short := range []string{"", "a", "ab", "é"} {
		got := splitAligned(Text{EN: short, ZH: long}, 2000)
		var en, zh string
		for _, p := range got {
			en += p.EN
			zh += p.ZH
		}
		if en != short || zh != long {
			t.Errorf("splitAligned(%q, 5000 runes) lost text: %q, %d bytes", short, en, len(zh))
		}
	}
}

// TestHugeFiles reads a text file of 50 MB and a paragraph of 1 MB on one
// line: both are chunked into passages of sane length. The 50 MB file
// streams through readText; its size only makes the test slow, so -short
// uses 5 MB.
func TestHugeFiles(t *testing.T) {
	para := strings.Repeat("Chinese companies went abroad and met American politics. ", 30) + "\n\n"
	size := 50 << 20
	if testing.Short() {
		size = 5 << 20
	}
	n := size / len(para)
	r := io.MultiReader(strings.NewReader("---\ntitle: Big\n---\n"), &repeatReader{s: para, n: n})
	tf, err := readText(r, "big.txt", false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := tf.document(sourceFile{stem: "big", lang: English}, "big.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Passages) != n+1 {
		t.Errorf("50 MB file: %d passages, want %d", len(d.Passages), n+1)
	}

	line := strings.Repeat("这是一个很长的段落，没有换行。", 1<<20/len("这是一个很长的段落，没有换行。")+1)
	tf, err = readText(strings.NewReader(line+"\n\nEnd.\n"), "line.txt", false)
	if err != nil {
		t.Fatal(err)
	}
	d, err = tf.document(sourceFile{stem: "line"}, "line.txt")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, p := range d.Passages[:len(d.Passages)-1] {
		runes := utf8.RuneCountInString(p.Text.ZH)
		if runes > maxPassageRunes || p.Text.EN != "" {
			t.Fatalf("1 MB line: passage %s has %d runes (EN %q)", p.ID, runes, p.Text.EN)
		}
		total += len(p.Text.ZH)
	}
	if total != len(line) {
		t.Errorf("1 MB line: passages hold %d bytes, want %d", total, len(line))
	}
}

// repeatReader yields s n times without holding more than s.
type repeatReader struct {
	s   string
	n   int
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	c := copy(p, r.s[r.off:])
	if r.off += c; r.off == len(r.s) {
		r.off, r.n = 0, r.n-1
	}
	return c, nil
}

func TestLineReader(t *testing.T) {
	lr := newLineReader(strings.NewReader("\uFEFFa\r\nb\n\nc"), "f")
	var got []string
	for {
		l, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l)
	}
	if diff := cmp.Diff([]string{"a", "b", "", "c"}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	big := bytes.Repeat([]byte("x"), 3<<20)
	lr = newLineReader(bytes.NewReader(big), "f")
	if l, err := lr.next(); err != nil || len(l) != len(big) {
		t.Errorf("3 MB line: %d bytes, %v", len(l), err)
	}
}

// checkReaderResult checks what every reader promises, for fuzz tests: an
// error is a *FileError naming the file with a line in range; a document
// has passages, each with a side, valid UTF-8 and a sane length.
func checkReaderResult(t *testing.T, name string, input []byte, d *Document, err error) {
	t.Helper()
	lines := bytes.Count(input, []byte("\n")) + 1
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Fatalf("error %v (%T) is not a *FileError", err, err)
		}
		if fe.Path != name || fe.Line < 0 || fe.Line > lines {
			t.Fatalf("error %v: want path %s and a line in 0..%d", err, name, lines)
		}
		return
	}
	if d == nil {
		return
	}
	if len(d.Passages) == 0 {
		t.Fatal("document without passages and no error")
	}
	for i, p := range d.Passages {
		if p.Text.EN == "" && p.Text.ZH == "" {
			t.Fatalf("passage %d is empty", i)
		}
		for _, s := range []string{p.Text.EN, p.Text.ZH} {
			if !utf8.ValidString(s) {
				t.Fatalf("passage %d: invalid UTF-8 %q", i, s)
			}
			if utf8.RuneCountInString(s) > maxPassageRunes*2 {
				t.Fatalf("passage %d: %d runes", i, utf8.RuneCountInString(s))
			}
		}
	}
}

// FuzzChunk checks that cutting text into passages loses nothing but
// whitespace at the cuts, and keeps chunks within the limit.
func FuzzChunk(f *testing.F) {
	f.Add("Huawei went abroad. It met politics! 华为出海。遇到政治？", "a", 8)
	f.Add("no-breaks-at-all-in-this-text", "中文没有标点的很长一段话", 3)
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) || limit < 2 || limit > 1000 {
			t.Skip()
		}
		strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
		var got strings.Builder
		for _, c := range chunk(a, limit) {
			if n := utf8.RuneCountInString(c); n > limit {
				t.Fatalf("chunk(%q, %d): chunk %q has %d runes", a, limit, c, n)
			}
			got.WriteString(c)
		}
		if strip(got.String()) != strip(a) {
			t.Fatalf("chunk(%q, %d) lost text: %q", a, limit, got.String())
		}
		var en, zh string
		for _, p := range splitAligned(Text{EN: a, ZH: b}, limit) {
			en += p.EN
			zh += p.ZH
		}
		if strip(en) != strip(a) || strip(zh) != strip(b) {
			t.Fatalf("splitAligned(%q, %q, %d) lost text: %q, %q", a, b, limit, en, zh)
		}
	})
}
