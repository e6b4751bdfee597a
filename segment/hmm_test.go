package segment

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/go-ego/gse/hmm"
)

// gseHMMLens is what gse's hmm.Cut makes of s, as word lengths in runes, or
// nil if its words do not spell s.
func gseHMMLens(s string) []int {
	var lens []int
	rest := s
	for _, w := range hmm.Cut(s) {
		if !strings.HasPrefix(rest, w) {
			return nil
		}
		if w != "" {
			lens = append(lens, utf8.RuneCountInString(w))
		}
		rest = rest[len(w):]
	}
	if rest != "" {
		return nil
	}
	return lens
}

// hmmRuns returns the runs of text that cut hands to the HMM: runs of single
// characters on gse's best route that are not words together.
func hmmRuns(tb testing.TB, d *dict, text string) [][]rune {
	tb.Helper()
	var runs [][]rune
	for _, h := range corpus.HanRuns(text) {
		chunk := []rune(h)
		s := string(chunk)
		offs := make([]int, len(chunk)+1)
		for i, k := 0, 0; k < len(chunk); k++ {
			offs[k] = i
			i += utf8.RuneLen(chunk[k])
		}
		offs[len(chunk)] = len(s)
		best := d.route(chunk, s, offs)
		buf := -1
		flush := func(end int) {
			if buf >= 0 && end-buf > 1 {
				if f, ok := d.lookup(string(chunk[buf:end])); !ok || f == 0 {
					runs = append(runs, chunk[buf:end])
				}
			}
			buf = -1
		}
		for x := 0; x < len(chunk); {
			y := best[x].last + 1
			if y-x == 1 {
				if buf < 0 {
					buf = x
				}
			} else {
				flush(x)
			}
			x = y
		}
		flush(len(chunk))
	}
	return runs
}

// novel returns gse's test novel, or "" when the module cache lacks it.
func novel(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(moduleDir("github.com/go-ego/gse"), "testdata", "zh", "bailuyuan_zh.txt"))
	if err != nil {
		tb.Logf("no novel: %v", err)
	}
	return string(b)
}

func essayZh(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "corpus", "data", "essay.zh.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestHMMMatchesGse compares hmmModel.cut with gse's hmm.Cut on real
// Chinese: every run of Han characters of the essay and of gse's novel, as
// written and folded (folding turns traditional characters, which the
// model mostly lacks, into simplified ones it has), every run Tokens would
// hand to the HMM, and every window of two to eight characters of the essay.
func TestHMMMatchesGse(t *testing.T) {
	m := hmmTables()
	text := essayZh(t) + novel(t)
	var inputs []string
	inputs = append(inputs, corpus.HanRuns(text)...)
	inputs = append(inputs, corpus.HanRuns(corpus.Fold(text))...)
	for _, r := range hmmRuns(t, segmenter(t).dict, corpus.Fold(text)) {
		inputs = append(inputs, string(r))
	}
	for _, run := range corpus.HanRuns(essayZh(t)) {
		rs := []rune(run)
		for i := range rs {
			for n := 2; n <= 8 && i+n <= len(rs); n++ {
				inputs = append(inputs, string(rs[i:i+n]))
			}
		}
	}
	// Characters the model lacks, alone and among known ones: their paths
	// tie, which tests the tie-breaking.
	inputs = append(inputs, "㐀㐁㐂", "我㐀们", "𠀀𠀁的", "丟丟丟丟", "他說㐀㐀了")

	words, diffs := 0, 0
	for _, in := range inputs {
		want := gseHMMLens(in)
		got := m.cut([]rune(in), nil)
		words += len(want)
		if !slices.Equal(got, want) {
			if diffs++; diffs <= 10 {
				t.Errorf("cut(%q) = %v, gse's hmm.Cut: %v", in, got, want)
			}
		}
	}
	t.Logf("%d inputs, %d words: %d differ from gse's", len(inputs), words, diffs)
	if words < 10000 {
		t.Errorf("only %d words compared", words)
	}
}

// FuzzHMM compares hmmModel.cut with gse's hmm.Cut on the runs of Han
// characters of any text, and on the text turned into Han characters rune
// by rune, so that random bytes become runs the model has and lacks.
func FuzzHMM(f *testing.F) {
	for _, s := range []string{"", "我们", "他说㐀㐀了", "今天天气不错，鸿鹄之志", "\x00\x01\xff", "abc中文def", "丟丟丟丟丟丟丟"} {
		f.Add(s)
	}
	m := hmmTables()
	f.Fuzz(func(t *testing.T, in string) {
		inputs := corpus.HanRuns(in)
		var han []rune
		for _, r := range in {
			// The CJK block (mostly in the model), Extension A (not).
			if r%5 == 0 {
				han = append(han, 0x3400+r%0x19b6)
			} else {
				han = append(han, 0x4e00+r%0x51a6)
			}
		}
		inputs = append(inputs, string(han))
		for _, in := range inputs {
			if got, want := m.cut([]rune(in), nil), gseHMMLens(in); !slices.Equal(got, want) {
				t.Fatalf("cut(%q) = %v, gse's hmm.Cut: %v", in, got, want)
			}
		}
	})
}

// BenchmarkHMM cuts the runs Tokens hands to the HMM in the first quarter
// megabyte of gse's novel, with gse's hmm.Cut and with hmmModel.cut.
func BenchmarkHMM(b *testing.B) {
	text := novel(b)
	if text == "" {
		b.Skip("no novel")
	}
	text = text[:strings.LastIndexByte(text[:256<<10], '\n')+1]
	runs := hmmRuns(b, segmenter(b).dict, corpus.Fold(text))
	strs := make([]string, len(runs))
	for i, r := range runs {
		strs[i] = string(r)
	}
	b.Run("gse", func(b *testing.B) {
		for b.Loop() {
			for _, s := range strs {
				hmm.Cut(s)
			}
		}
	})
	b.Run("ours", func(b *testing.B) {
		m := hmmTables()
		var lens []int
		for b.Loop() {
			for _, r := range runs {
				lens = m.cut(r, lens[:0])
			}
		}
	})
}
