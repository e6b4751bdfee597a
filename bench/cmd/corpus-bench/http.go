package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/corpus-dev/corpus/bench"
)

// Concurrencies of the wrk runs on the mixed query set, and of the
// per-type runs.
var (
	concurrencies   = []int{1, 8, 16}
	typeConcurrency = 8
)

// binaryResult is the size of one build of cmd/corpus.
type binaryResult struct {
	Name  string
	Bytes int64
	Err   string // why it could not be built or run, if so
}

type binaries struct {
	corpus  string // path of the normal build
	results []binaryResult
}

// buildBinaries builds cmd/corpus normally and with gse's ne tag (which
// drops gse's embedded dictionaries), and checks whether the ne build can
// segment Chinese at all.
func buildBinaries(ctx context.Context, cfg config) (*binaries, error) {
	b := &binaries{corpus: filepath.Join(cfg.work, "corpus")}
	build := func(out string, tags ...string) error {
		args := []string{"build", "-o", out}
		if len(tags) > 0 {
			args = append(args, "-tags", strings.Join(tags, ","))
		}
		cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/corpus")...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return nil
	}
	if err := build(b.corpus); err != nil {
		return nil, err
	}
	fi, err := os.Stat(b.corpus)
	if err != nil {
		return nil, err
	}
	b.results = append(b.results, binaryResult{Name: "go build ./cmd/corpus", Bytes: fi.Size()})
	if !cfg.binaries {
		return b, nil
	}
	ne := filepath.Join(cfg.work, "corpus-ne")
	r := binaryResult{Name: "go build -tags ne ./cmd/corpus"}
	if err := build(ne, "ne"); err != nil {
		r.Err = err.Error()
	} else {
		if fi, err := os.Stat(ne); err == nil {
			r.Bytes = fi.Size()
		}
		// Without embedded dictionaries gse has nothing to load: can the
		// build still index the essay?
		data := filepath.Join(cfg.work, "ne-data")
		cmd := exec.CommandContext(ctx, ne, "index", "--data", data)
		out, err := cmd.CombinedOutput()
		os.RemoveAll(data)
		if err != nil {
			r.Err = fmt.Sprintf("builds, but `corpus index` fails: %s", lastLine(string(out)))
		}
		os.Remove(ne)
	}
	b.results = append(b.results, r)
	return b, nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// server is a running `corpus serve` child.
type server struct {
	cmd     *exec.Cmd
	base    string
	done    chan error
	stopped sync.Once
}

// startServe starts `corpus serve` on dataDir at a free loopback port.
func startServe(ctx context.Context, bin, dataDir string, flags ...string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--data", dataDir, "--addr", addr}, flags...)...)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	return s, nil
}

// waitAnswer polls path until it answers 200, and returns when it did.
func (s *server) waitAnswer(path string, limit time.Duration) error {
	end := time.Now().Add(limit)
	client := &http.Client{Timeout: limit}
	for time.Now().Before(end) {
		select {
		case err := <-s.done:
			return fmt.Errorf("corpus serve exited: %v", err)
		default:
		}
		resp, err := client.Get(s.base + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			// 503 is the server saying it is too busy for now (on a
			// machine other work keeps busy, the first search can
			// outlast its deadline): ask again, as a client would.
			if resp.StatusCode != http.StatusServiceUnavailable {
				return fmt.Errorf("GET %s: %s", path, resp.Status)
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("GET %s: no answer within %v", path, limit)
}

// stop ends the server; calling it again does nothing.
func (s *server) stop() {
	s.stopped.Do(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	})
}

// rss returns the VmRSS and VmHWM of the server process, in bytes.
func (s *server) rss() (cur, peak int64) { return procRSS(s.cmd.Process.Pid) }

// procRSS returns the VmRSS and VmHWM of process pid, in bytes.
func procRSS(pid int) (cur, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			cur = kb * 1024
		case "VmHWM:":
			peak = kb * 1024
		}
	}
	return cur, peak
}

// coldQuery is the first query a cold start must answer: Chinese, so the
// segmenter must be ready.
const coldQuery = "/api/search?q=%E5%8D%8E%E4%B8%BA" // 华为

// httpResult is one wrk run.
type httpResult struct {
	Endpoint    string // "json" or "html"
	Type        string // query type, or "mixed"
	Connections int
	Requests    float64 // per second, all answers
	OK          float64 // per second, 2xx answers only
	P50         time.Duration
	P90         time.Duration
	P99         time.Duration
	Errors      string // non-2xx responses or socket errors, if any
}

// measureHTTP starts `corpus serve` children on the built index: cold
// starts, then wrk against a server that keeps answers and one that keeps
// none.
func measureHTTP(ctx context.Context, cfg config, sr *sizeReport, bin, dataDir string) error {
	if err := measureColdStarts(ctx, cfg, sr, bin, dataDir); err != nil {
		return err
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk not found (apt-get install wrk), or run with -http=false")
	}
	script := filepath.Join(cfg.work, "paths.lua")
	if err := measureKept(ctx, cfg, sr, bin, dataDir, script); err != nil {
		return err
	}
	return measureUncached(ctx, cfg, sr, bin, dataDir, script)
}

// measureColdStarts times from exec to the first answered Chinese query,
// on an index that exists (and whose files the OS has cached from the
// build and the in-process runs).
func measureColdStarts(ctx context.Context, cfg config, sr *sizeReport, bin, dataDir string) error {
	for i := range cfg.cold {
		t0 := time.Now()
		s, err := startServe(ctx, bin, dataDir)
		if err != nil {
			return err
		}
		err = s.waitAnswer(coldQuery, 60*time.Second)
		d := time.Since(t0)
		if err == nil && i == 0 {
			sr.IdleRSS, _ = s.rss()
		}
		s.stop()
		if err != nil {
			return fmt.Errorf("cold start: %w", err)
		}
		sr.Cold = append(sr.Cold, d.Seconds())
	}
	if len(sr.Cold) > 0 {
		cfg.logf("%s: cold start median %.3fs", sr.Name, median(sr.Cold))
	}
	return nil
}

// measureKept runs wrk against a server that keeps recent answers (the
// default): the mixed query set as JSON and HTML at each concurrency,
// then each query type; and reads the server's RSS.
func measureKept(ctx context.Context, cfg config, sr *sizeReport, bin, dataDir, script string) error {
	s, err := startServe(ctx, bin, dataDir)
	if err != nil {
		return err
	}
	defer s.stop()
	if err := s.waitAnswer(coldQuery, 60*time.Second); err != nil {
		return err
	}
	if sr.IdleRSS == 0 {
		sr.IdleRSS, _ = s.rss()
	}
	for _, ep := range []string{"json", "html"} {
		if err := writeScript(script, queryPaths(ep, "")); err != nil {
			return err
		}
		for _, c := range concurrencies {
			r, err := runWrk(ctx, cfg, s.base, script, c)
			if err != nil {
				return err
			}
			r.Endpoint, r.Type = ep, "mixed"
			sr.HTTP = append(sr.HTTP, r)
			cfg.logf("%s: http %s c=%d: %.0f req/s, p50 %v p99 %v %s", sr.Name, ep, c, r.Requests, r.P50, r.P99, r.Errors)
		}
	}
	if sr.HTTPTypes, err = wrkPerType(ctx, cfg, sr, s, script, "kept"); err != nil {
		return err
	}
	sr.LoadRSS, sr.PeakRSS = s.rss()
	return nil
}

// measureUncached runs wrk against a server that keeps no answers: what
// first-time queries cost, since wrk cycles through a few queries.
func measureUncached(ctx context.Context, cfg config, sr *sizeReport, bin, dataDir, script string) error {
	u, err := startServe(ctx, bin, dataDir, "--cache-mb", "0")
	if err != nil {
		return err
	}
	defer u.stop()
	if err := u.waitAnswer(coldQuery, 60*time.Second); err != nil {
		return err
	}
	if err := writeScript(script, queryPaths("json", "")); err != nil {
		return err
	}
	r, err := runWrk(ctx, cfg, u.base, script, 16)
	if err != nil {
		return err
	}
	r.Endpoint, r.Type = "json", "mixed"
	sr.HTTPUncached = append(sr.HTTPUncached, r)
	cfg.logf("%s: http json mixed c=16 nothing kept: %.0f req/s, p50 %v p99 %v %s", sr.Name, r.Requests, r.P50, r.P99, r.Errors)
	sr.HTTPTypesUncached, err = wrkPerType(ctx, cfg, sr, u, script, "nothing kept")
	return err
}

// wrkPerType runs wrk on the JSON API once per query type.
func wrkPerType(ctx context.Context, cfg config, sr *sizeReport, s *server, script, label string) ([]httpResult, error) {
	var out []httpResult
	for _, typ := range bench.Types {
		if err := writeScript(script, queryPaths("json", typ)); err != nil {
			return nil, err
		}
		r, err := runWrk(ctx, cfg, s.base, script, typeConcurrency)
		if err != nil {
			return nil, err
		}
		r.Endpoint, r.Type = "json", typ
		out = append(out, r)
		cfg.logf("%s: http json %-9s c=%d %s: %.0f req/s, p50 %v p99 %v %s", sr.Name, typ, typeConcurrency, label, r.Requests, r.P50, r.P99, r.Errors)
	}
	return out, nil
}

// queryPaths are the URL paths of the query set (of one type, or all when
// typ is "") on the endpoint ep ("json" or "html").
func queryPaths(ep, typ string) []string {
	var paths []string
	for _, q := range bench.QuerySet() {
		if typ == "" || q.Type == typ {
			paths = append(paths, endpointPath(ep, q))
		}
	}
	return paths
}

func endpointPath(ep string, q bench.Query) string {
	p := "/search"
	if ep == "json" {
		p = "/api/search"
	}
	if v := q.Values().Encode(); v != "" {
		p += "?" + v
	}
	return p
}

// settleWait bounds how long settle waits.
const settleWait = 10 * time.Second

// settle waits until the server at base has no request in flight and none
// waiting, or settleWait has passed: a wrk run must not time what the
// previous one left behind (an overloaded HTML run leaves renders that
// finish after their clients have gone). /healthz takes no slot itself;
// a server without it is not waited for.
func settle(ctx context.Context, base string) {
	client := &http.Client{Timeout: time.Second}
	for end := time.Now().Add(settleWait); time.Now().Before(end) && ctx.Err() == nil; time.Sleep(50 * time.Millisecond) {
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			continue
		}
		var h struct {
			SlotsInUse int `json:"slots_in_use"`
			Waiting    int `json:"waiting"`
		}
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil || h.SlotsInUse == 0 && h.Waiting == 0 {
			return
		}
	}
}

