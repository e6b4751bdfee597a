package segment

import (
	"errors"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// dictShards is how many maps the words are spread over, by their first
// rune, so that several cores can load them at once.
const dictShards = 4

// dict is a word list with frequencies, as gse's accurate mode reads it.
//
// It maps every word to its frequency, and every proper prefix of a word that
// is not itself a word to 0, so that one lookup says both whether a string is
// a word and whether a longer word may start with it. Keys are lower-cased in
// their Latin letters, as gse keys them.
//
// Building gse's DAG takes a lookup for each prefix tried, two or three per
// character of text, which made a string map's hashing and probing most of
// the time of a cut. So a key is stored by its length: a Han character in a
// flat table, two runes as one integer, longer keys (or other single runes)
// in a string map. All of a word's prefixes share its first rune and so its
// shard.
type dict struct {
	// chars[r-charsLo] is the value of the key rune r, or noKey.
	chars []float64
	// pairs are keys of exactly two valid runes, packed by pairKey.
	pairs [dictShards]map[uint64]float64
	// strs are all other keys. A key is in strs[shardOf(key)], or pairs.
	strs  [dictShards]map[string]float64
	total float64
	// logTotal is math.Log(total), kept current by add.
	logTotal float64
}

// The Han characters of chars: the CJK Unified Ideographs and Extension A,
// where nearly all of the dictionary's characters are.
const (
	charsLo = 0x3400
	charsHi = 0xa000
)

// noKey marks a rune of chars that is no key; frequencies are never
// negative.
const noKey = -1

func pairKey(r0, r1 rune) uint64 { return uint64(r0)<<32 | uint64(uint32(r1)) }

// shardOf returns the shard of a key: all prefixes of a word share it.
func shardOf(key string) int {
	r, _ := utf8.DecodeRuneInString(key)
	return runeShard(r)
}

func runeShard(r rune) int { return int(r) & (dictShards - 1) }

// keyKind says where key is stored: in chars at index i (one), in pairs
// under p (two), or in strs.
func keyKind(key string) (kind int, i int, p uint64) {
	r0, n0 := utf8.DecodeRuneInString(key)
	if r0 == utf8.RuneError && n0 <= 1 {
		return kindStr, 0, 0
	}
	if n0 == len(key) {
		if charsLo <= r0 && r0 < charsHi {
			return kindChar, int(r0 - charsLo), 0
		}
		return kindStr, 0, 0
	}
	r1, n1 := utf8.DecodeRuneInString(key[n0:])
	if n0+n1 == len(key) && !(r1 == utf8.RuneError && n1 == 1) {
		return kindPair, 0, pairKey(r0, r1)
	}
	return kindStr, 0, 0
}

const (
	kindStr = iota
	kindChar
	kindPair
)

// get returns the value of key and whether it is a key.
func (d *dict) get(key string) (float64, bool) {
	switch kind, i, p := keyKind(key); kind {
	case kindChar:
		f := d.chars[i]
		return max(f, 0), f != noKey
	case kindPair:
		f, ok := d.pairs[shardOf(key)][p]
		return f, ok
	}
	f, ok := d.strs[shardOf(key)][key]
	return f, ok
}

// set makes key a key with value f.
func (d *dict) set(key string, f float64) {
	switch kind, i, p := keyKind(key); kind {
	case kindChar:
		d.chars[i] = f
	case kindPair:
		d.pairs[shardOf(key)][p] = f
	default:
		d.strs[shardOf(key)][key] = f
	}
}

// errNoDictionary is returned when gse was built without its dictionaries.
var errNoDictionary = errors.New("gse's simplified Chinese dictionary is not in this binary (built with gse's ne tag?)")

// loadDict parses gse's embedded simplified Chinese dictionary, on up to
// dictShards cores: each goroutine reads every line and keeps the words of
// its shards. Map insertions, not parsing, are most of the work.
func loadDict() (*dict, error) {
	if gseSimplified == "" {
		return nil, errNoDictionary
	}
	d := &dict{chars: make([]float64, charsHi-charsLo)}
	for i := range d.chars {
		d.chars[i] = noKey
	}
	workers := min(dictShards, runtime.GOMAXPROCS(0))
	totals := make([]float64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			mine := [dictShards]bool{}
			for sh := range dictShards {
				if sh%workers == w {
					mine[sh] = true
					d.pairs[sh] = make(map[uint64]float64, 200000/dictShards)
					d.strs[sh] = make(map[string]float64, 320000/dictShards)
				}
			}
			for line := range strings.SplitSeq(gseSimplified, "\n") {
				word, rest, ok := strings.Cut(line, " ")
				if !ok {
					continue
				}
				key := gseKey(strings.TrimSpace(word))
				if key == "" || !mine[shardOf(key)] {
					continue
				}
				freqText, _, _ := strings.Cut(rest, " ")
				f, err := strconv.ParseFloat(strings.TrimSpace(freqText), 64)
				if err != nil || f < gseMinFreq {
					continue
				}
				if utf8.RuneCountInString(key) < 2 {
					f = gseCharFreq
				}
				if d.insert(key, f) {
					totals[w] += f
				}
			}
		})
	}
	wg.Wait()
	// Summed in a fixed order, so the total, and every cut, is the same
	// from run to run.
	for _, t := range totals {
		d.total += t
	}
	d.logTotal = math.Log(d.total)
	return d, nil
}

