package index

import (
	"context"
	"sync"
	"time"
)

// warmupGrace is how long after Open the background work (the checksums of
// a large generation's big files, the dictionary of translation
// equivalents, the words of busy prefixes) waits for the first search to
// finish before it starts anyway (a variable for tests).
var warmupGrace = time.Second

// warmup holds back an index's background work until its first search has
// been answered. On two cores, that work (half a second of CPU at 1M
// passages) shared the machine with the first search of a cold start, which
// waited the longer for it; it is not needed to answer: a search that needs
// the equivalents loads them itself, and verification only ever reports.
type warmup struct {
	once  sync.Once
	ready chan struct{}
	timer *time.Timer
}

// start starts the grace, once the index is open; ready was made before
// the background work that waits on it.
func (w *warmup) start() {
	w.timer = time.AfterFunc(warmupGrace, w.release)
}

// release lets the background work start; calling it again does nothing.
// The timer, which may be what calls it, is left to stop.
func (w *warmup) release() {
	w.once.Do(func() { close(w.ready) })
}

// stop stops the timer, for Close.
func (w *warmup) stop() {
	if w.timer != nil {
		w.timer.Stop()
	}
}

// wait blocks until the background work may start, and reports whether it
// should: false if ctx ended first.
func (w *warmup) wait(ctx context.Context) bool {
	select {
	case <-w.ready:
		return true
	case <-ctx.Done():
		return false
	}
}
