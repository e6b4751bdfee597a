package corpus

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

//go:generate go run ./internal/foldgen -o fold_table.go

// Folding is the one normalisation of the project: the index, the query,
// the gazetteer and the segmenter all match text through Fold, and show it
// as written. It folds
//   - script and region: traditional characters to simplified (華為 → 华为,
//     李開復 → 李开复), Hong Kong and Taiwan variants, and Taiwan vocabulary
//     to the mainland's (檔案 → 文件, 軟體 → 软件), by the tables that
//     internal/foldgen generates from OpenCC's tw2sp and hk2s dictionaries;
//   - width: full-width ASCII and the ideographic space to ASCII (ＡＢＣ１２３！
//     → ABC123!), half-width katakana to full-width;
//   - GTK and Windows mnemonics of user-interface strings: "_Open", "O_pen",
//     "&Open" → "Open", and "打开(_O)", "打开(&O)" → "打开".
//
// Case is kept: the index lower-cases the words it makes, and the
// gazetteer's cased names need the capitals.
//
// Folding leaves simplified text alone: a phrase is folded only when it has
// a traditional character, so the mainland 方程式 stays although the Taiwan
// 程式 means 程序 (which is thereby not folded either). A Taiwan word that
// folds to another mainland word (檔案 → 文件) is no longer found by its
// characters' simplified form (档案); RegionalForms gives that form for
// names.

// Fold returns s folded for matching (see Folding). It is FoldSpans(s).Text.
func Fold(s string) string { return FoldSpans(s).Text }

// Folded is a text folded for matching, with the way back to the text as
// written.
type Folded struct {
	// Text is the folded text.
	Text string
	// cuts are the boundaries of the blocks the fold replaced, ascending in
	// both offsets, ending with (len(Text), len(original)); nil when Text is
	// the original.
	cuts []cut
}

// cut starts a piece of the folded text. A linear piece maps byte for byte
// (runes replaced by runes of the same length, or kept); an atomic piece is
// one replaced block (軟體 → 软件, ＡＢ → AB, "(_O)" → "") whose inside
// offsets do not map.
type cut struct {
	folded, orig int
	atomic       bool
}

// Span returns the byte span of the text as written that the folded bytes
// Text[start:end] come from: the smallest span of whole folded blocks that
// covers them, so a word of the folded text is highlighted as written even
// where folding changed lengths (記憶體 → 内存) or dropped a mnemonic.
// Blocks that fold to nothing at either end of the span are left out.
func (f Folded) Span(start, end int) (int, int) {
	if f.cuts == nil {
		return start, end
	}
	cs := f.cuts
	// The last cut at or before start: after any block that folds to
	// nothing there.
	i := sort.Search(len(cs), func(i int) bool { return cs[i].folded > start }) - 1
	s := cs[i].orig
	if !cs[i].atomic {
		s += start - cs[i].folded
	}
	// The first cut at or after end: before any block that folds to nothing.
	j := sort.Search(len(cs), func(j int) bool { return cs[j].folded >= end })
	var e int
	switch {
	case j == len(cs):
		e = cs[len(cs)-1].orig
	case cs[j].folded == end || cs[j-1].atomic:
		e = cs[j].orig
	default:
		e = cs[j-1].orig + end - cs[j-1].folded
	}
	return s, max(s, e)
}

// FoldSpans folds s (see Folding) and keeps the way back to s.
func FoldSpans(s string) Folded {
	t := tables()
	b := folder{src: s, pending: -1}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '(':
				if n := mnemonicGroup(s, i); n > 0 {
					b.replace(i, i+n, "")
					i += n
					continue
				}
			case c == '_' || c == '&':
				if mnemonicMarker(s, i) {
					b.replace(i, i+1, "")
					i++
					continue
				}
			}
			b.keep(i, i+1)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		fl := t.flags(r)
		if fl == 0 {
			b.keep(i, i+size)
			i += size
			continue
		}
		if fl&flagPhrase != 0 {
			if n, v := t.phrase(s[i:], r); n > 0 {
				b.replace(i, i+n, v)
				i += n
				continue
			}
		}
		if r == '（' {
			if n := mnemonicGroup(s, i); n > 0 {
				b.replace(i, i+n, "")
				i += n
				continue
			}
		}
		f := r
		if fl&flagWidth != 0 {
			f = foldWidthRune(r)
		}
		if fl&flagChar != 0 {
			f = t.char(f)
		}
		switch {
		case f == r:
			b.keep(i, i+size)
		case utf8.RuneLen(f) == size:
			b.replaceRune(i, i+size, f)
		default:
			b.replace(i, i+size, string(f))
		}
		i += size
	}
	return b.done()
}

