package web

import (
	"net/http"
	"runtime"
	"strings"
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

// limiter admits at most cap(slots) requests at a time and lets at most
// maxWaiting more wait up to wait for a slot.
type limiter struct {
	slots      chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
	wait       time.Duration
}

// newLimiter returns a limiter of n slots; n <= 0 means inFlightPerCPU per
// core. As many requests may wait as may run.
func newLimiter(n int, wait time.Duration) *limiter {
	if n <= 0 {
		n = inFlightPerCPU * runtime.GOMAXPROCS(0)
	}
	return &limiter{slots: make(chan struct{}, n), maxWaiting: int64(n), wait: wait}
}

// acquire takes a slot, waiting up to l.wait, and reports whether it got
// one. A caller that got one must call release.
func (l *limiter) acquire(done <-chan struct{}) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
	}
	if l.waiting.Add(1) > l.maxWaiting {
		l.waiting.Add(-1)
		return false
	}
	defer l.waiting.Add(-1)
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-done:
		return false
	}
}

func (l *limiter) release() { <-l.slots }

// shed is the middleware that applies l. Health checks and static files
// are exempt: they cost nothing, and a load balancer that saw the health
// check fail under load would take the server out when it is merely busy.
func (s *server) shed(l *limiter) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if p := req.URL.Path; p == "/healthz" || p == "/favicon.ico" || strings.HasPrefix(p, "/static/") {
				return next(c)
			}
			if !l.acquire(req.Context().Done()) {
				return s.busy(c)
			}
			defer l.release()
			return next(c)
		}
	}
}

// busy answers a shed request: 503 with Retry-After, JSON for the API and
// the error page otherwise.
func (s *server) busy(c echo.Context) error {
	const code = http.StatusServiceUnavailable
	c.Response().Header().Set(echo.HeaderRetryAfter, retryAfter)
	req := c.Request()
	if req.Method == http.MethodHead {
		return c.NoContent(code)
	}
	if isAPI(req.URL.Path) {
		return c.JSON(code, apiError{Error: "server busy: too many requests at once; retry after " + retryAfter + " s"})
	}
	p := s.newPage(c, "", "")
	p.Title = p.T("error.busy.title")
	p.Query = displayable(c.QueryParam("q"))
	return c.Render(code, "error.html", errorData{page: p, Code: code, Heading: p.Title, Message: p.T("error.busy.text"), Action: "/search"})
}
