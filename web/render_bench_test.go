package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// Benchmarks of the serving layer over the in-memory fake searcher, so
// that they measure the site's own work (routing, middleware, templates,
// JSON) and not the index's:
//
//	go test -run XXX -bench . -benchtime 100x ./web/

func benchServer(b *testing.B) http.Handler {
	b.Helper()
	_, e, err := newServer(Config{Searcher: newFake(), Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func BenchmarkPages(b *testing.B) {
	h := benchServer(b)
	for _, target := range []string{
		"/search?q=Huawei",
		"/search?q=%E5%8D%8E%E4%B8%BA&company=Huawei",
		"/api/search?q=Huawei",
		"/api/search?q=Huawei&format=csv",
		"/",
	} {
		b.Run(target, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", target, rec.Code)
				}
			}
		})
	}
}

// BenchmarkSearchJSON is the JSON encoding of one page of results alone.
func BenchmarkSearchJSON(b *testing.B) {
	f := newFake()
	r, err := f.Search(context.Background(), index.Query{Text: "Huawei", Page: 1, Size: index.DefaultSize})
	if err != nil {
		b.Fatal(err)
	}
	if len(r.Hits) == 0 {
		b.Fatal("the fake found nothing to encode")
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteSearchJSON(io.Discard, r, f.LabelZH); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeEssay serves JSON searches from a real index of the
// embedded essay, from as many goroutines as cores, as `corpus serve` does
// under load (without the network).
func BenchmarkServeEssay(b *testing.B) {
	doc, err := corpus.Essay()
	if err != nil {
		b.Fatal(err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if _, err := index.Build(context.Background(), dir, []*corpus.Document{doc}, gaz, index.BuildOptions{}); err != nil {
		b.Fatal(err)
	}
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer live.Close()
	_, e, err := newServer(Config{Searcher: live, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	targets := []string{
		"/api/search?q=%E5%8D%8E%E4%B8%BA", // 华为
		"/api/search?q=government",
		"/api/search?q=%22United+States%22",
		"/api/search?q=%E7%BE%8E%E5%9B%BD&company=Huawei", // 美国
		"/api/search",
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, targets[i%len(targets)], nil))
			if rec.Code != http.StatusOK {
				b.Errorf("GET %s: %d", targets[i%len(targets)], rec.Code)
				return
			}
			i++
		}
	})
}
