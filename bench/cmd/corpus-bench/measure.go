package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
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
	// OursC8 and LuceneC8 are the same searches with eight at once
	// (concurrency), each engine on its own, as the HTTP figures' eight
	// connections ask for them, without HTTP.
	OursC8, LuceneC8 stats
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

// shared is what the measurements of every corpus share.
type shared struct {
	cfg      config
	src      *bench.Sources
	gaz      *corpus.Gazetteer
	seg      *segment.Segmenter
	luceneCP string    // the Lucene peer's classpath; empty when skipped
	bins     *binaries // nil unless HTTP or binary sizes are measured
}

// sizeFiles are where one corpus's files go.
type sizeFiles struct {
	dir            string
	corpus         string // the generated documents
	lucenePassages string // what the Lucene peer indexes
	ours           string // our index
	peer           string // the FTS5 database
	lucene         string // the Lucene index
}

// measure runs every measurement the configuration asks for.
func measure(ctx context.Context, cfg config) (*report, error) {
	rep := &report{Command: cfg.command, Started: time.Now(), Machine: readMachine(), LoadBefore: loadAvg(), Queries: bench.QuerySet(), WrkSeconds: cfg.wrkTime.Seconds()}
	cfg.logf("machine: %d cores, load %s; work in %s", rep.Machine.Cores, rep.LoadBefore, cfg.work)

	sh := &shared{cfg: cfg}
	var err error
	if sh.gaz, sh.seg, err = loadSegmenter(rep); err != nil {
		return nil, err
	}
	if sh.src, err = compareSegmentation(cfg, rep, sh.seg, sh.gaz); err != nil {
		return nil, err
	}
	sh.luceneCP = prepareLucene(ctx, cfg, rep)
	if cfg.http || cfg.binaries {
		cfg.logf("building cmd/corpus")
		if sh.bins, err = buildBinaries(ctx, cfg); err != nil {
			return nil, err
		}
		rep.Binaries = sh.bins.results
	}
	for _, sz := range cfg.sizes {
		sr := &sizeReport{Name: sz.name, LoadBefore: loadAvg()}
		rep.Sizes = append(rep.Sizes, sr)
		if err := sh.measureSize(ctx, sz, sr); err != nil {
			return nil, err
		}
	}
	rep.LoadAfter = loadAvg()
	rep.Elapsed = time.Since(rep.Started)
	return rep, nil
}

// loadSegmenter loads the gazetteer and our segmenter with its names,
// timing the segmenter and the heap it adds.
func loadSegmenter(rep *report) (*corpus.Gazetteer, *segment.Segmenter, error) {
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return nil, nil, err
	}
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	seg, err := segment.Default()
	if err != nil {
		return nil, nil, err
	}
	if err := seg.AddWords(gaz.ChineseNames()); err != nil {
		return nil, nil, err
	}
	rep.DictLoad = time.Since(t0).Seconds()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if m1.HeapAlloc > m0.HeapAlloc {
		rep.DictHeap = m1.HeapAlloc - m0.HeapAlloc
	}
	return gaz, seg, nil
}

// compareSegmentation loads the source texts and compares our
// segmentation of their Chinese prose with gse's own.
func compareSegmentation(cfg config, rep *report, seg *segment.Segmenter, gaz *corpus.Gazetteer) (*bench.Sources, error) {
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
	return src, nil
}

// prepareLucene compiles the Lucene peer and returns its classpath, or ""
// with the reason in the report when it is skipped.
func prepareLucene(ctx context.Context, cfg config, rep *report) string {
	if !cfg.lucene {
		rep.LuceneSkipped = "turned off (-lucene=false)"
		return ""
	}
	cp, err := bench.LuceneClasspath(ctx, cfg.jarDir, filepath.Join(cfg.work, "lucene-classes"))
	if err != nil {
		rep.LuceneSkipped = err.Error()
		cfg.logf("NOTICE: Lucene peer skipped: %v", err)
		return ""
	}
	rep.LuceneVersion = bench.LuceneVersion(cp)
	cfg.logf("Lucene peer: %s, compiled", rep.LuceneVersion)
	return cp
}

