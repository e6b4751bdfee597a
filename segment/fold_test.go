package segment

import (
	"slices"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestFoldKeepsSimplifiedDictionary folds every word of gse's simplified
// dictionary with corpus.Fold: almost none may change, or folding would
// corrupt simplified text. The few that do are written with traditional or
// variant characters (胡厚崑 → 胡厚昆, 乾县 → 干县, 毕昇 → 毕升) and fold
// the same way in the index and the query.
func TestFoldKeepsSimplifiedDictionary(t *testing.T) {
	s := segmenter(t)
	var changed []string
	words := 0
	var total, changedFreq float64
	for w, freq := range s.dict.all() {
		if freq == 0 {
			continue // a prefix of words, not a word
		}
		words++
		total += freq
		if f := corpus.Fold(w); f != w {
			changed = append(changed, w+"→"+f)
			changedFreq += freq
		}
	}
	slices.Sort(changed)
	share := changedFreq / total
	t.Logf("%d of %d dictionary words (%.4f%% of their frequency) change under Fold: %v", len(changed), words, 100*share, changed)
	if len(changed) > 120 || share > 0.001 {
		t.Errorf("%d dictionary words, %.4f%% of the frequency, change under Fold; want at most 120 and 0.1%%", len(changed), 100*share)
	}
}
