package index

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// fresh answers q as the first search of a generation does, with nothing
// kept from earlier searches.
func fresh(t testing.TB, ix *Index, q Query) *Results {
	t.Helper()
	ix.SetCacheBytes(0)
	defer ix.SetCacheBytes(DefaultCacheBytes)
	ix.browse.mu.Lock()
	clear(ix.browse.pages)
	ix.browse.mu.Unlock()
	return find(t, ix, q)
}

func TestCacheKey(t *testing.T) {
	base := Query{Text: "华为", Companies: []string{"Huawei", "ByteDance"}, Years: []int{2020, 2019}, Sections: []corpus.Section{corpus.SectionBody, corpus.SectionTitle}, Page: 1, Size: 10, Sort: SortRelevance}
	same := base
	same.Companies = []string{"ByteDance", "Huawei"}
	same.Years = []int{2019, 2020}
	same.Sections = []corpus.Section{corpus.SectionTitle, corpus.SectionBody}
	same.Text = " 华为\t "
	if cacheKey(base) != cacheKey(same) {
		t.Errorf("filter order changes the key:\n%s\n%s", cacheKey(base), cacheKey(same))
	}
	if cacheKey(Query{Text: "华为 美国"}) == cacheKey(Query{Text: "华为美国"}) {
		t.Error("a space between two words does not change the key")
	}
	if base.Companies[0] != "Huawei" {
		t.Error("cacheKey sorted the caller's filter values")
	}
	for name, change := range map[string]func(*Query){
		"text":      func(q *Query) { q.Text = "华为 美国" },
		"lang":      func(q *Query) { q.Lang = corpus.Chinese },
		"company":   func(q *Query) { q.Companies = []string{"Huawei"} },
		"company2":  func(q *Query) { q.Companies = []string{"Huawei ByteDance"} },
		"speaker":   func(q *Query) { q.Speakers = []string{"Huawei", "ByteDance"} },
		"and":       func(q *Query) { q.CompaniesAll = true },
		"and2":      func(q *Query) { q.SpeakersAll = true },
		"year":      func(q *Query) { q.Years = []int{2019} },
		"year from": func(q *Query) { q.YearFrom = 2019 },
		"year to":   func(q *Query) { q.YearTo = 2019 },
		"section":   func(q *Query) { q.Sections = nil },
		"doc":       func(q *Query) { q.Doc = "x" },
		"sort":      func(q *Query) { q.Sort = SortPosition },
		"page":      func(q *Query) { q.Page = 2 },
		"size":      func(q *Query) { q.Size = 11 },
		"quote":     func(q *Query) { q.Text = `华为" "` },
	} {
		q := base
		change(&q)
		if cacheKey(q) == cacheKey(base) {
			t.Errorf("%s: a different query has the same key %s", name, cacheKey(q))
		}
	}
}

// TestCachedAnswersAreFresh: an answer given again from the cache is the
// one a fresh search gives, and a caller changing its copy changes nothing
// for the next caller.
func TestCachedAnswersAreFresh(t *testing.T) {
	ix := benchIndex(t, 2)
	queries := []Query{
		{Text: "华为"},
		{Text: "Huawei", Companies: []string{"ByteDance"}},
		{Text: `"iron curtain"`, Lang: corpus.English},
		{Text: "美国", Sort: SortYear},
		{Speakers: []string{"Ren Zhengfei"}, Page: 2, Size: 3},
		{},
	}
	var want []*Results
	for _, q := range queries {
		want = append(want, fresh(t, ix, q))
	}
	for i, q := range queries {
		first := find(t, ix, q)
		first.Total = -1
		first.Hits = nil
		second := find(t, ix, q)
		if second.Answer == 0 || second.Answer != first.Answer {
			t.Errorf("Search(%+v): kept answers numbered %d and %d", q, first.Answer, second.Answer)
		}
		want[i].Took, second.Took = 0, 0
		want[i].Answer, second.Answer = 0, 0
		if diff := cmp.Diff(want[i], second); diff != "" {
			t.Errorf("Search(%+v) from the cache differs from a fresh search (-fresh +cached):\n%s", q, diff)
		}
	}
	// The empty query is kept by the browse cache instead.
	if n := ix.results.len(); n < len(queries)-1 {
		t.Errorf("%d answers kept after %d queries", n, len(queries))
	}
}

// TestAnswerNumbers: each kept answer has its own number, in every
// generation of the process; an answer not kept has none.
func TestAnswerNumbers(t *testing.T) {
	a, b := benchIndex(t, 2), benchIndex(t, 3)
	seen := map[uint64]string{}
	for _, ix := range []*Index{a, b} {
		for _, text := range []string{"华为", "Huawei", "美国"} {
			r := find(t, ix, Query{Text: text})
			if again := find(t, ix, Query{Text: "  " + text + " "}); again.Answer != r.Answer {
				t.Errorf("%q: the kept answer numbered %d, then %d", text, r.Answer, again.Answer)
			}
			key := fmt.Sprintf("%p %s", ix, text)
			if other, ok := seen[r.Answer]; ok || r.Answer == 0 {
				t.Errorf("%s: answer %d (also %q)", key, r.Answer, other)
			}
			seen[r.Answer] = key
		}
	}
	// a is shared with other tests: its budget comes back.
	_, limit := a.results.bytes()
	a.SetCacheBytes(0)
	defer a.SetCacheBytes(limit)
	if r := find(t, a, Query{Text: "字节跳动"}); r.Answer != 0 {
		t.Errorf("an answer not kept is numbered %d", r.Answer)
	}
}

