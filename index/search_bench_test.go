package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// Benchmarks of the index's hot paths. The program in bench/ measures the
// whole system on large generated corpora; these isolate one step each, on
// the essay and on many copies of it, for profiling:
//
//	go test -run XXX -bench . -benchtime 100x ./index/
//	go test -run XXX -bench Search/essayx50/browse -cpuprofile cpu.out ./index/

// benchCopies is the size of the larger benchmark index: the essay's
// passages this many times, as separate documents, so that facets count
// thousands of hits.
const benchCopies = 50

var benchIndexes sync.Map // benchKey → func() (*Index, error)

type benchKey struct {
	copies    int
	docValues bool
}

// benchIndex returns an index of copies documents, each a copy of the
// essay, built once per test binary.
func benchIndex(b testing.TB, copies int) *Index {
	b.Helper()
	return essaysIndex(b, benchKey{copies: copies})
}

// docValuesIndex is benchIndex built with bleve's doc values, which
// bleve's own sorts and facet builders read: the index on which tests
// compare the one-pass search with bleve's (setOnePass).
func docValuesIndex(b testing.TB, copies int) *Index {
	b.Helper()
	return essaysIndex(b, benchKey{copies: copies, docValues: true})
}

func essaysIndex(b testing.TB, key benchKey) *Index {
	b.Helper()
	copies := key.copies
	f, _ := benchIndexes.LoadOrStore(key, sync.OnceValues(func() (*Index, error) {
		dir, err := sharedTempDir("corpus-index-bench-")
		if err != nil {
			return nil, err
		}
		docs, err := essayCopies(copies)
		if err != nil {
			return nil, err
		}
		gaz, err := corpus.DefaultGazetteer()
		if err != nil {
			return nil, err
		}
		st, err := Build(context.Background(), dir, docs, gaz, BuildOptions{docValues: key.docValues})
		if err != nil {
			return nil, err
		}
		return Open(filepath.Join(dir, st.Generation))
	}))
	ix, err := f.(func() (*Index, error))()
	if err != nil {
		b.Fatal(err)
	}
	return ix
}

// essayCopies returns n copies of the essay with distinct document and
// passage IDs.
func essayCopies(n int) ([]*corpus.Document, error) {
	var docs []*corpus.Document
	for i := range n {
		d, err := corpus.Essay()
		if err != nil {
			return nil, err
		}
		if n > 1 {
			d.ID = fmt.Sprintf("%s-%03d", d.ID, i)
			d.Origin = fmt.Sprintf("%s (copy %d)", d.Origin, i)
			for k := range d.Passages {
				p := &d.Passages[k]
				p.Doc = d.ID
				p.ID = corpus.PassageID(d.ID, p.Position)
				p.Corrections = slices.Clone(p.Corrections)
				for c := range p.Corrections {
					p.Corrections[c].Passage = p.ID
				}
			}
			for k := range d.References {
				r := &d.References[k]
				if r.Passage != "" {
					r.Passage = d.ID + r.Passage[len(r.Passage)-len("/p000"):]
				}
			}
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// benchQueries are one query of each kind the benchmark program times.
var benchQueries = []struct {
	name string
	q    Query
}{
	{"zh-term", Query{Text: "美国"}},
	{"en-term", Query{Text: "government"}},
	{"zh-phrase", Query{Text: `"美国政府"`}},
	{"en-phrase", Query{Text: `"United States"`}},
	{"entity", Query{Text: "华为"}},
	{"filtered", Query{Text: "美国", Companies: []string{"Huawei"}}},
	{"browse", Query{}}, // with a filter every passage passes, to get past the cache
	{"browse-filtered", Query{Companies: []string{"ByteDance"}}},
}

func BenchmarkSearch(b *testing.B) {
	for _, size := range []struct {
		name   string
		copies int
	}{{"essay", 1}, {fmt.Sprintf("essayx%d", benchCopies), benchCopies}} {
		for _, bq := range benchQueries {
			// "bleve" is the same search through bleve's collector and
			// facet builders, as before the one-pass search: the ratio of
			// the two is the one-pass search's gain. "cached" is the
			// answer given again from the result cache.
			for _, path := range []string{"onepass", "bleve", "cached"} {
				b.Run(size.name+"/"+bq.name+"/"+path, func(b *testing.B) {
					ix := benchIndex(b, size.copies)
					if path == "bleve" {
						ix = docValuesIndex(b, size.copies)
					}
					if _, err := ix.table(); err != nil { // built once per generation
						b.Fatal(err)
					}
					ix.setOnePass(path != "bleve")
					defer ix.setOnePass(true)
					if path != "cached" {
						ix.SetCacheBytes(0)
						defer ix.SetCacheBytes(DefaultCacheBytes)
					}
					q := bq.q
					if len(q.Companies)+len(q.Years) == 0 && q.Text == "" {
						// Past the browse cache, to time the search itself.
						q.Sections = corpus.Sections
					}
					ctx := context.Background()
					b.ReportAllocs()
					for b.Loop() {
						if _, err := ix.Search(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkSearchParallel is Search from as many goroutines as cores, as
// the server runs it, without the result cache.
func BenchmarkSearchParallel(b *testing.B) {
	ix := benchIndex(b, 1)
	ix.SetCacheBytes(0)
	defer ix.SetCacheBytes(DefaultCacheBytes)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := ix.Search(ctx, benchQueries[i%len(benchQueries)].q); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

func BenchmarkParseQuery(b *testing.B) {
	ix := benchIndex(b, 1)
	for _, text := range []string{"华为 美国", `"United States" government`, "Ren Zhengfei 5G", "字节跳动和美国政府"} {
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parseQuery(text, ix.gaz); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHighlight marks a query's matches in every passage of the
// essay: the work Search does for each hit it returns.
func BenchmarkHighlight(b *testing.B) {
	ix := benchIndex(b, 1)
	doc, err := corpus.Essay()
	if err != nil {
		b.Fatal(err)
	}
	for _, text := range []string{"美国", "华为", `"United States"`} {
		b.Run(text, func(b *testing.B) {
			pq, err := ix.compile(Query{Text: text})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				hl := ix.newHighlighter(pq)
				for _, p := range doc.Passages {
					hl.hit(p, 1)
				}
			}
		})
	}
}

// BenchmarkBuild indexes ten copies of the essay (about 800 passages) per
// iteration.
func BenchmarkBuild(b *testing.B) {
	docs, err := essayCopies(10)
	if err != nil {
		b.Fatal(err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	if err := addWords(gaz.ChineseNames()); err != nil { // load gse outside the timing
		b.Fatal(err)
	}
	n := 0
	for _, d := range docs {
		n += len(d.Passages)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(context.Background(), b.TempDir(), docs, gaz, BuildOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "passages/s")
}