// gseKey is the form under which gse files a word: runs of letters and
// digits of at most two UTF-8 bytes each (Latin, Greek, Cyrillic…) have
// their ASCII letters lower-cased. Han words, nearly all of them, are
// returned as they are, without allocating.
func gseKey(word string) string {
	for i := 0; i < len(word); {
		r, n := utf8.DecodeRuneInString(word[i:])
		if n <= 2 && r != utf8.RuneError {
			var b strings.Builder
			for _, w := range gse.SplitWords([]byte(word)) {
				b.Write(w)
			}
			return b.String()
		}
		i += n
	}
	return word
}

// insert adds word with frequency f unless it is already a word, and marks
// its prefixes. It reports whether it added the word; the caller accounts
// for the total frequency.
func (d *dict) insert(word string, f float64) bool {
	if old, ok := d.get(word); ok && old > 0 {
		return false
	}
	d.set(word, f)
	for i := range word {
		if i == 0 {
			continue
		}
		if _, ok := d.get(word[:i]); !ok {
			d.set(word[:i], 0)
		}
	}
	return true
}

// add makes word a word with frequency at least f, as segment's AddWords
// did with gse: a new word adds to the total frequency, a known word's
// frequency is raised in place (gse leaves its total alone then).
func (d *dict) add(word string, f float64) {
	if old, ok := d.get(word); ok && old > 0 {
		if old < f {
			d.set(word, f)
		}
		return
	}
	// The key must not point into a caller's buffer.
	d.insert(strings.Clone(word), f)
	d.total += f
	d.logTotal = math.Log(d.total)
}

// lookup returns the frequency of s (0 for a prefix that is not a word) and
// whether s is a word or a prefix of one.
func (d *dict) lookup(s string) (float64, bool) {
	return d.get(s)
}

