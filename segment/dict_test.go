package segment

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/go-ego/gse"
)

// gseReference is segmentation as this package did it before dict: gse's
// own loader (LoadDictEmbed) and Cut, with words added the way AddWords
// added them to gse's dictionary.
func gseReference(tb testing.TB, extra []string) *gse.Segmenter {
	tb.Helper()
	var g gse.Segmenter
	g.SkipLog, g.NotLoadHMM = true, true
	if err := g.LoadDictEmbed("zh_s"); err != nil {
		tb.Fatal(err)
	}
	for _, w := range extra {
		for _, run := range corpus.HanRuns(corpus.Fold(w)) {
			if len([]rune(run)) < 2 {
				continue
			}
			d := g.Dict
			if i, _, err := d.Value([]byte(run)); err == nil && i < len(d.Tokens) {
				if d.Tokens[i].Freq() < addedFreq {
					d.Tokens[i] = g.ToToken(run, addedFreq)
				}
				continue
			}
			if err := g.AddToken(run, addedFreq); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return &g
}

// chineseProse returns real Chinese text: the essay's and, when the module
// cache has it, the start of the novel in gse's test data.
func chineseProse(tb testing.TB, limit int) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "corpus", "data", "essay.zh.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	text := string(b)
	novel, err := os.ReadFile(filepath.Join(moduleDir("github.com/go-ego/gse"), "testdata", "zh", "bailuyuan_zh.txt"))
	if err == nil {
		text += string(novel[:min(len(novel), limit)])
	}
	return text
}

// TestDictionaryMatchesGse cuts real Chinese prose with dict and with gse's
// own dictionary and Cut: the words must be the same.
func TestDictionaryMatchesGse(t *testing.T) {
	s := segmenter(t)
	g := gseReference(t, gazetteer)
	text := corpus.Fold(chineseProse(t, 300_000))
	same, total, runs := 0, 0, 0
	var diffs []string
	for _, run := range corpus.HanRuns(text) {
		rs := []rune(run)
		if len(rs) > maxChunk {
			continue // Tokens cuts these in chunks; gse does not
		}
		runs++
		ours := s.cut(rs)
		var theirs []int
		for _, w := range g.Cut(run, true) {
			theirs = append(theirs, len([]rune(w)))
		}
		spans := func(lens []int) map[[2]int]bool {
			m := map[[2]int]bool{}
			at := 0
			for _, l := range lens {
				m[[2]int{at, at + l}] = true
				at += l
			}
			return m
		}
		o := spans(ours)
		for sp := range spans(theirs) {
			total++
			if o[sp] {
				same++
			} else if len(diffs) < 10 {
				diffs = append(diffs, string(rs[sp[0]:sp[1]])+" in "+run)
			}
		}
	}
	t.Logf("%d of %d gse words identical (%.4f%%) over %d runs of Han text", same, total, 100*float64(same)/float64(total), runs)
	if total < 1000 {
		t.Fatalf("only %d words compared: no prose to test with", total)
	}
	if same != total {
		t.Errorf("%d of %d words differ from gse's, e.g. %q", total-same, total, diffs)
	}
}

// TestDictionaryLoad reports how long loading takes; it fails only if the
// dictionary looks empty.
func TestDictionaryLoad(t *testing.T) {
	t0 := time.Now()
	d, err := loadDict()
	if err != nil {
		t.Fatal(err)
	}
	words := 0
	for _, f := range d.all() {
		if f > 0 {
			words++
		}
	}
	t.Logf("loaded %d words (%d keys with prefixes) in %v", words, d.keys(), time.Since(t0))
	if words < 300000 {
		t.Errorf("dictionary has %d words, want gse's 352k or so", words)
	}
}
