package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/web"
)

// exampleDir is the example folder the README shows, with one file of each
// format.
const exampleDir = "../../examples/mini-corpus"

// indexRun runs `corpus index args...` in-process and returns stdout,
// stderr and the error, whose message main would print.
func indexRun(t testing.TB, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append([]string{"index"}, args...), &out, &errOut)
	return out.String(), errOut.String(), err
}

// searchAPI serves the live index of data through the real web handler.
type searchAPI struct {
	t testing.TB
	h http.Handler
}

func newSearchAPI(t testing.TB, data string) *searchAPI {
	t.Helper()
	live, err := index.OpenLive(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	h, err := web.New(web.Config{Searcher: live})
	if err != nil {
		t.Fatal(err)
	}
	return &searchAPI{t: t, h: h}
}

type apiResults struct {
	Total int `json:"total"`
	Hits  []struct {
		ID        string   `json:"id"`
		Doc       string   `json:"doc"`
		Companies []string `json:"companies"`
		Years     []int    `json:"years"`
		Speakers  []string `json:"speakers"`
	} `json:"hits"`
	Facets struct {
		Company []struct {
			Value   string `json:"value"`
			LabelZH string `json:"label_zh"`
			Count   int    `json:"count"`
		} `json:"company"`
	} `json:"facets"`
}

func (a *searchAPI) search(params url.Values) apiResults {
	a.t.Helper()
	params.Set("size", "100")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+params.Encode(), nil))
	if rec.Code != http.StatusOK {
		a.t.Fatalf("GET /api/search?%s: %d %s", params.Encode(), rec.Code, rec.Body)
	}
	var r apiResults
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		a.t.Fatalf("GET /api/search?%s: %v", params.Encode(), err)
	}
	return r
}

