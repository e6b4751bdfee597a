package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/index"
)

// TestSwitchUnderLoad keeps 8 connections searching over HTTP while three
// builds switch the live generation: no request fails, every answer comes
// from a complete index, latency around a switch is logged against the
// baseline, and each old generation is closed with its files released.
func TestSwitchUnderLoad(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("needs /proc to count open files")
	}
	const conns, switches = 8, 3
	dir := t.TempDir()
	first, err := buildEssay(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	ts := realServer(t, live, 0)
	watchCtx, stopWatch := context.WithCancel(t.Context())
	watched := make(chan struct{})
	go func() { defer close(watched); live.Watch(watchCtx, 10*time.Millisecond) }()
	defer func() { stopWatch(); <-watched }()

	tr := &http.Transport{MaxIdleConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: answerBound}
	target := ts.URL + "/api/search?q=" + url.QueryEscape("华为")

	type sample struct {
		at, took time.Duration
		total    int
	}
	var (
		mu      sync.Mutex
		samples []sample
		failed  atomic.Int64
	)
	start := time.Now()
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				t0 := time.Now()
				resp, err := c.Get(target)
				if err != nil {
					if failed.Add(1) <= 3 {
						t.Errorf("GET during switches: %v", err)
					}
					continue
				}
				var r struct{ Total int }
				derr := json.NewDecoder(resp.Body).Decode(&r)
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || derr != nil {
					if failed.Add(1) <= 3 {
						t.Errorf("GET during switches: status %d, %v", resp.StatusCode, derr)
					}
					continue
				}
				mu.Lock()
				samples = append(samples, sample{t0.Sub(start), time.Since(t0), r.Total})
				mu.Unlock()
			}
		})
	}

	// The baseline and the time after each switch are counted in answers,
	// not in time: a busy machine answers fewer per second.
	answers := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(samples)
	}
	waitFor(t, "baseline answers", func() bool { return answers() >= 200 })
	baselineEnd := time.Since(start)
	type window struct{ from, to time.Duration }
	var builds, swaps []window
	gens := []string{first.Generation}
	for range switches {
		b0 := time.Since(start)
		st, err := buildEssay(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		b1 := time.Since(start)
		waitFor(t, "the switch to "+st.Generation, func() bool { return live.Stats().Generation == st.Generation })
		sw := time.Since(start)
		builds = append(builds, window{b0, b1})
		swaps = append(swaps, window{sw - 100*time.Millisecond, sw + 100*time.Millisecond})
		gens = append(gens, st.Generation)
		n := answers()
		waitFor(t, "answers after the switch", func() bool { return answers() >= n+50 })
	}
	cancel()
	wg.Wait()

	if got := live.Stats().Generation; got != gens[len(gens)-1] {
		t.Errorf("serving %s after the builds, want %s", got, gens[len(gens)-1])
	}
	var base, during, around latencies
	want := -1
	empty := 0
	for _, s := range samples {
		if want < 0 {
			want = s.total
		}
		if s.total != want {
			empty++
			if empty <= 3 {
				t.Errorf("answer at %v: total %d, want %d as from every complete generation", s.at, s.total, want)
			}
		}
		in := func(ws []window) bool {
			for _, w := range ws {
				if s.at+s.took >= w.from && s.at <= w.to {
					return true
				}
			}
			return false
		}
		switch {
		case s.at+s.took <= baselineEnd:
			base.add(s.took)
		case in(swaps):
			around.add(s.took)
			during.add(s.took)
		case in(builds):
			during.add(s.took)
		}
	}
	if want <= 0 {
		t.Errorf("searches for 华为 found %d passages", want)
	}
	ratio := float64(around.pct(99)) / float64(max(base.pct(99), 1))
	t.Logf("%d answers, %d failed, %d not from a complete index", len(samples), failed.Load(), empty)
	t.Logf("p99: baseline %v (n=%d); during builds %v (n=%d); within 100 ms of a switch %v (n=%d), %.1f× the baseline",
		base.pct(99), base.n(), during.pct(99), during.n(), around.pct(99), around.n(), ratio)

	// The old generations close once their last request is done.
	var open []string
	waitFor(t, "the old generations closed", func() bool {
		open = openFilesUnder(t, dir, gens[:len(gens)-1])
		return len(open) == 0
	})
	if cur := openFilesUnder(t, dir, gens[len(gens)-1:]); len(cur) == 0 {
		t.Error("no open file of the live generation found: the check would see nothing")
	}
}

// openFilesUnder lists the file descriptors and memory maps of this
// process that point into any of the generations gens of dir.
func openFilesUnder(t testing.TB, dir string, gens []string) []string {
	t.Helper()
	var out []string
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	match := func(s string) bool {
		for _, g := range gens {
			if strings.Contains(s, filepath.Join(dir, g)+"/") {
				return true
			}
		}
		return false
	}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && match(link) {
			out = append(out, fmt.Sprintf("fd %s → %s", fd.Name(), link))
		}
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(maps), "\n") {
		if match(line) {
			out = append(out, "mapped: "+line)
		}
	}
	return out
}
