package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/segment"
)

// measureQueries times the query set in-process on each engine and
// compares their answers.
func measureQueries(ctx context.Context, cfg config, sr *sizeReport, oursDir, peerFile, luceneCP, luceneDir string, seg *segment.Segmenter, gaz *corpus.Gazetteer) error {
	live, err := index.OpenLive(oursDir, nil)
	if err != nil {
		return err
	}
	defer live.Close()
	// Timed without the result cache, so that every call searches: the
	// loops repeat a few queries, which the cache would answer from memory.
	live.SetCacheBytes(0)
	peer, err := bench.OpenPeer(peerFile, seg, gaz)
	if err != nil {
		return err
	}
	defer peer.Close()
	var lucene *bench.LucenePeer
	if luceneCP != "" {
		l, took, err := bench.OpenLucene(ctx, luceneCP, luceneDir, seg, gaz, cfg.log, index.Query{Text: "华为"})
		if err != nil {
			return err
		}
		defer l.Close()
		lucene = l
		sr.LuceneCold = append(sr.LuceneCold, took.Seconds())
	}

	byType := map[string][]bench.Query{}
	for _, q := range bench.QuerySet() {
		byType[q.Type] = append(byType[q.Type], q)
		// The first call of each also warms the engines up.
		a, err := agree(ctx, q, live, peer, lucene)
		if err != nil {
			return err
		}
		sr.Agreement = append(sr.Agreement, a)
	}
	if lucene != nil {
		// The JVM compiles hot code as it runs: without a warm-up its
		// first hundred searches are interpreted. A server that has been
		// up for a while is warm, and that is what is compared here.
		var all []index.Query
		for _, q := range bench.QuerySet() {
			all = append(all, q.Q)
		}
		if _, err := lucene.Time(ctx, all, max(3*time.Second, cfg.queryTime)); err != nil {
			return err
		}
	}
	for _, typ := range bench.Types {
		qs := byType[typ]
		if len(qs) == 0 {
			continue
		}
		tl, err := timeType(ctx, cfg, typ, qs, live, peer, lucene)
		if err != nil {
			return err
		}
		sr.Latency = append(sr.Latency, tl)
		cfg.logf("%s: %-9s ours p50 %v p99 %v | peer p50 %v p99 %v | lucene p50 %v p99 %v | kept p50 %v | load %s", sr.Name, typ, tl.Ours.P50, tl.Ours.P99, tl.Peer.P50, tl.Peer.P99, tl.Lucene.P50, tl.Lucene.P99, tl.Cached.P50, tl.Load)
	}
	if lucene != nil {
		// More cold starts of the JVM, on the same index.
		lucene.Close()
		for range min(cfg.cold, 3) - 1 {
			l, took, err := bench.OpenLucene(ctx, luceneCP, luceneDir, seg, gaz, cfg.log, index.Query{Text: "华为"})
			if err != nil {
				return err
			}
			l.Close()
			sr.LuceneCold = append(sr.LuceneCold, took.Seconds())
		}
	}
	return nil
}

// agree runs one query on each engine and compares the totals and facet
// counts; lucene may be nil.
func agree(ctx context.Context, q bench.Query, live *index.Live, peer *bench.Peer, lucene *bench.LucenePeer) (agreement, error) {
	or, err := live.Search(ctx, q.Q)
	if err != nil {
		return agreement{}, fmt.Errorf("ours %q: %w", q.Label(), err)
	}
	pr, err := peer.Search(ctx, q.Q)
	if err != nil {
		return agreement{}, fmt.Errorf("peer %q: %w", q.Label(), err)
	}
	a := agreement{Query: q.Label(), Type: q.Type, OursTotal: or.Total, PeerTotal: pr.Total}
	// The language facet is left out: ours counts the side where the
	// words match, the peers the sides that have text.
	of := bench.FacetCounts(or.Facets)
	delete(of, "lang")
	delete(pr.Facets, "lang")
	a.FacetsEqual = reflect.DeepEqual(of, pr.Facets)
	if !a.FacetsEqual {
		a.FacetDiff = facetDiff(of, pr.Facets, "FTS5")
	}
	if lucene != nil {
		lr, err := lucene.Search(ctx, q.Q)
		if err != nil {
			return agreement{}, fmt.Errorf("lucene %q: %w", q.Label(), err)
		}
		a.LuceneRan, a.LuceneTotal = true, lr.Total
		delete(lr.Facets, "lang")
		a.LuceneFacetsEqual = reflect.DeepEqual(of, lr.Facets)
		if !a.LuceneFacetsEqual {
			a.LuceneFacetDiff = facetDiff(of, lr.Facets, "Lucene")
		}
	}
	return a, nil
}

