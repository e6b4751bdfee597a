package web

import (
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// Overload shedding. A search is CPU work of a few milliseconds; past a
// handful per core, more concurrent requests only make every answer slower
// and hold more memory. So the site admits a bounded number at a time, lets
// a bounded number wait briefly for a slot, and answers the rest at once
// with 503 and Retry-After: a burst costs some clients a retry instead of
// costing every client an unbounded queue.
const (
	// inFlightPerCPU is the default number of requests served at once per
	// core (GOMAXPROCS): enough to cover I/O and scheduling gaps.
	inFlightPerCPU = 4
	// shedWait is how long a request waits for a slot before it is shed:
	// long enough to ride out a short spike, short enough that a shed
	// client hears so quickly.
	shedWait = 100 * time.Millisecond
	// retryAfter is the Retry-After of a shed request, in seconds.
	retryAfter = "1"
)

// limiter admits at most slots requests at a time and lets at most
// maxWaiting more wait up to wait for a slot, in the order they came. A
// freed slot passes straight to the first waiter, which stops counting as
// waiting then, not when it next runs: with the index's searches queued on
// the cores, a woken waiter could wait milliseconds for one, and requests
// arriving meanwhile found the waiting room full and were shed (1,800 503s
// in 3 s of 16 connections on the essay, against none).
type limiter struct {
	mu    sync.Mutex
	slots int // the most held at once
	held  int
	queue []chan struct{} // waiters, first first; closed when given a slot
	// resumers wait to go on with an answer they were admitted for (an
	// export's next rows, resume): they come before the queue and do not
	// count against maxWaiting, waiting or saturated.
	resumers   []chan struct{}
	maxWaiting int
	wait       time.Duration
	shed       atomic.Int64 // requests refused so far
	lastShed   atomic.Int64 // when the last was, in Unix nanoseconds
}

// refused counts a shed request.
func (l *limiter) refused() {
	l.shed.Add(1)
	l.lastShed.Store(time.Now().UnixNano())
}

// newLimiter returns a limiter of n slots; n <= 0 means inFlightPerCPU per
// core. As many requests may wait as may run.
func newLimiter(n int, wait time.Duration) *limiter {
	if n <= 0 {
		n = inFlightPerCPU * runtime.GOMAXPROCS(0)
	}
	return &limiter{slots: n, maxWaiting: n, wait: wait}
}

// acquire takes a slot, waiting up to l.wait, and reports whether it got
// one. A caller that got one must call release.
func (l *limiter) acquire(done <-chan struct{}) bool {
	w, ok := l.enqueue(true)
	if w == nil { // a slot, or a full waiting room
		if !ok {
			l.refused()
		}
		return ok
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case <-w:
		return true
	case <-t.C:
		if l.withdraw(w) {
			l.refused()
			return false
		}
		return true // given a slot as the wait ended
	case <-done:
		if !l.withdraw(w) {
			l.release()
		}
		return false
	}
}

// resume takes a slot for a request that already had one and gave it up
// while writing (see slotWriter): it waits for a slot as long as the client
// is there, as the request was admitted once and is not shed half-way.
func (l *limiter) resume(done <-chan struct{}) bool {
	w, _ := l.enqueue(false)
	if w == nil {
		return true
	}
	select {
	case <-w:
		return true
	case <-done:
		if !l.withdraw(w) {
			l.release()
		}
		return false
	}
}

// enqueue takes a free slot (nil, true), or returns the channel a slot
// will come by: a new request's (admitted) in the queue, nil and false
// when the waiting room is full; a resumer's among the resumers.
func (l *limiter) enqueue(admitted bool) (chan struct{}, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held < l.slots && len(l.queue) == 0 && len(l.resumers) == 0 {
		l.held++
		return nil, true
	}
	w := make(chan struct{})
	if !admitted {
		l.resumers = append(l.resumers, w)
		return w, true
	}
	if len(l.queue) >= l.maxWaiting {
		return nil, false
	}
	l.queue = append(l.queue, w)
	return w, true
}

// withdraw takes waiter w out of its queue and reports whether it was
// still there: false means it was given a slot, which it now holds.
func (l *limiter) withdraw(w chan struct{}) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, q := range []*[]chan struct{}{&l.resumers, &l.queue} {
		for i, x := range *q {
			if x == w {
				*q = append((*q)[:i], (*q)[i+1:]...)
				return true
			}
		}
	}
	return false
}

