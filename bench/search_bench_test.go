package bench

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/index"
)

// BenchmarkFirstTimeSearch runs the query set of the report (QuerySet, less
// the browse and the filtered queries) through Index.Search with nothing
// kept (SetCacheBytes(0), SetTokenCacheBytes(0)), so that every call
// searches as a query asked for the first time does, on the index in the
// data folder CORPUS_SEARCH_DATA (a build of `corpus-bench __build`, or
// `corpus index`). Each query type reports the p50 and p99 of a call's
// time on the clock and of its thread's CPU time, and the mean CPU time:
// on a machine others load, the CPU time is the figure to compare.
//
//	CORPUS_SEARCH_DATA=/tmp/w/100k-ours go test -run XXX -bench FirstTimeSearch -benchtime 10x ./bench/
func BenchmarkFirstTimeSearch(b *testing.B) {
	dir := os.Getenv("CORPUS_SEARCH_DATA")
	if dir == "" {
		b.Skip("CORPUS_SEARCH_DATA names no data folder")
	}
	gen, err := index.Current(dir)
	if err != nil {
		b.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, gen))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ix.SetCacheBytes(0)
	ix.SetTokenCacheBytes(0)
	ctx := context.Background()
	if err := ix.WaitVerified(ctx); err != nil {
		b.Fatal(err)
	}
	if err := ix.WaitSuggestions(ctx); err != nil {
		b.Fatal(err)
	}
	// The first search starts reading the facet table, which the
	// one-pass search needs; a second of searching lets it finish.
	for t0 := time.Now(); time.Since(t0) < time.Second; {
		if _, err := ix.Search(ctx, index.Query{Text: "华为"}); err != nil {
			b.Fatal(err)
		}
	}
	byType := map[string][]Query{}
	for _, q := range QuerySet() {
		if q.Type != TypeBrowse && q.Type != TypeFiltered {
			byType[q.Type] = append(byType[q.Type], q)
		}
	}
	for _, typ := range Types {
		qs := byType[typ]
		if len(qs) == 0 {
			continue
		}
		b.Run(typ, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var took, cpu []time.Duration
			for b.Loop() {
				for _, q := range qs {
					c0, ok := threadCPU()
					t0 := time.Now()
					if _, err := ix.Search(ctx, q.Q); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(t0))
					if c1, ok1 := threadCPU(); ok && ok1 {
						cpu = append(cpu, c1-c0)
					}
				}
			}
			report(b, took, "")
			if len(cpu) == len(took) {
				report(b, cpu, "cpu-")
				// The mean, unlike the p50, does not jump between the
				// queries of a type, whose costs differ tenfold: it is
				// the figure to compare two builds by.
				var sum time.Duration
				for _, d := range cpu {
					sum += d
				}
				b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(cpu)), "cpu-mean-ms")
			}
		})
	}
}
