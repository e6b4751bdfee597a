package index

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
)

// The user's query language is deliberately small: words, "exact phrases",
// word* prefixes, -excluded operands, and OR between two operands. bleve's own
// query string syntax is never exposed: its wildcards, regexps and fuzzy
// terms let one request take gigabytes and minutes. Every other character
// is literal text, which the analyzers reduce to words.
//
// An operand is what stands between spaces (or a quoted phrase): a Latin
// word, a prefix, or a run of text with Han characters, which is searched
// as the string it is, whatever the segmenter made of it.

// clauseKind says how a clause matches.
type clauseKind uint8

const (
	// kindWord is an unquoted word: its stem on the English side, the
	// word itself in Chinese text.
	kindWord clauseKind = iota
	// kindHan is unquoted text holding Han characters: each run of Han
	// characters must be a substring of the Chinese side (any other words
	// in it words of that side).
	kindHan
	// kindPhrase is a quoted phrase, or a run of words that names an
	// entity: the words as written, in order.
	kindPhrase
	// kindPrefix is word*: any of the first MaxExpansions words of the
	// index that begin with Text.
	kindPrefix
)

// clause is one operand of a parsed query.
type clause struct {
	Text   string // as typed, without quotes, minus sign or the *
	Kind   clauseKind
	Negate bool
	// Entities are the gazetteer entities the clause names ("华为",
	// "Huaweis", "byte beat", "史蒂芬·拜"), canonical names.
	Entities []string
}

// parsed is a query as clauses: Groups are ANDed, the clauses of a group
// ORed; Excluded clauses must not match.
type parsed struct {
	Groups   [][]clause
	Excluded []clause
	// Ignored are the operands beyond MaxTerms distinct ones, not searched.
	Ignored []string
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

// entityRun returns the phrase clause of the longest run of two or more
// plain words at the start of lx that names an entity, and how many words
// it takes (0 for none).
func entityRun(lx []lexeme, g entityLookup) (clause, int) {
	for n := min(maxEntityWords, len(lx)); n > 1; n-- {
		if !plainRun(lx[:n]) {
			continue
		}
		run := make([]string, n)
		for k := range run {
			run[k] = lx[k].text
		}
		t := strings.Join(run, " ")
		if es := g.Lookup(t); len(es) > 0 {
			return clause{Text: t, Kind: kindPhrase, Entities: names(es)}, n
		}
	}
	return clause{}, 0
}

// parseQuery parses the user's text into clauses, at most MaxTerms distinct
// ones (the rest are listed in Ignored); an operand that repeats one
// before it is dropped.
func parseQuery(text string, g entityLookup) (parsed, error) {
	if !utf8.ValidString(text) {
		return parsed{}, fmt.Errorf("%w: the query is not valid UTF-8 text", ErrBadQuery)
	}
	if n := utf8.RuneCountInString(text); n > MaxQueryRunes || len(text) > MaxQueryBytes {
		return parsed{}, fmt.Errorf("%w: the query is %d characters long; the limit is %d", ErrBadQuery, n, MaxQueryRunes)
	}
	var p parsed
	orNext := false
	add := func(c clause) {
		joins := orNext && !c.Negate && len(p.Groups) > 0
		orNext = false
		switch {
		case c.Negate:
			p.Excluded = append(p.Excluded, c)
		case joins:
			last := len(p.Groups) - 1
			p.Groups[last] = append(p.Groups[last], c)
		default:
			p.Groups = append(p.Groups, []clause{c})
		}
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
			if !hasWordChar(t) {
				continue
			}
			add(clause{Text: t, Kind: kindPhrase, Negate: l.negate, Entities: names(g.Lookup(t))})
			continue
		case isPrefix(l.text):
			t := strings.TrimRight(l.text, "*")
			if hasHan(t) {
				// A Chinese string is found wherever it stands: a
				// prefix of it is the string itself.
				add(clause{Text: t, Kind: kindHan, Negate: l.negate, Entities: names(g.Lookup(trimPunct(t)))})
				continue
			}
			if err := checkPrefix(t); err != nil {
				return parsed{}, err
			}
			add(clause{Text: strings.ToLower(t), Kind: kindPrefix, Negate: l.negate})
			continue
		case hasHan(l.text):
			add(clause{Text: l.text, Kind: kindHan, Negate: l.negate, Entities: names(g.Lookup(trimPunct(l.text)))})
			continue
		}
		// Latin words: try the longest run of following plain words that
		// names an entity, so "Ren Zhengfei" and "byte beat" are one clause.
		if !l.negate {
			if c, n := entityRun(lx[i:], g); n > 0 {
				add(c)
				i += n - 1
				continue
			}
		}
		if !hasWordChar(l.text) {
			continue
		}
		add(clause{Text: l.text, Kind: kindWord, Negate: l.negate, Entities: names(g.Lookup(l.text))})
	}
	return p.capped(), nil
}

// capped drops the groups and exclusions that repeat an earlier one, and
// keeps the first MaxTerms clauses' worth: a pasted paragraph costs what
// its first MaxTerms distinct operands cost, and says what it ignored.
func (p parsed) capped() parsed {
	out := parsed{}
	seen := map[string]bool{}
	n := 0
	key := func(neg bool, cs []clause) string {
		ks := make([]string, len(cs))
		for i, c := range cs {
			ks[i] = fmt.Sprintf("%d\x00%s", c.Kind, strings.ToLower(c.Text))
		}
		sort.Strings(ks)
		return fmt.Sprint(neg, ks)
	}
	keep := func(neg bool, cs []clause) bool {
		k := key(neg, cs)
		if seen[k] {
			return false
		}
		seen[k] = true
		if n+len(cs) > MaxTerms {
			for _, c := range cs {
				out.Ignored = append(out.Ignored, c.Text)
			}
			return false
		}
		n += len(cs)
		return true
	}
	for _, g := range p.Groups {
		if keep(false, g) {
			out.Groups = append(out.Groups, g)
		}
	}
	for _, c := range p.Excluded {
		if keep(true, []clause{c}) {
			out.Excluded = append(out.Excluded, c)
		}
	}
	return out
}

// isPrefix reports whether a lexeme is word*: letters, digits or Han
// characters, then one or more *. A * anywhere else is punctuation.
func isPrefix(s string) bool {
	t := strings.TrimRight(s, "*")
	if t == s || t == "" {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// checkPrefix refuses a prefix of one character: it expands to too much
// to mean anything.
func checkPrefix(t string) error {
	if utf8.RuneCountInString(t) < 2 {
		return fmt.Errorf("%w: %q: a prefix needs at least 2 letters before the *", ErrBadQuery, t+"*")
	}
	return nil
}

// trimPunct trims what is neither a letter nor a digit from both ends of s
// ("华为，" names 华为), keeping what stands inside (史蒂芬·拜).
func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// plainRun reports whether every lexeme is an unquoted, positive Latin word.
func plainRun(ls []lexeme) bool {
	for _, l := range ls {
		if l.or || l.phrase || l.negate || hasHan(l.text) || isPrefix(l.text) {
			return false
		}
	}
	return true
}

// queryStop are Chinese function words that, typed on their own between
// spaces beside other operands, score but do not gate (see stopWords).
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

// hasWordChar reports whether s has a letter or a digit: punctuation and
// symbols are not words.
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