// cut returns the lengths in runes of the words of a run of Han characters,
// as gse's Cut(s, true) cuts it (jieba's algorithm): of all the ways to
// split the run into dictionary words and single characters, the one whose
// words' frequencies have the largest product; consecutive single
// characters that do not together form a word are cut again by gse's HMM,
// which finds words the dictionary lacks. Ties and logarithms are gse's, and
// the HMM (hmm.go) computes gse's exactly, so the words are the same as gse's.
func (d *dict) cut(chunk []rune) []int {
	n := len(chunk)
	if n == 0 {
		return nil
	}
	s := string(chunk)
	offs := make([]int, n+1)
	for i, k := 0, 0; k < n; k++ {
		offs[k] = i
		i += utf8.RuneLen(chunk[k])
	}
	offs[n] = len(s)
	sub := func(a, b int) string { return s[offs[a]:offs[b]] }
	best := d.route(chunk, s, offs)

	lens := make([]int, 0, n/2+1)
	buf := -1 // start of a run of single characters, or -1
	flush := func(end int) {
		if buf < 0 {
			return
		}
		switch run := sub(buf, end); {
		case end-buf == 1:
			lens = append(lens, 1)
		default:
			if f, ok := d.lookup(run); ok && f > 0 {
				lens = appendSingles(lens, end-buf)
			} else {
				lens = hmmTables().cut(chunk[buf:end], lens)
			}
		}
		buf = -1
	}
	for x := 0; x < n; {
		y := best[x].last + 1
		if y-x == 1 {
			if buf < 0 {
				buf = x
			}
		} else {
			flush(x)
			lens = append(lens, y-x)
		}
		x = y
	}
	flush(n)
	return lens
}

// route is the best split of the runes from some k on: its log-probability
// and the index of the last rune of its first word.
type route struct {
	logp float64
	last int
}

// route returns gse's best routes through chunk, whose text is s and whose
// rune k starts at byte offs[k]: best[k] is that of chunk[k:].
func (d *dict) route(chunk []rune, s string, offs []int) []route {
	n := len(chunk)
	sub := func(a, b int) string { return s[offs[a]:offs[b]] }
	best := make([]route, n+1)
	type end struct {
		i    int
		freq float64
		ok   bool
	}
	ends := make([]end, 0, 8)
	for k := n - 1; k >= 0; k-- {
		// The words starting at k (gse's DAG), or k alone. Every key tried
		// begins with chunk[k], so all are in one shard. The lookups are
		// get's, without encoding and decoding the runes of the keys.
		sh := runeShard(chunk[k])
		ends = ends[:0]
		var first end
		for i := k; i < n; i++ {
			var f float64
			var ok bool
			switch r := chunk[k]; {
			case i == k && charsLo <= r && r < charsHi:
				f = d.chars[r-charsLo]
				f, ok = max(f, 0), f != noKey
			case i == k+1:
				f, ok = d.pairs[sh][pairKey(r, chunk[i])]
			default:
				f, ok = d.strs[sh][sub(k, i+1)]
			}
			if i == k {
				first = end{k, f, ok}
			}
			if !ok {
				break
			}
			if f > 0 {
				ends = append(ends, end{i, f, true})
			}
		}
		if len(ends) == 0 {
			ends = append(ends, first)
		}
		for j, e := range ends {
			f := e.freq
			if !e.ok {
				f = 1
			}
			r := route{math.Log(f) - d.logTotal + best[e.i+1].logp, e.i}
			if j == 0 || best[k].logp < r.logp || best[k].logp == r.logp && best[k].last < r.last {
				best[k] = r
			}
		}
	}

	return best
}

// all iterates over every key and its frequency (0 for a prefix).
func (d *dict) all() func(yield func(string, float64) bool) {
	return func(yield func(string, float64) bool) {
		for i, f := range d.chars {
			if f != noKey && !yield(string(rune(charsLo+i)), f) {
				return
			}
		}
		for _, m := range d.pairs {
			for p, f := range m {
				if !yield(string([]rune{rune(p >> 32), rune(uint32(p))}), f) {
					return
				}
			}
		}
		for _, m := range d.strs {
			for k, f := range m {
				if !yield(k, f) {
					return
				}
			}
		}
	}
}

// keys is the number of words and prefixes.
func (d *dict) keys() int {
	n := 0
	for _, f := range d.chars {
		if f != noKey {
			n++
		}
	}
	for sh := range dictShards {
		n += len(d.pairs[sh]) + len(d.strs[sh])
	}
	return n
}
