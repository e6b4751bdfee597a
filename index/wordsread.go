package index

import (
	"bytes"
	"sort"
	"unicode/utf8"

	bindex "github.com/blevesearch/bleve_index_api"
)

// wordDict is a walk, in term order, of the terms of a word field's
// dictionary that begin with a prefix: bleve's FieldDict, read a block at
// a time.
type wordDict struct {
	f      *substrField
	prefix []byte
	blk    int
	ents   []bindex.DictEntry
	next   int
	done   bool
}

// prefixDict returns the walk of the field's terms beginning with prefix.
func (f *substrField) prefixDict(prefix string) *wordDict {
	k := sort.Search(len(f.index), func(i int) bool { return f.index[i].word > prefix }) - 1
	return &wordDict{f: f, prefix: []byte(prefix), blk: max(k, 0)}
}

func (d *wordDict) Next() (*bindex.DictEntry, error) {
	for d.next >= len(d.ents) {
		if d.done || d.blk >= len(d.f.index) {
			return nil, nil
		}
		d.ents, d.next = d.ents[:0], 0
		err := d.f.walkBlock(d.blk, func(_ uint64, term []byte, t substrTerm) bool {
			if bytes.Compare(term, d.prefix) < 0 {
				return true
			}
			if !bytes.HasPrefix(term, d.prefix) {
				d.done = true
				return false
			}
			d.ents = append(d.ents, bindex.DictEntry{Term: string(term), Count: t.docs})
			return true
		})
		d.blk++
		if err != nil {
			d.done = true
			return nil, err
		}
	}
	d.next++
	return &d.ents[d.next-1], nil
}

func (d *wordDict) Close() error      { return nil }
func (d *wordDict) Cardinality() int  { return d.f.terms } // as zap's: the field's terms
func (d *wordDict) BytesRead() uint64 { return 0 }

// fuzzy returns the terms of the field within fuzziness edits of term that
// begin with prefix, with their distances, as bleve's Levenshtein automata
// count them: in runes, a swap of two neighbours one edit. It walks the
// whole dictionary, which the did-you-mean of a word no passage has reads
// once.
func (f *substrField) fuzzy(term string, fuzziness int, prefix string) (*wordDict, error) {
	n := utf8.RuneCountInString(term)
	out := &wordDict{f: f, done: true}
	pre := []byte(prefix)
	k := sort.Search(len(f.index), func(i int) bool { return f.index[i].word > prefix }) - 1
	for k = max(k, 0); k < len(f.index); k++ {
		past := false
		err := f.walkBlock(k, func(_ uint64, w []byte, t substrTerm) bool {
			if !bytes.HasPrefix(w, pre) {
				past = bytes.Compare(w, pre) > 0
				return !past
			}
			// Most words are too long or too short to be near.
			if abs(utf8.RuneCount(w)-n) > fuzziness {
				return true
			}
			if dist := swapDistance(term, string(w)); dist <= fuzziness {
				out.ents = append(out.ents, bindex.DictEntry{Term: string(w), Count: t.docs, EditDistance: uint8(dist)})
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		if past {
			break
		}
	}
	return out, nil
}

// swapDistance is the edit distance of a and b in runes where a swap of two
// neighbouring runes is one edit, and no run is edited twice (the optimal
// string alignment distance).
func swapDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
