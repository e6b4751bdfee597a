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

// slowSearcher is the fake index whose searches wait until gate is
// closed, recording how many searches ran at once.
type slowSearcher struct {
	*fakeSearcher
	gate          chan struct{}
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
	case <-s.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.fakeSearcher.Search(ctx, q)
}

// waitFor polls cond until it holds, failing the test at its deadline.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ctx := budget(t)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// TestShedding: with every slot held until the shed requests have their
// answers, a burst gets exactly MaxInFlight requests served and the rest a
// quick 503 with Retry-After, in JSON for the API and as a page otherwise;
// health checks and static files still answer; afterwards requests are
// served again.
func TestShedding(t *testing.T) {
	const slots, burst = 4, 64
	f := &slowSearcher{fakeSearcher: newFake(), gate: make(chan struct{})}
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
	var answered atomic.Int64
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
			answered.Add(1)
		})
	}
	// The searches hold every slot until all the others are answered.
	waitFor(t, "every slot taken", func() bool { return f.running.Load() == slots })
	waitFor(t, "the rest of the burst answered", func() bool { return answered.Load() == burst-slots })
	// While the burst holds every slot, the exempt routes still answer.
	for _, target := range []string{"/healthz", "/static/app.css"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s during the burst: status %d, want 200 (exempt from shedding)", target, rec.Code)
		}
	}
	close(f.gate)
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
	if served != slots || shed != burst-slots {
		t.Errorf("served %d, shed %d; want %d served (the slots) and %d shed", served, shed, slots, burst-slots)
	}
	if p := f.peak.Load(); p > slots {
		t.Errorf("%d searches ran at once, want at most %d", p, slots)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?q=Huawei", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("after the burst: status %d, want 200", rec.Code)
	}
}

// TestSlotPassesAtRelease: a slot given up passes to the first waiter at
// once, which leaves the waiting room then, before it runs again: a request
// arriving meanwhile finds its place free and waits instead of being shed.
func TestSlotPassesAtRelease(t *testing.T) {
	l := newLimiter(1, time.Hour)
	if !l.acquire(nil) {
		t.Fatal("first acquire failed")
	}
	first := make(chan bool, 1)
	go func() { first <- l.acquire(nil) }()
	waitFor(t, "a waiter", func() bool { return l.waiting() == 1 })
	l.release()
	if n, held := l.waiting(), l.inUse(); n != 0 || held != 1 {
		t.Errorf("right after a release to a waiter: %d waiting, %d held; want 0, 1", n, held)
	}
	next := make(chan bool, 1)
	go func() { next <- l.acquire(nil) }()
	waitFor(t, "the next waiter", func() bool { return l.waiting() == 1 })
	if !<-first {
		t.Fatal("the first waiter did not get the slot")
	}
	l.release()
	if !<-next {
		t.Fatal("the next waiter did not get the slot")
	}
	l.release()
	if n, held := l.waiting(), l.inUse(); n != 0 || held != 0 {
		t.Errorf("all released: %d waiting, %d held; want 0, 0", n, held)
	}
}

// TestSlotToWithdrawnWaiter: a waiter given a slot as it withdraws (its
// wait over, its client gone) holds the slot; one withdrawn first takes
// none. And a resumer goes before the waiting room, without counting in it.
func TestSlotToWithdrawnWaiter(t *testing.T) {
	l := newLimiter(1, time.Hour)
	if !l.acquire(nil) {
		t.Fatal("first acquire failed")
	}
	w, _ := l.enqueue(true)
	l.release()
	if l.withdraw(w) {
		t.Fatal("a waiter given the slot was still in the queue")
	}
	if held := l.inUse(); held != 1 {
		t.Fatalf("the slot given to the withdrawing waiter: %d held, want 1", held)
	}
	w, _ = l.enqueue(true)
	if !l.withdraw(w) {
		t.Fatal("a waiter not given a slot was not in the queue")
	}
	r, _ := l.enqueue(false)
	q, _ := l.enqueue(true)
	if n := l.waiting(); n != 1 {
		t.Errorf("a resumer and a waiter: %d waiting, want 1 (resumers do not count)", n)
	}
	l.release()
	select {
	case <-r:
	default:
		t.Fatal("the slot released went past the resumer")
	}
	l.release()
	select {
	case <-q:
	default:
		t.Fatal("the next slot did not go to the waiter")
	}
	l.release()
	if n, held := l.waiting(), l.inUse(); n != 0 || held != 0 {
		t.Errorf("all released: %d waiting, %d held; want 0, 0", n, held)
	}
}

// TestSheddingWaitsBriefly: a request that finds every slot taken gets one
// if it frees within the wait, so a short spike sheds nothing.
func TestSheddingWaitsBriefly(t *testing.T) {
	// The wait is long (an hour) so that only a release can end it.
	l := newLimiter(1, time.Hour)
	if !l.acquire(nil) {
		t.Fatal("first acquire failed")
	}
	first := make(chan bool)
	go func() { first <- l.acquire(nil) }()
	waitFor(t, "a waiter", func() bool { return l.waiting() == 1 })
	l.release()
	if !<-first {
		t.Fatal("acquire did not get the slot freed during its wait")
	}
	// One waiter is allowed (as many as slots); a second is shed at once
	// (it would otherwise wait the hour).
	got := make(chan bool)
	go func() { got <- l.acquire(nil) }()
	waitFor(t, "a waiter", func() bool { return l.waiting() == 1 })
	if l.acquire(nil) {
		t.Fatal("a second waiter got in past a full queue")
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
	if n := newLimiter(0, 0); n.slots < inFlightPerCPU {
		t.Errorf("default limiter has %d slots", n.slots)
	}
}
