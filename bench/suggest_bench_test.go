package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// suggestPrefixes are what people type into the search box, a letter at a
// time: Latin and Chinese, entity names and common words.
var suggestPrefixes = []string{
	"H", "Hu", "Hua", "Huaw", "t", "te", "tec", "tech", "g", "go", "gov", "s", "st", "sta",
	"华", "字", "字节", "美", "美国", "中", "公", "公司", "B", "By", "Byte", "A", "Al", "Ali",
}

// BenchmarkSuggest times Index.Suggest in process on a generated corpus of
// CORPUS_SUGGEST_PASSAGES passages (default 100000), one prefix after
// another as a user types them, and reports the p50 and p99 of one call.
// Building the corpus takes about 90 s of two cores per million passages
// on an idle machine, many times that on a busy one; CORPUS_SUGGEST_INDEX
// names a folder that keeps the index built, for the next runs to reuse
// (it must be removed when the passages or the index's format change):
//
//	CORPUS_SUGGEST_PASSAGES=1000000 CORPUS_SUGGEST_INDEX=/tmp/suggest-1m go test -run XXX -bench Suggest -benchtime 20x ./bench/
//
// CORPUS_SUGGEST_GENERATION names a generation built elsewhere to open
// instead.
func BenchmarkSuggest(b *testing.B) {
	n := 100000
	if s := os.Getenv("CORPUS_SUGGEST_PASSAGES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("CORPUS_SUGGEST_PASSAGES=%q: %v", s, err)
		}
	}
	ix := suggestIndex(b, n)
	defer ix.Close()
	ctx := context.Background()
	// Checksums are verified in the background after Open: done first,
	// they do not compete with the calls timed.
	if err := ix.WaitVerified(ctx); err != nil {
		b.Fatal(err)
	}
	// The first call reads the entities' counts, once per generation; the
	// words of busy prefixes are ranked in the background after Open.
	t0 := time.Now()
	if _, err := ix.Suggest(ctx, "a", 8); err != nil {
		b.Fatal(err)
	}
	b.Logf("first suggestion in %v", time.Since(t0).Round(time.Millisecond))
	if err := ix.WaitSuggestions(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("busy prefixes ranked %v after the first suggestion", time.Since(t0).Round(time.Millisecond))
	// Each call's time on the clock, and its thread's CPU time: on a
	// busy machine the first also counts the time other processes held
	// the cores, which the second does not.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var took, cpu []time.Duration
	slowest := map[string]time.Duration{}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range suggestPrefixes {
			c0, ok := threadCPU()
			t0 := time.Now()
			if _, err := ix.Suggest(ctx, p, 8); err != nil {
				b.Fatal(err)
			}
			d := time.Since(t0)
			took = append(took, d)
			slowest[p] = max(slowest[p], d)
			if c1, ok1 := threadCPU(); ok && ok1 {
				cpu = append(cpu, c1-c0)
			}
		}
	}
	b.StopTimer()
	report(b, took, "")
	if len(cpu) == len(took) {
		report(b, cpu, "cpu-")
	}
	var worst []string
	for p, d := range slowest {
		worst = append(worst, fmt.Sprintf("%s %.2f", p, float64(d.Microseconds())/1000))
	}
	slices.Sort(worst)
	b.Logf("slowest call of each prefix, ms: %s", strings.Join(worst, ", "))
}

// report reports the p50, p99 and maximum of durations ds, in ms.
func report(b *testing.B, ds []time.Duration, prefix string) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), prefix+"p50-ms")
	b.ReportMetric(ms(ds[(len(ds)-1)*99/100]), prefix+"p99-ms")
	b.ReportMetric(ms(ds[len(ds)-1]), prefix+"max-ms")
}

// suggestIndex builds the index of n generated passages, or opens the one
// CORPUS_SUGGEST_INDEX keeps for n.
func suggestIndex(b *testing.B, n int) *index.Index {
	if gen := os.Getenv("CORPUS_SUGGEST_GENERATION"); gen != "" {
		// A generation built before, of any corpus, opened read-only.
		ix, err := index.Open(gen)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%d passages: generation %s", ix.Stats().Passages, gen)
		return ix
	}
	dir := os.Getenv("CORPUS_SUGGEST_INDEX")
	kept := filepath.Join(dir, "generation-"+strconv.Itoa(n))
	if dir != "" {
		if gen, err := os.ReadFile(kept); err == nil {
			ix, err := index.Open(filepath.Join(dir, strings.TrimSpace(string(gen))))
			if err != nil {
				b.Fatalf("open the kept index (remove %s to build it again): %v", dir, err)
			}
			b.Logf("%d passages: the index kept in %s", n, dir)
			return ix
		}
	} else {
		dir = b.TempDir()
	}
	src, err := LoadSources(DefaultLocaleDir, "")
	if err != nil {
		b.Skipf("sources: %v", err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	docs := Generate(src, gaz, GenOptions{Passages: n, Seed: 1, Annotate: true})
	st, err := index.Build(context.Background(), dir, docs, gaz, index.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, st.Generation))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d passages built in %v", CountPassages(docs), time.Since(start).Round(time.Second))
	if os.Getenv("CORPUS_SUGGEST_INDEX") != "" {
		if err := os.WriteFile(kept, []byte(st.Generation+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return ix
}
