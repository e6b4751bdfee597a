package index

import (
	"sync"

	"github.com/corpus-dev/corpus/corpus"
)

// maxBrowsePages bounds the pages of the empty query kept per generation.
const maxBrowsePages = 256

// browseCache keeps the answers to the empty query without filters, by
// page, size and order, for one generation, which never changes. It is
// bounded in pages and in bytes (resultsSize); when either is reached it
// is emptied.
type browseCache struct {
	mu    sync.Mutex
	pages map[browseKey]*Results
	size  int64
	max   int64 // bytes; set with the result cache's budget (SetCacheBytes)
}

type browseKey struct {
	page, size int
	sort       Sort
	lang       corpus.Lang // only echoed back in Results.Query
}

// get returns a copy of the cached answer to q: the copy's fields may be
// set, its hits and facets are shared and must not be modified.
func (c *browseCache) get(q Query) (*Results, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.pages[browseKey{q.Page, q.Size, q.Sort, q.Lang}]
	if !ok {
		return nil, false
	}
	cp := *r
	return &cp, true
}

func (c *browseCache) put(q Query, r *Results) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := resultsSize(r)
	if n > c.max {
		return
	}
	k := browseKey{q.Page, q.Size, q.Sort, q.Lang}
	if c.pages == nil || len(c.pages) >= maxBrowsePages || c.size+n > c.max {
		c.pages, c.size = map[browseKey]*Results{}, 0
	}
	if old, ok := c.pages[k]; ok {
		c.size -= resultsSize(old)
	}
	c.pages[k] = r
	c.size += n
}

// setMax changes the budget, emptying the cache if it is over it.
func (c *browseCache) setMax(n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = n
	if c.size > n {
		c.pages, c.size = nil, 0
	}
}

func (c *browseCache) bytes() (held, limit int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, c.max
}