func TestResultCacheKeepsAndEvicts(t *testing.T) {
	r := func(text string) *Results {
		return &Results{Query: Query{Text: text}, Hits: []Hit{{Passage: corpus.Passage{ID: text}}}}
	}
	one := resultsSize(r("k0")) + 2
	c := newResultCache(8 * one) // room for eight, each at most max/8
	calls := 0
	get := func(key string) bool {
		_, hit, err := c.do(t.Context(), key, func() (*Results, error) { calls++; return r(key), nil })
		if err != nil {
			t.Fatal(err)
		}
		return hit
	}
	for i := range 8 {
		if get(fmt.Sprint("k", i)) {
			t.Fatalf("k%d: a hit before it was asked", i)
		}
	}
	for _, step := range []struct {
		key string
		hit bool
	}{
		{"k0", true},  // k0 is now the most recent
		{"k8", false}, // evicts k1, the least recent
		{"k1", false}, // evicts k2
		{"k0", true},
		{"k3", true},
		{"k2", false},
	} {
		if got := get(step.key); got != step.hit {
			t.Fatalf("%s: hit %v, want %v", step.key, got, step.hit)
		}
	}
	if c.size > c.max || c.len() != 8 {
		t.Errorf("%d answers, %d bytes kept, budget %d", c.len(), c.size, c.max)
	}

	c.setMax(0)
	if c.len() != 0 {
		t.Errorf("%d answers kept after disabling", c.len())
	}
	before := calls
	get("a")
	get("a")
	if calls != before+2 {
		t.Errorf("disabled cache answered from memory")
	}

	big := newResultCache(one * 4) // one answer is over max/8
	big.do(t.Context(), "a", func() (*Results, error) { return r("a"), nil })
	if big.len() != 0 {
		t.Errorf("an answer over an eighth of the budget was kept")
	}
}

// TestResultCacheRunsOnce: identical searches arriving together run once;
// a failed one is not kept, and its waiters run the search themselves.
func TestResultCacheRunsOnce(t *testing.T) {
	c := newResultCache(DefaultCacheBytes)
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			r, _, err := c.do(t.Context(), "q", func() (*Results, error) {
				calls.Add(1)
				<-release
				return &Results{Total: 7}, nil
			})
			if err != nil || r.Total != 7 {
				t.Errorf("do = %v, %v", r, err)
			}
		})
	}
	// Let the other seven arrive before the first finishes.
	waitForWaiters(t, c, 7)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("8 identical searches ran %d times, want 1", n)
	}

	// A leader that fails: waiters run the search themselves.
	boom := errors.New("leader cancelled")
	started := make(chan struct{})
	fail := make(chan struct{})
	go c.do(t.Context(), "e", func() (*Results, error) { close(started); <-fail; return nil, boom })
	<-started
	done := make(chan error, 1)
	go func() {
		r, _, err := c.do(t.Context(), "e", func() (*Results, error) { return &Results{Total: 3}, nil })
		if err == nil && r.Total != 3 {
			err = fmt.Errorf("total %d", r.Total)
		}
		done <- err
	}()
	waitForWaiters(t, c, 1)
	close(fail)
	if err := <-done; err != nil {
		t.Errorf("waiter after a failed leader: %v", err)
	}

	// A waiter whose own request ends stops waiting.
	block := make(chan struct{})
	defer close(block)
	started2 := make(chan struct{})
	go c.do(t.Context(), "slow", func() (*Results, error) { close(started2); <-block; return &Results{}, nil })
	<-started2
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, _, err := c.do(ctx, "slow", func() (*Results, error) { return &Results{}, nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter past its deadline: %v", err)
	}
}

// waitForWaiters returns once n callers wait for a running search of c.
func waitForWaiters(t *testing.T, c *resultCache, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		c.mu.Lock()
		w := c.waiting
		c.mu.Unlock()
		if w >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d callers waiting, want %d", w, n)
		}
	}
}

// TestResultCacheLeaderPanics: a search that panics releases those waiting
// for it and leaves nothing behind, so the next identical search runs.
func TestResultCacheLeaderPanics(t *testing.T) {
	c := newResultCache(DefaultCacheBytes)
	started := make(chan struct{})
	release := make(chan struct{})
	go func() {
		defer func() { recover() }()
		c.do(t.Context(), "q", func() (*Results, error) {
			close(started)
			<-release
			panic("bleve read a damaged file")
		})
	}()
	<-started
	waiter := make(chan error, 1)
	go func() {
		_, _, err := c.do(t.Context(), "q", func() (*Results, error) { return &Results{Total: 2}, nil })
		waiter <- err
	}()
	waitForWaiters(t, c, 1)
	close(release)
	select {
	case err := <-waiter:
		if err != nil {
			t.Errorf("waiter after a panicking leader: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiter still waiting for a leader that panicked")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	r, _, err := c.do(ctx, "q", func() (*Results, error) { return &Results{Total: 3}, nil })
	if err != nil || r.Total == 0 {
		t.Errorf("next search after a panicking leader: %v, %v", r, err)
	}
}
