package corpus

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Bead is one step of an alignment by length: EN paragraphs [ENStart,
// ENEnd) correspond to ZH paragraphs [ZHStart, ZHEnd). A bead with no
// paragraph on one side (1–0, 0–1) is a paragraph the other text lacks.
type Bead struct {
	ENStart, ENEnd int
	ZHStart, ZHEnd int
	// Delta is how far the lengths are from what the pair's ratio
	// predicts, in standard deviations (Gale and Church's δ): above
	// unsureDelta the correspondence is a guess.
	Delta float64
}

// Kind names the bead's shape: "1-1", "2-1" (two English paragraphs for one
// Chinese), "1-2", "1-0" or "0-1".
func (b Bead) Kind() string {
	return fmt.Sprintf("%d-%d", b.ENEnd-b.ENStart, b.ZHEnd-b.ZHStart)
}

// Unsure reports whether the bead's lengths disagree enough that its
// correspondence is doubtful.
func (b Bead) Unsure() bool {
	return b.ENEnd > b.ENStart && b.ZHEnd > b.ZHStart && math.Abs(b.Delta) > unsureDelta
}

// unsureDelta is the δ above which a bead is reported as unsure: lengths
// this far off the pair's ratio happen by chance in about 1% of true 1–1
// correspondences.
const unsureDelta = 2.6

// The alignment model, after Gale and Church (1993), "A program for
// aligning sentences in bilingual corpora": a bead's cost is -log of the
// prior of its shape times the probability of a length difference at
// least as large as its own, under a normal model of the Chinese length
// given the English one. The priors are theirs for sentences (without
// 2–2, which here mostly hid two good 1–1 beads); the variance
// alignVariance was measured on the essay's aligned pair
// (TestAlignVariance).
var beadShapes = []struct {
	en, zh int
	prior  float64
}{
	{1, 1, 0.89},
	{1, 0, 0.005}, {0, 1, 0.005},
	{2, 1, 0.0445}, {1, 2, 0.0445},
}

// alignVariance is s², the variance of a Chinese paragraph's length per
// unit of length, both measured by alignLen (see TestAlignVariance).
const alignVariance = 2.1

// alignBand bounds how far from the diagonal the alignment may stray, in
// paragraphs, besides the difference of the counts: the search is then
// linear in the length of the texts, not quadratic.
const alignBand = 200

// AlignByLength aligns two texts whose paragraphs do not correspond one to
// one: a translation that splits, merges, adds or leaves out paragraphs.
// It finds the sequence of beads (1–1, 1–2, 2–1, 1–0, 0–1) of least
// cost under Gale and Church's length model (lengths by alignLen, their
// ratio taken from the pair itself), with numbers written in digits on
// both sides as anchors.
func AlignByLength(en, zh []string) []Bead {
	a := newLengthAligner(en, zh)
	a.fill()
	return a.trace()
}

// lengthAligner holds what AlignByLength works on: the paragraphs'
// lengths and anchors and the table of least costs in a band around the
// diagonal.
type lengthAligner struct {
	n, m   int
	le, lz []float64  // the paragraphs' lengths
	ne, nz [][]string // the paragraphs' anchors
	ratio  float64    // Chinese length per English length over the whole text
	w      int        // half the band's width
	// cost[i][j-lo(i)] is the least cost of aligning en[:i] with zh[:j].
	cost [][]float64
	from [][]int8 // index into beadShapes, -1 at the start
}

// newLengthAligner measures en and zh and makes the cost table, every cell
// infinite but the start.
func newLengthAligner(en, zh []string) *lengthAligner {
	n, m := len(en), len(zh)
	a := &lengthAligner{n: n, m: m}
	a.le, a.lz = make([]float64, n), make([]float64, m)
	var se, sz float64
	for i, p := range en {
		a.le[i] = float64(alignLen(p))
		se += a.le[i]
	}
	for j, p := range zh {
		a.lz[j] = float64(alignLen(p))
		sz += a.lz[j]
	}
	a.ne, a.nz = make([][]string, n), make([][]string, m)
	for i, p := range en {
		a.ne[i] = anchors(p)
	}
	for j, p := range zh {
		a.nz[j] = anchors(p)
	}
	a.ratio = 1.0
	if se > 0 && sz > 0 {
		a.ratio = sz / se
	}
	a.w = abs(n-m) + alignBand
	a.cost = make([][]float64, n+1)
	a.from = make([][]int8, n+1)
	for i := 0; i <= n; i++ {
		a.cost[i] = make([]float64, a.hi(i)-a.lo(i)+1)
		a.from[i] = make([]int8, len(a.cost[i]))
		for k := range a.cost[i] {
			a.cost[i][k] = math.Inf(1)
		}
	}
	a.cost[0][0], a.from[0][0] = 0, -1
	return a
}

// lo and hi bound the band of row i.
func (a *lengthAligner) lo(i int) int { return max(0, i*a.m/max(a.n, 1)-a.w) }
func (a *lengthAligner) hi(i int) int { return min(a.m, i*a.m/max(a.n, 1)+a.w) }

// at is the cost of cell i, j, infinite outside the band.
func (a *lengthAligner) at(i, j int) float64 {
	if i < 0 || j < a.lo(i) || j > a.hi(i) {
		return math.Inf(1)
	}
	return a.cost[i][j-a.lo(i)]
}

// fill computes every cell of the band, row by row.
func (a *lengthAligner) fill() {
	for i := 0; i <= a.n; i++ {
		for j := a.lo(i); j <= a.hi(i); j++ {
			if i == 0 && j == 0 {
				continue
			}
			a.cost[i][j-a.lo(i)], a.from[i][j-a.lo(i)] = a.cell(i, j)
		}
	}
}

// cell is the least cost of cell i, j over the bead shapes that end there,
// and the shape that gives it.
func (a *lengthAligner) cell(i, j int) (float64, int8) {
	best, bestK := math.Inf(1), int8(-1)
	for k, s := range beadShapes {
		pi, pj := i-s.en, j-s.zh
		if pi < 0 || pj < 0 {
			continue
		}
		prev := a.at(pi, pj)
		if math.IsInf(prev, 1) {
			continue
		}
		l1, l2 := sum(a.le[pi:i]), sum(a.lz[pj:j])
		c := prev + beadCost(l1, l2, a.ratio, s.prior)
		if s.en > 0 && s.zh > 0 {
			c += anchorCost(a.ne[pi:i], a.nz[pj:j])
		}
		if c < best {
			best, bestK = c, int8(k)
		}
	}
	return best, bestK
}

// trace follows the least-cost path back from the end and returns its
// beads in order.
func (a *lengthAligner) trace() []Bead {
	var beads []Bead
	for i, j := a.n, a.m; i > 0 || j > 0; {
		k := a.from[i][j-a.lo(i)]
		if k < 0 {
			break // unreachable: the band always holds a path
		}
		s := beadShapes[k]
		b := Bead{ENStart: i - s.en, ENEnd: i, ZHStart: j - s.zh, ZHEnd: j}
		b.Delta = delta(sum(a.le[b.ENStart:i]), sum(a.lz[b.ZHStart:j]), a.ratio)
		beads = append(beads, b)
		i, j = b.ENStart, b.ZHStart
	}
	for x, y := 0, len(beads)-1; x < y; x, y = x+1, y-1 {
		beads[x], beads[y] = beads[y], beads[x]
	}
	return beads
}

// anchorWeight is what one number found on both sides of a bead saves: numbers (years,
// amounts, figures) are written in digits in both languages, and are the
// surest sign of which paragraphs correspond when lengths are ambiguous.
const anchorWeight = 1.5

// anchorMissWeight is what a number on one side only costs: less than a
// shared one saves, since translators write some numbers in words (两千,
// "two thousand") or leave them out.
const anchorMissWeight = 0.5

// anchors returns the numbers written in digits in s.
func anchors(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || (s[j] == '.' || s[j] == ',') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
			j++
		}
		out = append(out, strings.ReplaceAll(s[i:j], ",", ""))
		i = j
	}
	return out
}

