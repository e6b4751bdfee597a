package index

import (
	"html"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/corpus-dev/corpus/corpus"
)

// Fragment sizes in runes.
const (
	wholeTextRunes = 320 // a passage this short is shown whole
	contextRunes   = 90  // runes kept on each side of a match
	maxFragments   = 3
	leadRunes      = 200 // shown when a side has no match
)

// highlighter marks what a parsed query matched in a passage's two sides:
// the words (by stem on the English side), phrases, prefixes and Chinese
// strings of its clauses, and the names of the entities the query named
// (so 华为 marks "Huaweis" in English text).
type highlighter struct {
	ix       *Index
	seqs     map[corpus.Lang][][]string // analysed terms of phrases and words, in order
	stems    map[string]bool            // stems of English words
	prefixes map[corpus.Lang][]string
	han      []string // folded Han runs, marked wherever they stand
	entities map[string]bool
	equiv    equivMarks // translation equivalents (equiv.go)
	// noFragments leaves Highlights out (scan).
	noFragments bool
	// zhLatinOnly: what the Chinese side's words mark is Latin words
	// alone (latinOnly).
	zhLatinOnly bool
	// analyseAll analyses every side, as spans did before it learnt
	// which sides need it; tests compare the two.
	analyseAll bool
}

var sideAnalyzer = map[corpus.Lang]string{corpus.English: enAnalyzerName, corpus.Chinese: zhAnalyzerName}

func (ix *Index) newHighlighter(cq compiled) *highlighter {
	h := &highlighter{ix: ix, seqs: map[corpus.Lang][][]string{}, stems: map[string]bool{}, prefixes: map[corpus.Lang][]string{}, entities: map[string]bool{}, equiv: ix.equivMarksOf(cq.parts)}
	for _, part := range cq.parts {
		// A side condition marks its side only.
		en, zh := part.lang != corpus.Chinese, part.lang != corpus.English
		seq := func(lang corpus.Lang, text string) {
			var terms []string
			for _, t := range ix.analyze(sideAnalyzer[lang], text) {
				terms = append(terms, string(t.Term))
			}
			if len(terms) > 0 {
				h.seqs[lang] = append(h.seqs[lang], terms)
			}
		}
		for _, g := range part.p.Groups {
			for _, c := range g {
				switch {
				case c.Kind == kindPrefix:
					for _, l := range corpus.Langs {
						if l == corpus.English && en || l == corpus.Chinese && zh {
							h.prefixes[l] = append(h.prefixes[l], c.Text)
						}
					}
				case c.Kind == kindWord:
					if en {
						for _, t := range ix.analyze(enAnalyzerName, c.Text) {
							h.stems[stem(string(t.Term))] = true
						}
					}
					if zh {
						for _, t := range ix.analyze(zhAnalyzerName, c.Text) {
							h.seqs[corpus.Chinese] = append(h.seqs[corpus.Chinese], []string{string(t.Term)})
						}
					}
				case hasHan(c.Text):
					if zh {
						h.han = append(h.han, corpus.HanRuns(corpus.Fold(c.Text))...)
						for _, t := range ix.analyze(zhAnalyzerName, c.Text) {
							if !hasHan(string(t.Term)) {
								h.seqs[corpus.Chinese] = append(h.seqs[corpus.Chinese], []string{string(t.Term)})
							}
						}
					}
				default:
					if en {
						seq(corpus.English, c.Text)
					}
					if zh {
						seq(corpus.Chinese, c.Text)
					}
				}
				for _, e := range c.Entities {
					h.entities[e] = true
				}
			}
		}
	}
	h.zhLatinOnly = h.latinOnly()
	return h
}

func (h *highlighter) hit(p corpus.Passage, score float64) Hit {
	hit := Hit{Passage: p, Score: score, Matches: map[corpus.Lang][]Span{}, Highlights: map[corpus.Lang][]string{}}
	for _, lang := range corpus.Langs {
		text := p.Text.Get(lang)
		if text == "" {
			continue
		}
		spans := h.spans(p.ID, lang, text, p.Entities)
		if eq := h.ix.equivSpans(h.equiv, p.ID, lang, text, spans); len(eq) > 0 {
			if hit.Equivalents == nil {
				hit.Equivalents = map[corpus.Lang][]Span{}
			}
			hit.Equivalents[lang] = eq
			spans = mergeSpans(append(spans, eq...))
		}
		hit.Matches[lang] = spans
		if !h.noFragments {
			hit.Highlights[lang] = fragments(text, spans)
		}
	}
	// A variant the query matched (the zh-TW wording of a unit, a PO
	// message's plural) follows its side's fragments, labelled, so a hit
	// found through it shows why.
	for i, v := range p.Variants {
		if v.Text == "" {
			continue
		}
		spans := h.spans(p.ID+"\x00"+strconv.Itoa(i), v.Lang, v.Text, p.Entities)
		if len(spans) == 0 {
			continue
		}
		for _, f := range fragments(v.Text, spans) {
			hit.Highlights[v.Lang] = append(hit.Highlights[v.Lang], html.EscapeString(v.Label)+": "+f)
		}
	}
	return hit
}

