package index_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// BenchmarkWorkbench times frequency, collocation and word-list requests on
// a generated corpus (bench.Generate: catalogue pairs, novel prose, essay
// passages with other companies and years) of $CORPUS_WB_PASSAGES passages
// (default 100000), built once into $CORPUS_WB_DIR (default a folder in
// the temporary directory, kept for the next run). Each sub-benchmark
// reports p50 and p99 of its requests; the cache of recent answers does
// not apply to these requests, so every one does its work. "first" is the
// first request of the generation, which measures the corpus sample.
//
//	go test ./index -run '^$' -bench Workbench -benchtime 30x
func BenchmarkWorkbench(b *testing.B) {
	n := 100000
	if s := os.Getenv("CORPUS_WB_PASSAGES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("CORPUS_WB_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("corpus-wb-bench-%d", n))
	}
	ix := openBench(b, dir, n)
	ctx := b.Context()
	start, cpu := time.Now(), cpuTime(b)
	if _, err := ix.Frequency(ctx, index.FreqQuery{Query: index.Query{Text: "华为"}}); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d passages; first request (measures the sample): %v, %v of CPU", ix.Stats().Passages, time.Since(start), cpuTime(b)-cpu)
	cases := []struct {
		name string
		run  func() error
	}{
		{"freq/华为/by-year", func() error {
			_, err := ix.Frequency(ctx, index.FreqQuery{Query: index.Query{Text: "华为"}, By: index.ByYear})
			return err
		}},
		{"freq/technology/by-company", func() error {
			_, err := ix.Frequency(ctx, index.FreqQuery{Query: index.Query{Text: "technology", Lang: corpus.English}, By: index.ByCompany})
			return err
		}},
		{"freq/file", func() error {
			_, err := ix.Frequency(ctx, index.FreqQuery{Query: index.Query{Text: "file"}})
			return err
		}},
		{"colloc/华为", func() error {
			_, err := ix.Collocations(ctx, index.CollocQuery{Query: index.Query{Text: "华为", Lang: corpus.Chinese}, Left: 3, Right: 3})
			return err
		}},
		{"colloc/Huawei", func() error {
			_, err := ix.Collocations(ctx, index.CollocQuery{Query: index.Query{Text: "Huawei", Lang: corpus.English}, Left: 5, Right: 5})
			return err
		}},
		{"words/all", func() error {
			_, err := ix.Words(ctx, index.WordListQuery{})
			return err
		}},
		{"words/company", func() error {
			_, err := ix.Words(ctx, index.WordListQuery{Query: index.Query{Companies: []string{"Huawei"}}})
			return err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var ds []time.Duration
			cpu0 := cpuTime(b)
			for b.Loop() {
				t := time.Now()
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t))
			}
			// The machine is shared: CPU time per request is the figure
			// that does not depend on what else runs.
			b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(len(ds)), "cpu-ms/op")
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*99/100)].Microseconds())/1000, "p99-ms")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// openBench opens the generated corpus of n passages in dir, building it
// first if dir holds none.
func openBench(b *testing.B, dir string, n int) *index.Index {
	b.Helper()
	if name, err := index.Current(dir); err == nil {
		ix, err := index.Open(filepath.Join(dir, name))
		if err == nil && ix.Stats().Passages == n {
			b.Cleanup(func() { ix.Close() })
			return ix
		}
		if err == nil {
			ix.Close()
		}
	}
	src, err := bench.LoadSources(bench.DefaultLocaleDir, "")
	if err != nil {
		b.Skipf("no sources to generate a corpus from: %v", err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	docs := bench.Generate(src, gaz, bench.GenOptions{Passages: n, Seed: 1, Annotate: true})
	start := time.Now()
	st, err := index.Build(b.Context(), dir, docs, gaz, index.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d passages in %v", n, time.Since(start))
	ix, err := index.Open(filepath.Join(dir, st.Generation))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}
