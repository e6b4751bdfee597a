package index

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"github.com/corpus-dev/corpus/corpus"
)

// The workbench (frequencies, collocations, word lists) counts words as a
// reader sees them, not as the index keeps them: English words lower-cased
// but not stemmed ("technologies" and "technology" are two forms) and with
// their stop words; Chinese words as the index segments them, folded to
// simplified script. Punctuation and symbols are not tokens.

// wtoken is one word of a passage's side: its byte span in the text and
// its form.
type wtoken struct {
	Start, End int
	Form       string
}

// words returns the words of one side of the stored passage id.
func (ix *Index) words(id string, lang corpus.Lang, text string) []wtoken {
	if text == "" {
		return nil
	}
	if lang == corpus.English {
		return latinWords(text)
	}
	return chineseWords(ix.passageAnalysis(id, lang, text).tokens)
}

// latinWords splits English text into lower-cased words: runs of letters
// and digits, joined by an apostrophe or a full stop between two of them
// ("Huawei's", "U.S"). It is four times faster than the index's Unicode
// word segmentation, which a frequency list would run on thousands of
// passages per request; where the two differ ("10,000" is one word there,
// two here) a match's span still covers whole words here.
func latinWords(text string) []wtoken {
	var out []wtoken
	isW := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	start := -1
	for i, r := range text {
		switch {
		case isW(r):
			if start < 0 {
				start = i
			}
		case start >= 0 && (r == '\'' || r == '’' || r == '.'):
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			if isW(next) {
				continue
			}
			out = append(out, wtoken{Start: start, End: i, Form: strings.ToLower(text[start:i])})
			start = -1
		case start >= 0:
			out = append(out, wtoken{Start: start, End: i, Form: strings.ToLower(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, wtoken{Start: start, End: len(text), Form: strings.ToLower(text[start:])})
	}
	return out
}

// chineseWords turns the index's analysis of a Chinese side into words,
// one per stretch of text: where the analysis has several tokens starting
// at one place (sub-words for recall), the longest is the word.
func chineseWords(ts analysis.TokenStream) []wtoken {
	var out []wtoken
	end := 0
	for _, t := range ts {
		if t.Start < end {
			if k := len(out) - 1; k >= 0 && out[k].Start == t.Start && t.End > out[k].End {
				out[k] = wtoken{Start: t.Start, End: t.End, Form: string(t.Term)}
				end = t.End
			}
			continue
		}
		if !hasWordChar(string(t.Term)) {
			continue
		}
		out = append(out, wtoken{Start: t.Start, End: t.End, Form: string(t.Term)})
		end = t.End
	}
	return out
}

// stopWords returns the stop words of each language: the English list of
// the index's analyzer (Snowball's) and common Chinese function words.
var stopWords = sync.OnceValue(func() map[corpus.Lang]map[string]bool {
	m := map[corpus.Lang]map[string]bool{corpus.English: {}, corpus.Chinese: {}}
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err == nil {
		for w := range tm {
			m[corpus.English][w] = true
		}
	}
	for w := range strings.FieldsSeq("的 了 是 在 和 与 及 也 都 就 而 之 对 把 被 这 那 一个 有 为 以 于 将 等 中 上 下 其 他 她 它 他们 我们 你 我 不 没有 又 还 并 或 但 所 让 着 过 到 从 给 向 由 会 能 要 个") {
		m[corpus.Chinese][w] = true
	}
	return m
})

// isStop reports whether form is a stop word of lang.
func isStop(lang corpus.Lang, form string) bool { return stopWords()[lang][form] }
