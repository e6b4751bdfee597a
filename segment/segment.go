package segment

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
)

// Script says what kind of characters a token is made of, so that the index
// can route it (Han words to the Chinese field's terms, Latin words through
// English stemming if it wants to).
type Script uint8

// The scripts of tokens.
const (
	// Other is a word in a script other than Han and Latin: kana, Hangul,
	// Cyrillic, Greek...
	Other Script = iota
	// Han is a Chinese word cut by gse.
	Han
	// Latin is a word of Latin letters, possibly with digits in it (mate60, 5g).
	Latin
	// Digit is a number: digits only, with a decimal point between digits.
	Digit
)

// String returns the lower-case name of the script.
func (s Script) String() string {
	switch s {
	case Han:
		return "han"
	case Latin:
		return "latin"
	case Digit:
		return "digit"
	case Other:
		return "other"
	}
	return fmt.Sprintf("Script(%d)", uint8(s))
}

// Token is one word of a text.
type Token struct {
	// Text is the word normalised for indexing: folded as corpus.Fold
	// does (traditional and regional → simplified, full-width → ASCII,
	// mnemonics dropped) and lower-cased.
	Text string
	// Start and End are byte offsets into the original text, on rune
	// boundaries, so text[Start:End] is the word as written. They may span
	// a different number of bytes than Text; where folding replaced a
	// phrase by one of another length (記憶體 → 内存) they cover the whole
	// phrase, so two tokens from one phrase may share a span.
	Start, End int
	// Position is the 1-based index of the token in the text.
	Position int
	// Script is what the word is written in.
	Script Script
}

// addedFreq is the dictionary frequency given to the words of AddWords. A word
// in gse's accurate mode is split only when a path of smaller words is more
// probable; with the dictionary's total frequency T (3.3e7 for zh_s) and its
// largest word frequency M (142,747), any split of a word costs at most M²/T
// ≈ 620, so any frequency above that keeps the word whole. 20,000, about the
// frequency of 表示, also lets a name win the characters it shares with a
// neighbouring word without making thousands of names swamp T.
const addedFreq = 20000

// maxChunk bounds, in runes, the Han text cut in one call. gse's HMM copies
// its Viterbi path at every step, so a run of unknown characters cost time and
// memory quadratic in its length: 16,000 of them in one call took 0.34 s and
// allocated 1.2 GB, in chunks of 512 runes 0.07 s. Our HMM (hmm.go) is linear,
// but the chunks stay: they decide some words of long runs, and the words must
// stay those of the index's existing generations.
const maxChunk = 512

// chunkOverlap is how many runes at the end of a chunk are cut again with the
// next one: twice the longest word of the dictionary (16 runes).
const chunkOverlap = 32

// Segmenter cuts text into tokens. It is safe for concurrent use; AddWords
// waits for running Tokens calls and holds new ones back while it edits the
// dictionary.
type Segmenter struct {
	mu   sync.RWMutex // guards dict
	dict *dict
}

// New loads gse's embedded simplified Chinese dictionary (see dict: about
// 0.2 s and 40 MiB; load it once per process) and adds the words of extra
// as AddWords does, so that names such as 字节跳动 or 张一鸣 are never split.
func New(extra []string) (*Segmenter, error) {
	var d *dict
	var err error
	// The dictionary and gse's HMM tables load on two cores at once.
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		d, err = loadDict()
	}()
	hmmTables()
	<-loaded
	if err != nil {
		return nil, fmt.Errorf("load gse dictionary zh_s: %w", err)
	}
	s := &Segmenter{dict: d}
	if err := s.AddWords(extra); err != nil {
		return nil, err
	}
	return s, nil
}

// defaultSegmenter backs Default.
var defaultSegmenter = sync.OnceValues(func() (*Segmenter, error) { return New(nil) })

// Default returns the process-wide segmenter, loading it with no extra words
// on first use. It exists for index's bleve tokenizer: bleve builds analyzers
// from the JSON config stored in the index mapping, so a tokenizer constructor
// cannot be handed a *Segmenter and has to find one itself. Everything else
// should take a *Segmenter as an argument. Add the gazetteer's names to it
// with AddWords before indexing.
func Default() (*Segmenter, error) {
	return defaultSegmenter()
}

// AddWords adds words to the dictionary with a frequency high enough that
// Tokens keeps each of them whole, raising it for words the dictionary already
// has. Words are folded first, so 字節跳動 adds 字节跳动. Only runs of two or
// more Han characters are added, each on its own: Latin and digit words are
// single tokens anyway, and a mixed word (A股) is cut where its script
// changes. Words added while other goroutines call Tokens take effect for the
// calls that start after AddWords returns.
func (s *Segmenter) AddWords(words []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range words {
		for _, run := range corpus.HanRuns(corpus.Fold(w)) {
			if utf8.RuneCountInString(run) < 2 {
				continue
			}
			s.dict.add(run, addedFreq)
		}
	}
	return nil
}

// Tokens returns the words of text in order. Runs of Han characters are cut
// by gse in accurate mode (dictionary DAG, HMM for unknown words; not search
// mode, which returns nothing for a one-word text). Latin words, numbers and
// words of other scripts are one token each, a Latin word keeping the digits
// in it (mate60) and a number its decimal points (3.5). Everything else
// (spaces, punctuation, symbols, invalid UTF-8) separates tokens and is
// dropped. The text is folded first (see corpus.Fold), so Text is the folded,
// lower-cased word, while Start and End point into text as given.
//
// A run of Han characters ends at any other character, so sentence
// punctuation bounds what gse sees; a run longer than maxChunk runes is cut
// into chunks, each ending at a word boundary gse chose, which keeps long
// unpunctuated input linear.
func (s *Segmenter) Tokens(text string) []Token { return s.tokens(text, true) }