// timeType times one query type: the engines take turns in rounds, ours
// without its result cache; then ours again answering from the cache.
func timeType(ctx context.Context, cfg config, typ string, qs []bench.Query, live *index.Live, peer *bench.Peer, lucene *bench.LucenePeer) (typeLatency, error) {
	const rounds = 4
	slice := cfg.queryTime / rounds
	var ours, peers, luc []time.Duration
	var iq []index.Query
	for _, q := range qs {
		iq = append(iq, q.Q)
	}
	for range rounds {
		ours = append(ours, timeLoop(slice, qs, func(q bench.Query) error { _, err := live.Search(ctx, q.Q); return err })...)
		peers = append(peers, timeLoop(slice, qs, func(q bench.Query) error { _, err := peer.Search(ctx, q.Q); return err })...)
		if lucene != nil {
			ds, err := lucene.Time(ctx, iq, slice)
			if err != nil {
				return typeLatency{}, err
			}
			luc = append(luc, ds...)
		}
	}
	// Eight searches at once, as many as the HTTP figures' connections:
	// what a search waits for there, less HTTP.
	oursC8, err := timeConcurrently(slice, concurrency, qs, func(q bench.Query) error { _, err := live.Search(ctx, q.Q); return err })
	if err != nil {
		return typeLatency{}, err
	}
	var lucC8 []time.Duration
	if lucene != nil {
		var err error
		if lucC8, err = lucene.TimeConcurrently(ctx, iq, slice, concurrency, runtime.NumCPU()); err != nil {
			return typeLatency{}, err
		}
	}
	live.SetCacheBytes(index.DefaultCacheBytes)
	for _, q := range qs { // keep each answer before timing
		if _, err := live.Search(ctx, q.Q); err != nil {
			return typeLatency{}, err
		}
	}
	cached := timeLoop(slice, qs, func(q bench.Query) error { _, err := live.Search(ctx, q.Q); return err })
	live.SetCacheBytes(0)
	return typeLatency{Type: typ, Ours: summarize(ours), Peer: summarize(peers), Lucene: summarize(luc), Cached: summarize(cached),
		OursC8: summarize(oursC8), LuceneC8: summarize(lucC8), Load: loadAvg()}, nil
}

// concurrency is how many searches timeConcurrently runs at once.
const concurrency = 8

// timeConcurrently runs the queries from n goroutines at once for about
// d, each starting at its own query and searching at least once, one per
// core searching and the others waiting their turn in order (as the JVM's
// threads do in LucenePeer's C command), and returns each call's latency,
// its wait included, or the first search's error. Without the queue, a goroutine that searched again at
// once kept its core until preempted (10 ms) and the others waited behind
// several of its searches; the kernel time-slices the JVM's threads
// instead, which stretched Lucene's longer searches: each engine had its
// own order of service.
func timeConcurrently(d time.Duration, n int, qs []bench.Query, f func(bench.Query) error) ([]time.Duration, error) {
	var mu sync.Mutex
	var out []time.Duration
	var failed error
	var wg sync.WaitGroup
	gate := make(chan struct{}, runtime.NumCPU()) // blocked senders are served in order
	end := time.Now().Add(d)
	for w := range n {
		wg.Go(func() {
			var mine []time.Duration
			for i := w; ; i++ {
				t := time.Now()
				gate <- struct{}{}
				err := f(qs[i%len(qs)])
				<-gate
				if err != nil {
					mu.Lock()
					failed = cmp.Or(failed, err)
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
				if !time.Now().Before(end) {
					break
				}
			}
			mu.Lock()
			out = append(out, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return out, failed
}

// timeLoop runs the queries in turn for about d (at least once each) and
// returns each call's latency.
func timeLoop(d time.Duration, qs []bench.Query, f func(bench.Query) error) []time.Duration {
	var out []time.Duration
	end := time.Now().Add(d)
	for i := 0; i < len(qs) || time.Now().Before(end); i++ {
		t := time.Now()
		if err := f(qs[i%len(qs)]); err != nil {
			// Already checked once; a later failure is a real problem.
			panic(err)
		}
		out = append(out, time.Since(t))
	}
	return out
}

// stats are latency percentiles, and the latencies' sum.
type stats struct {
	N             int
	P50, P90, P99 time.Duration
	Sum           time.Duration `json:",omitempty"`
}

func summarize(ds []time.Duration) stats {
	if len(ds) == 0 {
		return stats{}
	}
	s := append([]time.Duration(nil), ds...)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return stats{N: len(s), P50: at(0.50), P90: at(0.90), P99: at(0.99), Sum: sum}
}

// facetDiff describes how two facet count maps differ, briefly.
func facetDiff(ours, peer map[string]map[string]int, peerName string) string {
	var diffs []string
	for _, k := range keysOfBoth(ours, peer) {
		n := 0
		var example string
		for _, v := range keysOfBoth(ours[k], peer[k]) {
			if ours[k][v] != peer[k][v] {
				n++
				if example == "" {
					example = fmt.Sprintf("%s: ours %d, %s %d", v, ours[k][v], peerName, peer[k][v])
				}
			}
		}
		if n > 0 {
			diffs = append(diffs, fmt.Sprintf("%s %d values (%s)", k, n, example))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return fmt.Sprint(diffs)
}

// keysOfBoth returns the keys of a and b, sorted, each once.
func keysOfBoth[V any](a, b map[string]V) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	return slices.Sorted(maps.Keys(set))
}
