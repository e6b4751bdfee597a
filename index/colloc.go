package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/corpus-dev/corpus/corpus"
)

// MaxWindow is the widest collocation window, in words on each side.
const MaxWindow = 5

// Orders of a collocation list.
const (
	ByLogDice = "logdice"
	ByMI      = "mi"
	ByFreq    = "freq"
)

// CollocQuery asks which words occur near a search's matches.
type CollocQuery struct {
	// Query is the search whose matches are the nodes; Page, Size and
	// Sort are ignored.
	Query Query
	// Left and Right are the window in words on each side of a match,
	// 0 to MaxWindow each; not both 0 unless Aligned.
	Left, Right int
	// Aligned lists instead the words of the other side of the passages
	// that match: what the aligned corpus shows as the translations of
	// the query. Each word counts once per passage; frequencies are
	// numbers of passages.
	Aligned bool
	// Stop keeps stop words as collocates; by default they are left out.
	Stop bool
	// MinFreq is the fewest co-occurrences a collocate needs; 0 means 2.
	MinFreq int
	// Sort is logdice (the default), mi or freq.
	Sort string
	// Limit is how many collocates to return; 0 means 100.
	Limit int
}

// Collocate is a word that occurs near the matches.
type Collocate struct {
	Lang corpus.Lang
	Form string
	// Freq is how often it occurs in the window of a match, in the
	// passages read; CorpusFreq how often it occurs in the part of the
	// corpus searched (estimated from the sample in a large corpus).
	Freq, CorpusFreq int
	// LogDice is 14 + log2(2·f(xy) / (f(x) + f(y))), at most 14;
	// MI is log2(f(xy)·N / (f(x)·f(y))), as Sketch Engine computes them.
	LogDice, MI float64
}

// Collocations is the answer to a CollocQuery.
type Collocations struct {
	Query       Query
	Left, Right int
	Sort        string
	// Total passages match; the first Read of them were read.
	Total, Read int
	// NodesEN and NodesZH count the matches in the passages read.
	NodesEN, NodesZH int
	Collocates       []Collocate
	Size             Size
}

