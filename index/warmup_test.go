package index

import (
	"testing"
	"time"
)

func released(ix *Index) bool {
	select {
	case <-ix.warm.ready:
		return true
	default:
		return false
	}
}

// TestBackgroundWaitsForFirstSearch: what Open leaves to the background
// (checksums, equivalents, word tables) starts once the first search has
// been answered, not while it runs, and then runs to its end.
func TestBackgroundWaitsForFirstSearch(t *testing.T) {
	defer func(g time.Duration) { warmupGrace = g }(warmupGrace)
	warmupGrace = time.Hour
	ix, err := Open(testIndex(t).dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if released(ix) {
		t.Fatal("background work released before any search")
	}
	if _, err := ix.Search(t.Context(), Query{Text: "华为"}); err != nil {
		t.Fatal(err)
	}
	if !released(ix) {
		t.Fatal("background work still held after the first search")
	}
	if err := ix.WaitSuggestions(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := ix.WaitVerified(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestBackgroundStartsWithoutSearch: an index nobody searches starts its
// background work after the grace, and one closed first never starts it.
func TestBackgroundStartsWithoutSearch(t *testing.T) {
	defer func(g time.Duration) { warmupGrace = g }(warmupGrace)
	warmupGrace = 10 * time.Millisecond
	ix, err := Open(testIndex(t).dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	limit := time.Minute
	if d, ok := t.Deadline(); ok {
		limit = time.Until(d) / 2
	}
	select {
	case <-ix.warm.ready:
	case <-time.After(limit):
		t.Fatalf("background work not released %v after Open, with a grace of %v", limit, warmupGrace)
	}

	warmupGrace = time.Hour
	closed, err := Open(testIndex(t).dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := closed.Close(); err != nil {
		t.Fatal(err)
	}
	if released(closed) {
		t.Error("a closed index released its background work")
	}
}