// release gives up a slot: to the first resumer, else the first waiter,
// if any.
func (l *limiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := &l.resumers
	if len(*q) == 0 {
		q = &l.queue
	}
	if len(*q) == 0 {
		l.held--
		return
	}
	w := (*q)[0]
	(*q)[0] = nil
	*q = (*q)[1:]
	close(w)
}

// inUse is how many slots are taken.
func (l *limiter) inUse() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held
}

// waiting is how many requests wait for a slot.
func (l *limiter) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

// saturated reports whether every slot is taken and requests wait for one:
// a new request would wait or be shed.
func (l *limiter) saturated() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held == l.slots && len(l.queue) > 0
}

// shed is the middleware that applies l. Health checks and static files
// are exempt: they cost nothing, and a load balancer that saw the health
// check fail under load would take the server out when it is merely busy.
func (s *server) shed(l *limiter) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if exempt(req.URL.Path) {
				return next(c)
			}
			done := req.Context().Done()
			if !l.acquire(done) {
				return s.busy(c)
			}
			res := c.Response()
			sw := &slotWriter{w: res.Writer, l: l, held: true, since: time.Now(), done: done}
			res.Writer = sw
			defer func() {
				// Give up the slot before the last bytes go out. An export
				// broken on purpose (panic) also sends what it wrote, and
				// net/http then breaks the connection, as without a buffer.
				sw.release()
				s.metrics.observeSearch(c, sw.total)
				res.Writer = sw.w
				sw.flush()
			}()
			return next(c)
		}
	}
}

// flushAt is how many bytes of an answer are kept before they are written
// to the client. A page is rendered whole and written at once; an export
// writes row by row, and is paused every flushAt bytes to send them.
const flushAt = 64 << 10

// errGone is a write for a client that went away while waiting for a slot.
var errGone = errors.New("client went away while the answer waited for a search slot")

// slotWriter keeps a request from holding a search slot while its answer
// goes out. Bytes are kept in a buffer while the handler holds a slot; when
// there are flushAt of them, or the handler is done, the slot is given up
// and only then are the bytes written, so a client that reads slowly (or
// not at all) keeps its connection busy, not the searches of others. A
// handler that writes again after that (an export's next rows) waits for a
// slot first: at most one row's work is done outside a slot.
type slotWriter struct {
	w     http.ResponseWriter
	l     *limiter
	done  <-chan struct{}
	held  bool
	since time.Time     // when the slot held was taken
	total time.Duration // how long slots were held, the current one aside
	buf   []byte
	err   error // a write to the client that failed
}

func (sw *slotWriter) Header() http.Header         { return sw.w.Header() }
func (sw *slotWriter) WriteHeader(code int)        { sw.w.WriteHeader(code) }
func (sw *slotWriter) Unwrap() http.ResponseWriter { return sw.w }

func (sw *slotWriter) Write(p []byte) (int, error) {
	if sw.err != nil {
		return 0, sw.err
	}
	if !sw.held {
		if !sw.l.resume(sw.done) {
			sw.err = errGone
			return 0, sw.err
		}
		sw.held, sw.since = true, time.Now()
	}
	if len(sw.buf)+len(p) < flushAt {
		sw.buf = append(sw.buf, p...)
		return len(p), nil
	}
	sw.release()
	if err := sw.flush(); err != nil {
		return 0, err
	}
	if _, err := sw.w.Write(p); err != nil {
		sw.err = err
		return 0, err
	}
	return len(p), nil
}

