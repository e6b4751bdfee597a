package bench

import (
	"context"
	"os"
	"slices"
	"strconv"
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
// Building the corpus takes about 90 s of two cores per million passages:
//
//	CORPUS_SUGGEST_PASSAGES=1000000 go test -run XXX -bench Suggest -benchtime 20x ./bench/
func BenchmarkSuggest(b *testing.B) {
	n := 100000
	if s := os.Getenv("CORPUS_SUGGEST_PASSAGES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("CORPUS_SUGGEST_PASSAGES=%q: %v", s, err)
		}
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
	dir := b.TempDir()
	st, err := index.Build(context.Background(), dir, docs, gaz, index.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ix, err := index.Open(dir + "/" + st.Generation)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.Logf("%d passages built in %v", CountPassages(docs), time.Since(start).Round(time.Second))
	ctx := context.Background()
	// The first call reads the entities' counts once per generation.
	if _, err := ix.Suggest(ctx, "a", 8); err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	b.ResetTimer()
	for b.Loop() {
		for _, p := range suggestPrefixes {
			t0 := time.Now()
			if _, err := ix.Suggest(ctx, p, 8); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(t0))
		}
	}
	b.StopTimer()
	slices.Sort(took)
	q := func(f float64) float64 { return float64(took[int(f*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
}
