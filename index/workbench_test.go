package index

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/segment"
)

// essayPassages returns the essay's passages as the corpus package gives
// them, for counts computed without the index.
func essayPassages(t *testing.T) []corpus.Passage {
	t.Helper()
	d, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	return d.Passages
}

// The forms of "technology" (a stem) in the essay, counted by hand with
// grep -oi 'technolog[a-z]*' corpus/data/essay.en.txt: the query finds
// each of them and nothing else, and technical (stem technic) is not one.
func TestFrequencyOfStemForms(t *testing.T) {
	ix := testIndex(t)
	f, err := ix.Frequency(t.Context(), FreqQuery{Query: Query{Text: "technology", Lang: corpus.English}, By: ByYear})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, fc := range f.Forms {
		got[string(fc.Lang)+":"+fc.Form] = fc.Count
	}
	want := map[string]int{"en:technology": 12, "en:technological": 3, "en:technologies": 2, "en:technologically": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("forms of technology (-want +got):\n%s", diff)
	}
	// The same from the passages' text, so a change to the essay shows.
	re := regexp.MustCompile(`(?i)\btechnolog[a-z]*`)
	raw := map[string]int{}
	words := 0
	for _, p := range essayPassages(t) {
		for _, m := range re.FindAllString(p.Text.EN, -1) {
			raw["en:"+strings.ToLower(m)]++
		}
		words += len(latinWords(p.Text.EN))
	}
	if diff := cmp.Diff(raw, got); diff != "" {
		t.Errorf("forms of technology against the text (-raw +got):\n%s", diff)
	}
	if f.Read != f.Total || f.Count != 18 || !f.Size.Exact || f.Size.WordsEN != words {
		t.Errorf("read %d of %d, count %d, size %+v; want all read, 18, exact %d English words", f.Read, f.Total, f.Count, f.Size, words)
	}
	if want := 18 * 1e6 / float64(words); f.PerMillion < want-1e-6 || f.PerMillion > want+1e-6 {
		t.Errorf("per million = %v, want %v", f.PerMillion, want)
	}
	// By year: each row counts the matches in passages tagged with it.
	rowSum := map[string]int{}
	for _, p := range essayPassages(t) {
		n := len(re.FindAllString(p.Text.EN, -1))
		for _, y := range p.Years {
			if n > 0 {
				rowSum[yearTerm(y)[0:4]] += n
			}
		}
	}
	rows := map[string]int{}
	for _, r := range f.Rows {
		rows[r.Value] = r.Count
		if r.Size.Passages == 0 || r.PerMillion <= 0 {
			t.Errorf("row %s has size %+v and rate %v", r.Value, r.Size, r.PerMillion)
		}
	}
	if diff := cmp.Diff(rowSum, rows); diff != "" {
		t.Errorf("by year (-want +got):\n%s", diff)
	}
}

// A Chinese string's forms are the words it occurs in: each form's count
// is how often the segmented text has that word.
func TestFrequencyOfChineseWords(t *testing.T) {
	ix := testIndex(t)
	f, err := ix.Frequency(t.Context(), FreqQuery{Query: Query{Text: "科技", Lang: corpus.Chinese}, By: ByDoc})
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]int{}
	for _, p := range essayPassages(t) {
		for _, w := range ix.words(p.ID, corpus.Chinese, p.Text.ZH) {
			words[w.Form]++
		}
	}
	total := 0
	for _, fc := range f.Forms {
		if fc.Lang != corpus.Chinese || !strings.Contains(fc.Form, "科技") || fc.Count != words[fc.Form] {
			t.Errorf("form %+v: want a word containing 科技 as often as the text has it (%d)", fc, words[fc.Form])
		}
		total += fc.Count
	}
	// 科技 alone is 10 of the 14; 高科技 holds some of the others.
	if words["科技"] != 10 || total < 10 || total > 14 {
		t.Errorf("forms of 科技 count %d (科技 alone %d), want 10 to 14: %+v", total, words["科技"], f.Forms)
	}
	if len(f.Rows) != 1 || f.Rows[0].Count != total || f.Rows[0].Value != "huawei-bytedance-abroad" {
		t.Errorf("by document: %+v, want one row of %d", f.Rows, total)
	}
}

// windowCounts counts, independently of the index, the words within w
// words either side of each occurrence of a node in tokenised passages.
func windowCounts(docs [][]string, isNode func(string) bool, w int) (map[string]int, int) {
	out := map[string]int{}
	nodes := 0
	for _, ws := range docs {
		for i, x := range ws {
			if !isNode(x) {
				continue
			}
			nodes++
			for j := max(0, i-w); j <= min(len(ws)-1, i+w); j++ {
				if j != i && !isNode(ws[j]) {
					out[ws[j]]++
				}
			}
		}
	}
	return out, nodes
}

var rawWord = regexp.MustCompile(`[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*`)