// folder builds a Folded. Nothing is copied until the first change, and
// kept text is copied in runs.
type folder struct {
	src     string
	out     []byte
	cuts    []cut
	changed bool
	linear  bool // the last piece is linear
	pending int  // kept text src[pending:keptTo] not yet copied, or -1
	keptTo  int
}

// keep copies src[i:j] unchanged.
func (b *folder) keep(i, j int) {
	if !b.changed {
		return
	}
	if !b.linear {
		b.flush()
		b.cuts = append(b.cuts, cut{folded: len(b.out), orig: i})
		b.linear = true
	}
	if b.pending < 0 {
		b.pending = i
	}
	b.keptTo = j
}

// flush copies the kept text not yet copied.
func (b *folder) flush() {
	if b.pending >= 0 {
		b.out = append(b.out, b.src[b.pending:b.keptTo]...)
		b.pending = -1
	}
}

// replace writes v for src[i:j].
func (b *folder) replace(i, j int, v string) {
	if v == b.src[i:j] && utf8.RuneCountInString(v) <= 1 {
		b.keep(i, j)
		return
	}
	if !b.changed {
		b.changed = true
		b.pending = -1
		b.out = make([]byte, 0, len(b.src)+8)
		b.out = append(b.out, b.src[:i]...)
		if i > 0 {
			b.cuts = append(b.cuts, cut{})
			b.linear = true
		}
	}
	b.flush()
	if j-i == len(v) && utf8.RuneCountInString(b.src[i:j]) == 1 && utf8.RuneCountInString(v) == 1 {
		// One rune for another of the same length: offsets map one to one.
		if !b.linear {
			b.cuts = append(b.cuts, cut{folded: len(b.out), orig: i})
			b.linear = true
		}
	} else {
		b.cuts = append(b.cuts, cut{folded: len(b.out), orig: i, atomic: true})
		b.linear = false
	}
	b.out = append(b.out, v...)
}

// replaceRune writes f for the rune src[i:j] of the same length in bytes.
func (b *folder) replaceRune(i, j int, f rune) {
	if !b.changed || !b.linear {
		var buf [utf8.UTFMax]byte
		b.replace(i, j, string(utf8.AppendRune(buf[:0], f)))
		return
	}
	b.flush()
	b.out = utf8.AppendRune(b.out, f)
}

func (b *folder) done() Folded {
	if !b.changed {
		return Folded{Text: b.src}
	}
	b.flush()
	b.cuts = append(b.cuts, cut{folded: len(b.out), orig: len(b.src)})
	return Folded{Text: string(b.out), cuts: b.cuts}
}

// Mnemonics. GTK marks the access key of a label with "_" before it
// ("_Open", "O_pen"; "__" is a literal underscore), Windows with "&"
// ("&Open"; "&&" is a literal ampersand), and Chinese, Japanese and Korean
// translations add the key after the label in parentheses: "打开(_O)",
// "打开(&O)".

// mnemonicGroup returns the length of the mnemonic group "(_O)" or "(&O)"
// at s[i:], full-width parentheses allowed, or 0.
func mnemonicGroup(s string, i int) int {
	j := i
	if r, n := utf8.DecodeRuneInString(s[j:]); r == '(' || r == '（' {
		j += n
	} else {
		return 0
	}
	if j >= len(s) || s[j] != '_' && s[j] != '&' {
		return 0
	}
	j++
	r, n := utf8.DecodeRuneInString(s[j:])
	if r = foldWidthRune(r); !isASCIIAlnum(r) {
		return 0
	}
	j += n
	if r, n := utf8.DecodeRuneInString(s[j:]); r == ')' || r == '）' {
		return j + n - i
	}
	return 0
}