// NonHanTokens returns the tokens of text that Tokens returns outside its
// runs of Han characters (Latin words, numbers, words of other scripts),
// without cutting those runs: each run stands for one position, so two
// tokens are at consecutive positions exactly when they are in Tokens. It
// is what a phrase of such words needs, at the cost of folding the text.
func (s *Segmenter) NonHanTokens(text string) []Token {
	if !hasNonHanWord(text) {
		return nil
	}
	return s.tokens(text, false)
}

// hasNonHanWord reports whether text has a character that begins a token
// other than a Han word. Folding only narrows widths, simplifies Han
// characters and drops mnemonics, so it cannot make one where there was none.
func hasNonHanWord(text string) bool {
	for _, r := range text {
		switch classify(r) {
		case latinClass, digitClass, otherClass:
			return true
		}
	}
	return false
}

// tokens is Tokens, or NonHanTokens when han is false.
func (s *Segmenter) tokens(text string, han bool) []Token {
	if text == "" {
		return nil
	}
	// The text is folded once, in corpus (script, width, mnemonics); runes[i]
	// is rune i of the folded text and offs[i] its byte offset there, which
	// f.Span maps back to the text as written.
	f := corpus.FoldSpans(text)
	n := utf8.RuneCountInString(f.Text)
	runes := make([]rune, 0, n)
	offs := make([]int, 0, n+1)
	for i, r := range f.Text {
		runes = append(runes, r)
		offs = append(offs, i)
	}
	offs = append(offs, len(f.Text))

	var toks []Token
	pos := 0
	emit := func(a, b int, sc Script, word string) {
		start, end := f.Span(offs[a], offs[b])
		pos++
		toks = append(toks, Token{Text: word, Start: start, End: end, Position: pos, Script: sc})
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for i := 0; i < len(runes); {
		switch classify(runes[i]) {
		case hanClass:
			j := i + 1
			for j < len(runes) && classify(runes[j]) == hanClass {
				j++
			}
			if !han {
				pos++ // the run's words, as one position
			}
			for _, w := range s.hanWords(runes[i:j], han) {
				emit(i+w.start, i+w.end, Han, string(runes[i+w.start:i+w.end]))
			}
			i = j
		case latinClass, digitClass, otherClass:
			j, sc := wordEnd(runes, i)
			emit(i, j, sc, strings.ToLower(string(runes[i:j])))
			i = j
		default:
			i++
		}
	}
	return toks
}

// hanWords is cutHan(run), or nothing when han is false.
func (s *Segmenter) hanWords(run []rune, han bool) []span {
	if !han {
		return nil
	}
	return s.cutHan(run)
}

// span is a word of a run, in rune indices.
type span struct{ start, end int }

// cutHan cuts a run of Han characters into words, maxChunk runes at a time.
// gse chooses a chunk's words from its end backwards, so the words near a cut
// that is not the end of the run may be wrong (字节跳 + 动): the words of the
// last chunkOverlap runes are dropped and cut again as the start of the next
// chunk.
func (s *Segmenter) cutHan(run []rune) []span {
	var words []span
	for start := 0; start < len(run); {
		end := min(start+maxChunk, len(run))
		lens := s.cut(run[start:end])
		keep := end
		if end < len(run) {
			keep = end - chunkOverlap
		}
		for i, l := range lens {
			if i > 0 && start+l > keep {
				break
			}
			words = append(words, span{start, start + l})
			start += l
		}
	}
	return words
}

// cut returns the lengths in runes of the words of chunk.
func (s *Segmenter) cut(chunk []rune) []int { return s.dict.cut(chunk) }

// appendSingles appends n words of one rune each.
func appendSingles(lens []int, n int) []int {
	for range n {
		lens = append(lens, 1)
	}
	return lens
}

// wordEnd returns the end of the non-Han word starting at runes[i] and its
// script. Letters of one script and digits make a word (mate60, 5g, 2024);
// Latin and other letters do not mix. Combining marks stay with the letter
// before them; a '.' between two digits stays in the number (3.5).
func wordEnd(runes []rune, i int) (int, Script) {
	sc := Digit
	j := i
	for ; j < len(runes); j++ {
		var letter Script
		switch classify(runes[j]) {
		case digitClass, markClass:
			continue
		case latinClass:
			letter = Latin
		case otherClass:
			letter = Other
		default:
			if runes[j] == '.' && j > i && classify(runes[j-1]) == digitClass &&
				j+1 < len(runes) && classify(runes[j+1]) == digitClass {
				continue
			}
			return j, sc
		}
		if sc == Digit {
			sc = letter
		} else if sc != letter {
			return j, sc
		}
	}
	return j, sc
}

// class is what a folded rune is to the tokenizer.
type class uint8

const (
	sepClass   class = iota // separates tokens and is never part of one
	hanClass                // Han characters, cut into words by gse
	latinClass              // Latin letters
	digitClass              // decimal digits of any script
	otherClass              // letters of other scripts (kana, Hangul, Cyrillic, Greek...)
	markClass               // combining marks: part of the word they follow
)

// classify returns the class of a folded rune.
func classify(r rune) class {
	if r < 0x80 {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return latinClass
		case '0' <= r && r <= '9':
			return digitClass
		}
		return sepClass
	}
	switch {
	case unicode.Is(unicode.Han, r):
		return hanClass
	case unicode.IsDigit(r):
		return digitClass
	case unicode.IsLetter(r):
		if unicode.Is(unicode.Latin, r) {
			return latinClass
		}
		return otherClass
	case unicode.IsMark(r):
		return markClass
	}
	return sepClass
}
