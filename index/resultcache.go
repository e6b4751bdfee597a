package index

import (
	"container/list"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultCacheBytes is how much memory each open generation may spend on
// answers it keeps (see resultCache).
const DefaultCacheBytes = 64 << 20

// resultCache keeps the most recently used answers of one generation. A
// generation never changes, so an answer stays right for as long as it is
// open: nothing to invalidate. Readers of a corpus ask the same things
// again (a class given the same exercise, a facet clicked and unclicked,
// the next page and back), and on a large corpus a word in a tenth of the
// passages costs tens of milliseconds to count and rank, against
// microseconds to answer again.
//
// Identical searches that arrive while one is running wait for it instead
// of running again: under a burst of the same query the work is done once.
//
// An answer depends on the generation and on the segmenter's words, which
// opening another generation may add to (its gazetteer's Chinese names):
// a query's words could then be cut differently than when its answer was
// kept. Only names new to the process do that, and only while an old
// generation is still open next to the new one.
type resultCache struct {
	mu      sync.Mutex
	max     int64 // bytes; 0 disables
	size    int64
	lru     *list.List // of *cacheEntry, most recent first
	entries map[string]*list.Element
	running map[string]*flight
	waiting int // callers waiting for a running search (tests watch it)
}

type cacheEntry struct {
	key  string
	r    *Results
	size int64
}

type flight struct {
	done chan struct{}
	r    *Results
	err  error
}

func newResultCache(max int64) *resultCache {
	return &resultCache{max: max, lru: list.New(), entries: map[string]*list.Element{}, running: map[string]*flight{}}
}

// setMax changes the budget, evicting what no longer fits.
func (c *resultCache) setMax(max int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
	c.evictLocked()
}

// do returns the cached answer for key, or the answer of a running search
// for key, or runs search and keeps its answer. The answer is shared: the
// caller must copy it before changing any field (Results.Took included).
// Errors are not kept; a waiter whose leader failed runs the search itself,
// since the failure may be the leader's own (its request was cancelled).
func (c *resultCache) do(ctx context.Context, key string, search func() (*Results, error)) (*Results, bool, error) {
	c.mu.Lock()
	if c.max <= 0 {
		c.mu.Unlock()
		r, err := search()
		return r, false, err
	}
	if e, ok := c.entries[key]; ok {
		c.lru.MoveToFront(e)
		r := e.Value.(*cacheEntry).r
		c.mu.Unlock()
		return r, true, nil
	}
	if f, ok := c.running[key]; ok {
		c.waiting++
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			c.waiting--
			c.mu.Unlock()
		}()
		select {
		case <-f.done:
			if f.err == nil {
				return f.r, true, nil
			}
			r, err := search()
			return r, false, err
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
	f := &flight{done: make(chan struct{})}
	c.running[key] = f
	c.mu.Unlock()
	// Waiters must be released even if search panics, or every later
	// identical search would wait for a leader that is gone.
	finished := false
	defer func() {
		if !finished {
			f.err = errors.New("search failed")
		}
		c.mu.Lock()
		delete(c.running, key)
		if f.err == nil {
			c.addLocked(key, f.r)
		}
		c.mu.Unlock()
		close(f.done)
	}()
	f.r, f.err = search()
	finished = true
	if f.err == nil && f.r != nil && c.keeps(key, f.r) {
		// search may have shared its answer (the browse cache keeps
		// pages): the number goes on the cache's own copy.
		cp := *f.r
		cp.Answer = answers.Add(1)
		f.r = &cp
	}
	return f.r, false, f.err
}

// answers numbers the answers kept, in every generation of the process
// (Results.Answer).
var answers atomic.Uint64

// keeps reports whether an answer of key is small enough to be kept.
func (c *resultCache) keeps(key string, r *Results) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fits(key, r)
}

// fits is keeps, with c.mu held.
func (c *resultCache) fits(key string, r *Results) bool {
	return resultsSize(r)+int64(len(key)) <= c.max/8
}

func (c *resultCache) addLocked(key string, r *Results) {
	// One huge answer (an export page of 100 long passages) must not
	// flush everything else.
	if !c.fits(key, r) {
		return
	}
	size := resultsSize(r) + int64(len(key))
	if e, ok := c.entries[key]; ok {
		c.lru.MoveToFront(e)
		return
	}
	c.entries[key] = c.lru.PushFront(&cacheEntry{key: key, r: r, size: size})
	c.size += size
	c.evictLocked()
}

func (c *resultCache) evictLocked() {
	for c.size > c.max && c.lru.Len() > 0 {
		e := c.lru.Back()
		ce := e.Value.(*cacheEntry)
		c.lru.Remove(e)
		delete(c.entries, ce.key)
		c.size -= ce.size
	}
}

// bytes returns the bytes held and the budget.
func (c *resultCache) bytes() (held, limit int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, c.max
}

// len reports how many answers are kept.
func (c *resultCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// resultsSize estimates the memory r holds: its strings and a fixed cost
// per value for headers and pointers. An estimate is enough to bound the
// cache; it errs on the large side.
func resultsSize(r *Results) int64 {
	const word = 16
	n := int64(256 + len(r.Query.Text))
	for _, t := range r.Terms {
		n += word + int64(len(t))
	}
	for _, h := range r.Hits {
		p := &h.Passage
		n += 512 + int64(len(p.ID)+len(p.Doc)+len(p.Section)+len(p.Text.EN)+len(p.Text.ZH))
		for _, ss := range [][]string{p.Companies, p.Speakers, p.Entities} {
			for _, s := range ss {
				n += word + int64(len(s))
			}
		}
		n += int64(len(p.Years)) * 8
		for _, c := range p.Corrections {
			n += 256 + int64(len(c.Why))
		}
		for _, spans := range h.Matches {
			n += word + int64(len(spans))*16
		}
		for _, fs := range h.Highlights {
			for _, f := range fs {
				n += word + int64(len(f))
			}
		}
	}
	for _, fvs := range [][]FacetValue{r.Facets.Company, r.Facets.Speaker, r.Facets.Year, r.Facets.Section, r.Facets.Lang, r.Facets.Doc} {
		for _, v := range fvs {
			n += 48 + int64(len(v.Value)+len(v.LabelZH))
		}
	}
	return n
}

// cacheKey is a normalised query as a string: two queries with the same
// key have the same answer. Runs of spaces in the text count as one and
// filter values are sorted, since neither changes the answer.
func cacheKey(q Query) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Quote(s))
		b.WriteByte(' ')
	}
	list := func(vs []string) {
		vs = slices.Clone(vs)
		slices.Sort(vs)
		b.WriteByte('[')
		for _, v := range vs {
			field(v)
		}
		b.WriteString("] ")
	}
	ints := func(vs ...int) {
		for _, v := range vs {
			b.WriteString(strconv.Itoa(v))
			b.WriteByte(' ')
		}
	}
	field(strings.Join(strings.Fields(q.Text), " "))
	field(string(q.Lang))
	field(strconv.FormatBool(q.Expand))
	list(q.Companies)
	list(q.Speakers)
	field(strconv.FormatBool(q.CompaniesAll) + strconv.FormatBool(q.SpeakersAll))
	years := slices.Clone(q.Years)
	slices.Sort(years)
	b.WriteByte('[')
	ints(years...)
	b.WriteString("] ")
	ints(q.YearFrom, q.YearTo)
	sections := make([]string, len(q.Sections))
	for i, s := range q.Sections {
		sections[i] = string(s)
	}
	list(sections)
	field(q.Doc)
	field(string(q.Sort))
	ints(q.Page, q.Size)
	return b.String()
}