// mnemonicMarker reports whether the "_" or "&" at s[i] marks a mnemonic
// (and is dropped by the fold). It does when a letter or digit follows and
// the mark is not doubled, and:
//   - "_": the word around it (letters, digits, underscores) has no other
//     underscore, and inside a word the word starts with a capital and a
//     lower-case letter follows the mark, so "_Open", "O_pen", "Cu_t" and
//     "Save _As" fold while "MAX_PATH", "x_1", "hot_standby",
//     "max_path_len" and "__init__" stay;
//   - "&": it starts a word and is not an entity, so "&Open" folds while
//     "AT&T", "R&D", "a=1&b=2" and "&amp;" stay.
func mnemonicMarker(s string, i int) bool {
	m := rune(s[i])
	next, _ := utf8.DecodeRuneInString(s[i+1:])
	if !isAlnum(next) {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	if i > 0 && prev == m {
		return false
	}
	if m == '&' {
		if i > 0 && isAlnum(prev) {
			return false
		}
		j := i + 1
		for j < len(s) && (isASCIIAlnum(rune(s[j])) || s[j] == '#') {
			j++
		}
		return j == len(s) || s[j] != ';'
	}
	if i > 0 && isAlnum(prev) && !unicode.IsLower(next) {
		return false // "LC_ALL", "x_1": an identifier, not "O_pen"
	}
	first := next // the first letter of the word
	for j := i; j > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if r == '_' {
			return false
		}
		if !isAlnum(r) {
			break
		}
		first = r
		j -= n
	}
	if i > 0 && isAlnum(prev) && !unicode.IsUpper(first) {
		return false // "hot_standby", "pg_control": an identifier, not "Cu_t"
	}
	for j := i + 1; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		if r == '_' {
			return false
		}
		if !isAlnum(r) {
			break
		}
		j += n
	}
	return true
}

func isAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isASCIIAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// foldWidthRune folds one full-width or half-width rune to its canonical
// width, or returns r.
func foldWidthRune(r rune) rune {
	if r < 0x3000 {
		return r
	}
	if f := width.LookupRune(r).Folded(); f != 0 {
		return f
	}
	return r
}

// foldWidth folds the widths of s only: full-width ASCII (Ｈｕａｗｅｉ, ２０１９)
// and the ideographic space to ASCII, half-width katakana to full-width.
func foldWidth(s string) string {
	for _, r := range s {
		if foldWidthRune(r) != r {
			return strings.Map(foldWidthRune, s)
		}
	}
	return s
}

// The script tables, from fold_table.go.

// Flags of a rune in foldTables.flag.
const (
	flagChar   = 1 << iota // foldChars changes it
	flagPhrase             // a key of foldPhrases starts with it
	flagWidth              // width folding changes it
)

type foldTables struct {
	flag    []uint8 // by rune below 0x10000
	phrases map[string]string
	keyLens map[rune]uint16 // bit n: a key of foldPhrases of n runes starts with the rune
	high    bool            // some rune above 0xFFFF is changed or starts a phrase
}

// tables returns the tables, built on first use.
var tables = sync.OnceValue(buildTables)

func buildTables() *foldTables {
	t := &foldTables{
		flag:    make([]uint8, 0x10000),
		phrases: make(map[string]string, len(foldPhrases)),
		keyLens: make(map[rune]uint16),
	}
	mark := func(r rune, f uint8) {
		if r < 0x10000 {
			t.flag[r] |= f
		} else {
			t.high = true
		}
	}
	for _, c := range foldChars {
		mark(c.from, flagChar)
	}
	for _, p := range foldPhrases {
		t.phrases[p.from] = p.to
		r, _ := utf8.DecodeRuneInString(p.from)
		t.keyLens[r] |= 1 << min(utf8.RuneCountInString(p.from), 15)
		mark(r, flagPhrase)
	}
	// Runes with another width from U+3000 on: the ideographic space and
	// the Halfwidth and Fullwidth Forms block.
	for r := rune(0x3000); r < 0x10000; r++ {
		if r == 0x3001 {
			r = 0xFF00
		}
		if foldWidthRune(r) != r {
			t.flag[r] |= flagWidth
		}
	}
	return t
}

