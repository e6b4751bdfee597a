package index

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
)

// The user's query language is deliberately small: words, "exact phrases",
// -excluded words or phrases, and OR between two clauses. bleve's own query
// string syntax is never exposed: its wildcards, regexps and fuzzy terms let
// one request take gigabytes and minutes. Every other character is literal
// text, which the analyzers reduce to words (so `a*` searches for "a").

// clause is one word or phrase of a parsed query.
type clause struct {
	Text   string // as typed, without quotes or the minus sign
	Phrase bool   // quoted: the words must be adjacent
	Negate bool
	// Entities are the gazetteer entities the clause names ("华为",
	// "Huaweis", "byte beat"), canonical names.
	Entities []string
}

// parsed is a query as clauses: Groups are ANDed, the clauses of a group
// ORed; Excluded clauses must not match.
type parsed struct {
	Groups   [][]clause
	Excluded []clause
}

func (p parsed) empty() bool { return len(p.Groups) == 0 }

// lexeme is a piece of the raw query before entity grouping.
type lexeme struct {
	text   string
	phrase bool
	negate bool
	or     bool
}

// lex splits the query into words, phrases and OR operators.
func lex(s string) []lexeme {
	var out []lexeme
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			i += n
			continue
		}
		neg := false
		if r == '-' && i+1 < len(s) {
			if r2, _ := utf8.DecodeRuneInString(s[i+1:]); !isSpace(r2) && r2 != '-' {
				neg = true
				i++
				r, n = utf8.DecodeRuneInString(s[i:])
			}
		}
		if isQuote(r) {
			i += n
			j := i
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isQuote(r2) {
					break
				}
				j += n2
			}
			out = append(out, lexeme{text: s[i:j], phrase: true, negate: neg})
			if j < len(s) {
				_, n2 := utf8.DecodeRuneInString(s[j:])
				j += n2
			}
			i = j
			continue
		}
		j := i
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if isSpace(r2) || isQuote(r2) {
				break
			}
			j += n2
		}
		w := s[i:j]
		if w == "OR" && !neg {
			out = append(out, lexeme{or: true})
		} else {
			out = append(out, lexeme{text: w, negate: neg})
		}
		i = j
	}
	return out
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

func isQuote(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '「' || r == '」'
}

// EntityLookup finds the entities a piece of query text names.
type entityLookup interface {
	Lookup(s string) []corpus.Entity
}

// maxEntityWords is the longest run of Latin words tried as one entity name
// ("Leap Wireless", "Y Combinator", "Kai-Fu Lee", "Nokia Siemens Networks").
const maxEntityWords = 4

// parseQuery parses the user's text. words splits an unquoted piece of
// Chinese into the words the index holds; it is the index's analyzer.
func parseQuery(text string, g entityLookup, words func(string) []string) (parsed, error) {
	if !utf8.ValidString(text) {
		return parsed{}, fmt.Errorf("%w: the query is not valid UTF-8 text", ErrBadQuery)
	}
	if len(text) > MaxQueryBytes {
		return parsed{}, fmt.Errorf("%w: the query is %d bytes long; the limit is %d", ErrBadQuery, len(text), MaxQueryBytes)
	}
	var p parsed
	orNext := false
	add := func(c clause) {
		if c.Negate {
			p.Excluded = append(p.Excluded, c)
			return
		}
		if orNext && len(p.Groups) > 0 {
			last := len(p.Groups) - 1
			p.Groups[last] = append(p.Groups[last], c)
		} else {
			p.Groups = append(p.Groups, []clause{c})
		}
		orNext = false
	}
	lx := lex(text)
	for i := 0; i < len(lx); i++ {
		l := lx[i]
		switch {
		case l.or:
			orNext = len(p.Groups) > 0
			continue
		case l.phrase:
			t := strings.TrimSpace(l.text)
			if t == "" {
				continue
			}
			add(clause{Text: t, Phrase: true, Negate: l.negate, Entities: names(g.Lookup(t))})
			continue
		case hasHan(l.text):
			// Chinese is written without spaces: each word the segmenter
			// finds is a clause, as if the user had typed spaces.
			ws := words(l.text)
			if l.negate {
				add(clause{Text: l.text, Phrase: len(ws) > 1, Negate: true})
				continue
			}
			for k, w := range ws {
				if len(ws) > 1 && queryStop[w] {
					continue
				}
				c := clause{Text: w, Entities: names(g.Lookup(w))}
				if k > 0 {
					orNext = false
				}
				add(c)
			}
			continue
		}
		// Latin words: try the longest run of following plain words that
		// names an entity, so "Ren Zhengfei" and "byte beat" are one clause.
		if !l.negate {
			matched := false
			for n := min(maxEntityWords, len(lx)-i); n > 1; n-- {
				if !plainRun(lx[i : i+n]) {
					continue
				}
				run := make([]string, n)
				for k := range run {
					run[k] = lx[i+k].text
				}
				t := strings.Join(run, " ")
				if es := g.Lookup(t); len(es) > 0 {
					add(clause{Text: t, Phrase: true, Entities: names(es)})
					i += n - 1
					matched = true
					break
				}
			}
			if matched {
				continue
			}
		}
		if !hasWordChar(l.text) {
			continue
		}
		add(clause{Text: l.text, Negate: l.negate, Entities: names(g.Lookup(l.text))})
	}
	n := len(p.Excluded)
	for _, g := range p.Groups {
		n += len(g)
	}
	if n > MaxTerms {
		return parsed{}, fmt.Errorf("%w: the query has %d words and phrases; the limit is %d", ErrBadQuery, n, MaxTerms)
	}
	return p, nil
}

// plainRun reports whether every lexeme is an unquoted, positive Latin word.
func plainRun(ls []lexeme) bool {
	for _, l := range ls {
		if l.or || l.phrase || l.negate || hasHan(l.text) {
			return false
		}
	}
	return true
}

// queryStop are Chinese function words dropped from an unquoted multi-word
// query: requiring 的 would only exclude passages that match via an entity.
var queryStop = map[string]bool{
	"的": true, "了": true, "是": true, "在": true, "和": true, "与": true, "及": true,
	"也": true, "都": true, "就": true, "而": true, "之": true, "对": true, "把": true,
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func names(es []corpus.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}