func (r apiResults) ids() []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestIndexSourceEndToEnd indexes the example folder, one file of each
// format, through the command and searches it through the JSON API: a
// traditional-script TMX segment is found by a simplified query, and
// passages of texts the gazetteer was not written for have facets from the
// folder's entities.yaml, from patterns and from the document's date.
func TestIndexSourceEndToEnd(t *testing.T) {
	data := t.TempDir()
	out, errOut, err := indexRun(t, "--source", exampleDir, "--data", data)
	if err != nil {
		t.Fatalf("corpus index --source %s: %v\n%s", exampleDir, err, errOut)
	}
	if !strings.Contains(out, "indexed 5 documents, 23 passages") {
		t.Errorf("stdout %q: want 5 documents, 23 passages", out)
	}
	for _, want := range []string{
		"notice: " + filepath.ToSlash(filepath.Clean(exampleDir)) + "/app/tidebot.po: skipped 1 fuzzy",
		"read 7 files from 1 folders: 5 documents, 23 passages, 3 entities; 0 bad files",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, errOut)
		}
	}
	api := newSearchAPI(t, data)
	for _, tc := range []struct {
		name   string
		params url.Values
		want   []string // passage IDs, sorted
	}{
		{"simplified query finds traditional TMX segment", url.Values{"q": {"手机厂商"}, "doc": {"memory-devices"}}, []string{"memory-devices/p000"}},
		{"traditional query too", url.Values{"q": {"手機廠商"}, "doc": {"memory-devices"}}, []string{"memory-devices/p000"}},
		{"TMX inline code stripped", url.Values{"q": {`"bonded warehouse near Hamburg"`}}, []string{"memory-devices/p001"}},
		// 海外仓 is also inside the article's 海外仓库: any Chinese string is found.
		{"TSV line", url.Values{"q": {"海外仓"}}, []string{"articles-tidewater-europe/p001", "glossary-terms/p001"}},
		{"PO plural takes msgstr[0]", url.Values{"q": {"房间"}}, []string{"app-tidebot/p002"}},
		{"PO message", url.Values{"q": {"firmware"}}, []string{"app-tidebot/p003"}},
		{"fuzzy PO message skipped", url.Values{"q": {`"warehouse stock"`}}, nil},
		{"pair title, both sides", url.Values{"q": {"出海长路"}}, []string{"reports-phone-makers/p000"}},
		{"Markdown emphasis stripped", url.Values{"q": {"潮汐机器人"}, "doc": {"articles-tidewater-europe"}, "section": {"body"}},
			[]string{"articles-tidewater-europe/p001", "articles-tidewater-europe/p004"}},
		{"company from entities.yaml", url.Values{"company": {"Tidewater Robotics"}},
			[]string{"articles-tidewater-europe/p000", "articles-tidewater-europe/p001", "articles-tidewater-europe/p004", "glossary-terms/p003", "memory-devices/p001"}},
		{"speaker from entities.yaml", url.Values{"speaker": {"Lin Xiaoyu"}}, []string{"articles-tidewater-europe/p001", "articles-tidewater-europe/p005"}},
		{"speaker by pattern, Chinese title before the name", url.Values{"speaker": {"何静"}}, []string{"articles-tidewater-europe/p003"}},
		{"speaker by pattern, English", url.Values{"speaker": {"Priya Raman"}}, []string{"reports-phone-makers/p003"}},
		// Priya Raman is 普丽娅·拉曼 on the Chinese side: one person, one
		// speaker (under the English name), and her Chinese name is text.
		{"one unknown speaker on both sides is one speaker", url.Values{"speaker": {"普丽娅·拉曼"}}, nil},
		{"her Chinese name as text", url.Values{"q": {"普丽娅·拉曼"}}, []string{"reports-phone-makers/p003"}},
		{"去年 against the document's date", url.Values{"year": {"2022"}}, []string{"articles-tidewater-europe/p001"}},
		{"no essay without --with-default", url.Values{"q": {"字节跳动"}}, nil},
	} {
		r := api.search(tc.params)
		if got := r.ids(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: search %v = %v, want %v", tc.name, tc.params, got, tc.want)
		}
	}
	r := api.search(url.Values{"q": {"潮汐机器人"}})
	found := false
	for _, f := range r.Facets.Company {
		if f.Value == "Tidewater Robotics" && f.LabelZH == "潮汐机器人" && f.Count > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("company facet of 潮汐机器人 %+v lacks Tidewater Robotics labelled 潮汐机器人", r.Facets.Company)
	}

	rec := httptest.NewRecorder()
	api.h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/documents/reports-phone-makers", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Example Tech Review") ||
		!strings.Contains(rec.Body.String(), "2020-11-20") {
		t.Errorf("GET /api/documents/reports-phone-makers: %d %s", rec.Code, rec.Body)
	}
}

