package bench

import (
	"runtime"
	"strings"
	"time"

	"github.com/go-ego/gse"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/segment"
)

// Agreement compares our segmenter with gse's own loader and Cut on the
// same text.
type Agreement struct {
	Words, Same int // gse's words, and how many of them ours has too
	Runs        int // runs of Han characters compared
	Bytes       int // of text
	// GseLoad and GseHeap are what gse's LoadDictEmbed("zh_s") took.
	GseLoad time.Duration
	GseHeap uint64
}

// Percent is the share of gse's words that ours cuts identically.
func (a Agreement) Percent() float64 {
	if a.Words == 0 {
		return 0
	}
	return 100 * float64(a.Same) / float64(a.Words)
}

// CompareWithGse cuts every run of Han characters of texts with seg and
// with a gse segmenter loaded the standard way (its embedded simplified
// dictionary, and extra added at the frequency segment gives them, as
// segment did before it read the dictionary itself), and counts gse's words
// that seg also cuts: same start, same end.
func CompareWithGse(seg *segment.Segmenter, extra []string, texts []string) (Agreement, error) {
	var a Agreement
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	var g gse.Segmenter
	g.SkipLog, g.NotLoadHMM = true, true
	if err := g.LoadDictEmbed("zh_s"); err != nil {
		return a, err
	}
	a.GseLoad = time.Since(t0)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if m1.HeapAlloc > m0.HeapAlloc {
		a.GseHeap = m1.HeapAlloc - m0.HeapAlloc
	}
	const freq = 20000 // segment's addedFreq
	for _, w := range extra {
		w = corpus.Fold(w)
		for _, run := range corpus.HanRuns(w) {
			if len([]rune(run)) < 2 {
				continue
			}
			d := g.Dict
			if i, _, err := d.Value([]byte(run)); err == nil && i < len(d.Tokens) {
				if d.Tokens[i].Freq() < freq {
					d.Tokens[i] = g.ToToken(run, freq)
				}
				continue
			}
			if err := g.AddToken(run, freq); err != nil {
				return a, err
			}
		}
	}
	for _, text := range texts {
		a.Bytes += len(text)
		for _, run := range corpus.HanRuns(corpus.Fold(text)) {
			rs := []rune(run)
			if len(rs) > 512 {
				continue // segment cuts such runs in chunks; gse does not
			}
			a.Runs++
			ours := map[[2]int]bool{}
			for _, t := range seg.Tokens(run) {
				ours[[2]int{t.Start, t.End}] = true
			}
			at := 0
			for _, w := range g.Cut(run, true) {
				a.Words++
				if ours[[2]int{at, at + len(w)}] {
					a.Same++
				}
				at += len(w)
			}
		}
	}
	runtime.KeepAlive(&g)
	return a, nil
}

// ChineseText returns the Chinese prose of the sources: the novel and the
// essay's Chinese side.
func (s *Sources) ChineseText() []string {
	out := []string{strings.Join(s.Prose, "\n")}
	for _, t := range s.Essay {
		out = append(out, t.ZH)
	}
	return out
}

// Truncate returns the texts up to a total of limit bytes, cutting the last
// one at a line end.
func Truncate(texts []string, limit int) []string {
	var out []string
	for _, t := range texts {
		if limit <= 0 {
			break
		}
		if len(t) > limit {
			if i := strings.LastIndexByte(t[:limit], '\n'); i > 0 {
				t = t[:i]
			} else {
				t = ""
			}
		}
		limit -= len(t)
		out = append(out, t)
	}
	return out
}
