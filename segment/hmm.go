package segment

import (
	"sync"

	"github.com/go-ego/gse/hmm"
)

// The states of a character: Begins, Ends, is in the Middle of a word, or
// is a Single-character word. Their order is that of gse's state letters,
// because gse breaks a tie between two paths in favour of the larger letter.
const (
	stB = iota
	stE
	stM
	stS
	numStates
)

var stateLetters = [numStates]byte{'B', 'E', 'M', 'S'}

// hmmPrev lists the states that may precede each state, in increasing
// order.
var hmmPrev = [numStates][2]uint8{
	stB: {stE, stS},
	stE: {stB, stM},
	stM: {stB, stM},
	stS: {stE, stS},
}

// hmmModel is gse's model in arrays.
type hmmModel struct {
	start [numStates]float64
	// trans[from][to].
	trans [numStates][numStates]float64
	// emit[row[r-lo]] are the emission log probabilities of rune r, for r in
	// [lo, lo+len(row)); emit[0] is every other rune's, all hmmUnseen.
	lo   rune
	row  []uint16
	emit [][numStates]float64
}

// hmmTables loads gse's model, through gse, once per process: gse keeps it
// in package-level maps that loading it again would rewrite, racing with
// any hmm.Cut running.
var hmmTables = sync.OnceValue(func() *hmmModel {
	hmm.LoadModel()
	return newHMMModel()
})

// newHMMModel copies gse's loaded model. A probability missing from gse's
// maps is stored as hmmUnseen, which is what gse uses in its place.
func newHMMModel() *hmmModel {
	m := &hmmModel{}
	for y, ly := range stateLetters {
		m.start[y] = lookupOr(gseStart, ly)
		for z, lz := range stateLetters {
			m.trans[y][z] = lookupOr(gseTrans[ly], lz)
		}
	}
	lo, hi := rune(-1), rune(-1)
	for _, em := range gseEmit {
		for r := range em {
			if lo < 0 || r < lo {
				lo = r
			}
			hi = max(hi, r)
		}
	}
	unseen := [numStates]float64{hmmUnseen, hmmUnseen, hmmUnseen, hmmUnseen}
	m.emit = [][numStates]float64{unseen}
	if lo < 0 {
		return m
	}
	m.lo = lo
	m.row = make([]uint16, hi-lo+1)
	for y, ly := range stateLetters {
		for r, p := range gseEmit[ly] {
			i := m.row[r-lo]
			if i == 0 {
				i = uint16(len(m.emit))
				m.row[r-lo] = i
				m.emit = append(m.emit, unseen)
			}
			m.emit[i][y] = p
		}
	}
	return m
}

func lookupOr[K comparable](m map[K]float64, k K) float64 {
	if p, ok := m[k]; ok {
		return p
	}
	return hmmUnseen
}

// emission returns the emission log probabilities of r.
func (m *hmmModel) emission(r rune) *[numStates]float64 {
	if i := uint(r - m.lo); i < uint(len(m.row)) {
		return &m.emit[m.row[i]]
	}
	return &m.emit[0]
}

// cut appends to lens the lengths in runes of the words gse's hmm.Cut finds
// in run, a run of Han characters (hmm.Cut hands such a run whole to its
// Viterbi; other characters it would treat otherwise).
//
// It is gse's Viterbi, computed the same way so that every float and so
// every choice is the same: a path's log probability is extended as
// (previous + transition) + emission; of two paths into a state the more
// probable wins, the one from the larger state letter on a tie; the last
// state is E or S, S on a tie.
func (m *hmmModel) cut(run []rune, lens []int) []int {
	n := len(run)
	if n == 0 {
		return lens
	}
	// from[t][y] is the state at t-1 of the best path that is in y at t.
	var stack [64][numStates]uint8
	var from [][numStates]uint8
	if n <= len(stack) {
		from = stack[:n]
	} else {
		from = make([][numStates]uint8, n)
	}
	var v [numStates]float64
	e := m.emission(run[0])
	for y := range v {
		v[y] = e[y] + m.start[y]
	}
	for t := 1; t < n; t++ {
		e := m.emission(run[t])
		var next [numStates]float64
		for y := range next {
			a, b := hmmPrev[y][0], hmmPrev[y][1]
			pa := v[a] + m.trans[a][y] + e[y]
			pb := v[b] + m.trans[b][y] + e[y]
			// b > a: b wins ties.
			if pa > pb {
				next[y], from[t][y] = pa, a
			} else {
				next[y], from[t][y] = pb, b
			}
		}
		v = next
	}
	state := uint8(stS)
	if v[stE] > v[stS] {
		state = stE
	}
	// Walk the path back, keeping each state in from[t][0], which is no
	// longer needed once t's pointers have been followed.
	for t := n - 1; t >= 0; t-- {
		prev := from[t][state]
		from[t][0] = state
		state = prev
	}
	// gse's reading of the path: a word ends at E (from the last B, or the
	// run's start) and at S; whatever follows the last word is one more.
	begin, next := 0, 0
	for t := range n {
		switch from[t][0] {
		case stB:
			begin = t
		case stE:
			lens = append(lens, t+1-begin)
			next = t + 1
		case stS:
			lens = append(lens, 1)
			next = t + 1
		}
	}
	if next < n {
		lens = append(lens, n-next)
	}
	return lens
}
