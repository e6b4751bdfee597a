package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// procSample is what /proc says about a process at one moment.
type procSample struct {
	at      time.Duration
	rss     int64 // bytes
	threads int
	fds     int
	live    int64 // the server's live heap at its last collection (go_gc_heap_live_bytes), bytes
}

func sampleProc(pid int) (procSample, error) {
	var s procSample
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch k {
		case "VmRSS":
			s.rss = n << 10
		case "Threads":
			s.threads = int(n)
		}
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return s, err
	}
	s.fds = len(fds)
	return s, nil
}

// TestSoak serves under steady load (8 connections) while the index is
// rebuilt again and again, sampling the server's memory (RSS), threads and
// open files from /proc: none may keep growing from one rebuild to the
// next. The baseline is taken after the first switch to a new generation,
// so what one switch costs once (a second generation mapped, pools and
// caches warmed, the race detector's shadow memory) is not counted as a
// leak; what every switch leaks is. CORPUS_SOAK sets the duration (default
// 2s, at least three rebuilds; scripts/soak.sh runs minutes).
func TestSoak(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc")
	}
	soak := 2 * time.Second
	if v := os.Getenv("CORPUS_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("CORPUS_SOAK=%q: %v", v, err)
		}
		soak = d
	}
	const minRebuilds = 3
	// The pause between rebuilds gives every generation the same amount of
	// traffic; it is a pace, not a measurement.
	pause := max(soak/6, 500*time.Millisecond)
	dir := t.TempDir()
	if _, _, code := runCmd(t, "index", "--data", dir); code != 0 {
		t.Fatal("build failed")
	}
	// Small caches: a cache filling up to its bound is growth a short soak
	// cannot tell from a leak (scripts/soak.sh runs minutes with the
	// defaults).
	s := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--cache-mb", "4", "--token-cache-mb", "4")
	if s.url == "" {
		t.Fatalf("serve: %v\n%s", s.waitErr, s.stderr.String())
	}
	pid := s.cmd.Process.Pid

	const conns = 8
	tr := &http.Transport{MaxIdleConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: hangBound}
	targets := []string{
		"api/search?q=" + url.QueryEscape("华为"), "search?q=Huawei&company=ByteDance", "concordance?q=TikTok",
		"api/search?size=100", "documents", "passages/huawei-bytedance-abroad/p010", "api/search?q=" + url.QueryEscape("美国 芯片") + "&sort=-year",
		"search?q=%ff", "nope", "static/app.css",
	}
	// Warm up first: the translation dictionary loads in the background
	// after start, and a search that expands to equivalents waits for it.
	if resp, err := c.Get(s.url + "api/search?expand=1&q=" + url.QueryEscape("iron curtain")); err != nil {
		t.Fatalf("warm-up: %v", err)
	} else {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	generation := func() string {
		resp, err := c.Get(s.url + "healthz")
		if err != nil {
			t.Fatalf("healthz: %v", err)
		}
		defer resp.Body.Close()
		var h struct {
			Generation string `json:"generation"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			t.Fatalf("healthz: %v", err)
		}
		return h.Generation
	}

	liveHeap := func() int64 {
		resp, err := c.Get(s.url + "metrics")
		if err != nil {
			t.Fatalf("metrics: %v", err)
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "go_gc_heap_live_bytes "); ok {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("metrics: %q: %v", sc.Text(), err)
				}
				return int64(f)
			}
		}
		t.Fatalf("metrics: no go_gc_heap_live_bytes (%v)", sc.Err())
		return 0
	}

	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	var answers, failed, shed atomic.Int64
	var wg sync.WaitGroup
	for g := range conns {
		wg.Go(func() {
			for i := g; ctx.Err() == nil; i++ {
				resp, err := c.Get(s.url + targets[i%len(targets)])
				if err != nil {
					if ctx.Err() == nil && failed.Add(1) <= 3 {
						t.Errorf("GET %s: %v", targets[i%len(targets)], err)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				answers.Add(1)
				// A 503 with Retry-After is the server shedding load as
				// designed, which a busy machine makes it do; any other 5xx
				// is a fault.
				if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "" {
					shed.Add(1)
					continue
				}
				if resp.StatusCode >= 500 && failed.Add(1) <= 3 {
					t.Errorf("GET %s: status %d", targets[i%len(targets)], resp.StatusCode)
				}
			}
		})
	}

	// Each cycle: serve for a pause, sample, rebuild, wait until the
	// server serves the new generation. cycles[i] is the state just before
	// rebuild i+1, after generation i has served its share.
	deadline := time.Now().Add(hangBound * 4)
	if d, ok := t.Deadline(); ok {
		deadline = d.Add(-30 * time.Second)
	}
	start := time.Now()
	var cycles []procSample
	gen := generation()
	for len(cycles) < minRebuilds+1 || time.Since(start) < soak {
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			t.Fatal("stopped")
		}
		p, err := sampleProc(pid)
		if err != nil {
			t.Fatalf("sample server: %v", err)
		}
		p.at = time.Since(start)
		p.live = liveHeap()
		cycles = append(cycles, p)
		if len(cycles) > minRebuilds && time.Since(start) >= soak {
			break
		}
		if _, errOut, code := runCmd(t, "index", "--data", dir); code != 0 {
			t.Fatalf("rebuild during the soak: exit %d: %s", code, errOut)
		}
		for g := generation(); g == gen; g = generation() {
			if time.Now().After(deadline) {
				t.Fatalf("the server still serves generation %s after a rebuild", gen)
			}
			time.Sleep(50 * time.Millisecond)
		}
		gen = generation()
	}
	stop()
	wg.Wait()

	// cycles[0] is before any switch; cycles[1] is after the first one.
	base, last := cycles[1], cycles[len(cycles)-1]
	peak := base
	for _, p := range cycles[1:] {
		peak.rss, peak.threads, peak.fds = max(peak.rss, p.rss), max(peak.threads, p.threads), max(peak.fds, p.fds)
	}
	elapsed := time.Since(start)
	t.Logf("soak %v, %d rebuilds: %d answers (%.0f/s), %d shed, %d failed", elapsed.Round(time.Millisecond), len(cycles)-1, answers.Load(), float64(answers.Load())/elapsed.Seconds(), shed.Load(), failed.Load())
	for i, p := range cycles {
		when := fmt.Sprintf("before rebuild %d", i+1)
		if i == len(cycles)-1 {
			when = "at the end"
		}
		t.Logf("%s (%v): RSS %.1f MiB, live heap %.1f MiB, %d threads, %d fds", when, p.at.Round(time.Millisecond), float64(p.rss)/(1<<20), float64(p.live)/(1<<20), p.threads, p.fds)
	}
	if last.fds > base.fds+4 {
		t.Errorf("open files grew from %d to %d over %d rebuilds", base.fds, last.fds, len(cycles)-2)
	}
	if last.threads > base.threads+8 {
		t.Errorf("threads grew from %d to %d over %d rebuilds", base.threads, last.threads, len(cycles)-2)
	}
	// The live heap is the leak's measure under any build; RSS also holds
	// garbage not yet returned and, under -race, the detector's shadow
	// memory, which grows with every new heap address and never shrinks.
	if last.live > base.live+base.live/4+16<<20 {
		t.Errorf("live heap grew from %.1f to %.1f MiB over %d rebuilds", float64(base.live)/(1<<20), float64(last.live)/(1<<20), len(cycles)-2)
	}
	if !raceEnabled && last.rss > base.rss+base.rss/4+32<<20 {
		t.Errorf("RSS grew from %.1f to %.1f MiB over %d rebuilds (peak %.1f)", float64(base.rss)/(1<<20), float64(last.rss)/(1<<20), len(cycles)-2, float64(peak.rss)/(1<<20))
	}
}