// spans returns the matched byte ranges of text, sorted and disjoint.
// Segmenting a side is most of what highlighting a page costs, so a side
// is analysed only when something to mark reads its words, and searched
// for names alone when only the query's entities are to be marked there.
func (h *highlighter) spans(id string, lang corpus.Lang, text string, tagged []string) []Span {
	var out []Span
	full := h.analyseAll || h.ix.analysisKept(id, lang)
	switch reads := full || h.readsWords(lang, text); {
	case reads && !full && lang == corpus.Chinese && h.zhLatinOnly:
		// Only Latin words are marked: their tokens, which keep the
		// adjacency of the segmenter's (zh_latin's, which the search
		// read), come without cutting the Han text.
		out = h.wordSpans(lang, h.ix.analyze(zhLatinAnalyzer, text))
	case reads:
		out = h.wordSpans(lang, h.ix.passageAnalysis(id, lang, text).tokens)
	}
	var mentions []corpus.Mention
	if len(h.entities) > 0 {
		mentions = h.ix.passageMentions(id, lang, text)
	}
	if lang == corpus.Chinese && len(h.han) > 0 {
		out = append(out, hanSpans(text, h.han)...)
	}
	for _, m := range mentions {
		if !slices.Contains(tagged, m.Entity) {
			continue
		}
		for _, n := range h.ix.ents.expand[m.Entity] {
			if h.entities[n] {
				out = append(out, Span{m.Start, m.End})
				break
			}
		}
	}
	return mergeSpans(out)
}

// readsWords reports whether marking side lang of text reads its words:
// English stems, prefixes, or sequences of terms. On the Chinese side a
// sequence can stand only where its first term is in the folded,
// lowercased text (the segmenter's words are pieces of it), so a text
// without any of them is not segmented: an English search's Latin words
// are seldom inside Chinese text.
func (h *highlighter) readsWords(lang corpus.Lang, text string) bool {
	if lang == corpus.English && len(h.stems) > 0 || len(h.prefixes[lang]) > 0 {
		return true
	}
	seqs := h.seqs[lang]
	if len(seqs) == 0 {
		return false
	}
	if lang != corpus.Chinese {
		return true
	}
	folded := strings.ToLower(corpus.Fold(text))
	for _, seq := range seqs {
		if strings.Contains(folded, seq[0]) {
			return true
		}
	}
	return false
}

// latinOnly reports whether what the Chinese side's words mark is Latin
// words alone: no prefixes (which Han words can begin) and no Han terms in
// the sequences (Han strings are marked where they stand, by hanSpans).
func (h *highlighter) latinOnly() bool {
	if len(h.prefixes[corpus.Chinese]) > 0 {
		return false
	}
	for _, seq := range h.seqs[corpus.Chinese] {
		if slices.ContainsFunc(seq, hasHan) {
			return false
		}
	}
	return true
}

// wordSpans returns where toks, a side's analysis, hold the query's words.
func (h *highlighter) wordSpans(lang corpus.Lang, toks analysis.TokenStream) []Span {
	var out []Span
	for i, t := range toks {
		term := string(t.Term)
		if lang == corpus.English && len(h.stems) > 0 && h.stems[stem(term)] {
			out = append(out, Span{t.Start, t.End})
		}
		for _, p := range h.prefixes[lang] {
			if strings.HasPrefix(term, p) {
				out = append(out, Span{t.Start, t.End})
			}
		}
		for _, seq := range h.seqs[lang] {
			if seqAt(toks, i, seq) {
				out = append(out, Span{toks[i].Start, toks[i+len(seq)-1].End})
			}
		}
	}
	return out
}

