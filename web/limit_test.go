package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/index"
)

// slowSearcher is the fake index taking delay per search, recording how
// many searches ran at once.
type slowSearcher struct {
	*fakeSearcher
	delay         time.Duration
	running, peak atomic.Int64
}

func (s *slowSearcher) Search(ctx context.Context, q index.Query) (*index.Results, error) {
	n := s.running.Add(1)
	defer s.running.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.fakeSearcher.Search(ctx, q)
}

// TestShedding: with every slot held longer than the shed wait, a burst
// gets exactly MaxInFlight requests served and the rest a quick 503 with
// Retry-After, in JSON for the API and as a page otherwise; health checks
// and static files still answer; afterwards requests are served again.
func TestShedding(t *testing.T) {
	const slots, burst = 4, 64
	f := &slowSearcher{fakeSearcher: newFake(), delay: 400 * time.Millisecond}
	_, e, err := newServer(Config{Searcher: f, MaxInFlight: slots})
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		code               int
		retry, ctype, body string
		took               time.Duration
	}
	answers := make([]answer, burst)
	var wg sync.WaitGroup
	for i := range burst {
		target := "/api/search?q=Huawei"
		if i%2 == 1 {
			target = "/search?q=" + url.QueryEscape(payloads[1]) // reflected on the busy page
		}
		wg.Go(func() {
			start := time.Now()
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
			answers[i] = answer{rec.Code, rec.Header().Get("Retry-After"), rec.Header().Get("Content-Type"), rec.Body.String(), time.Since(start)}
		})
	}
	// While the burst holds every slot, the exempt routes still answer.
	time.Sleep(50 * time.Millisecond)
	for _, target := range []string{"/healthz", "/static/app.css"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s during the burst: status %d, want 200 (exempt from shedding)", target, rec.Code)
		}
	}
	wg.Wait()
	served, shed := 0, 0
	var slowestShed time.Duration
	for i, a := range answers {
		switch a.code {
		case http.StatusOK:
			served++
		case http.StatusServiceUnavailable:
			shed++
			slowestShed = max(slowestShed, a.took)
			if a.retry != "1" {
				t.Errorf("request %d shed without Retry-After: 1 (got %q)", i, a.retry)
			}
			api := i%2 == 0
			if api && (!strings.HasPrefix(a.ctype, "application/json") || !json.Valid([]byte(a.body)) || !strings.Contains(a.body, "busy")) {
				t.Errorf("shed API request: %s %q, want a JSON error saying busy", a.ctype, a.body)
			}
			if !api && (!strings.HasPrefix(a.ctype, "text/html") || !strings.Contains(a.body, "Try again in a moment")) {
				t.Errorf("shed page request: %s %.300q, want the busy page", a.ctype, a.body)
			}
			if !api {
				checkSafeHTML(t, "busy page", a.body)
			}
		default:
			t.Errorf("request %d: status %d, want 200 or 503", i, a.code)
		}
	}
	t.Logf("burst of %d over %d slots: %d served, %d shed, slowest shed answer %v, peak searches at once %d",
		burst, slots, served, shed, slowestShed, f.peak.Load())
	// A goroutine the scheduler starts late may find a slot freed; most of
	// the burst must still be shed.
	if served < slots || shed < burst-2*slots {
		t.Errorf("served %d, shed %d; want %d served (the slots) and about %d shed", served, shed, slots, burst-slots)
	}
	if p := f.peak.Load(); p > slots {
		t.Errorf("%d searches ran at once, want at most %d", p, slots)
	}
	if slowestShed > 5*time.Second {
		t.Errorf("a shed request waited %v: shedding is not quick", slowestShed)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?q=Huawei", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("after the burst: status %d, want 200", rec.Code)
	}
}

// TestSheddingWaitsBriefly: a request that finds every slot taken gets one
// if it frees within the wait, so a short spike sheds nothing.
func TestSheddingWaitsBriefly(t *testing.T) {
	l := newLimiter(1, time.Second)
	if !l.acquire(nil) {
		t.Fatal("first acquire failed")
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		l.release()
	}()
	if !l.acquire(nil) {
		t.Fatal("acquire did not get the slot freed during its wait")
	}
	// One waiter is allowed (as many as slots); a second is shed at once.
	got := make(chan bool)
	go func() { got <- l.acquire(nil) }()
	for l.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	if l.acquire(nil) {
		t.Fatal("a second waiter got in past a full queue")
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("a request over the queue bound waited %v, want an immediate refusal", d)
	}
	l.release()
	if !<-got {
		t.Error("the queued waiter did not get the released slot")
	}
	// A client that goes away stops waiting.
	done := make(chan struct{})
	close(done)
	if l.acquire(done) {
		t.Error("acquire for a gone client succeeded with every slot taken")
	}
	if n := newLimiter(0, 0); cap(n.slots) < inFlightPerCPU {
		t.Errorf("default limiter has %d slots", cap(n.slots))
	}
}
