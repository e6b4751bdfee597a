package segment

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// personNameMinFreq is the least dictionary frequency of a word tagged as a
// person name that PersonNames keeps: rarer entries of gse's dictionary are
// mostly segmentation debris tagged nr (马勺).
const personNameMinFreq = 100

// personNames is the set of words that gse's simplified Chinese dictionary
// tags "nr" (person name), two to four characters long, parsed once.
var personNames = sync.OnceValue(func() map[string]bool {
	names := make(map[string]bool, 40000)
	for line := range strings.SplitSeq(gseSimplified, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[2] != "nr" {
			continue
		}
		if n := utf8.RuneCountInString(f[0]); n < 2 || n > 4 {
			continue
		}
		if freq, err := strconv.ParseFloat(f[1], 64); err != nil || freq < personNameMinFreq {
			continue
		}
		names[f[0]] = true
	}
	return names
})

// PersonNames returns a function that reports whether a word is a Chinese
// personal name by gse's dictionary: its part-of-speech tag is nr. Pass it
// to corpus.Extractor.WithPersonNames; corpus imports no segmenter. The
// dictionary is parsed on the first call (tens of milliseconds). It knows
// famous and frequent names, not every name a text may hold (the extractor
// also learns names from the document), and tags some other words nr too
// (华为): the gazetteer's entities win over it.
func PersonNames() func(string) bool {
	names := personNames()
	return func(s string) bool { return names[s] }
}
