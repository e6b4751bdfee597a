package corpus

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func testEssay(t testing.TB) *Document {
	t.Helper()
	d, err := Essay()
	if err != nil {
		t.Fatalf("Essay() error: %v", err)
	}
	return d
}

func testGazetteer(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatalf("DefaultGazetteer() error: %v", err)
	}
	return g
}

// goldenEssay is what testdata/essay.golden.json pins of the essay: the
// whole structure, with a prefix of each English text (the full text is
// pinned by testdata/article/essay.en.json) and whether there is Chinese.
type goldenEssay struct {
	ID, Date, Source, Author, Editor, PictureSource, Note, Origin string
	Title                                                         Text
	Sections                                                      map[Section]int
	Passages                                                      []goldenPassage
	References                                                    []Reference
}

type goldenPassage struct {
	ID        string
	Position  int
	Section   Section
	EN        string
	HasZH     bool
	Companies []string `json:",omitempty"`
	Years     []int    `json:",omitempty"`
	Speakers  []string `json:",omitempty"`
	Entities  []string `json:",omitempty"`
	Corrected []string `json:",omitempty"` // why, for each hand correction
}

const goldenPrefixRunes = 60

func whys(cs []Correction) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Why)
	}
	return out
}

func prefix(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func TestEssayGolden(t *testing.T) {
	d := testEssay(t)
	g := goldenEssay{
		ID: d.ID, Date: d.Date, Source: d.Source, Author: d.Author, Editor: d.Editor,
		PictureSource: d.PictureSource, Note: d.Note, Origin: d.Origin, Title: d.Title,
		Sections:   map[Section]int{},
		References: d.References,
	}
	for _, p := range d.Passages {
		g.Sections[p.Section]++
		g.Passages = append(g.Passages, goldenPassage{
			ID: p.ID, Position: p.Position, Section: p.Section,
			EN: prefix(p.Text.EN, goldenPrefixRunes), HasZH: p.Text.ZH != "",
			Companies: p.Companies, Years: p.Years, Speakers: p.Speakers, Entities: p.Entities,
			Corrected: whys(p.Corrections),
		})
	}
	checkGolden(t, "testdata/essay.golden.json", marshalGolden(t, g))
}

func TestEssay(t *testing.T) {
	d := testEssay(t)
	if d.ID != "huawei-bytedance-abroad" || d.Date != "2020" || d.Year() != 2020 {
		t.Errorf("ID, Date = %q, %q, want huawei-bytedance-abroad, 2020", d.ID, d.Date)
	}
	meta := [4]string{d.Source, d.Editor, d.PictureSource, d.Author}
	if want := [4]string{"Houchang 108", "Dai Lili", "Visual China", ""}; meta != want {
		t.Errorf("Source, Editor, PictureSource, Author = %q, want %q", meta, want)
	}
	if !strings.Contains(d.Note, "machine translation") || !strings.Contains(d.Note, "not the original Chinese") {
		t.Errorf("Note does not say how the texts were made: %q", d.Note)
	}
	if d.Title.EN != d.Passages[0].Text.EN || d.Title.ZH != d.Passages[0].Text.ZH || d.Title.ZH == "" {
		t.Errorf("Title = %+v, want the text of the title passage %+v", d.Title, d.Passages[0].Text)
	}

	if len(d.Passages) != 79 {
		t.Fatalf("%d passages, want 79", len(d.Passages))
	}
	count := map[Section]int{}
	dashes := 0
	for i, p := range d.Passages {
		count[p.Section]++
		if want := PassageID(d.ID, i); p.ID != want || p.Position != i || p.Doc != d.ID {
			t.Errorf("passage %d: ID, Position, Doc = %q, %d, %q, want %q, %d, %q", i, p.ID, p.Position, p.Doc, want, i, d.ID)
		}
		if strings.TrimSpace(p.Text.EN) == "" || strings.TrimSpace(p.Text.ZH) == "" {
			t.Errorf("passage %s has an empty side: %+v", p.ID, p.Text)
		}
		for _, bad := range []string{"slotbydup", "u2014", "Picture source", "window.", "NN4994"} {
			if strings.Contains(p.Text.EN, bad) {
				t.Errorf("passage %s contains %q: %q", p.ID, bad, p.Text.EN)
			}
		}
		if strings.Contains(p.Text.EN, "——") {
			dashes++
			if !strings.Contains(p.Text.EN, "social application ——As of July 2016") {
				t.Errorf("passage %s has —— in an unexpected place: %q", p.ID, p.Text.EN)
			}
		}
	}
	if dashes != 1 {
		t.Errorf("%d passages contain the restored ——, want 1", dashes)
	}
	want := map[Section]int{SectionTitle: 1, SectionBody: 67, SectionCaption: 4, SectionReference: 7}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("passages by section (-want +got):\n%s", diff)
	}

	type ref struct {
		Number            int
		Publication, Date string
	}
	var refs []ref
	for _, r := range d.References {
		refs = append(refs, ref{r.Number, r.Publication, r.Date})
		i := slices.IndexFunc(d.Passages, func(p Passage) bool { return p.ID == r.Passage })
		if i < 0 || d.Passages[i].Section != SectionReference {
			t.Errorf("reference %d: passage %q is not a reference passage", r.Number, r.Passage)
			continue
		}
		if en := d.Passages[i].Text.EN; !strings.HasPrefix(en, strconv.Itoa(r.Number)+". ") || !strings.Contains(en, r.Title.EN) {
			t.Errorf("reference %d: passage %q does not hold its number and title %q", r.Number, en, r.Title.EN)
		}
		if zh := d.Passages[i].Text.ZH; r.Title.ZH == "" || strings.HasPrefix(r.Title.ZH, "《") || !strings.Contains(zh, r.Title.ZH) {
			t.Errorf("reference %d: Chinese title %q, from %q", r.Number, r.Title.ZH, zh)
		}
	}
	wantRefs := []ref{
		{1, "China business daily", "2000-04-20"},
		{2, "Sohu it", "2005-06-05"},
		{3, "", "2004-11-30"},
		{4, "", "2018-03-22"},
		{6, "Phoenix technology", "2019-04-18"},
		{7, "global times", "2019-03-07"},
		{8, "it times weekly", "2020-08-06"},
	}
	if diff := cmp.Diff(wantRefs, refs); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
}