// Collocations returns the words within cq's window of the matches of
// cq.Query, on the side of each match, scored against their frequency in
// the corpus.
func (ix *Index) Collocations(ctx context.Context, cq CollocQuery) (*Collocations, error) {
	q, limit, err := normalizeWorkbench(cq.Query, cq.Limit)
	if err != nil {
		return nil, err
	}
	order, minFreq, err := cq.options()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(q.Text) == "" {
		return nil, fmt.Errorf("%w: collocations need words to look around", ErrBadQuery)
	}
	s, t, err := ix.sampled(ctx)
	if err != nil {
		return nil, err
	}
	if cq.Aligned {
		return ix.alignedCollocations(ctx, cq, q, order, limit, minFreq)
	}
	out := &Collocations{Query: q, Left: cq.Left, Right: cq.Right, Sort: order}
	var nodes [2]int
	pairs := map[[2]string]int{}
	err = ix.scan(ctx, q, WorkbenchPassages, false, func(total int, h Hit) error {
		out.Total = total
		out.Read++
		for _, l := range corpus.Langs {
			if q.Lang != "" && l != q.Lang {
				continue // entity names on the other side are marked too
			}
			spans := matchSpans(h, l)
			if len(spans) == 0 {
				continue
			}
			ws := ix.words(h.Passage.ID, l, h.Passage.Text.Get(l))
			nodes[side(l)] += inWindows(ws, spans, cq.Left, cq.Right, func(form string) {
				pairs[[2]string{string(l), form}]++
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	pass, k := out.tally(s, t, q, nodes)
	var freqs [2]map[int32]int
	var sampledWords [2]int
	for _, l := range corpus.Langs {
		freqs[side(l)], sampledWords[side(l)] = s.counts(pass, l)
	}
	for key, n := range pairs {
		l := corpus.Lang(key[0])
		if !cq.keeps(l, key[1], n, minFreq) {
			continue
		}
		i := side(l)
		fy := 0.0
		if id, ok := s.ids[key[1]]; ok && sampledWords[i] > 0 {
			fy = float64(freqs[i][id]) * float64(out.Size.Words(l)) / float64(sampledWords[i])
		}
		fx := float64(nodes[i]) * k
		out.Collocates = append(out.Collocates, newCollocate(l, key[1], n, fx, fy, k, float64(out.Size.Words(l))))
	}
	out.Collocates = topCollocates(out.Collocates, order, limit)
	return out, nil
}

// options checks cq's window, minimum frequency and order, and returns
// the latter two with their defaults filled in.
func (cq CollocQuery) options() (order string, minFreq int, err error) {
	if cq.Left < 0 || cq.Right < 0 || cq.Left > MaxWindow || cq.Right > MaxWindow || cq.Left+cq.Right == 0 && !cq.Aligned {
		return "", 0, fmt.Errorf("%w: the window must be 0 to %d words on each side, and not empty", ErrBadQuery, MaxWindow)
	}
	if cq.MinFreq < 0 {
		return "", 0, fmt.Errorf("%w: the minimum frequency must not be negative", ErrBadQuery)
	}
	minFreq = cq.MinFreq
	if minFreq == 0 {
		minFreq = 2
	}
	order = cq.Sort
	switch order {
	case "":
		order = ByLogDice
	case ByLogDice, ByMI, ByFreq:
	default:
		return "", 0, fmt.Errorf("%w: unknown order %q (use logdice, mi or freq)", ErrBadQuery, cq.Sort)
	}
	return order, minFreq, nil
}

// inWindows calls count with the form of each word within left words
// before or right words after a node, a run of ws that a span of spans
// covers, words of nodes excepted; it returns how many nodes there are.
func inWindows(ws []wtoken, spans []Span, left, right int, count func(form string)) int {
	inNode := make([]bool, len(ws))
	type node struct{ first, last int }
	var ns []node
	for _, sp := range spans {
		first, last, ok := covering(ws, sp)
		if !ok {
			continue
		}
		for i := first; i <= last; i++ {
			inNode[i] = true
		}
		ns = append(ns, node{first, last})
	}
	for _, n := range ns {
		for i := max(0, n.first-left); i < n.first; i++ {
			if !inNode[i] {
				count(ws[i].Form)
			}
		}
		for i := n.last + 1; i <= min(len(ws)-1, n.last+right); i++ {
			if !inNode[i] {
				count(ws[i].Form)
			}
		}
	}
	return len(ns)
}

// newCollocate scores a word seen freq times in the sample with the node,
// scaled by k to f(xy); fx is the node's frequency, fy the word's (at
// least f(xy)), n the size of the part (no MI when 0).
func newCollocate(l corpus.Lang, form string, freq int, fx, fy, k, n float64) Collocate {
	fxy := float64(freq) * k
	fy = max(fy, fxy)
	c := Collocate{Lang: l, Form: form, Freq: freq, CorpusFreq: int(math.Round(fy))}
	c.LogDice = 14 + math.Log2(2*fxy/(fx+fy))
	if n > 0 {
		c.MI = math.Log2(fxy * n / (fx * fy))
	}
	return c
}

// topCollocates returns the first limit of cs in order.
func topCollocates(cs []Collocate, order string, limit int) []Collocate {
	sortCollocates(cs, order)
	if len(cs) > limit {
		cs = cs[:limit]
	}
	return cs
}

// sortCollocates orders collocates by a measure, then frequency, then
// language and form.
func sortCollocates(cs []Collocate, order string) {
	score := func(c Collocate) float64 {
		switch order {
		case ByMI:
			return c.MI
		case ByFreq:
			return float64(c.Freq)
		}
		return c.LogDice
	}
	slices.SortFunc(cs, func(a, b Collocate) int {
		if c := cmp.Compare(score(b), score(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Freq, a.Freq); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Lang, b.Lang); c != 0 {
			return c
		}
		return cmp.Compare(a.Form, b.Form)
	})
}

// alignedCollocations lists the words of the other side of the passages
// matching q on one side, scored as collocations of passages: f(xy) is
// the number of passages whose query side matches and whose other side
// has the word, f(x) the number whose query side matches, f(y) the number
// whose other side has the word, N the passages of the part.
func (ix *Index) alignedCollocations(ctx context.Context, cq CollocQuery, q Query, order string, limit, minFreq int) (*Collocations, error) {
	s, t, err := ix.sampled(ctx)
	if err != nil {
		return nil, err
	}
	out := &Collocations{Query: q, Sort: order}
	var nodes [2]int
	pairs := map[[2]string]int{}
	err = ix.scan(ctx, q, WorkbenchPassages, false, func(total int, h Hit) error {
		out.Total = total
		out.Read++
		for i, l := range corpus.Langs {
			if q.Lang != "" && l != q.Lang || len(matchSpans(h, l)) == 0 {
				continue
			}
			nodes[i]++
			other := corpus.Langs[1-i]
			seen := map[string]bool{}
			for _, w := range ix.words(h.Passage.ID, other, h.Passage.Text.Get(other)) {
				if !seen[w.Form] {
					seen[w.Form] = true
					pairs[[2]string{string(other), w.Form}]++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	pass, k := out.tally(s, t, q, nodes)
	n := float64(out.Size.Passages)
	var dfs [2]map[int32]int
	var sampled [2]int
	for _, l := range corpus.Langs {
		want := map[int32]bool{}
		for key := range pairs {
			if id, ok := s.ids[key[1]]; ok && key[0] == string(l) {
				want[id] = true
			}
		}
		dfs[side(l)], sampled[side(l)] = s.docFreqs(pass, l, want)
	}
	for key, f := range pairs {
		l := corpus.Lang(key[0])
		if !cq.keeps(l, key[1], f, minFreq) {
			continue
		}
		fy := 0.0
		if id, ok := s.ids[key[1]]; ok && sampled[side(l)] > 0 {
			fy = float64(dfs[side(l)][id]) * n / float64(sampled[side(l)])
		}
		fx := float64(nodes[1-side(l)]) * k
		out.Collocates = append(out.Collocates, newCollocate(l, key[1], f, fx, fy, k, n))
	}
	out.Collocates = topCollocates(out.Collocates, order, limit)
	return out, nil
}

// tally records the matches counted on each side (nodes) and the size of
// the part of the corpus q searches; it returns that part's filter and the
// scale from the passages read to all that match.
func (out *Collocations) tally(s *corpusSample, t *table, q Query, nodes [2]int) (pass func(uint64) bool, k float64) {
	out.NodesEN, out.NodesZH = nodes[0], nodes[1]
	pass = docFilter(t, q)
	out.Size, _ = s.sizes(t, pass, "")
	return pass, scale(out.Total, out.Read)
}

// keeps reports whether a collocate seen n times is listed: often enough,
// and not a stop word unless cq asks for them.
func (cq CollocQuery) keeps(l corpus.Lang, form string, n, minFreq int) bool {
	return n >= minFreq && (cq.Stop || !isStop(l, form))
}
