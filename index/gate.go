package index

import (
	"context"
	"runtime"
	"sync"
)

// searchGate lets as many searches compute at once as the process has
// cores; the others wait their turn in the order they came. A search is
// CPU work: eight at once on two cores shared them, so each took about
// four times as long as alone, and the costliest of a mix (tens of
// thousands of matches) finished last of all. In turn, a search waits for
// those ahead of it and then runs at full speed, which shortens the tail
// at the same throughput: at 1M passages with eight connections on two
// cores, first-time p99 went from 70–83 to 45–46 ms for zh terms and from
// 60–75 to 43–44 for en terms (entities and phrases, whose costs vary
// more between queries, gained less). Answers kept in the cache, and the
// empty query's pages once computed (browseCache), do not wait. Its size
// is the cores at start: a container's limit changed while serving leaves
// it as it was.
var searchGate = newGate(runtime.GOMAXPROCS(0))

// gate admits n holders at a time and queues the rest first come, first
// served.
type gate struct {
	mu      sync.Mutex
	free    int
	waiters []chan struct{} // in arrival order; closed when admitted
}

func newGate(n int) *gate { return &gate{free: max(n, 1)} }

// enter waits for a turn, or for ctx to end (its error). A caller that
// entered must leave.
func (g *gate) enter(ctx context.Context) error {
	g.mu.Lock()
	if g.free > 0 && len(g.waiters) == 0 {
		g.free--
		g.mu.Unlock()
		return nil
	}
	w := make(chan struct{})
	g.waiters = append(g.waiters, w)
	g.mu.Unlock()
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		for i, x := range g.waiters {
			if x == w {
				g.waiters = append(g.waiters[:i], g.waiters[i+1:]...)
				return ctx.Err()
			}
		}
		// Admitted as ctx ended: the turn passes on.
		g.handOn()
		return ctx.Err()
	}
}

// leave ends a turn: the first waiter, if any, takes it.
func (g *gate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.handOn()
}

// handOn gives a freed turn to the first waiter, or keeps it free; g.mu
// is held.
func (g *gate) handOn() {
	if len(g.waiters) == 0 {
		g.free++
		return
	}
	w := g.waiters[0]
	g.waiters[0] = nil
	g.waiters = g.waiters[1:]
	close(w)
}

// waiting is how many wait for a turn.
func (g *gate) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiters)
}
