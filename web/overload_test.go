package web

import (
	"context"
	"github.com/corpus-dev/corpus/index"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadQueries are what the load generators ask, in turn: cheap and
// expensive searches, pages and the API.
var loadQueries = []string{
	"/api/search?q=" + url.QueryEscape("华为"),
	"/api/search?q=Huawei&company=ByteDance",
	"/search?q=" + url.QueryEscape("美国 芯片"),
	"/api/search?size=100",
	"/concordance?q=TikTok",
}

// heavyQueries cost the server ten times more than loadQueries (most
// passages of the essay, searched, highlighted and rendered; none of them
// the empty query, whose pages are kept per generation), so that a load
// generator sharing the machine's cores can still send more than the
// server can take.
var heavyQueries = []string{
	"/search?q=" + url.QueryEscape("的") + "&size=100",
	"/api/search?q=the&size=100",
	"/concordance?q=" + url.QueryEscape("的"),
	"/search?q=the+OR+" + url.QueryEscape("美国") + "&size=100",
}

// latencies is a thread-safe list of durations with percentiles.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// pct returns the p-th percentile (0–100), 0 if empty.
func (l *latencies) pct(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p/100))]
}

func (l *latencies) n() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.d)
}

// heldSearcher is a real index whose searches take hold longer.
type heldSearcher struct {
	*index.Live
	hold time.Duration
}

func (h heldSearcher) wait(ctx context.Context) error {
	select {
	case <-time.After(h.hold):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h heldSearcher) Search(ctx context.Context, q index.Query) (*index.Results, error) {
	if err := h.wait(ctx); err != nil {
		return nil, err
	}
	return h.Live.Search(ctx, q)
}

func (h heldSearcher) Scan(ctx context.Context, q index.Query, limit int, fn func(int, index.Hit) error) error {
	if err := h.wait(ctx); err != nil {
		return err
	}
	return h.Live.Scan(ctx, q, limit, fn)
}

// sequential sends n requests one after another and returns their
// latencies; any failure or status but 200 is a test error.
func sequential(t testing.TB, c *http.Client, base string, n int) *latencies {
	t.Helper()
	var l latencies
	for i := range n {
		target := loadQueries[i%len(loadQueries)]
		start := time.Now()
		resp, err := c.Get(base + target)
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		l.add(time.Since(start))
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: status %d with no load", target, resp.StatusCode)
		}
	}
	return &l
}

// TestOverload runs 64 connections in a closed loop against the real index
// with the default limits: the excess is shed at once with 503 and
// Retry-After, what is admitted keeps a bounded latency, the heap stays
// bounded, and after the burst latency is back to normal.
func TestOverload(t *testing.T) {
	const conns = 64
	burst := time.Second
	// The server's own view of each answer, from request read to handler
	// return: the clients' view adds their share of the same two cores.
	var srvAdmitted, srvShed latencies
	// The essay is answered in a few milliseconds, less than 64 clients
	// in this process spend reading the answers on the same two cores:
	// they could no longer fill the slots and the queue this test is
	// about. Each search and scan holds its slot 20 ms longer, as on a
	// corpus a hundred times larger.
	live := openEssay(t)
	ts := realServer(t, heldSearcher{live, 20 * time.Millisecond}, 0, func(s *http.Server) {
		h := s.Handler
		s.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			h.ServeHTTP(sw, r)
			if sw.code == 503 {
				srvShed.add(time.Since(start))
			} else {
				srvAdmitted.add(time.Since(start))
			}
		})
	})
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 2 * answerBound}

	sequential(t, c, ts.URL, 20) // warm up
	base := sequential(t, c, ts.URL, 50)
	heapBefore := heapAlloc()
	srvAdmitted, srvShed = latencies{}, latencies{}

	var admitted, shed latencies
	var other, errs atomic.Int64
	var noRetry atomic.Int64
	ctx, cancel := context.WithTimeout(t.Context(), burst)
	defer cancel()
	var peak atomic.Uint64
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for g := range conns {
		wg.Go(func() {
			for i := g; ctx.Err() == nil; i++ {
				target := heavyQueries[i%len(heavyQueries)]
				start := time.Now()
				resp, err := c.Get(ts.URL + target)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				switch resp.StatusCode {
				case 200:
					admitted.add(d)
				case 503:
					shed.add(d)
					if resp.Header.Get("Retry-After") == "" {
						noRetry.Add(1)
					}
				default:
					if other.Add(1) == 1 {
						t.Errorf("GET %s under load: status %d", target, resp.StatusCode)
					}
				}
			}
		})
	}
	wg.Wait()
	<-sampled
	srvA, srvS := srvAdmitted.pct(99), srvShed.pct(99)

	// Recovery: how soon a request is answered as fast as before.
	recStart := time.Now()
	for time.Since(recStart) < answerBound {
		start := time.Now()
		resp, err := c.Get(ts.URL + loadQueries[0])
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 && time.Since(start) <= 2*base.pct(99) {
			break
		}
	}
	recovered := time.Since(recStart)
	after := sequential(t, c, ts.URL, 50)

	total := admitted.n() + shed.n()
	t.Logf("no load, 1 connection: p50 %v, p99 %v", base.pct(50), base.pct(99))
	t.Logf("%d connections for %v: %d answers (%.0f/s), %d admitted (p50 %v, p99 %v), %d shed (p50 %v, p99 %v), %d errors",
		conns, burst, total, float64(total)/burst.Seconds(), admitted.n(), admitted.pct(50), admitted.pct(99), shed.n(), shed.pct(50), shed.pct(99), errs.Load())
	t.Logf("server side: admitted p50 %v, p99 %v; shed p50 %v, p99 %v", srvAdmitted.pct(50), srvA, srvShed.pct(50), srvS)
	t.Logf("heap: %.1f MiB before, %.1f MiB peak during the burst", mib(heapBefore), mib(peak.Load()))
	t.Logf("after the burst: normal again in %v; then p50 %v, p99 %v", recovered, after.pct(50), after.pct(99))

	if errs.Load() > 0 || other.Load() > 0 {
		t.Errorf("%d transport errors and %d statuses other than 200 and 503 under load", errs.Load(), other.Load())
	}
	if noRetry.Load() > 0 {
		t.Errorf("%d shed answers without Retry-After", noRetry.Load())
	}
	if admitted.n() == 0 {
		t.Error("nothing was admitted under load")
	}
	slots := inFlightPerCPU * runtime.GOMAXPROCS(0)
	if conns > 2*slots && shed.n() == 0 {
		t.Errorf("%d connections over %d slots and %d waiting: nothing shed", conns, slots, slots)
	}
	for name, d := range map[string]time.Duration{"admitted p99": admitted.pct(99), "shed p99": shed.pct(99), "server-side shed p99": srvS, "recovery": recovered} {
		if d > answerBound {
			t.Errorf("%s %v: over %v", name, d, answerBound)
		}
	}
	if peak.Load() > heapBefore+256<<20 {
		t.Errorf("heap went from %.1f to %.1f MiB under load", mib(heapBefore), mib(peak.Load()))
	}
}

// statusWriter records the status a handler sends.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}
