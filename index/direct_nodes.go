package index

import (
	"context"
	"math"
	"sort"
)

// dcompound are the children of a compound node, in its searcher's order.
type dcompound struct{ cs []dnode }

func (c dcompound) weight() float64 {
	var w float64
	for _, n := range c.cs {
		w += n.weight()
	}
	return w
}

func (c dcompound) setNorm(qnorm float64) {
	for _, n := range c.cs {
		n.setNorm(qnorm)
	}
}

func (c dcompound) count() uint64 {
	var sum uint64
	for _, n := range c.cs {
		sum += n.count()
	}
	return sum
}

func (c dcompound) evalAll(ctx context.Context, bufs *dbufs) ([]dlist, error) {
	ls := make([]dlist, len(c.cs))
	for i, n := range c.cs {
		l, err := n.eval(ctx, bufs)
		if err != nil {
			return nil, err
		}
		ls[i] = l
	}
	return ls, nil
}

// nodesByCount orders nodes as bleve's OrderedSearcherList orders searchers.
type nodesByCount []dnode

func (s nodesByCount) Len() int           { return len(s) }
func (s nodesByCount) Less(i, j int) bool { return s[i].count() < s[j].count() }
func (s nodesByCount) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// sortByCount sorts ns as bleve's compound searchers sort their children:
// with sort.Sort, whose result for equal counts is the algorithm's.
func sortByCount(ns []dnode) []dnode {
	sort.Sort(nodesByCount(ns))
	return ns
}

// dconj matches the documents all its children match, scored by the sum
// of theirs (bleve's ConjunctionQueryScorer).
type dconj struct{ dcompound }

func (c *dconj) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	ls, err := c.evalAll(ctx, bufs)
	if err != nil {
		return dlist{}, err
	}
	if len(ls) == 1 {
		return ls[0], nil // the sum of one score
	}
	// The shortest list leads; the others are searched forward.
	lead := 0
	for i, l := range ls {
		if len(l.docs) < len(ls[lead].docs) {
			lead = i
		}
	}
	at := make([]int, len(ls))
	out := bufs.list(len(ls[lead].docs))
next:
	for _, d := range ls[lead].docs {
		for i, l := range ls {
			j := seek(l.docs, at[i], d)
			at[i] = j
			if j == len(l.docs) {
				break next
			}
			if l.docs[j] != d {
				continue next
			}
		}
		var sum float64
		for i, l := range ls {
			sum += l.scores[at[i]]
		}
		out.docs, out.scores = append(out.docs, d), append(out.scores, sum)
	}
	return out, nil
}

// seek returns the first index from i on of docs whose document is not
// below d: a few steps forward, then a binary search.
func seek(docs []uint32, i int, d uint32) int {
	for end := min(i+8, len(docs)); i < end; i++ {
		if docs[i] >= d {
			return i
		}
	}
	return i + sort.Search(len(docs)-i, func(k int) bool { return docs[i+k] >= d })
}

// ddisj matches the documents at least min of its children match, scored
// by the sum of theirs times the share of its children that match (bleve's
// DisjunctionQueryScorer).
type ddisj struct {
	dcompound
	min int
}

func (c *ddisj) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	ls, err := c.evalAll(ctx, bufs)
	if err != nil {
		return dlist{}, err
	}
	if len(ls) == 1 && c.min <= 1 {
		return ls[0], nil // the sum of one score, times 1/1
	}
	n := 0
	for _, l := range ls {
		n = max(n, len(l.docs))
	}
	out := bufs.list(n)
	total := float64(len(ls))
	if len(ls) == 2 {
		return c.merge2(ls[0], ls[1], out, total), nil
	}
	at := make([]int, len(ls))
	for {
		d, any := uint32(math.MaxUint32), false
		for i, l := range ls {
			if at[i] < len(l.docs) && (!any || l.docs[at[i]] < d) {
				d, any = l.docs[at[i]], true
			}
		}
		if !any {
			return out, nil
		}
		var sum float64
		n := 0
		for i, l := range ls {
			if at[i] < len(l.docs) && l.docs[at[i]] == d {
				sum += l.scores[at[i]]
				n++
				at[i]++
			}
		}
		if n >= c.min {
			out.docs, out.scores = append(out.docs, d), append(out.scores, sum*(float64(n)/total))
		}
	}
}

// merge2 is eval's loop for two children, a and b, the usual case (a word
// and its entity, a word's sides), without the loop over children per
// document; out receives the matches. The scores are the loop's to the
// bit: a sum from zero in the children's order, times the share.
func (c *ddisj) merge2(a, b, out dlist, total float64) dlist {
	one, two := 1/total, 2/total
	add := func(d uint32, s float64) {
		out.docs, out.scores = append(out.docs, d), append(out.scores, s)
	}
	i, j := 0, 0
	for i < len(a.docs) && j < len(b.docs) {
		switch da, db := a.docs[i], b.docs[j]; {
		case da < db:
			if c.min <= 1 {
				add(da, a.scores[i]*one)
			}
			i++
		case db < da:
			if c.min <= 1 {
				add(db, b.scores[j]*one)
			}
			j++
		default:
			if c.min <= 2 {
				add(da, (a.scores[i]+b.scores[j])*two)
			}
			i++
			j++
		}
	}
	if c.min <= 1 {
		for ; i < len(a.docs); i++ {
			add(a.docs[i], a.scores[i]*one)
		}
		for ; j < len(b.docs); j++ {
			add(b.docs[j], b.scores[j]*one)
		}
	}
	return out
}

// dbool is a boolean query with a must clause and a should or must-not
// clause, or a should and a must-not clause (bleve's BooleanSearcher). Its
// weight, norm and count are those of its must and should clauses, in
// that order (dcompound, unsorted).
type dbool struct {
	dcompound
	must, should, not dnode
	shouldMin         int
}

func (b *dbool) eval(ctx context.Context, bufs *dbufs) (dlist, error) {
	var must, should, not dlist
	var err error
	for _, p := range []struct {
		n dnode
		l *dlist
	}{{b.must, &must}, {b.should, &should}, {b.not, &not}} {
		if p.n != nil {
			if *p.l, err = p.n.eval(ctx, bufs); err != nil {
				return dlist{}, err
			}
		}
	}
	if b.must == nil {
		// The should clause leads, as bleve's searcher has it.
		must, should = should, dlist{}
	}
	out := bufs.list(len(must.docs))
	si, ni := 0, 0
	for i, d := range must.docs {
		ni = seek(not.docs, ni, d)
		if ni < len(not.docs) && not.docs[ni] == d {
			continue
		}
		var sum float64
		sum += must.scores[i]
		si = seek(should.docs, si, d)
		if si < len(should.docs) && should.docs[si] == d {
			sum += should.scores[si]
		} else if b.must != nil && b.should != nil && b.shouldMin > 0 {
			continue
		}
		out.docs, out.scores = append(out.docs, d), append(out.scores, sum)
	}
	return out, nil
}
