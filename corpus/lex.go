package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens. Latin-script text is cut into words (runs of letters, digits and
// marks) and single punctuation runes; spaces and unspaced scripts (Han,
// kana, Hangul) make no tokens, so a word next to a Chinese character ends
// there ("TikTok的").

type tokKind uint8

const (
	tokWord tokKind = iota + 1
	tokPunct
)

type token struct {
	start, end int
	kind       tokKind
	fold       string // words only: lower case, full-width folded
}

func lex(text string, toks []token) []token {
	if toks == nil {
		toks = make([]token, 0, len(text)/4+1) // about one token per word and punctuation
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isWordRune(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !isWordRune(r2) {
					break
				}
				j += s2
			}
			toks = append(toks, token{start: i, end: j, kind: tokWord, fold: foldWord(text[i:j])})
			i = j
			continue
		case r < utf8.RuneSelf && (r == ' ' || r == '\n' || r == '\t' || r == '\r'):
		case unicode.IsSpace(r), isCJK(r):
		default:
			toks = append(toks, token{start: i, end: i + size, kind: tokPunct})
		}
		i += size
	}
	return toks
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) && !isCJK(r)
}

// isCJK reports whether r belongs to a script written without spaces.
func isCJK(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) ||
		unicode.Is(unicode.Bopomofo, r) || r == 'ー' || r == '〇'
}

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// foldWord lower-cases a word and folds full-width letters and digits.
func foldWord(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(foldWidth(s))
		}
	}
	return s
}
