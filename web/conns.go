package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ConnLimiter caps the connections a server holds, so that idle or slow
// clients cannot take every file descriptor and lock out new clients (and
// the health checks that tell a load balancer the server is alive). Past
// Max−Headroom connections, each new one closes the connection that has
// been idle (a keep-alive between requests) the longest; at Max, with none
// idle, a new connection is answered 503 with Retry-After and closed.
//
// Use Listener on the server's listener and ConnState as the
// http.Server's ConnState hook; Wait waits for the connections to go.
type ConnLimiter struct {
	max, headroom int

	mu    sync.Mutex
	conns map[net.Conn]*connEntry
	idle  int
	gone  chan struct{} // closed and replaced when a connection goes

	accepted, idleShed, refused atomic.Int64
}

type connEntry struct {
	state http.ConnState
	since time.Time // of the state
}

// NewConnLimiter returns a limiter of max connections (at least 16), of
// which an eighth (at least 4) is headroom kept for new clients.
func NewConnLimiter(n int) *ConnLimiter {
	n = max(n, 16)
	return &ConnLimiter{max: n, headroom: max(n/8, 4), conns: map[net.Conn]*connEntry{}, gone: make(chan struct{})}
}

// Max is the connection cap.
func (l *ConnLimiter) Max() int { return l.max }

// busyResponse is what a connection over the cap gets before it is closed.
const busyResponse = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n" +
	"Retry-After: 1\r\nConnection: close\r\nContent-Length: 48\r\n\r\n" +
	"server busy: too many connections; retry soon.\n"

// Listener returns ln with the cap applied to what it accepts.
func (l *ConnLimiter) Listener(ln net.Listener) net.Listener { return &limitedListener{ln, l} }

type limitedListener struct {
	net.Listener
	l *ConnLimiter
}

func (ll *limitedListener) Accept() (net.Conn, error) {
	for {
		c, err := ll.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if ll.l.admit(c) {
			return c, nil
		}
		ll.l.refused.Add(1)
		_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, _ = c.Write([]byte(busyResponse))
		_ = c.Close()
	}
}

// admit counts c in, closing the longest idle connection first when past
// the headroom; false if c is over the cap.
func (l *ConnLimiter) admit(c net.Conn) bool {
	l.mu.Lock()
	n := len(l.conns)
	var victim net.Conn
	if n >= l.max-l.headroom && l.idle > 0 {
		var oldest time.Time
		for vc, e := range l.conns {
			if e.state == http.StateIdle && (victim == nil || e.since.Before(oldest)) {
				victim, oldest = vc, e.since
			}
		}
		// Counted as gone now: its ConnState(StateClosed) comes later.
		delete(l.conns, victim)
		l.idle--
		n--
	}
	ok := n < l.max
	if ok {
		l.conns[c] = &connEntry{state: http.StateNew, since: time.Now()}
		l.accepted.Add(1)
	}
	l.mu.Unlock()
	if victim != nil {
		l.idleShed.Add(1)
		_ = victim.Close()
	}
	return ok
}

// ConnState is the http.Server's ConnState hook.
func (l *ConnLimiter) ConnState(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.conns[c]
	if !ok {
		return // shed while idle, or not from Listener
	}
	if e.state == http.StateIdle {
		l.idle--
	}
	switch s {
	case http.StateClosed, http.StateHijacked:
		delete(l.conns, c)
		close(l.gone)
		l.gone = make(chan struct{})
		return
	case http.StateIdle:
		l.idle++
	}
	e.state, e.since = s, time.Now()
}

// ConnStats are the figures of a ConnLimiter.
type ConnStats struct {
	Open, Idle, Max             int
	Accepted, IdleShed, Refused int64
}

// Stats returns the limiter's figures.
func (l *ConnLimiter) Stats() ConnStats {
	l.mu.Lock()
	open, idle := len(l.conns), l.idle
	l.mu.Unlock()
	return ConnStats{Open: open, Idle: idle, Max: l.max, Accepted: l.accepted.Load(), IdleShed: l.idleShed.Load(), Refused: l.refused.Load()}
}

// Wait waits until every connection has gone, or ctx is done.
func (l *ConnLimiter) Wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		n, gone := len(l.conns), l.gone
		l.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-gone:
		case <-ctx.Done():
			return errors.Join(ctx.Err(), errors.New("connections still open"))
		}
	}
}
