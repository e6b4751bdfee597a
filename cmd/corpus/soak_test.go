package main

import (
	"bufio"
	"context"
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
// rebuilt now and then, sampling the server's memory (RSS), threads and
// open files from /proc: none may keep growing. CORPUS_SOAK sets the
// duration (default 2s, one rebuild; scripts/soak.sh runs minutes).
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
	rebuildEvery := max(soak/6, time.Second)
	dir := t.TempDir()
	if _, _, code := runCmd(t, "index", "--data", dir); code != 0 {
		t.Fatal("build failed")
	}
	// Small caches: a cache filling up to its bound is growth a two-second
	// soak cannot tell from a leak (scripts/soak.sh runs minutes with the
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
	ctx, cancel := context.WithTimeout(t.Context(), soak)
	defer cancel()
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
	wg.Go(func() {
		tick := time.NewTicker(rebuildEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if _, errOut, code := runCmd(t, "index", "--data", dir); code != 0 {
					t.Errorf("rebuild during the soak: exit %d: %s", code, errOut)
				}
			}
		}
	})

	start := time.Now()
	var samples []procSample
	tick := time.NewTicker(max(soak/40, 100*time.Millisecond))
	for ctx.Err() == nil {
		<-tick.C
		p, err := sampleProc(pid)
		if err != nil {
			t.Fatalf("sample server: %v", err)
		}
		p.at = time.Since(start)
		samples = append(samples, p)
	}
	tick.Stop()
	wg.Wait()
	// Let the last switch settle (reload every second, old generation
	// closed when its requests finish), then take the final sample.
	time.Sleep(1500 * time.Millisecond)
	last, err := sampleProc(pid)
	if err != nil {
		t.Fatal(err)
	}
	last.at = time.Since(start)

	// Compare the end with the state after warm-up (a fifth of the way in):
	// a leak grows steadily; warm-up growth (caches, pools) does not count.
	warm := samples[len(samples)/5]
	peak := warm
	for _, p := range samples[len(samples)/5:] {
		peak.rss, peak.threads, peak.fds = max(peak.rss, p.rss), max(peak.threads, p.threads), max(peak.fds, p.fds)
	}
	t.Logf("soak %v: %d answers (%.0f/s), %d shed, %d failed; %d samples", soak, answers.Load(), float64(answers.Load())/soak.Seconds(), shed.Load(), failed.Load(), len(samples))
	t.Logf("server after warm-up (%v): RSS %.1f MiB, %d threads, %d fds; peak: %.1f MiB, %d threads, %d fds; at the end: %.1f MiB, %d threads, %d fds",
		warm.at.Round(time.Millisecond), float64(warm.rss)/(1<<20), warm.threads, warm.fds,
		float64(peak.rss)/(1<<20), peak.threads, peak.fds, float64(last.rss)/(1<<20), last.threads, last.fds)
	if last.fds > warm.fds+4 {
		t.Errorf("open files grew from %d to %d", warm.fds, last.fds)
	}
	if last.threads > warm.threads+8 {
		t.Errorf("threads grew from %d to %d", warm.threads, last.threads)
	}
	if last.rss > warm.rss+warm.rss/4+32<<20 {
		t.Errorf("RSS grew from %.1f to %.1f MiB", float64(warm.rss)/(1<<20), float64(last.rss)/(1<<20))
	}
}
