package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"time"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/segment"
)

// report is everything one run measured.
type report struct {
	Command    string
	Started    time.Time
	Elapsed    time.Duration
	Machine    machine
	LoadBefore string
	LoadAfter  string
	Sources    []string
	DictLoad   float64 // the parent's own segmenter load, seconds
	DictHeap   uint64  // heap it added
	Agreement  *bench.Agreement
	Sizes      []*sizeReport
	Binaries   []binaryResult
	Queries    []bench.Query
	WrkSeconds float64 // duration of each wrk run
	// The Lucene peer: its version, or why it was skipped.
	LuceneVersion string
	LuceneSkipped string
}

// sizeReport is what was measured on one corpus.
type sizeReport struct {
	Name       string
	Passages   int
	Docs       int
	TextBytes  int64
	GenTime    float64
	Annotated  bool
	LoadBefore string
	LoadAfter  string

	Ours, Peer []buildResult
	Serial     []buildResult // ours with one batch in flight at a time
	Lucene     []buildResult
	// LucenePrep is the time spent writing the passages file the Lucene
	// peer reads (entity tokens, facets), not counted in its builds.
	LucenePrep float64
	LuceneCold []float64 // seconds from starting the JVM to its first answer

	Usage       *index.DiskUsage // where our index's bytes go (the last build)
	LuceneFiles map[string]int64 // Lucene's bytes by file extension

	Latency   []typeLatency
	Agreement []agreement

	HTTP      []httpResult // mixed query set, JSON and HTML, by concurrency
	HTTPTypes []httpResult // per query type, JSON, at typeConcurrency
	// The same with the server keeping no answers (--cache-mb 0): what
	// queries asked for the first time cost.
	HTTPUncached      []httpResult // mixed, JSON, 16 connections
	HTTPTypesUncached []httpResult
	Cold              []float64 // seconds to the first Chinese answer
	IdleRSS           int64     // serve child after its first answer
	LoadRSS           int64     // serve child after the wrk runs
	PeakRSS           int64     // serve child's VmHWM
}

// typeLatency is the in-process latency of one query type on both engines.
type typeLatency struct {
	Type       string
	Ours, Peer stats
	Lucene     stats
	Load       string // load average after timing this type
	// Cached is ours answering again from the result cache; Ours and
	// Peer are timed with the cache off.
	Cached stats
}

// agreement compares the two engines' answers to one query.
type agreement struct {
	Query       string
	Type        string
	OursTotal   int
	PeerTotal   int
	FacetsEqual bool
	FacetDiff   string

	LuceneRan         bool
	LuceneTotal       int
	LuceneFacetsEqual bool
	LuceneFacetDiff   string
}