// TestIndexSourceWithDefault indexes a folder beside the embedded essay.
func TestIndexSourceWithDefault(t *testing.T) {
	data := t.TempDir()
	out, errOut, err := indexRun(t, "--source", exampleDir, "--with-default", "--data", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(out, "indexed 6 documents") {
		t.Errorf("stdout %q: want 6 documents", out)
	}
	api := newSearchAPI(t, data)
	if r := api.search(url.Values{"q": {"字节跳动"}}); r.Total == 0 {
		t.Error("--with-default: the essay is not searchable")
	}
	if r := api.search(url.Values{"company": {"Tidewater Robotics"}}); r.Total == 0 {
		t.Error("--with-default: the folder is not searchable")
	}
}

// writeFiles writes files (path, content, …) under dir.
func writeFiles(t testing.TB, dir string, kv ...string) {
	t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		p := filepath.Join(dir, filepath.FromSlash(kv[i]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(kv[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIndexSourceBadFiles checks the default for bad files: each is
// reported with its file and line, the good ones are indexed and go live,
// and the command exits non-zero.
func TestIndexSourceBadFiles(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	writeFiles(t, src,
		"good.md", "---\ntitle: Good\n---\nLantern robots sell well.\n",
		"words.tsv", "en\tzh\nrobot\t机器人\n",
		"bad.tsv", "en\tzh\nrobot\t机器人\nno tab on this line\n",
		"bad.tmx", "<tmx>\n<body>\n<tu></body>\n</tmx>\n",
		"bad.md", "---\ndate: yesterday\n---\nText.\n",
		"pair.en.md", "One.\n\nTwo.\n",
		"pair.zh.md", "一。\n",
	)
	_, errOut, err := indexRun(t, "--source", src, "--data", data)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("exit %d (%v), want 1", exitCode(err), err)
	}
	if !strings.Contains(err.Error(), "3 bad source files") {
		t.Errorf("error %q: want it to count 3 bad files", err)
	}
	s := filepath.ToSlash(filepath.Clean(src))
	for _, want := range []string{
		"error: " + s + "/bad.tsv:3: no tab",
		"error: " + s + "/bad.tmx:3: element <tu> closed by </body>",
		"error: " + s + `/bad.md:2: front matter: date "yesterday"`,
		"notice: " + s + "/pair.en.md and " + s + "/pair.zh.md: 2 paragraphs against 1, aligned by length into 1 passages: joined: en ¶1–2 = zh ¶1",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, errOut)
		}
	}
	api := newSearchAPI(t, data)
	if got := api.search(url.Values{"q": {"机器人"}}).ids(); !slices.Equal(got, []string{"words/p000"}) {
		t.Errorf("search 机器人 = %v, want the good TSV file's passage", got)
	}
	if r := api.search(url.Values{"q": {"lantern"}}); r.Total != 1 {
		t.Errorf("the good Markdown file is not indexed: %d hits", r.Total)
	}
	if r := api.search(url.Values{"q": {"tab"}}); r.Total != 0 {
		t.Errorf("the bad TSV file is indexed: %d hits", r.Total)
	}

	// --unaligned reads the pair as two documents.
	out, errOut, err := indexRun(t, "--source", filepath.Join(src, "."), "--data", data, "--unaligned")
	if err == nil || !strings.Contains(out, "indexed 4 documents") || strings.Contains(errOut, "error: align") || !strings.Contains(errOut, "read as two documents") {
		t.Errorf("--unaligned: %v, stdout %q, stderr:\n%s", err, out, errOut)
	}
}

// TestIndexSourceStrict checks that --strict stops at the first bad file
// and leaves the live generation serving.
func TestIndexSourceStrict(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	writeFiles(t, src, "a.md", "Lantern robots.\n")
	if _, errOut, err := indexRun(t, "--source", src, "--data", data); err != nil {
		t.Fatalf("first build: %v\n%s", err, errOut)
	}
	before, err := index.Current(data)
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, src, "b.tsv", "no tab\n", "c.md", "More robots.\n")
	_, _, err = indexRun(t, "--source", src, "--data", data, "--strict")
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("--strict with a bad file: exit %d (%v), want 1", exitCode(err), err)
	}
	want := filepath.ToSlash(filepath.Clean(src)) + "/b.tsv:1: no tab"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "live index is unchanged") {
		t.Errorf("--strict error %q: want %q and that the live index is unchanged", err, want)
	}
	after, err := index.Current(data)
	if err != nil || after != before {
		t.Errorf("live generation %q after --strict failed, want %q (%v)", after, before, err)
	}
	if r := newSearchAPI(t, data).search(url.Values{"q": {"more"}}); r.Total != 0 {
		t.Errorf("--strict indexed c.md: %d hits", r.Total)
	}
}

// TestIndexSourceDuplicateIDs checks that one document id from two files,
// here in two folders, is made unique with the file's extension when the
// id comes from the path, and is an error naming both files and what to
// do when a file gives it.
func TestIndexSourceDuplicateIDs(t *testing.T) {
	a, b, data := t.TempDir(), t.TempDir(), t.TempDir()
	writeFiles(t, a, "news/report.md", "First.\n")
	writeFiles(t, b, "news/report.txt", "Second.\n", "other.md", "---\nid: news-report\n---\nThird.\n")
	_, errOut, err := indexRun(t, "--source", a, "--source", b, "--data", data)
	if exitCode(err) != 1 {
		t.Fatalf("exit %d (%v), want 1", exitCode(err), err)
	}
	sa, sb := filepath.ToSlash(filepath.Clean(a)), filepath.ToSlash(filepath.Clean(b))
	for _, want := range []string{
		"notice: " + sb + "/news/report.txt: id news-report is the id of " + sa + "/news/report.md: this file's document is news-report-txt",
		"error: " + sb + `/other.md: document id "news-report" is also the id of ` + sa + "/news/report.md: rename one of the files or give one another id (id: in front matter",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, errOut)
		}
	}
}

