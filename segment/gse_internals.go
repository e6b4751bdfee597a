package segment

// This file fences everything segment takes from gse beyond its exported
// API: unexported variables read through go:linkname and behaviours of
// gse's loader and HMM that our own code reproduces. An upgrade of gse must
// re-check each item below; TestGseVersionReviewed fails until someone has
// (it pins the version in go.mod that this list was checked against), and
// TestDictionaryMatchesGse, TestHMMMatchesGse and FuzzHMM compare our cuts
// with gse's own on real text.
//
// What an upgrade must re-check:
//   - gse.zhS still holds the simplified dictionary as "word freq pos" lines
//     (a rename fails at link time; a format change fails TestDictionaryMatchesGse).
//   - gse's loader still drops words rarer than gseMinFreq, gives single
//     characters gseCharFreq and keeps a word's first line.
//   - hmm.probEmit, probTrans and probStart keep their names and their
//     state letters B, E, M, S; hmm's minFloat is still hmmUnseen; a tie
//     between two Viterbi paths still goes to the larger state letter.
//   - gse.SplitWords still splits a dictionary word as gse's cutter does.

import (
	_ "unsafe" // for go:linkname

	// The packages whose unexported variables are linked below.
	_ "github.com/go-ego/gse"
	_ "github.com/go-ego/gse/hmm"
)

// gseSimplified is the text of gse's embedded simplified Chinese dictionary
// (352,275 words, one "word frequency part-of-speech" line each), which gse
// keeps in an unexported variable and only hands to its own loader.
//
// gse's loader (LoadDictEmbed) inserts every word into a double-array trie
// and then pre-cuts every word for its search mode: about a second and 127
// MiB of heap, which made a server's cold start and most of its memory. The
// accurate-mode cut we use needs only each word's frequency and whether a
// string begins some word, so dict keeps exactly that, in Go maps and a
// table whose string keys are slices of this text: no copy of the
// dictionary's text is made. Reading the
// variable through go:linkname avoids embedding a second copy of a 5 MB
// file; if a gse upgrade renames it, the build fails at link time, and
// TestDictionaryMatchesGse compares our cuts with gse's own.
//
//go:linkname gseSimplified github.com/go-ego/gse.zhS
var gseSimplified string

// gse's loader: words rarer than gseMinFreq are dropped, single characters
// get gseCharFreq whatever the file says, and the first line of a word wins.
const (
	gseMinFreq  = 2
	gseCharFreq = 2
)

// gse's HMM model (jieba's): log start, transition and emission
// probabilities keyed by state letter. gse keeps them unexported and reads
// them through maps at every step of every Viterbi call, which made its
// hmm.Cut most of the time Tokens spent on Chinese; we copy them once into
// arrays. If a gse upgrade renames them, the build fails at link time, and
// TestHMMMatchesGse compares our cuts with hmm.Cut.
var (
	//go:linkname gseEmit github.com/go-ego/gse/hmm.probEmit
	gseEmit map[byte]map[rune]float64
	//go:linkname gseTrans github.com/go-ego/gse/hmm.probTrans
	gseTrans map[byte]map[byte]float64
	//go:linkname gseStart github.com/go-ego/gse/hmm.probStart
	gseStart map[byte]float64
)

// hmmUnseen is the log probability gse uses for whatever its tables lack
// (hmm's minFloat). It is so large that adding any real log probability to
// it rounds to it again, which makes ties between paths common: the
// tie-breaking in hmm.go matters.
const hmmUnseen = -3.14e100