func measure(ctx context.Context, cfg config) (*report, error) {
	rep := &report{Command: cfg.command, Started: time.Now(), Machine: readMachine(), LoadBefore: loadAvg(), Queries: bench.QuerySet(), WrkSeconds: cfg.wrkTime.Seconds()}
	cfg.logf("machine: %d cores, load %s; work in %s", rep.Machine.Cores, rep.LoadBefore, cfg.work)

	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	seg, err := segment.Default()
	if err != nil {
		return nil, err
	}
	if err := seg.AddWords(gaz.ChineseNames()); err != nil {
		return nil, err
	}
	rep.DictLoad = time.Since(t0).Seconds()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if m1.HeapAlloc > m0.HeapAlloc {
		rep.DictHeap = m1.HeapAlloc - m0.HeapAlloc
	}

	// Segmentation against gse's own on real prose.
	src, err := bench.LoadSources(bench.DefaultLocaleDir, "")
	if err != nil {
		return nil, err
	}
	rep.Sources = src.Files
	cfg.logf("comparing segmentation with gse's own loader and Cut")
	texts := src.ChineseText()
	if cfg.agreeMax > 0 {
		texts = bench.Truncate(texts, cfg.agreeMax)
	}
	a, err := bench.CompareWithGse(seg, gaz.ChineseNames(), texts)
	if err != nil {
		return nil, err
	}
	rep.Agreement = &a
	cfg.logf("segmentation: %d of %d gse words identical (%.3f%%); gse's loader took %v", a.Same, a.Words, a.Percent(), a.GseLoad)
	runtime.GC()
	debug.FreeOSMemory()

	var luceneCP string
	if cfg.lucene {
		cp, err := bench.LuceneClasspath(ctx, cfg.jarDir, filepath.Join(cfg.work, "lucene-classes"))
		if err != nil {
			rep.LuceneSkipped = err.Error()
			cfg.logf("NOTICE: Lucene peer skipped: %v", err)
		} else {
			luceneCP = cp
			rep.LuceneVersion = bench.LuceneVersion(cp)
			cfg.logf("Lucene peer: %s, compiled", rep.LuceneVersion)
		}
	} else {
		rep.LuceneSkipped = "turned off (-lucene=false)"
	}

	var bins *binaries
	if cfg.http || cfg.binaries {
		cfg.logf("building cmd/corpus")
		if bins, err = buildBinaries(ctx, cfg); err != nil {
			return nil, err
		}
		rep.Binaries = bins.results
	}

	for _, sz := range cfg.sizes {
		sr := &sizeReport{Name: sz.name, LoadBefore: loadAvg()}
		rep.Sizes = append(rep.Sizes, sr)
		dir := filepath.Join(cfg.work, sz.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		// The corpus.
		var docs []*corpus.Document
		t0 := time.Now()
		if sz.passages == 0 {
			d, err := corpus.Essay()
			if err != nil {
				return nil, err
			}
			docs = []*corpus.Document{d}
			sr.Annotated = true
		} else {
			docs = bench.Generate(src, gaz, bench.GenOptions{Passages: sz.passages, Seed: cfg.seed, Annotate: true})
			sr.Annotated = true
		}
		sr.GenTime = time.Since(t0).Seconds()
		sr.Passages, sr.Docs, sr.TextBytes = bench.CountPassages(docs), len(docs), bench.TextBytes(docs)
		corpusFile := filepath.Join(dir, "corpus.gob")
		if err := writeCorpus(corpusFile, docs); err != nil {
			return nil, err
		}
		lucenePassages := filepath.Join(dir, "lucene-passages.tsv")
		if luceneCP != "" {
			t0 := time.Now()
			if err := bench.WriteLucenePassages(lucenePassages, docs, gaz); err != nil {
				return nil, err
			}
			sr.LucenePrep = time.Since(t0).Seconds()
		}
		docs = nil
		runtime.GC()
		cfg.logf("%s: %d passages in %d documents, %.1f MB of text (generated in %.1fs)", sz.name, sr.Passages, sr.Docs, float64(sr.TextBytes)/1e6, sr.GenTime)

		// Builds, alternating engines so that load on the shared machine
		// falls on both alike.
		oursDir := filepath.Join(dir, "ours")
		peerFile := filepath.Join(dir, "peer.db")
		luceneDir := filepath.Join(dir, "lucene")
		runs := cfg.runs
		if sz.passages >= bigPassages {
			runs = cfg.bigRuns
		}
		for r := range runs {
			os.RemoveAll(oursDir)
			res, err := childBuild(ctx, cfg, "ours", corpusFile, oursDir)
			if err != nil {
				return nil, err
			}
			res.Load = loadAvg()
			sr.Ours = append(sr.Ours, res)
			cfg.logf("%s: build %d ours: %.2fs wall, %.2fs CPU, %.0f passages/s, %.0f MiB peak RSS", sz.name, r+1, res.Wall, res.CPU, float64(res.Passages)/res.Wall, mib(res.MaxRSS))
			res, err = childBuild(ctx, cfg, "peer", corpusFile, peerFile)
			if err != nil {
				return nil, err
			}
			res.Load = loadAvg()
			sr.Peer = append(sr.Peer, res)
			cfg.logf("%s: build %d peer: %.2fs wall, %.2fs CPU, %.0f passages/s, %.0f MiB peak RSS", sz.name, r+1, res.Wall, res.CPU, float64(res.Passages)/res.Wall, mib(res.MaxRSS))
			if luceneCP != "" {
				lb, err := bench.BuildLucene(ctx, luceneCP, lucenePassages, luceneDir, cfg.log)
				if err != nil {
					return nil, err
				}
				res := buildResult{Engine: "lucene", Passages: lb.Passages, Wall: lb.Wall, CPU: lb.CPU, Bytes: lb.Bytes, MaxRSS: lb.MaxRSS, Load: loadAvg()}
				sr.Lucene = append(sr.Lucene, res)
				cfg.logf("%s: build %d lucene: %.2fs wall, %.2fs CPU, %.0f passages/s, %.0f MiB peak RSS", sz.name, r+1, res.Wall, res.CPU, float64(res.Passages)/res.Wall, mib(res.MaxRSS))
			}
		}
		if u, err := index.DiskUsageOf(oursDir); err != nil {
			cfg.logf("NOTICE: no byte breakdown of our index: %v", err)
		} else {
			sr.Usage = &u
		}
		if luceneCP != "" {
			if sr.LuceneFiles, err = filesByExtension(luceneDir); err != nil {
				return nil, err
			}
		}
		// Our build as it was before its batches overlapped, for a ratio
		// measured in the same conditions.
		if cfg.serial && sz.passages >= 10000 && sz.passages < bigPassages {
			dir := filepath.Join(dir, "serial")
			res, err := childBuild(ctx, cfg, "ours", corpusFile, dir, "-workers", "1")
			if err != nil {
				return nil, err
			}
			os.RemoveAll(dir)
			sr.Serial = append(sr.Serial, res)
			cfg.logf("%s: build ours, one batch at a time: %.2fs wall, %.2fs CPU, %.0f passages/s", sz.name, res.Wall, res.CPU, float64(res.Passages)/res.Wall)
		}

		// In-process queries.
		if err := measureQueries(ctx, cfg, sr, oursDir, peerFile, luceneCP, luceneDir, seg, gaz); err != nil {
			return nil, err
		}

		// HTTP, cold start, serving RSS.
		if cfg.http {
			if err := measureHTTP(ctx, cfg, sr, bins.corpus, oursDir); err != nil {
				return nil, err
			}
		}
		sr.LoadAfter = loadAvg()
		if !cfg.keep {
			os.RemoveAll(dir)
		}
	}
	rep.LoadAfter = loadAvg()
	rep.Elapsed = time.Since(rep.Started)
	return rep, nil
}

func measureQueries(ctx context.Context, cfg config, sr *sizeReport, oursDir, peerFile, luceneCP, luceneDir string, seg *segment.Segmenter, gaz *corpus.Gazetteer) error {
	live, err := index.OpenLive(oursDir, nil)
	if err != nil {
		return err
	}
	defer live.Close()
	// Timed without the result cache, so that every call searches: the
	// loops repeat a few queries, which the cache would answer from memory.
	live.SetCacheBytes(0)
	peer, err := bench.OpenPeer(peerFile, seg, gaz)
	if err != nil {
		return err
	}
	defer peer.Close()
	var lucene *bench.LucenePeer
	if luceneCP != "" {
		l, took, err := bench.OpenLucene(ctx, luceneCP, luceneDir, seg, gaz, cfg.log, index.Query{Text: "华为"})
		if err != nil {
			return err
		}
		defer l.Close()
		lucene = l
		sr.LuceneCold = append(sr.LuceneCold, took.Seconds())
	}

	byType := map[string][]bench.Query{}
	for _, q := range bench.QuerySet() {
		byType[q.Type] = append(byType[q.Type], q)
		// The first call of each also warms both engines up.
		or, err := live.Search(ctx, q.Q)
		if err != nil {
			return fmt.Errorf("ours %q: %w", q.Label(), err)
		}
		pr, err := peer.Search(ctx, q.Q)
		if err != nil {
			return fmt.Errorf("peer %q: %w", q.Label(), err)
		}
		a := agreement{Query: q.Label(), Type: q.Type, OursTotal: or.Total, PeerTotal: pr.Total}
		// The language facet is left out: ours counts the side where the
		// words match, the peers the sides that have text.
		of := bench.FacetCounts(or.Facets)
		delete(of, "lang")
		delete(pr.Facets, "lang")
		a.FacetsEqual = reflect.DeepEqual(of, pr.Facets)
		if !a.FacetsEqual {
			a.FacetDiff = facetDiff(of, pr.Facets, "FTS5")
		}
		if lucene != nil {
			lr, err := lucene.Search(ctx, q.Q)
			if err != nil {
				return fmt.Errorf("lucene %q: %w", q.Label(), err)
			}
			a.LuceneRan, a.LuceneTotal = true, lr.Total
			delete(lr.Facets, "lang")
			a.LuceneFacetsEqual = reflect.DeepEqual(of, lr.Facets)
			if !a.LuceneFacetsEqual {
				a.LuceneFacetDiff = facetDiff(of, lr.Facets, "Lucene")
			}
		}
		sr.Agreement = append(sr.Agreement, a)
	}
	if lucene != nil {
		// The JVM compiles hot code as it runs: without a warm-up its
		// first hundred searches are interpreted. A server that has been
		// up for a while is warm, and that is what is compared here.
		var all []index.Query
		for _, q := range bench.QuerySet() {
			all = append(all, q.Q)
		}
		if _, err := lucene.Time(ctx, all, max(3*time.Second, cfg.queryTime)); err != nil {
			return err
		}
	}
	const rounds = 4
	slice := cfg.queryTime / rounds
	for _, typ := range bench.Types {
		qs := byType[typ]
		if len(qs) == 0 {
			continue
		}
		var ours, peers, luc []time.Duration
		var iq []index.Query
		for _, q := range qs {
			iq = append(iq, q.Q)
		}
		for range rounds {
			ours = append(ours, timeLoop(slice, qs, func(q bench.Query) error { _, err := live.Search(ctx, q.Q); return err })...)
			peers = append(peers, timeLoop(slice, qs, func(q bench.Query) error { _, err := peer.Search(ctx, q.Q); return err })...)
			if lucene != nil {
				ds, err := lucene.Time(ctx, iq, slice)
				if err != nil {
					return err
				}
				luc = append(luc, ds...)
			}
		}
		live.SetCacheBytes(index.DefaultCacheBytes)
		for _, q := range qs { // keep each answer before timing
			if _, err := live.Search(ctx, q.Q); err != nil {
				return err
			}
		}
		cached := timeLoop(slice, qs, func(q bench.Query) error { _, err := live.Search(ctx, q.Q); return err })
		live.SetCacheBytes(0)
		tl := typeLatency{Type: typ, Ours: summarize(ours), Peer: summarize(peers), Lucene: summarize(luc), Cached: summarize(cached), Load: loadAvg()}
		sr.Latency = append(sr.Latency, tl)
		cfg.logf("%s: %-9s ours p50 %v p99 %v | peer p50 %v p99 %v | lucene p50 %v p99 %v | kept p50 %v | load %s", sr.Name, typ, tl.Ours.P50, tl.Ours.P99, tl.Peer.P50, tl.Peer.P99, tl.Lucene.P50, tl.Lucene.P99, tl.Cached.P50, tl.Load)
	}
	if lucene != nil {
		// More cold starts of the JVM, on the same index.
		lucene.Close()
		lucene = nil
		for range min(cfg.cold, 3) - 1 {
			l, took, err := bench.OpenLucene(ctx, luceneCP, luceneDir, seg, gaz, cfg.log, index.Query{Text: "华为"})
			if err != nil {
				return err
			}
			l.Close()
			sr.LuceneCold = append(sr.LuceneCold, took.Seconds())
		}
	}
	return nil
}

// filesByExtension sums the sizes of the files in dir by extension.
func filesByExtension(dir string) (map[string]int64, error) {
	out := map[string]int64{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		fi, err := e.Info()
		if err != nil {
			return nil, err
		}
		ext := filepath.Ext(e.Name())
		if ext == "" {
			ext = e.Name()
		}
		out[ext] += fi.Size()
	}
	return out, nil
}

// timeLoop runs the queries in turn for about d (at least once each) and
// returns each call's latency.
func timeLoop(d time.Duration, qs []bench.Query, f func(bench.Query) error) []time.Duration {
	var out []time.Duration
	end := time.Now().Add(d)
	for i := 0; i < len(qs) || time.Now().Before(end); i++ {
		t := time.Now()
		if err := f(qs[i%len(qs)]); err != nil {
			// Already checked once; a later failure is a real problem.
			panic(err)
		}
		out = append(out, time.Since(t))
	}
	return out
}

// stats are latency percentiles.
type stats struct {
	N             int
	P50, P90, P99 time.Duration
}

func summarize(ds []time.Duration) stats {
	if len(ds) == 0 {
		return stats{}
	}
	s := append([]time.Duration(nil), ds...)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return stats{N: len(s), P50: at(0.50), P90: at(0.90), P99: at(0.99)}
}

// facetDiff describes how two facet count maps differ, briefly.
func facetDiff(ours, peer map[string]map[string]int, peerName string) string {
	var diffs []string
	kinds := map[string]bool{}
	for k := range ours {
		kinds[k] = true
	}
	for k := range peer {
		kinds[k] = true
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		n := 0
		var example string
		vals := map[string]bool{}
		for v := range ours[k] {
			vals[v] = true
		}
		for v := range peer[k] {
			vals[v] = true
		}
		var vs []string
		for v := range vals {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		for _, v := range vs {
			if ours[k][v] != peer[k][v] {
				n++
				if example == "" {
					example = fmt.Sprintf("%s: ours %d, %s %d", v, ours[k][v], peerName, peer[k][v])
				}
			}
		}
		if n > 0 {
			diffs = append(diffs, fmt.Sprintf("%s %d values (%s)", k, n, example))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return fmt.Sprint(diffs)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
