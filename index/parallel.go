package index

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// Parallel queries put conditions on each side of an aligned passage:
// `en:"iron curtain" -zh:铁幕` finds passages whose English says "iron
// curtain" and whose Chinese does not say 铁幕. An operand prefixed en: or
// zh: (after an optional -) belongs to that side; the rest of the text is
// matched as usual. en:(…) groups operands: en:(a OR b -c) is the English
// side's query "a OR b -c", and -zh:(a b) means the Chinese side has
// neither a nor b. Each side's operands are parsed by the same parser as
// any query (parseQuery) and restricted to that side's fields, so they
// mean on one side what they mean anywhere. A ~ before the query (or
// Query.Expand) also finds the query's translation equivalents on the
// other side (equiv.go).

// sideText is the text of a query split by side.
type sideText struct {
	both, en, zh string
	expand       bool
}

// splitSides takes the en: and zh: operands out of text. An operand is a
// quoted phrase or a run of characters up to the next space; a prefix
// without one is left as it is.
func splitSides(text string) sideText {
	var st sideText
	if low := strings.ToLower(text); !strings.Contains(low, "en:") && !strings.Contains(low, "zh:") && !strings.Contains(text, "~") {
		st.both = text
		return st
	}
	var both, en, zh []string
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isSpace(r) {
			i += n
			continue
		}
		if r == '~' {
			st.expand = true
			i += n
			continue
		}
		start := i
		neg := ""
		j := i
		if r == '-' {
			neg = "-"
			j++
		}
		var dest *[]string
		if rest := text[j:]; len(rest) > 3 {
			switch strings.ToLower(rest[:3]) {
			case "en:":
				dest = &en
			case "zh:":
				dest = &zh
			}
		}
		if dest != nil {
			k := j + 3
			if k < len(text) && text[k] == '(' {
				end := groupEnd(text, k)
				inner := strings.TrimSuffix(text[k+1:end], ")")
				if neg == "" {
					*dest = append(*dest, inner)
				} else {
					// -zh:(a b): the side has none of them.
					for _, op := range operands(inner) {
						*dest = append(*dest, "-"+strings.TrimPrefix(op, "-"))
					}
				}
				i = end
				continue
			}
			end := operandEnd(text, k)
			if end > k {
				*dest = append(*dest, neg+text[k:end])
				i = end
				continue
			}
		}
		end := operandEnd(text, start+len(neg))
		if end == start+len(neg) {
			end = start + len(neg) + 1
		}
		both = append(both, text[start:end])
		i = end
	}
	st.both, st.en, st.zh = strings.Join(both, " "), strings.Join(en, " "), strings.Join(zh, " ")
	return st
}

// groupEnd returns where the group opened at s[i] == '(' ends: after its
// closing parenthesis (parentheses inside quotes do not count), or at the
// end of s.
func groupEnd(s string, i int) int {
	inQuote := false
	for j := i + 1; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		j += n
		switch {
		case isQuote(r):
			inQuote = !inQuote
		case r == ')' && !inQuote:
			return j
		}
	}
	return len(s)
}

// operands splits text into its operands: phrases and words with their
// signs; OR is dropped.
func operands(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isSpace(r) {
			i += n
			continue
		}
		start := i
		if r == '-' {
			i++
		}
		end := max(operandEnd(text, i), i+1)
		if op := text[start:end]; op != "OR" {
			out = append(out, op)
		}
		i = end
	}
	return out
}

// operandEnd returns where the operand starting at i ends: after its
// closing quote for a phrase, else at the next space.
func operandEnd(s string, i int) int {
	if i >= len(s) {
		return i
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if isQuote(r) {
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			j += n2
			if isQuote(r2) {
				return j
			}
		}
		return j
	}
	j := i
	for j < len(s) {
		r2, n2 := utf8.DecodeRuneInString(s[j:])
		if isSpace(r2) {
			break
		}
		if isQuote(r2) && j > i {
			break
		}
		j += n2
	}
	return j
}

// sidePart is the parsed operands of one side ("" for either).
type sidePart struct {
	lang corpus.Lang
	p    parsed
}

// compiled is a query ready to run: its bleve query, and its clauses
// with the side each applies to, for highlighting.
type compiled struct {
	// all holds every clause of every side, for what does not care about
	// sides (is the query empty, which words to display), and the
	// operands beyond MaxTerms that were not searched.
	all parsed
	// capped are the prefixes whose expansion reached MaxExpansions.
	capped []string
	parts  []sidePart
	query  query.Query
	expand bool
}

// compile parses q's text, side by side, into a bleve query.
func (ix *Index) compile(q Query) (compiled, error) {
	st := splitSides(q.Text)
	c := compiled{expand: st.expand || q.Expand}
	var musts []query.Query
	terms := 0
	for _, part := range []struct {
		lang  corpus.Lang
		text  string
		sided bool
	}{{q.Lang, st.both, false}, {corpus.English, st.en, true}, {corpus.Chinese, st.zh, true}} {
		if part.sided && part.text == "" {
			continue
		}
		p, err := parseQuery(part.text, ix.gaz)
		if err != nil {
			return c, err
		}
		if part.sided && p.empty() && len(p.Excluded) == 0 {
			continue
		}
		if !part.sided && p.empty() && len(p.Excluded) == 0 && (st.en != "" || st.zh != "") {
			continue // only side conditions
		}
		c.parts = append(c.parts, sidePart{part.lang, p})
		c.all.Groups = append(c.all.Groups, p.Groups...)
		c.all.Excluded = append(c.all.Excluded, p.Excluded...)
		c.all.Ignored = append(c.all.Ignored, p.Ignored...)
		terms += len(p.Excluded)
		for _, g := range p.Groups {
			terms += len(g)
		}
		tq, capped, err := ix.textQuery(p, part.lang)
		if err != nil {
			return c, err
		}
		c.capped = append(c.capped, capped...)
		if c.expand && !part.sided && !p.empty() {
			eq, err := ix.equivQuery(p)
			if err != nil {
				return c, err
			}
			if eq != nil {
				tq = bleve.NewDisjunctionQuery(tq, eq)
			}
		}
		musts = append(musts, tq)
	}
	if terms > MaxTerms {
		return c, fmt.Errorf("%w: the query has %d words and phrases; the limit is %d", ErrBadQuery, terms, MaxTerms)
	}
	switch len(musts) {
	case 0:
		c.query = bleve.NewMatchAllQuery()
	case 1:
		c.query = musts[0]
	default:
		c.query = bleve.NewConjunctionQuery(musts...)
	}
	return c, nil
}
