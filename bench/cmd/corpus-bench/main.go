// Command corpus-bench measures corpus against a peer, SQLite FTS5, on the
// same generated passages, and writes the figures as Markdown:
//
//	go run ./bench/cmd/corpus-bench -out docs/PERFORMANCE.md -sizes essay,10k,100k
//
// It generates each corpus from real text on the machine (gettext
// catalogues, gse's test prose, the embedded essay; see package bench),
// builds our index and the peer's database in child processes (so that
// each build's CPU time and peak RSS are its own), times the fixed query
// set in-process on both, drives a `corpus serve` child over loopback with
// wrk, and times cold starts. Nothing it generates is kept outside -work.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/corpus-dev/corpus/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch {
	case len(os.Args) > 1 && os.Args[1] == childCommand:
		err = runChild(ctx, os.Args[2:], os.Stdout)
	case len(os.Args) > 2 && os.Args[1] == diskUsageCommand:
		err = printDiskUsage(os.Args[2], os.Stdout)
	default:
		err = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus-bench:", err)
		os.Exit(1)
	}
}

// config is what one run measures.
type config struct {
	out       string
	sizes     []size
	work      string
	keep      bool
	seed      uint64
	runs      int // builds per size and engine
	bigRuns   int // the same for corpora of bigPassages or more
	queryTime time.Duration
	http      bool
	wrkTime   time.Duration
	cold      int // cold starts per size
	binaries  bool
	serial    bool   // also build ours one batch at a time
	agreeMax  int    // bytes of prose compared with gse's segmentation, 0 for all
	lucene    bool   // also measure the Lucene peer, where Java and its jars are
	jarDir    string // where Lucene's jars are
	log       io.Writer
	command   string // how the run was invoked, for the report
}

// bigPassages is where a corpus counts as big: fewer builds, no serial one.
const bigPassages = 500000

// size is one corpus to measure: the essay or a generated count.
type size struct {
	name     string
	passages int // 0 for the essay
}

func parseSizes(s string) ([]size, error) {
	var out []size
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(strings.ToLower(f))
		if f == "" {
			continue
		}
		if f == "essay" {
			out = append(out, size{name: "essay"})
			continue
		}
		mult := 1
		num := f
		switch {
		case strings.HasSuffix(f, "k"):
			mult, num = 1000, strings.TrimSuffix(f, "k")
		case strings.HasSuffix(f, "m"):
			mult, num = 1000000, strings.TrimSuffix(f, "m")
		}
		n, err := strconv.Atoi(num)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad size %q (use essay, 500, 10k, 1m, …)", f)
		}
		out = append(out, size{name: f, passages: n * mult})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no sizes")
	}
	return out, nil
}

// run is the program: parse the flags, measure (or read earlier
// measurements), write the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, jsonOut, render, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if cfg.work == "" && render == "" {
		dir, err := os.MkdirTemp("", "corpus-bench-")
		if err != nil {
			return err
		}
		cfg.work = dir
		if !cfg.keep {
			defer os.RemoveAll(dir)
		}
	}
	if cfg.work != "" {
		if cfg.work, err = filepath.Abs(cfg.work); err != nil {
			return err
		}
	}
	var rep *report
	if render != "" {
		if rep, err = readReports(strings.Split(render, ",")); err != nil {
			return err
		}
	} else {
		if rep, err = measure(ctx, cfg); err != nil {
			return err
		}
		if err := writeJSON(jsonOut, rep); err != nil {
			return err
		}
	}
	return writeReportFile(cfg.out, rep, stdout, stderr)
}