// anchorCost weighs the numbers of a bead's two sides: each one on both
// sides lowers its cost, each one on one side only raises it.
func anchorCost(en, zh [][]string) float64 {
	count := map[string]int{}
	for _, ns := range en {
		for _, x := range ns {
			count[x]++
		}
	}
	var both, one int
	for _, ns := range zh {
		for _, x := range ns {
			if count[x] > 0 {
				count[x]--
				both++
			} else {
				one++
			}
		}
	}
	for _, c := range count {
		one += c
	}
	return anchorMissWeight*float64(one) - anchorWeight*float64(both)
}

// delta is Gale and Church's δ for lengths l1 (English) and l2 (Chinese).
func delta(l1, l2, ratio float64) float64 {
	mean := (l1 + l2/ratio) / 2
	return (l2 - l1*ratio) / math.Sqrt(alignVariance*ratio*max(mean, 1))
}

// beadCost is -log(prior × P(|δ| at least this large)). A paragraph that
// has no counterpart (1–0, 0–1) costs only its prior: its length says
// nothing about a correspondence it does not have, and charging it would
// make the aligner smear an added section over its neighbours' beads.
func beadCost(l1, l2, ratio, prior float64) float64 {
	if l1 == 0 || l2 == 0 {
		return -math.Log(prior)
	}
	d := math.Abs(delta(l1, l2, ratio))
	p := math.Erfc(d / math.Sqrt2)
	return -math.Log(prior) - math.Log(max(p, 1e-300))
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

// alignLen is the length of a paragraph for alignment, in English
// letters: a letter or digit counts one, a Han character hanWeight (about
// what it takes to say it in English). Counting a Han character as one
// would weigh the commands, names and numbers a Chinese technical text
// keeps in Latin script three times too much against its prose.
func alignLen(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			n += hanWeight
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			n++
		}
	}
	return n
}