// writeScript writes a wrk Lua script that requests paths in turn.
func writeScript(path string, paths []string) error {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  %q,\n", p)
	}
	b.WriteString("}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

var (
	wrkPercentile = regexp.MustCompile(`^\s*(50|75|90|99)%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkRate       = regexp.MustCompile(`^Requests/sec:\s+([0-9.]+)`)
	wrkErrors     = regexp.MustCompile(`^\s*(Non-2xx or 3xx responses: \d+|Socket errors: .*)$`)
	wrkTotal      = regexp.MustCompile(`^\s*(\d+) requests in ([0-9.]+)(ms|s|m),`)
	wrkNon2xx     = regexp.MustCompile(`^\s*Non-2xx or 3xx responses: (\d+)`)
)

func runWrk(ctx context.Context, cfg config, base, script string, conns int) (httpResult, error) {
	settle(ctx, base)
	threads := min(conns, runtime.NumCPU())
	cmd := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%ds", max(1, int(cfg.wrkTime.Seconds()))), "--latency", "-s", script, base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return httpResult{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	r := httpResult{Connections: conns}
	var errs []string
	var total, bad, secs float64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if m := wrkPercentile.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[m[3]]
			d := time.Duration(v * float64(unit))
			switch m[1] {
			case "50":
				r.P50 = d
			case "90":
				r.P90 = d
			case "99":
				r.P99 = d
			}
		}
		if m := wrkRate.FindStringSubmatch(line); m != nil {
			r.Requests, _ = strconv.ParseFloat(m[1], 64)
		}
		if m := wrkErrors.FindStringSubmatch(line); m != nil {
			errs = append(errs, strings.TrimSpace(m[1]))
		}
		if m := wrkTotal.FindStringSubmatch(line); m != nil {
			total, _ = strconv.ParseFloat(m[1], 64)
			secs, _ = strconv.ParseFloat(m[2], 64)
			secs *= map[string]float64{"ms": 1e-3, "s": 1, "m": 60}[m[3]]
		}
		if m := wrkNon2xx.FindStringSubmatch(line); m != nil {
			bad, _ = strconv.ParseFloat(m[1], 64)
		}
	}
	r.OK = r.Requests
	if secs > 0 {
		r.OK = (total - bad) / secs
	}
	r.Errors = strings.Join(errs, "; ")
	if r.Requests == 0 {
		return r, fmt.Errorf("wrk: no rate in its output: %s", out)
	}
	return r, nil
}

// machine describes where the run happened.
type machine struct {
	Cores  int
	CPU    string
	MemGiB float64
	Go     string
	OS     string
}

func readMachine() machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				if _, v, ok := strings.Cut(line, ":"); ok {
					m.CPU = strings.TrimSpace(v)
					break
				}
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				m.MemGiB = kb / (1 << 20)
			}
		}
	}
	return m
}

// loadAvg is the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
