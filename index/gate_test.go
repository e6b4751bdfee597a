package index

import (
	"context"
	"errors"
	"testing"
	"time"
)

// untilWaiting waits until n callers wait at g, within the test's budget.
func untilWaiting(t *testing.T, g *gate, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	if d, ok := t.Deadline(); ok {
		deadline = d.Add(-time.Until(d) / 2)
	}
	for g.waiting() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d waiting at the gate, want %d", g.waiting(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGateTurns: two turns at once, the others admitted in the order they
// came as turns end; a waiter whose context ends leaves the queue with its
// error and takes no turn.
func TestGateTurns(t *testing.T) {
	g := newGate(2)
	ctx := t.Context()
	for range 2 {
		if err := g.enter(ctx); err != nil {
			t.Fatal(err)
		}
	}
	admitted := make(chan int, 4)
	gone, cancel := context.WithCancel(ctx)
	quit := make(chan error, 1)
	for i := range 4 {
		if i == 2 {
			go func() { quit <- g.enter(gone) }()
		} else {
			go func() {
				if err := g.enter(ctx); err != nil {
					t.Error(err)
					return
				}
				admitted <- i
			}()
		}
		untilWaiting(t, g, i+1)
	}
	cancel()
	if err := <-quit; !errors.Is(err, context.Canceled) {
		t.Errorf("a waiter whose context ended: %v, want context.Canceled", err)
	}
	untilWaiting(t, g, 3)
	for _, want := range []int{0, 1, 3} {
		g.leave()
		if got := <-admitted; got != want {
			t.Errorf("admitted waiter %d, want %d", got, want)
		}
	}
	// 0, 1 and 3 were admitted as turns ended: the test gives back two
	// of their turns for them, so one is free and then none.
	g.leave()
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	short, stop := context.WithTimeout(ctx, time.Millisecond)
	defer stop()
	if err := g.enter(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("both turns taken: enter %v, want a deadline error", err)
	}
	if n := g.waiting(); n != 0 {
		t.Errorf("%d left waiting", n)
	}
}

// TestGateLoad: many callers, each in turn, never more than the gate's
// number at once, and every turn given back.
func TestGateLoad(t *testing.T) {
	g := newGate(3)
	mu := make(chan struct{}, 1)
	in, most := 0, 0
	done := make(chan struct{})
	for range 64 {
		go func() {
			defer func() { done <- struct{}{} }()
			if err := g.enter(t.Context()); err != nil {
				t.Error(err)
				return
			}
			mu <- struct{}{}
			in++
			most = max(most, in)
			<-mu
			time.Sleep(50 * time.Microsecond)
			mu <- struct{}{}
			in--
			<-mu
			g.leave()
		}()
	}
	for range 64 {
		<-done
	}
	if most > 3 {
		t.Errorf("%d held turns at once, want at most 3", most)
	}
	if g.free != 3 || g.waiting() != 0 {
		t.Errorf("after all left: %d free, %d waiting; want 3, 0", g.free, g.waiting())
	}
}

// TestGateCancelRace: waiters whose context ends as turns are handed on
// neither keep a turn they left nor lose one: every turn comes back.
func TestGateCancelRace(t *testing.T) {
	g := newGate(2)
	for range 500 {
		if err := g.enter(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := g.enter(t.Context()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		got := make(chan error, 1)
		go func() { got <- g.enter(ctx) }()
		untilWaiting(t, g, 1)
		go cancel()
		g.leave() // to the waiter, unless it left first
		if err := <-got; err == nil {
			g.leave() // it entered: its turn back
		}
		g.leave()
		if g.free != 2 || g.waiting() != 0 {
			t.Fatalf("after the race: %d free, %d waiting; want 2, 0", g.free, g.waiting())
		}
	}
}
