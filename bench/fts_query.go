package bench

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/segment"
)

// queryStop mirrors the Chinese function words our query parser drops from
// an unquoted multi-word query.
var queryStop = map[string]bool{
	"的": true, "了": true, "是": true, "在": true, "和": true, "与": true, "及": true,
	"也": true, "都": true, "就": true, "而": true, "之": true, "对": true, "把": true,
}

// maxEntityWords mirrors the longest run of Latin words our parser tries as
// one entity name.
const maxEntityWords = 4

// Match translates our query syntax (words, "phrases"; the benchmark's
// queries use no OR or exclusions) into an FTS5 MATCH expression with the
// same meaning: each word or phrase on the text columns, or any entity it
// names on the entity column; words ANDed. Chinese words are cut as our
// parser cuts them. "" is the empty query.
func (p *Peer) Match(text string) (string, error) {
	cs, err := clauses(text, p.seg, p.gaz)
	if err != nil {
		return "", err
	}
	var out []string
	for _, c := range cs {
		var b strings.Builder
		b.WriteString(`({en zh} : "`)
		b.WriteString(strings.ReplaceAll(strings.Join(c.words, " "), `"`, `""`))
		b.WriteString(`"`)
		for _, e := range c.entities {
			b.WriteString(" OR ent : ")
			b.WriteString(entityToken(e.Name))
		}
		b.WriteString(")")
		out = append(out, b.String())
	}
	return strings.Join(out, " AND "), nil
}

// clause is one condition of a query for the peers: its text (a phrase) on
// either side, or any of the entities it names. text is as written, for a
// peer that analyses it; words are the same cut as our parser cuts them.
type clause struct {
	text     string
	words    []string
	entities []corpus.Entity
}

// clauses splits a query as our parser does into conditions that must all
// hold.
func clauses(text string, seg *segment.Segmenter, gaz *corpus.Gazetteer) ([]clause, error) {
	var out []clause
	add := func(t string) {
		out = append(out, clause{text: t, words: words(seg, t), entities: gaz.Lookup(t)})
	}
	lx := lexQuery(text)
	for i := 0; i < len(lx); i++ {
		l := lx[i]
		if l.or || l.negate {
			return nil, fmt.Errorf("peer: query %q uses OR or -, which the peer translation does not support", text)
		}
		switch {
		case l.phrase:
			t := strings.TrimSpace(l.text)
			if t == "" {
				continue
			}
			add(t)
		case hasHan(l.text):
			ws := words(seg, l.text)
			for _, w := range ws {
				if len(ws) > 1 && queryStop[w] {
					continue
				}
				out = append(out, clause{text: w, words: []string{w}, entities: gaz.Lookup(w)})
			}
		default:
			matched := false
			for n := min(maxEntityWords, len(lx)-i); n > 1; n-- {
				plain := true
				run := make([]string, n)
				for k := range run {
					x := lx[i+k]
					plain = plain && !x.or && !x.phrase && !x.negate && !hasHan(x.text)
					run[k] = x.text
				}
				if !plain {
					continue
				}
				t := strings.Join(run, " ")
				if es := gaz.Lookup(t); len(es) > 0 {
					add(t)
					i += n - 1
					matched = true
					break
				}
			}
			if !matched && strings.IndexFunc(l.text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				add(l.text)
			}
		}
	}
	return out, nil
}

// words are the tokens of s: Chinese cut by the segmenter, Latin words
// kept for FTS5's tokenizer to stem.
func words(seg *segment.Segmenter, s string) []string {
	toks := seg.Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// lexeme is a piece of a query: a word, a phrase, OR.
type lexeme struct {
	text           string
	phrase, negate bool
	or             bool
}

// lexQuery splits a query as our parser does: quotes (straight, curly or
// corner) delimit phrases, spaces separate words, a leading - negates.
func lexQuery(s string) []lexeme {
	var out []lexeme
	isQuote := func(r rune) bool { return strings.ContainsRune("\"“”「」", r) }
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		neg := false
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != '-' {
			neg = true
			i++
		}
		if isQuote(rs[i]) {
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			out = append(out, lexeme{text: string(rs[i+1 : j]), phrase: true, negate: neg})
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && !isQuote(rs[j]) {
			j++
		}
		w := string(rs[i:j])
		out = append(out, lexeme{text: w, negate: neg, or: w == "OR" && !neg})
		i = j
	}
	return out
}