// measureSize measures one corpus: generates it, builds it with every
// engine, times queries in-process and over HTTP.
func (sh *shared) measureSize(ctx context.Context, sz size, sr *sizeReport) error {
	cfg := sh.cfg
	dir := filepath.Join(cfg.work, sz.name)
	f := sizeFiles{
		dir:            dir,
		corpus:         filepath.Join(dir, "corpus.gob"),
		lucenePassages: filepath.Join(dir, "lucene-passages.tsv"),
		ours:           filepath.Join(dir, "ours"),
		peer:           filepath.Join(dir, "peer.db"),
		lucene:         filepath.Join(dir, "lucene"),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := sh.generate(sz, sr, f); err != nil {
		return err
	}
	runtime.GC()
	cfg.logf("%s: %d passages in %d documents, %.1f MB of text (generated in %.1fs)", sz.name, sr.Passages, sr.Docs, float64(sr.TextBytes)/1e6, sr.GenTime)
	if err := sh.buildAll(ctx, sz, sr, f); err != nil {
		return err
	}
	if err := sh.buildSerial(ctx, sz, sr, f); err != nil {
		return err
	}
	if err := measureQueries(ctx, cfg, sr, f.ours, f.peer, sh.luceneCP, f.lucene, sh.seg, sh.gaz); err != nil {
		return err
	}
	// HTTP, cold start, serving RSS.
	if cfg.http {
		if err := measureHTTP(ctx, cfg, sr, sh.bins.corpus, f.ours); err != nil {
			return err
		}
	}
	sr.LoadAfter = loadAvg()
	if !cfg.keep {
		os.RemoveAll(dir)
	}
	return nil
}

// generate writes the corpus (and the Lucene peer's passages file) and
// records its size.
func (sh *shared) generate(sz size, sr *sizeReport, f sizeFiles) error {
	var docs []*corpus.Document
	t0 := time.Now()
	if sz.passages == 0 {
		d, err := corpus.Essay()
		if err != nil {
			return err
		}
		docs = []*corpus.Document{d}
		sr.Annotated = true
	} else {
		docs = bench.Generate(sh.src, sh.gaz, bench.GenOptions{Passages: sz.passages, Seed: sh.cfg.seed, Annotate: true})
		sr.Annotated = true
	}
	sr.GenTime = time.Since(t0).Seconds()
	sr.Passages, sr.Docs, sr.TextBytes = bench.CountPassages(docs), len(docs), bench.TextBytes(docs)
	if err := writeCorpus(f.corpus, docs); err != nil {
		return err
	}
	if sh.luceneCP != "" {
		t0 := time.Now()
		if err := bench.WriteLucenePassages(f.lucenePassages, docs, sh.gaz); err != nil {
			return err
		}
		sr.LucenePrep = time.Since(t0).Seconds()
	}
	return nil
}

// buildAll builds the corpus with each engine in turn, alternating so
// that load on the shared machine falls on all alike, then reads where
// the bytes of the last builds went.
func (sh *shared) buildAll(ctx context.Context, sz size, sr *sizeReport, f sizeFiles) error {
	cfg := sh.cfg
	runs := cfg.runs
	if sz.passages >= bigPassages {
		runs = cfg.bigRuns
	}
	for r := range runs {
		os.RemoveAll(f.ours)
		res, err := childBuild(ctx, cfg, "ours", f.corpus, f.ours)
		if err != nil {
			return err
		}
		res.Load = loadAvg()
		sr.Ours = append(sr.Ours, res)
		cfg.logf("%s: build %d ours: %.2fs wall, %.2fs CPU, %.0f passages/s, %.0f MiB peak RSS", sz.name, r+1, res.Wall, res.CPU, float64(res.Passages)/res.Wall, mib(res.MaxRSS))
		res, err = childBuild(ctx, cfg, "peer", f.corpus, f.peer)
		if err != nil {
			return err
		}
		res.Load = loadAvg()
		sr.Peer = append(sr.Peer, res)
		cfg.logf("%s: build %d peer: %.2fs wall, %.2fs CPU, %.0f passages/s, %.0f MiB peak RSS", sz.name, r+1, res.Wall, res.CPU, float64(res.Passages)/res.Wall, mib(res.MaxRSS))
		if sh.luceneCP != "" {
			lb, err := bench.BuildLucene(ctx, sh.luceneCP, f.lucenePassages, f.lucene, cfg.log)
			if err != nil {
				return err
			}
			res := buildResult{Engine: "lucene", Passages: lb.Passages, Wall: lb.Wall, CPU: lb.CPU, Bytes: lb.Bytes, MaxRSS: lb.MaxRSS, Load: loadAvg()}
			sr.Lucene = append(sr.Lucene, res)
			cfg.logf("%s: build %d lucene: %.2fs wall, %.2fs CPU, %.0f passages/s, %.0f MiB peak RSS", sz.name, r+1, res.Wall, res.CPU, float64(res.Passages)/res.Wall, mib(res.MaxRSS))
		}
	}
	if u, err := index.DiskUsageOf(f.ours); err != nil {
		cfg.logf("NOTICE: no byte breakdown of our index: %v", err)
	} else {
		sr.Usage = &u
	}
	if sh.luceneCP != "" {
		var err error
		if sr.LuceneFiles, err = filesByExtension(f.lucene); err != nil {
			return err
		}
	}
	return nil
}

// buildSerial builds ours as it was before its batches overlapped, for a
// ratio measured in the same conditions.
func (sh *shared) buildSerial(ctx context.Context, sz size, sr *sizeReport, f sizeFiles) error {
	cfg := sh.cfg
	if !cfg.serial || sz.passages < 10000 || sz.passages >= bigPassages {
		return nil
	}
	dir := filepath.Join(f.dir, "serial")
	res, err := childBuild(ctx, cfg, "ours", f.corpus, dir, "-workers", "1")
	if err != nil {
		return err
	}
	os.RemoveAll(dir)
	sr.Serial = append(sr.Serial, res)
	cfg.logf("%s: build ours, one batch at a time: %.2fs wall, %.2fs CPU, %.0f passages/s", sz.name, res.Wall, res.CPU, float64(res.Passages)/res.Wall)
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

func mib(b int64) float64 { return float64(b) / (1 << 20) }