// TestEssayAligned checks the alignment of the two sides where it can be
// checked mechanically: a year the English gives must be in the Chinese.
func TestEssayAligned(t *testing.T) {
	year := regexp.MustCompile(`\b(?:19|20)\d\d\b`)
	for _, p := range testEssay(t).Passages {
		for _, y := range year.FindAllString(p.Text.EN, -1) {
			if !strings.Contains(p.Text.ZH, y) {
				t.Errorf("passage %s: year %s of the English is not in the Chinese:\nEN %s\nZH %s", p.ID, y, p.Text.EN, p.Text.ZH)
			}
		}
	}
}

func TestEssayFacets(t *testing.T) {
	d := testEssay(t)
	for _, p := range d.Passages {
		for _, c := range p.Companies {
			if !slices.Contains(p.Entities, c) {
				t.Errorf("passage %s: company %q is not among its entities %q", p.ID, c, p.Entities)
			}
		}
	}
	// Passages whose facets are beyond doubt.
	tests := []struct {
		pos     int
		company string
		year    int
		speaker string
	}{
		{5, "Huawei", 2001, ""},
		{2, "", 0, "Ren Zhengfei"},
		{36, "ByteDance", 2012, ""},
	}
	for _, tt := range tests {
		p := d.Passages[tt.pos]
		if tt.company != "" && !slices.Contains(p.Companies, tt.company) {
			t.Errorf("passage %s: Companies = %q, want %q among them\n%s", p.ID, p.Companies, tt.company, p.Text.EN)
		}
		if tt.year != 0 && !slices.Contains(p.Years, tt.year) {
			t.Errorf("passage %s: Years = %v, want %d among them\n%s", p.ID, p.Years, tt.year, p.Text.EN)
		}
		if tt.speaker != "" && !slices.Contains(p.Speakers, tt.speaker) {
			t.Errorf("passage %s: Speakers = %q, want %q among them\n%s", p.ID, p.Speakers, tt.speaker, p.Text.EN)
		}
	}
}

