package index

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// dbufs lend the lists of one search their memory, from pools, until
// release: a common word's first search at 1M passages made lists of
// megabytes, and the garbage collector's share of its CPU was a sixth.
type dbufs struct {
	u32 []*[]uint32
	f64 []*[]float64
}

var u32Pool, f64Pool sync.Pool

// list returns an empty list with room for n matches.
func (b *dbufs) list(n int) dlist {
	return dlist{b.uint32s(n), b.float64s(n)}
}

func (b *dbufs) uint32s(n int) []uint32 { return borrow(&u32Pool, &b.u32, n) }

func (b *dbufs) float64s(n int) []float64 { return borrow(&f64Pool, &b.f64, n) }

// borrow takes an empty slice with room for n from pool, or makes one, and
// notes it in lent.
func borrow[T any](pool *sync.Pool, lent *[]*[]T, n int) []T {
	s, _ := pool.Get().(*[]T)
	if s == nil || cap(*s) < n {
		s = new([]T)
		*s = make([]T, 0, max(n, 1024))
	}
	*lent = append(*lent, s)
	return (*s)[:0]
}

// release returns the memory lent: no list of the search may be used after.
func (b *dbufs) release() {
	for _, s := range b.u32 {
		u32Pool.Put(s)
	}
	for _, s := range b.f64 {
		f64Pool.Put(s)
	}
	b.u32, b.f64 = nil, nil
}

// directMemo keeps the documents of the leaves a search drained, for the
// counts of the language facet, which search again with each side's
// query: the same phrases, whose walk was most of a phrase search's time.
type directMemo struct {
	mu       sync.Mutex
	docs     map[string][]uint32
	size     int
	hits     int // leaves taken from it, for tests
	termHits int // of which terms
}

type directMemoKey struct{}

// memoDocs bounds a memo: the documents of four leaves of 1M matches
// (16 MB).
const memoDocs = 4 << 20

// withDirectMemo gives the passes of one search a memo.
func withDirectMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, directMemoKey{}, &directMemo{docs: map[string][]uint32{}})
}

func (m *directMemo) get(key string) ([]uint32, bool) {
	if m == nil || key == "" {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.docs[key]
	if ok {
		m.hits++
		if strings.HasPrefix(key, "term|") {
			m.termHits++
		}
	}
	return d, ok
}

// put keeps a copy of docs.
func (m *directMemo) put(key string, docs []uint32) {
	if m == nil || key == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.docs[key]; ok || m.size+len(docs) > memoDocs {
		return
	}
	m.docs[key] = slices.Clone(docs)
	m.size += len(docs)
}
