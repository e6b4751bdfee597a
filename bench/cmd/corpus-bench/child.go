package main

import (
	"bufio"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/segment"
)

// childCommand runs one build in a child process, so that its CPU time and
// peak RSS are measured alone.
const childCommand = "__build"

// buildResult is what a child build reports on its stdout.
type buildResult struct {
	Engine   string  `json:"engine"`
	Passages int     `json:"passages"`
	DictLoad float64 `json:"dict_load_s"`    // loading gse's dictionary, before the build
	Wall     float64 `json:"wall_s"`         // the build alone
	CPU      float64 `json:"cpu_s"`          // user+system CPU of the build alone
	Bytes    int64   `json:"bytes"`          // on disk afterwards
	MaxRSS   int64   `json:"max_rss"`        // peak RSS of the whole child, bytes
	Load     string  `json:"load,omitempty"` // load average right after the build
}

func runChild(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet(childCommand, flag.ContinueOnError)
	engine := fs.String("engine", "ours", "ours or peer")
	in := fs.String("corpus", "", "corpus file (gob)")
	out := fs.String("out", "", "data folder (ours) or database file (peer)")
	workers := fs.Int("workers", 0, "ours: batches in flight (0: the default)")
	batch := fs.Int("batch", 0, "ours: passages per batch (0: the default)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the build to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	docs, err := readCorpus(*in)
	if err != nil {
		return err
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return err
	}
	t0 := time.Now()
	seg, err := segment.Default()
	if err != nil {
		return err
	}
	if err := seg.AddWords(gaz.ChineseNames()); err != nil {
		return err
	}
	res := buildResult{Engine: *engine, Passages: bench.CountPassages(docs), DictLoad: time.Since(t0).Seconds()}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cpu0 := cpuTime()
	t1 := time.Now()
	switch *engine {
	case "ours":
		_, err = index.Build(ctx, *out, docs, gaz, index.BuildOptions{Workers: *workers, BatchSize: *batch})
	case "peer":
		err = bench.BuildPeer(ctx, *out, docs, seg, gaz)
	default:
		err = fmt.Errorf("unknown engine %q", *engine)
	}
	if err != nil {
		return err
	}
	res.Wall = time.Since(t1).Seconds()
	res.CPU = cpuTime() - cpu0
	if res.Bytes, err = diskSize(*out); err != nil {
		return err
	}
	// Not getrusage's ru_maxrss: Linux carries it over from the parent
	// through fork and exec, so a small child would report the parent's
	// size. VmHWM is this process's own peak.
	_, res.MaxRSS = procRSS(os.Getpid())
	return json.NewEncoder(stdout).Encode(res)
}

// cpuTime is the user+system CPU time of this process so far, in seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
}

func tvSeconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}

// diskSize is the size of a file, or of every file under a folder.
func diskSize(path string) (int64, error) {
	var n int64
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	return n, err
}

func writeCorpus(path string, docs []*corpus.Document) error {
	return bench.WriteBuffered(path, func(w *bufio.Writer) error { return gob.NewEncoder(w).Encode(docs) })
}

func readCorpus(path string) ([]*corpus.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var docs []*corpus.Document
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&docs); err != nil {
		return nil, fmt.Errorf("read corpus %s: %w", path, err)
	}
	return docs, nil
}

// childBuild runs a build in a child process and returns its report.
func childBuild(ctx context.Context, cfg config, engine, corpusFile, out string, extra ...string) (buildResult, error) {
	self, err := os.Executable()
	if err != nil {
		return buildResult{}, err
	}
	args := append([]string{childCommand, "-engine", engine, "-corpus", corpusFile, "-out", out}, extra...)
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Stderr = cfg.log
	b, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return buildResult{}, fmt.Errorf("%s build: %w", engine, err)
		}
		return buildResult{}, err
	}
	var res buildResult
	if err := json.Unmarshal(b, &res); err != nil {
		return buildResult{}, fmt.Errorf("%s build: bad report %q: %w", engine, b, err)
	}
	return res, nil
}

// diskUsageCommand prints where the bytes of the live generation of a data
// folder go (corpus-bench __diskusage DIR), to measure one build made by
// childCommand without a whole run.
const diskUsageCommand = "__diskusage"

func printDiskUsage(dataDir string, w io.Writer) error {
	u, err := index.DiskUsageOf(dataDir)
	if err != nil {
		return err
	}
	byKind := map[string]int64{}
	for _, p := range u.Parts {
		byKind[p.Kind] += p.Bytes
	}
	kinds := slices.Sorted(maps.Keys(byKind))
	for _, k := range kinds {
		fmt.Fprintf(w, "%-20s %8.2f MB\n", k, float64(byKind[k])/1e6)
	}
	for _, p := range u.Parts {
		if p.Field != "" && p.Bytes >= 100_000 {
			fmt.Fprintf(w, "  %-20s %-14s %8.2f MB\n", p.Kind, p.Field, float64(p.Bytes)/1e6)
		}
	}
	fmt.Fprintf(w, "%-20s %8.2f MB\n", "total", float64(u.Total)/1e6)
	return nil
}