func TestEssayReturnsCopies(t *testing.T) {
	d := testEssay(t)
	want := testEssay(t)
	d.Title.EN = "changed"
	d.Passages[0].Text.EN = "changed"
	d.Passages[5].Companies = append(d.Passages[5].Companies[:0], "changed")
	d.Passages = d.Passages[:1]
	d.References[0].Number = 99
	if diff := cmp.Diff(want, testEssay(t)); diff != "" {
		t.Errorf("changing the result of Essay() changed the next one (-want +got):\n%s", diff)
	}
}

// essayFS returns the embedded essay's files with the file name replaced by
// data, for tests of what readEssay does with other files.
func essayFS(t testing.TB, name string, data []byte) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, n := range []string{essayEN, essayZH, essayMeta} {
		b, err := essayFiles.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		fsys[n] = &fstest.MapFile{Data: b}
	}
	fsys[name] = &fstest.MapFile{Data: data}
	return fsys
}

func essayMetaWith(t testing.TB, corrections string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	b, err := essayFiles.ReadFile(essayMeta)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["corrections"] = json.RawMessage(corrections)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEssayCorrection applies a synthetic correction to the essay and checks
// that it changes exactly the facets it names.
func TestEssayCorrection(t *testing.T) {
	g := testGazetteer(t)
	plain, err := readEssay(essayFS(t, essayMeta, essayMetaWith(t, `[]`)), g)
	if err != nil {
		t.Fatal(err)
	}
	before := plain.Passages[5]
	if !slices.Contains(before.Years, 2001) || slices.Contains(before.Speakers, "Ren Zhengfei") {
		t.Fatalf("passage %s has Years %v, Speakers %q: the test needs 2001 and not Ren Zhengfei", before.ID, before.Years, before.Speakers)
	}
	fsys := essayFS(t, essayMeta, essayMetaWith(t,
		`[{"passage": "p005", "add": {"speakers": ["Ren Zhengfei"]}, "remove": {"years": [2001]}, "why": "test"}]`))
	d, err := readEssay(fsys, g)
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.Years = slices.DeleteFunc(slices.Clone(before.Years), func(y int) bool { return y == 2001 })
	if len(want.Years) == 0 {
		want.Years = nil
	}
	want.Speakers = append(slices.Clone(before.Speakers), "Ren Zhengfei")
	slices.Sort(want.Speakers)
	want.Corrections = []Correction{{
		Passage: before.ID,
		Add:     Facets{Speakers: []string{"Ren Zhengfei"}},
		Remove:  Facets{Years: []int{2001}},
		Why:     "test",
	}}
	if diff := cmp.Diff(want, d.Passages[5]); diff != "" {
		t.Errorf("corrected passage (-want +got):\n%s", diff)
	}
	plain.Passages[5] = d.Passages[5]
	if diff := cmp.Diff(plain, d); diff != "" {
		t.Errorf("the correction changed other passages (-want +got):\n%s", diff)
	}
}

func TestEssayErrors(t *testing.T) {
	g := testGazetteer(t)
	zh, err := essayFiles.ReadFile(essayZH)
	if err != nil {
		t.Fatal(err)
	}
	zhParas := strings.Split(strings.TrimSpace(string(zh)), "\n\n")
	tests := []struct {
		name string
		file string
		data string
		want string // a substring of the error
	}{
		{"zh paragraph missing", essayZH, strings.Join(zhParas[1:], "\n\n"),
			"align data/essay.en.txt with data/essay.zh.txt: 79 paragraphs against 78"},
		{"zh paragraph added", essayZH, string(zh) + "\n\n多余的一段。\n",
			"79 paragraphs against 80"},
		{"zh references shifted", essayZH, strings.Join(slices.Concat(zhParas[:72], zhParas[73:], zhParas[72:73]), "\n\n"),
			"paragraph 73 is numbered 1 against 2"},
		{"zh invalid UTF-8", essayZH, "标题\n\n\xff\n", "data/essay.zh.txt:3: invalid UTF-8"},
		{"unknown facet", essayMeta, string(essayMetaWith(t, `[{"passage": "p005", "add": {"company": ["Huawei"]}, "why": "x"}]`)),
			`correction 1 (p005): add: unknown facet "company"`},
		{"unknown passage", essayMeta, string(essayMetaWith(t, `[{"passage": "p500", "add": {"years": [2001]}, "why": "x"}]`)),
			`correction 1: passage "huawei-bytedance-abroad/p500": not found`},
		{"bad passage form", essayMeta, string(essayMetaWith(t, `[{"passage": "5", "add": {"years": [2001]}, "why": "x"}]`)),
			`correction 1: passage "5": want the form p012`},
		{"stale add", essayMeta, string(essayMetaWith(t, `[{"passage": "p005", "add": {"years": [2001]}, "why": "x"}]`)),
			"years: add 2001: the passage already has it"},
		{"stale remove", essayMeta, string(essayMetaWith(t, `[{"passage": "p005", "remove": {"companies": ["Tencent"]}, "why": "x"}]`)),
			`companies: remove "Tencent": the passage does not have it`},
		{"unknown name", essayMeta, string(essayMetaWith(t, `[{"passage": "p005", "add": {"speakers": ["Nobody Known"]}, "why": "x"}]`)),
			`speakers: "Nobody Known" is not the canonical name`},
		{"speaker not a person", essayMeta, string(essayMetaWith(t, `[{"passage": "p005", "add": {"speakers": ["Tencent"]}, "why": "x"}]`)),
			`speakers: "Tencent" is a company, not a person`},
		{"no reason", essayMeta, string(essayMetaWith(t, `[{"passage": "p005", "add": {"speakers": ["Ren Zhengfei"]}}]`)),
			"no reason given"},
		{"unknown field", essayMeta, `{"id": "x", "corections": []}`, `unknown field "corections"`},
		{"bad id", essayMeta, `{"id": "Huawei ByteDance"}`, `id "Huawei ByteDance"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readEssay(essayFS(t, tt.file, []byte(tt.data)), g)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("readEssay with %s changed (%s): error %v, want one containing %q", tt.file, tt.name, err, tt.want)
			}
		})
	}
}

func TestAlign(t *testing.T) {
	tests := []struct {
		name    string
		en, zh  []string
		want    []Text
		wantErr string
	}{
		{"pairs", []string{"Title", "Body."}, []string{"标题", "正文。"},
			[]Text{{EN: "Title", ZH: "标题"}, {EN: "Body.", ZH: "正文。"}}, ""},
		{"counts", []string{"a", "b"}, []string{"甲"}, nil, "align a.en.md with a.zh.md: 2 paragraphs against 1"},
		{"numbers", []string{"T", "1. A, May 1, 2020", "2. B"}, []string{"标", "2. 乙", "3. 丙"}, nil,
			"align a.en.md with a.zh.md: paragraph 2 is numbered 1 against 2"},
		{"numbers in prose", []string{"2. B", "3.5 billion."}, []string{"2、乙", "35亿。"},
			[]Text{{EN: "2. B", ZH: "2、乙"}, {EN: "3.5 billion.", ZH: "35亿。"}}, ""},
		{"empty", nil, nil, []Text{}, ""},
	}
	for _, tt := range tests {
		got, err := Align(tt.en, tt.zh, "a.en.md", "a.zh.md")
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Align(%q, %q) error = %v, want %q", tt.en, tt.zh, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Align(%q, %q) error: %v", tt.en, tt.zh, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Align(%q, %q) (-want +got):\n%s", tt.en, tt.zh, diff)
		}
	}
}

func TestNewDocument(t *testing.T) {
	en := "Going Abroad\n\nThe firm went abroad in 2001.\n\nWang Wei\n\nIt grew.\n\n" +
		"1. Going global, a study, Business Daily, April 20, 2000;\n\n3. Interview with Li Lei, founder of Acme, March 22, 2018;\n"
	a, err := ParseArticle(strings.NewReader(en), "a.en.txt")
	if err != nil {
		t.Fatal(err)
	}
	zh := []string{"出海", "该公司于2001年出海。", "王伟", "它发展壮大。",
		"1. 《走向全球，一项研究》，商业日报，2000年4月20日；", "3、《对话Acme创始人李雷》，2018年3月22日。"}
	d, err := NewDocument("going-abroad", a, zh, "a.en.txt", "a.zh.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := &Document{
		ID:    "going-abroad",
		Title: Text{EN: "Going Abroad", ZH: "出海"},
		Passages: []Passage{
			{ID: "going-abroad/p000", Doc: "going-abroad", Position: 0, Section: SectionTitle, Text: Text{EN: "Going Abroad", ZH: "出海"}},
			{ID: "going-abroad/p001", Doc: "going-abroad", Position: 1, Section: SectionBody, Text: Text{EN: "The firm went abroad in 2001.", ZH: zh[1]}},
			{ID: "going-abroad/p002", Doc: "going-abroad", Position: 2, Section: SectionCaption, Text: Text{EN: "Wang Wei", ZH: "王伟"}},
			{ID: "going-abroad/p003", Doc: "going-abroad", Position: 3, Section: SectionBody, Text: Text{EN: "It grew.", ZH: zh[3]}},
			{ID: "going-abroad/p004", Doc: "going-abroad", Position: 4, Section: SectionReference, Text: Text{EN: "1. Going global, a study, Business Daily, April 20, 2000;", ZH: zh[4]}},
			{ID: "going-abroad/p005", Doc: "going-abroad", Position: 5, Section: SectionReference, Text: Text{EN: "3. Interview with Li Lei, founder of Acme, March 22, 2018;", ZH: zh[5]}},
		},
		References: []Reference{
			{Number: 1, Title: Text{EN: "Going global, a study", ZH: "走向全球，一项研究"}, Publication: "Business Daily", Date: "2000-04-20", Passage: "going-abroad/p004"},
			{Number: 3, Title: Text{EN: "Interview with Li Lei, founder of Acme", ZH: "对话Acme创始人李雷"}, Date: "2018-03-22", Passage: "going-abroad/p005"},
		},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("NewDocument (-want +got):\n%s", diff)
	}

	bad := slices.Clone(zh)
	bad[5] = "3、《对话Acme创始人李雷》，2018年3月23日。"
	_, err = NewDocument("going-abroad", a, bad, "a.en.txt", "a.zh.txt")
	if want := "a.zh.txt paragraph 6: reference 3 is dated 2018-03-22 but 2018-03-23 on the Chinese side"; err == nil || err.Error() != want {
		t.Errorf("NewDocument with a Chinese date that differs: error %v, want %q", err, want)
	}
}

func TestCorrectErrorsWrapNotFound(t *testing.T) {
	d := &Document{ID: "d", Passages: []Passage{{ID: "d/p000"}}}
	err := Correct(d, testGazetteer(t), []Correction{{Passage: "d/p001", Why: "x"}})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Correct for an unknown passage: error %v, want one wrapping ErrNotFound", err)
	}
}