// The top collocates of 华为 (in Chinese) and of Huawei (in English) with
// their window counts, checked against counts computed here from the
// essay's text: English split by a regular expression, Chinese by the
// segmenter with the gazetteer's names, as the index splits it.
func TestCollocationsAgainstText(t *testing.T) {
	ix := testIndex(t)
	seg, err := segment.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := seg.AddWords(ix.gaz.ChineseNames()); err != nil {
		t.Fatal(err)
	}
	var en, zh [][]string
	for _, p := range essayPassages(t) {
		var ws []string
		for _, m := range rawWord.FindAllString(p.Text.EN, -1) {
			ws = append(ws, strings.ToLower(m))
		}
		en = append(en, ws)
		ws = nil
		for _, tk := range seg.Tokens(p.Text.ZH) {
			if strings.IndexFunc(tk.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				ws = append(ws, tk.Text)
			}
		}
		zh = append(zh, ws)
	}
	for _, tc := range []struct {
		q      string
		lang   corpus.Lang
		docs   [][]string
		isNode func(string) bool
		top    []string // hand-checked: the first collocates by logDice
	}{
		{"华为", corpus.Chinese, zh, func(s string) bool { return s == "华为" }, []string{"字节跳动", "年", "全球", "市场"}},
		{"Huawei", corpus.English, en, func(s string) bool { return s == "huawei" || s == "huawei's" || s == "huaweis" }, []string{"also", "took", "byte"}},
	} {
		c, err := ix.Collocations(t.Context(), CollocQuery{Query: Query{Text: tc.q, Lang: tc.lang}, Left: 3, Right: 3, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		want, nodes := windowCounts(tc.docs, tc.isNode, 3)
		gotNodes := c.NodesEN + c.NodesZH
		if gotNodes != nodes {
			t.Errorf("%s: %d nodes, the text has %d", tc.q, gotNodes, nodes)
		}
		if len(c.Collocates) < 10 {
			t.Fatalf("%s: %d collocates, want at least 10", tc.q, len(c.Collocates))
		}
		var forms []string
		for _, x := range c.Collocates {
			forms = append(forms, x.Form)
			if x.Lang != tc.lang || x.Freq != want[x.Form] {
				t.Errorf("%s: collocate %s %q: freq %d, the text has %d", tc.q, x.Lang, x.Form, x.Freq, want[x.Form])
			}
			if x.LogDice > 14 || x.CorpusFreq < x.Freq {
				t.Errorf("%s: collocate %+v: logDice above 14 or corpus freq below window freq", tc.q, x)
			}
		}
		if !slices.IsSortedFunc(c.Collocates, func(a, b Collocate) int {
			if a.LogDice > b.LogDice {
				return -1
			}
			if a.LogDice < b.LogDice {
				return 1
			}
			return 0
		}) {
			t.Errorf("%s: not sorted by logDice: %v", tc.q, forms)
		}
		if !slices.Equal(forms[:len(tc.top)], tc.top) {
			t.Errorf("%s: top collocates %v, want %v first", tc.q, forms, tc.top)
		}
		// The best collocate's logDice, from the counts here.
		top := c.Collocates[0]
		fy := 0
		for _, ws := range tc.docs {
			for _, w := range ws {
				if w == top.Form {
					fy++
				}
			}
		}
		if top.CorpusFreq != fy {
			t.Errorf("%s: corpus freq of %q = %d, the text has %d", tc.q, top.Form, top.CorpusFreq, fy)
		}
		n := 0
		for _, ws := range tc.docs {
			n += len(ws)
		}
		fxy := float64(want[top.Form])
		logDice := 14 + math.Log2(2*fxy/float64(nodes+fy))
		mi := math.Log2(fxy * float64(n) / float64(nodes*fy))
		if math.Abs(top.LogDice-logDice) > 1e-9 || math.Abs(top.MI-mi) > 1e-9 {
			t.Errorf("%s: %q logDice %v MI %v, from the text's counts %v and %v", tc.q, top.Form, top.LogDice, top.MI, logDice, mi)
		}
	}
}

// The forms of the prefix query tech*, counted by hand with
// grep -oi '\btech[a-z]*' corpus/data/essay.en.txt.
func TestFrequencyOfPrefixForms(t *testing.T) {
	ix := testIndex(t)
	f, err := ix.Frequency(t.Context(), FreqQuery{Query: Query{Text: "tech*", Lang: corpus.English}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, fc := range f.Forms {
		got[fc.Form] = fc.Count
	}
	want := map[string]int{"tech": 2, "technical": 1, "technological": 3, "technologically": 1, "technologies": 2, "technology": 12}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("forms of tech* (-want +got):\n%s", diff)
	}
	re := regexp.MustCompile(`(?i)\btech[a-z]*`)
	raw := map[string]int{}
	for _, p := range essayPassages(t) {
		for _, m := range re.FindAllString(p.Text.EN, -1) {
			raw[strings.ToLower(m)]++
		}
	}
	if diff := cmp.Diff(raw, got); diff != "" {
		t.Errorf("forms of tech* against the text (-raw +got):\n%s", diff)
	}
}

// What the aligned corpus shows: the Chinese words of the passages whose
// English says "iron curtain" put 铁幕 first, in all four of them and in
// no other passage (logDice 14).
func TestAlignedCollocations(t *testing.T) {
	ix := testIndex(t)
	c, err := ix.Collocations(t.Context(), CollocQuery{Query: Query{Text: `"iron curtain"`, Lang: corpus.English}, Aligned: true, MinFreq: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c.NodesEN != 4 || len(c.Collocates) == 0 {
		t.Fatalf("%d passages, %d collocates; want 4 and some", c.NodesEN, len(c.Collocates))
	}
	top := c.Collocates[0]
	if top.Lang != corpus.Chinese || top.Form != "铁幕" || top.Freq != 4 || top.CorpusFreq != 4 || top.LogDice != 14 {
		t.Errorf("top aligned collocate %+v, want 铁幕 in 4 of 4 passages, logDice 14", top)
	}
	// The counts are passages: none can exceed the passages read.
	for _, x := range c.Collocates {
		if x.Freq > 4 {
			t.Errorf("%+v: more than the 4 passages", x)
		}
	}
}
