package index_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

var recallFigures = flag.Bool("recall", false, "log recall figures (Chinese substrings, sentences) for the essay and the generated corpus")

// corpusFixture is one built corpus: its passages and its open index.
type corpusFixture struct {
	name     string
	dir      string
	passages []corpus.Passage
	ix       *index.Index
}

func buildFixture(name string, docs []*corpus.Document, gaz *corpus.Gazetteer) (*corpusFixture, error) {
	dir, err := index.SharedTempDir("corpus-recall-")
	if err != nil {
		return nil, err
	}
	st, err := index.Build(context.Background(), dir, docs, gaz, index.BuildOptions{})
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", name, err)
	}
	ix, err := index.Open(filepath.Join(dir, st.Generation))
	if err != nil {
		return nil, err
	}
	f := &corpusFixture{name: name, dir: dir, ix: ix}
	for _, d := range docs {
		f.passages = append(f.passages, d.Passages...)
	}
	return f, nil
}

// essayFixture is the embedded essay, built once per test binary.
var essayFixture = sync.OnceValues(func() (*corpusFixture, error) {
	doc, err := corpus.Essay()
	if err != nil {
		return nil, err
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	return buildFixture("essay", []*corpus.Document{doc}, gaz)
})

// genPassages is the size of the generated corpus of the oracle tests.
const genPassages = 10000

// genFixture is a corpus of genPassages passages made by bench.Generate
// from real text (gettext catalogues, gse's test novel, the essay), built
// once per test binary.
var genFixture = sync.OnceValues(func() (*corpusFixture, error) {
	src, err := bench.LoadSources(bench.DefaultLocaleDir, "")
	if err != nil {
		return nil, err
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	docs := bench.Generate(src, gaz, bench.GenOptions{Passages: genPassages, Seed: 7, Annotate: true})
	return buildFixture("generated", docs, gaz)
})

func fixtures(t testing.TB) []*corpusFixture {
	t.Helper()
	var out []*corpusFixture
	for _, f := range []func() (*corpusFixture, error){essayFixture, genFixture} {
		fx, err := f()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fx)
	}
	return out
}

// allHits returns the ids of every hit of q, page by page.
func allHits(t testing.TB, ix *index.Index, q index.Query) map[string]bool {
	t.Helper()
	out, err := searchAll(t.Context(), ix, q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return out
}

func searchAll(ctx context.Context, ix *index.Index, q index.Query) (map[string]bool, error) {
	out := map[string]bool{}
	q.Size = index.MaxSize
	for q.Page = 1; ; q.Page++ {
		r, err := ix.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, h := range r.Hits {
			out[h.Passage.ID] = true
		}
		if len(r.Hits) < q.Size || q.Page*q.Size >= r.Total {
			return out, nil
		}
	}
}

// hanSubstrings picks n random substrings of 1 to 6 Han characters from
// the Chinese sides of ps.
func hanSubstrings(r *rand.Rand, ps []corpus.Passage, n int) []string {
	var out []string
	for len(out) < n {
		p := ps[r.IntN(len(ps))]
		runs := corpus.HanRuns(p.Text.ZH)
		if len(runs) == 0 {
			continue
		}
		run := []rune(runs[r.IntN(len(runs))])
		l := 1 + r.IntN(min(6, len(run)))
		i := r.IntN(len(run) - l + 1)
		out = append(out, string(run[i:i+l]))
	}
	return out
}

var (
	enSentenceEnd = regexp.MustCompile(`[.!?]["”’)]?\s+`)
	zhSentenceEnd = regexp.MustCompile(`[。！？]["”’）]?`)
)

// sentences returns the sentences of one side of ps, with the passage each
// comes from: English ones of 4 words or more, Chinese ones of 6 Han
// characters or more.
func sentences(ps []corpus.Passage, lang corpus.Lang) (out []string, from []string) {
	for _, p := range ps {
		text := p.Text.Get(lang)
		var parts []string
		if lang == corpus.English {
			parts = splitAfter(text, enSentenceEnd)
		} else {
			parts = splitAfter(text, zhSentenceEnd)
		}
		for _, s := range parts {
			s = strings.TrimSpace(s)
			if lang == corpus.English && len(strings.Fields(s)) < 4 {
				continue
			}
			if lang == corpus.Chinese && len([]rune(strings.Join(corpus.HanRuns(s), ""))) < 6 {
				continue
			}
			if !utf8.ValidString(s) {
				continue
			}
			out = append(out, s)
			from = append(from, p.ID)
		}
	}
	return out, from
}

func splitAfter(s string, re *regexp.Regexp) []string {
	var out []string
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		out = append(out, s[last:m[1]])
		last = m[1]
	}
	return append(out, s[last:])
}

// TestRecallFigures logs the figures of issue 12: what share of the
// passages holding a Chinese substring a search for it finds, and how
// often a sentence pasted into the box finds its own passage.
func TestRecallFigures(t *testing.T) {
	if !*recallFigures {
		t.Skip("figures only with -recall")
	}
	for _, fx := range fixtures(t) {
		r := rand.New(rand.NewPCG(12, 0))
		folded := make([]string, len(fx.passages))
		for i, p := range fx.passages {
			folded[i] = corpus.Fold(p.Text.ZH)
		}
		subs := hanSubstrings(r, fx.passages, 300)
		want, got, full := 0, 0, 0
		for _, s := range subs {
			hits := allHits(t, fx.ix, index.Query{Text: s})
			fs := corpus.Fold(s)
			w, g := 0, 0
			for i, p := range fx.passages {
				if strings.Contains(folded[i], fs) {
					w++
					if hits[p.ID] {
						g++
					}
				}
			}
			want += w
			got += g
			if w == g {
				full++
			}
		}
		t.Logf("%s: Chinese substrings of 1–6 characters: %d queries, %d/%d passages found (%.1f%%), %d queries (%.1f%%) find every passage",
			fx.name, len(subs), got, want, 100*float64(got)/float64(want), full, 100*float64(full)/float64(len(subs)))
		for _, lang := range corpus.Langs {
			st := sentenceRecall(t, fx, lang, 300)
			t.Logf("%s: %s sentences: %d; own passage in the top 3 unquoted: %d (%.1f%%), or a top 3 of passages with the same sentence: %d (%.1f%%); found quoted: %d (%.1f%%); refused: %d",
				fx.name, lang, st.n, st.own, 100*float64(st.own)/float64(st.n), st.top3, 100*float64(st.top3)/float64(st.n), st.quoted, 100*float64(st.quoted)/float64(st.n), st.refused)
		}
	}
}

// sentenceStats counts how sentences pasted into the box fare.
type sentenceStats struct {
	n, top3, quoted, refused int
	own                      int      // own passage in the top 3 (top3 also counts a top 3 of identical sentences)
	misses                   []string // how each sentence that failed failed
}

// sentenceRecall pastes up to max sentences of side lang of fx (a seeded
// sample if there are more) unquoted and quoted. A sentence counts as
// finding its passage in the top 3 if its passage is there, or if the top
// 3 are all passages that hold the same sentence (a generated corpus
// repeats sentences).
func sentenceRecall(t *testing.T, fx *corpusFixture, lang corpus.Lang, max int) sentenceStats {
	t.Helper()
	ss, from := sentences(fx.passages, lang)
	if len(ss) > max {
		rs := rand.New(rand.NewPCG(13, 0))
		idx := rs.Perm(len(ss))[:max]
		var s2, f2 []string
		for _, i := range idx {
			s2, f2 = append(s2, ss[i]), append(f2, from[i])
		}
		ss, from = s2, f2
	}
	text := map[string]string{}
	for _, p := range fx.passages {
		text[p.ID] = corpus.Fold(p.Text.Get(lang))
	}
	st := sentenceStats{n: len(ss)}
	for i, s := range ss {
		res, err := fx.ix.Search(t.Context(), index.Query{Text: s, Size: 3})
		if err != nil {
			st.refused++
			st.misses = append(st.misses, fmt.Sprintf("%q: %v", s, err))
			continue
		}
		own, same := false, len(res.Hits) == 3
		for _, h := range res.Hits {
			own = own || h.Passage.ID == from[i]
			same = same && strings.Contains(text[h.Passage.ID], corpus.Fold(s))
		}
		if own {
			st.own++
		}
		if own || same {
			st.top3++
		} else {
			st.misses = append(st.misses, fmt.Sprintf("%q (from %s) not in the top 3", s, from[i]))
		}
		q := `"` + strings.NewReplacer(`"`, " ", "“", " ", "”", " ", "「", " ", "」", " ").Replace(s) + `"`
		hits, err := searchAll(t.Context(), fx.ix, index.Query{Text: q})
		if err == nil && hits[from[i]] {
			st.quoted++
		} else {
			st.misses = append(st.misses, fmt.Sprintf("%s (from %s) quoted: not found (%v)", q, from[i], err))
		}
	}
	return st
}

// TestEssaySentences: every sentence of the essay, pasted into the box
// in either language, finds its own passage in the top 3; quoted, it
// finds it.
func TestEssaySentences(t *testing.T) {
	fx, err := essayFixture()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range corpus.Langs {
		st := sentenceRecall(t, fx, lang, 1<<30)
		if st.n < 100 {
			t.Errorf("only %d %s sentences in the essay", st.n, lang)
		}
		for _, m := range st.misses {
			t.Error(m)
		}
	}
}