// beadTexts joins the paragraphs of each bead into one aligned text: a
// paragraph the other side lacks is a passage with one side.
func beadTexts(beads []Bead, en, zh []string) []Text {
	out := make([]Text, len(beads))
	for i, b := range beads {
		out[i] = Text{EN: strings.Join(en[b.ENStart:b.ENEnd], " "), ZH: strings.Join(zh[b.ZHStart:b.ZHEnd], "")}
	}
	return out
}

// maxAlignNotes bounds the places one notice lists.
const maxAlignNotes = 12

// alignReport says, for a notice, where an alignment by length joined
// paragraphs, where one text has paragraphs the other lacks, and where it
// is unsure. Paragraphs are numbered from 1, as a reader counts them.
func alignReport(beads []Bead) string {
	var joined, only, unsure []string
	para := func(a, b int) string {
		if b-a == 1 {
			return fmt.Sprintf("¶%d", a+1)
		}
		return fmt.Sprintf("¶%d–%d", a+1, b)
	}
	for i := 0; i < len(beads); i++ {
		b := beads[i]
		switch {
		case b.ENEnd == b.ENStart || b.ZHEnd == b.ZHStart:
			// A run of paragraphs one side lacks is one place.
			j := i
			for j+1 < len(beads) && beads[j+1].Kind() == b.Kind() {
				j++
			}
			if b.ENEnd == b.ENStart {
				only = append(only, "zh "+para(b.ZHStart, beads[j].ZHEnd))
			} else {
				only = append(only, "en "+para(b.ENStart, beads[j].ENEnd))
			}
			i = j
		case b.Kind() != "1-1":
			joined = append(joined, fmt.Sprintf("en %s = zh %s", para(b.ENStart, b.ENEnd), para(b.ZHStart, b.ZHEnd)))
		}
		if b.Unsure() {
			unsure = append(unsure, fmt.Sprintf("en %s / zh %s", para(b.ENStart, b.ENEnd), para(b.ZHStart, b.ZHEnd)))
		}
	}
	list := func(xs []string) string {
		if len(xs) > maxAlignNotes {
			return strings.Join(xs[:maxAlignNotes], ", ") + fmt.Sprintf(" and %d more", len(xs)-maxAlignNotes)
		}
		return strings.Join(xs, ", ")
	}
	var parts []string
	if len(only) > 0 {
		parts = append(parts, "in one text only: "+list(only))
	}
	if len(joined) > 0 {
		parts = append(parts, "joined: "+list(joined))
	}
	if len(unsure) > 0 {
		parts = append(parts, "unsure (lengths disagree): "+list(unsure))
	}
	if len(parts) == 0 {
		return "no place unsure"
	}
	return strings.Join(parts, "; ")
}