// Flush sends what is buffered to the client, without a slot.
func (sw *slotWriter) Flush() {
	sw.release()
	if sw.flush() == nil {
		_ = http.NewResponseController(sw.w).Flush()
	}
}

// release gives up the slot if the writer holds it.
func (sw *slotWriter) release() {
	if sw.held {
		sw.held = false
		sw.total += time.Since(sw.since)
		sw.l.release()
	}
}

// flush writes the buffered bytes to the client.
func (sw *slotWriter) flush() error {
	if sw.err != nil || len(sw.buf) == 0 {
		return sw.err
	}
	_, err := sw.w.Write(sw.buf)
	sw.buf = sw.buf[:0]
	sw.err = err
	return err
}

// writeStall is how long one write to a client may make no progress before
// the connection is cut, when Config.WriteStall is 0. There is no bound on
// the whole answer: a client that reads steadily, however slowly, gets all
// of it; one that stops reading is cut after writeStall.
const writeStall = 10 * time.Second

// stallChunk is the most written under one deadline. A blocked write
// resumes only when the kernel has room again, which depends on how much
// it queues: with an autotuned send buffer of megabytes, only after the
// client has read half of it. `corpus serve` keeps at most 128 KiB unsent
// (TCP_NOTSENT_LOWAT), so a client must read about 64 KiB within the
// stall time: 6.4 KB/s with the defaults.
const stallChunk = 32 << 10

// stallWriter writes to the client in chunks of stallChunk, each under a
// fresh write deadline of stall.
type stallWriter struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
}

func (sw *stallWriter) Header() http.Header         { return sw.w.Header() }
func (sw *stallWriter) WriteHeader(code int)        { sw.w.WriteHeader(code) }
func (sw *stallWriter) Unwrap() http.ResponseWriter { return sw.w }

func (sw *stallWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), stallChunk)
		sw.deadline()
		m, err := sw.w.Write(p[:k])
		n += m
		if err != nil {
			return n, err
		}
		p = p[k:]
	}
	return n, nil
}

func (sw *stallWriter) Flush() {
	sw.deadline()
	_ = sw.rc.Flush()
}

// deadline gives the next write stall to make progress. A writer that
// cannot take deadlines (a test's recorder) is written to without one.
func (sw *stallWriter) deadline() {
	_ = sw.rc.SetWriteDeadline(time.Now().Add(sw.stall))
}

// stalls is the middleware that applies per-write deadlines to every answer.
// It also lifts the read deadline of the request (no route reads a body): a
// read deadline that passes while a long answer is being written would make
// net/http cancel the request's context.
func stalls(stall time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			res := c.Response()
			orig := res.Writer
			sw := &stallWriter{w: orig, rc: http.NewResponseController(orig), stall: stall}
			_ = sw.rc.SetReadDeadline(time.Time{})
			sw.deadline()
			res.Writer = sw
			defer func() {
				// net/http writes what it buffered after the handler
				// returns: give that a fresh stall too.
				sw.deadline()
				res.Writer = orig
			}()
			return next(c)
		}
	}
}

// exempt reports whether path is served without a slot: health checks,
// metrics and files.
func exempt(path string) bool {
	switch path {
	case "/healthz", "/livez", "/readyz", "/metrics", "/favicon.ico":
		return true
	}
	return strings.HasPrefix(path, "/static/")
}

// busy answers a shed request: 503 with Retry-After, JSON for the API and
// the error page otherwise.
func (s *server) busy(c echo.Context) error {
	const code = http.StatusServiceUnavailable
	c.Response().Header().Set(echo.HeaderRetryAfter, retryAfter)
	req := c.Request()
	if isAPI(req.URL.Path) {
		return c.JSON(code, apiError{Error: "server busy: too many requests at once; retry after " + retryAfter + " s"})
	}
	p := s.newPage(c, "", "")
	p.Title = p.T("error.busy.title")
	p.Query = displayable(c.QueryParam("q"))
	return c.Render(code, "error.html", errorData{page: p, Code: code, Heading: p.Title, Message: p.T("error.busy.text"), Action: "/search"})
}