// hanSpans returns where the folded runs stand in text, folded as the
// index folds it, mapped back to the text as written.
func hanSpans(text string, runs []string) []Span {
	f := corpus.FoldSpans(text)
	var out []Span
	for _, run := range runs {
		for i := 0; ; {
			j := strings.Index(f.Text[i:], run)
			if j < 0 {
				break
			}
			s, e := f.Span(i+j, i+j+len(run))
			out = append(out, Span{s, e})
			_, n := utf8.DecodeRuneInString(f.Text[i+j:])
			i += j + n
		}
	}
	return out
}

func mergeSpans(s []Span) []Span {
	if len(s) == 0 {
		return nil
	}
	sort.Slice(s, func(i, j int) bool {
		if s[i].Start != s[j].Start {
			return s[i].Start < s[j].Start
		}
		return s[i].End > s[j].End
	})
	out := []Span{s[0]}
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.Start < last.End {
			last.End = max(last.End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

// fragments renders text as HTML fragments around spans: escaped text with
// <mark> around each span, cut on rune boundaries, with "…" where a fragment
// does not reach an end of the text. A short text is one fragment; windows
// around nearby matches merge; a side without matches gets its opening.
func fragments(text string, spans []Span) []string {
	n := utf8.RuneCountInString(text)
	if n <= wholeTextRunes {
		return []string{render(text, 0, len(text), spans)}
	}
	if len(spans) == 0 {
		return []string{render(text, 0, advance(text, 0, leadRunes), nil) + " …"}
	}
	var wins []Span
	for _, s := range spans {
		w := Span{wordStart(text, retreat(text, s.Start, contextRunes), s.Start), wordEnd(text, advance(text, s.End, contextRunes), s.End)}
		if k := len(wins) - 1; k >= 0 && w.Start <= wins[k].End {
			wins[k].End = max(wins[k].End, w.End)
			continue
		}
		if len(wins) == maxFragments {
			break
		}
		wins = append(wins, w)
	}
	out := make([]string, 0, len(wins))
	for _, w := range wins {
		frag := render(text, w.Start, w.End, spans)
		if w.Start > 0 {
			frag = "… " + frag
		}
		if w.End < len(text) {
			frag += " …"
		}
		out = append(out, frag)
	}
	return out
}

// render escapes text[start:end] and marks the parts of spans inside it.
func render(text string, start, end int, spans []Span) string {
	var b strings.Builder
	at := start
	for _, s := range spans {
		if s.End <= start || s.Start >= end {
			continue
		}
		ms, me := max(s.Start, start), min(s.End, end)
		b.WriteString(html.EscapeString(text[at:ms]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[ms:me]))
		b.WriteString("</mark>")
		at = me
	}
	b.WriteString(html.EscapeString(text[at:end]))
	return b.String()
}

// advance returns the byte offset n runes after i (or len(s)).
func advance(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}

// retreat returns the byte offset n runes before i (or 0).
func retreat(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, w := utf8.DecodeLastRuneInString(s[:i])
		i -= w
	}
	return i
}

// maxWordRunes bounds how far a fragment's edge moves to avoid cutting a
// word in half.
const maxWordRunes = 20

// wordStart moves i forward (never past limit) to the start of a word when
// it falls inside a Latin word; Chinese has no spaces and is cut anywhere.
func wordStart(s string, i, limit int) int {
	j := i
	for k := 0; k < maxWordRunes && j > 0 && j < limit; k++ {
		before, _ := utf8.DecodeLastRuneInString(s[:j])
		r, w := utf8.DecodeRuneInString(s[j:])
		if !isLatinLetter(before) || !isLatinLetter(r) {
			return j
		}
		j += w
	}
	if j > 0 && j < limit {
		return i
	}
	return j
}

// wordEnd moves i back (never before limit) to the end of a word when it
// falls inside a Latin word.
func wordEnd(s string, i, limit int) int {
	j := i
	for k := 0; k < maxWordRunes && j < len(s) && j > limit; k++ {
		before, w := utf8.DecodeLastRuneInString(s[:j])
		r, _ := utf8.DecodeRuneInString(s[j:])
		if !isLatinLetter(before) || !isLatinLetter(r) {
			return j
		}
		j -= w
	}
	if j < len(s) && j > limit {
		return i
	}
	return j
}

func isLatinLetter(r rune) bool {
	return r < 0x250 && unicode.IsLetter(r) || r >= '0' && r <= '9'
}