// TestIndexSourceUsage checks the flags' misuse and help.
func TestIndexSourceUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--strict"}, 2},
		{[]string{"--with-default"}, 2},
		{[]string{"--source", "/nonexistent/folder"}, 1},
		{[]string{"--source", exampleDir + "/entities.yaml"}, 1},
		{[]string{"--source", exampleDir, "extra"}, 2},
	} {
		_, _, err := indexRun(t, append(tc.args, "--data", t.TempDir())...)
		if exitCode(err) != tc.code {
			t.Errorf("corpus index %q: exit %d (%v), want %d", tc.args, exitCode(err), err, tc.code)
		}
	}
	_, errOut, err := indexRun(t, "--help")
	if err != nil && exitCode(err) != 0 {
		t.Fatal(err)
	}
	for _, flag := range []string{"-source", "-with-default", "-strict", "-unaligned", "corpus index --source ~/texts", "NAME.en.md + NAME.zh.md", "*.tmx", "*.tsv", "*.po", "entities.yaml"} {
		if !strings.Contains(errOut, flag) {
			t.Errorf("corpus index --help does not mention %q", flag)
		}
	}
}

// BenchmarkIndexGettext measures `corpus index --source` on a large real
// parallel corpus: the English–Chinese messages of the machine's gettext
// catalogues (/usr/share/locale/zh_CN/LC_MESSAGES/*.mo on Debian), turned
// into PO files in a temporary folder at benchmark time and never kept.
//
//	go test ./cmd/corpus -run '^$' -bench IndexGettext -benchtime 1x
func BenchmarkIndexGettext(b *testing.B) {
	mos, _ := filepath.Glob("/usr/share/locale/zh_CN/LC_MESSAGES/*.mo")
	if len(mos) == 0 {
		b.Skip("no gettext catalogues in /usr/share/locale/zh_CN/LC_MESSAGES")
	}
	src := b.TempDir()
	for _, mo := range mos {
		data, err := os.ReadFile(mo)
		if err != nil {
			b.Fatal(err)
		}
		po, err := moToPO(data)
		if err != nil {
			b.Logf("%s: %v (skipped)", mo, err)
			continue
		}
		name := strings.TrimSuffix(filepath.Base(mo), ".mo") + ".po"
		if err := os.WriteFile(filepath.Join(src, name), po, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		data := b.TempDir()
		var out, errOut bytes.Buffer
		start := time.Now()
		err := run(b.Context(), []string{"index", "--source", src, "--data", data}, &out, &errOut)
		elapsed := time.Since(start)
		if err != nil && exitCode(err) != 1 {
			b.Fatalf("%v\n%s", err, errOut.String())
		}
		var docs, passages int
		fmt.Sscanf(out.String(), "indexed %d documents, %d passages", &docs, &passages)
		b.ReportMetric(float64(passages), "passages")
		b.ReportMetric(float64(passages)/elapsed.Seconds(), "passages/s")
		b.Logf("%d catalogues: %s%s", len(mos), out.String(), lastLines(errOut.String(), 4))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// moToPO converts a compiled gettext catalogue to PO text: header, msgctxt,
// plural forms and all.
func moToPO(data []byte) ([]byte, error) {
	if len(data) < 28 {
		return nil, errors.New("too short for a .mo file")
	}
	var order binary.ByteOrder
	switch binary.LittleEndian.Uint32(data) {
	case 0x950412de:
		order = binary.LittleEndian
	case 0xde120495:
		order = binary.BigEndian
	default:
		return nil, errors.New("not a .mo file")
	}
	u32 := func(off uint32) (uint32, error) {
		if int(off)+4 > len(data) {
			return 0, errors.New("offset out of range")
		}
		return order.Uint32(data[off:]), nil
	}
	str := func(table, i uint32) (string, error) {
		n, err := u32(table + 8*i)
		if err != nil {
			return "", err
		}
		off, err := u32(table + 8*i + 4)
		if err != nil || int(off)+int(n) > len(data) {
			return "", errors.New("string out of range")
		}
		return string(data[off : off+n]), nil
	}
	count, _ := u32(8)
	origs, _ := u32(12)
	trans, _ := u32(16)
	var b bytes.Buffer
	quote := func(kw, s string) {
		r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
		fmt.Fprintf(&b, "%s \"%s\"\n", kw, r.Replace(s))
	}
	for i := range count {
		id, err := str(origs, i)
		if err != nil {
			return nil, err
		}
		tr, err := str(trans, i)
		if err != nil {
			return nil, err
		}
		if ctxt, rest, ok := strings.Cut(id, "\x04"); ok {
			quote("msgctxt", ctxt)
			id = rest
		}
		ids := strings.Split(id, "\x00")
		quote("msgid", ids[0])
		if len(ids) > 1 {
			quote("msgid_plural", ids[1])
			for j, s := range strings.Split(tr, "\x00") {
				quote(fmt.Sprintf("msgstr[%d]", j), s)
			}
		} else {
			quote("msgstr", tr)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// TestIndexSourceKeepsLastGood: on a build without --strict, a file that
// indexed fine and is bad now keeps the passages the live generation has
// of it, and says so; a file that is gone is gone.
func TestIndexSourceKeepsLastGood(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	writeFiles(t, src,
		"glossary.tsv", "en\tzh\nrobot\t机器人\nlantern\t灯笼\n",
		"pair.en.md", "Robots sell.\n",
		"pair.zh.md", "机器人畅销。\n",
		"notes.md", "Lanterns glow.\n",
	)
	if _, errOut, err := indexRun(t, "--source", src, "--data", data); err != nil {
		t.Fatalf("first build: %v\n%s", err, errOut)
	}
	writeFiles(t, src,
		"glossary.tsv", "en\tzh\nrobot\t机器人\nno tab on this line\n",
		"pair.zh.md", "---\ndate: yesterday\n---\n机器人畅销。\n",
	)
	_, errOut, err := indexRun(t, "--source", src, "--data", data)
	if err == nil || !strings.Contains(err.Error(), "2 bad source files were not indexed (listed above); the rest is live, with the last good version of 2 of them") {
		t.Fatalf("second build: error %v, want 2 bad files kept\n%s", err, errOut)
	}
	s := filepath.ToSlash(filepath.Clean(src))
	for _, want := range []string{
		"notice: " + s + "/glossary.tsv: kept as the live generation has it (document glossary, 2 passages): the file is bad now",
		"notice: " + s + "/pair.en.md, " + s + "/pair.zh.md: kept as the live generation has it (document pair, 1 passages): the file is bad now",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	api := newSearchAPI(t, data)
	for q, want := range map[string][]string{"lantern": {"glossary/p001", "notes/p000"}, "畅销": {"pair/p000"}} {
		if got := api.search(url.Values{"q": {q}}).ids(); !slices.Equal(got, want) {
			t.Errorf("after a bad build, search %s = %v, want %v", q, got, want)
		}
	}

	if err := os.Remove(filepath.Join(src, "glossary.tsv")); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := indexRun(t, "--source", src, "--data", data); err == nil || strings.Contains(errOut, "glossary") {
		t.Fatalf("third build: %v, want 1 bad file and nothing about the removed glossary\n%s", err, errOut)
	}
	api = newSearchAPI(t, data)
	if got := api.search(url.Values{"q": {"lantern"}}).ids(); !slices.Equal(got, []string{"notes/p000"}) {
		t.Errorf("after the glossary is removed, search lantern = %v, want only notes/p000", got)
	}
}
