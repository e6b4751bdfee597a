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
// waited the longer for it; it is not needed to answer: an English search
// that needs the equivalents' English index sorts it itself, and
// verification only ever reports.
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

// prefetch reads what a first search needs besides its own work, the
// facet columns an unfiltered search counts and the dictionary its
// highlights mark equivalents from, each on its own goroutine as Open
// returns: the segmenter's dictionary has loaded by then and the cores are
// free while the server starts, so the first search finds them read or
// nearly, instead of reading them one after the other itself (a third of
// a 1M cold start). Their errors are reported where they are used.
func (ix *Index) prefetch() {
	// Only a table read from its file: tableReady would start reading
	// the columns from the postings otherwise.
	if ix.tableErr == nil {
		if t := ix.tableReady(); t != nil {
			for _, f := range facetFields {
				go t.column(f) //nolint:errcheck
			}
		}
	}
	go cedict() //nolint:errcheck
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