// flags returns the flags of a non-ASCII rune.
func (t *foldTables) flags(r rune) uint8 {
	if r < 0x10000 {
		return t.flag[r]
	}
	if !t.high {
		return 0
	}
	var f uint8
	if t.char(r) != r {
		f |= flagChar
	}
	if t.keyLens[r] != 0 {
		f |= flagPhrase
	}
	return f
}

// char returns the folded form of one character.
func (t *foldTables) char(r rune) rune {
	i := sort.Search(len(foldChars), func(i int) bool { return foldChars[i].from >= r })
	if i < len(foldChars) && foldChars[i].from == r {
		return foldChars[i].to
	}
	return r
}

// phrase returns the length in bytes and the value of the longest key of
// foldPhrases that s starts with (its first rune is r), or 0.
func (t *foldTables) phrase(s string, r rune) (int, string) {
	lens := t.keyLens[r]
	// ends[n] is the byte length of the first n runes of s.
	var ends [16]int
	n, i := 0, 0
	for n < 15 && i < len(s) && lens>>(n+1) != 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
		ends[n] = i
	}
	for ; n > 0; n-- {
		if lens&(1<<n) != 0 {
			if v, ok := t.phrases[s[:ends[n]]]; ok {
				return ends[n], v
			}
		}
	}
	return 0, ""
}

// RegionalForms returns the other forms a folded Chinese name may take
// because a regional word in it folds to another word: 通訊, Taiwan's 通讯
// (communications), folds to 通信, so the forms of 考克斯通讯 are 考克斯通信
// (its Taiwan spelling, folded) and those of 考克斯通信 are 考克斯通讯 (the
// simplified characters of that spelling). Each form replaces one word, in
// either direction, or every word towards the folded form. It returns nil
// when there is none. The gazetteer gives a name these forms so that it is
// found however it is written.
func RegionalForms(folded string) []string {
	rt := regionalTable()
	var out []string
	add := func(f string) {
		if f != folded && !slices.Contains(out, f) && len(out) < maxRegionalForms {
			out = append(out, f)
		}
	}
	var all strings.Builder // every word replaced towards the folded form
	forwarded := false
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		n := size
		for l := min(rt.maxKey[r], len(folded)-i); l > size; l-- {
			w := folded[i : i+l]
			v, fwd := rt.forward[w]
			backs := rt.backward[w]
			if !fwd && len(backs) == 0 {
				continue
			}
			if fwd {
				add(folded[:i] + v + folded[i+l:])
				w, forwarded = v, true
			}
			for _, back := range backs {
				add(folded[:i] + back + folded[i+l:])
			}
			all.WriteString(w)
			n = l
			break
		}
		if n == size {
			all.WriteString(folded[i : i+n])
		}
		i += n
	}
	if forwarded {
		add(all.String())
	}
	return out
}

// maxRegionalForms bounds the forms of one name.
const maxRegionalForms = 8

type regional struct {
	forward  map[string]string   // 通讯 → 通信
	backward map[string][]string // 通信 → 通讯
	maxKey   map[rune]int        // longest key of either starting with a rune, in bytes
}

var regionalTable = sync.OnceValue(func() *regional {
	rt := &regional{
		forward:  make(map[string]string, len(foldRegional)),
		backward: make(map[string][]string),
		maxKey:   make(map[rune]int),
	}
	key := func(k string) {
		r, _ := utf8.DecodeRuneInString(k)
		rt.maxKey[r] = max(rt.maxKey[r], len(k))
	}
	for _, p := range foldRegional {
		rt.forward[p.from] = p.to
		rt.backward[p.to] = append(rt.backward[p.to], p.from)
		key(p.from)
		key(p.to)
	}
	return rt
})