// parseFlags reads the command line into a configuration, and the -json
// and -render files.
func parseFlags(args []string, stderr io.Writer) (cfg config, jsonOut, render string, err error) {
	fs := flag.NewFlagSet("corpus-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "docs/PERFORMANCE.md", "Markdown report to write (- for stdout)")
	fs.StringVar(&jsonOut, "json", "", "also write the raw measurements as JSON to this file")
	fs.StringVar(&render, "render", "", "measure nothing: write the report from -json files of earlier runs (comma-separated: their corpora are put together, the first run's header kept)")
	sizes := fs.String("sizes", "essay,10k,100k", "corpora to measure: essay and/or passage counts (500, 10k, 1m)")
	work := fs.String("work", "", "folder for corpora, indexes and binaries (default: a new temporary folder)")
	keep := fs.Bool("keep", false, "keep -work afterwards")
	seed := fs.Uint64("seed", 1, "seed of the corpus generator")
	runs := fs.Int("runs", 3, "builds per corpus and engine (medians are reported)")
	bigRuns := fs.Int("big-runs", 1, "builds per engine for corpora of 500k passages or more")
	queryTime := fs.Duration("query-time", 2*time.Second, "time spent on each query type and engine, in-process")
	httpOn := fs.Bool("http", true, "measure HTTP with wrk, cold start and serving RSS")
	wrkTime := fs.Duration("wrk-time", 5*time.Second, "duration of each wrk run")
	cold := fs.Int("cold", 5, "cold starts per corpus")
	binaries := fs.Bool("binaries", true, "measure binary sizes (builds cmd/corpus twice)")
	agreeMax := fs.Int("agreement-bytes", 0, "bytes of Chinese prose to compare with gse's own segmentation (0: all of it)")
	serial := fs.Bool("serial", true, "also build ours one batch at a time (corpora of 10k passages or more), for the ratio")
	lucene := fs.Bool("lucene", true, "also measure Lucene (needs java, javac and Lucene 8's jars; skipped with a notice without them)")
	jarDir := fs.String("lucene-jars", bench.JarDir, "folder of Lucene's jars")
	if err := fs.Parse(args); err != nil {
		return config{}, "", "", err
	}
	ss, err := parseSizes(*sizes)
	if err != nil {
		return config{}, "", "", err
	}
	cfg = config{
		out: *out, sizes: ss, work: *work, keep: *keep, seed: *seed, runs: max(1, *runs), bigRuns: max(1, *bigRuns),
		queryTime: *queryTime, http: *httpOn, wrkTime: *wrkTime, cold: *cold, binaries: *binaries, serial: *serial, agreeMax: *agreeMax, lucene: *lucene, jarDir: *jarDir,
		log: stderr, command: "go run ./bench/cmd/corpus-bench " + strings.Join(args, " "),
	}
	return cfg, jsonOut, render, nil
}

// writeJSON keeps the raw measurements in file, if one is named.
func writeJSON(file string, rep *report) error {
	if file == "" {
		return nil
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}

// writeReportFile writes the report to out, or to stdout when out is "-".
func writeReportFile(out string, rep *report, stdout, stderr io.Writer) error {
	var w io.Writer = stdout
	if out != "-" {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := writeReport(w, rep); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if out != "-" {
		fmt.Fprintf(stderr, "wrote %s\n", out)
	}
	return nil
}

// logf reports progress on stderr.
func (c config) logf(format string, a ...any) {
	fmt.Fprintf(c.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
}

// readReports reads the -json files of earlier runs and puts their corpora
// into one report: the first file's header (command, machine, segmentation,
// binaries), every file's corpora in order, the load and elapsed time of
// all of them.
func readReports(files []string) (*report, error) {
	var rep *report
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		r := &report{}
		if err := json.Unmarshal(b, r); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if rep == nil {
			rep = r
			continue
		}
		rep.Sizes = append(rep.Sizes, r.Sizes...)
		rep.Elapsed += r.Elapsed
		rep.LoadAfter = r.LoadAfter
		rep.Command += "\n" + r.Command
		if len(rep.Binaries) == 0 {
			rep.Binaries = r.Binaries
		}
		if rep.Agreement == nil {
			rep.Agreement = r.Agreement
		}
		if rep.LuceneVersion == "" {
			rep.LuceneVersion, rep.LuceneSkipped = r.LuceneVersion, r.LuceneSkipped
		}
	}
	return rep, nil
}
