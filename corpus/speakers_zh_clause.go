package corpus

import (
	"strings"
	"unicode/utf8"
)

// Topic chains: in 白嘉轩气得捞起拐杖，鹿三却扭着腰肢出了门，在院子里挑战：
// or 黑娃…听着，再不怀疑兆鹏是不是耍笑自己了，问：, the clauses after a
// person who opens one share that person as their subject until another
// person opens a clause. A person inside a clause (兆鹏, after 怀疑) is not
// the subject of the clauses that follow.

// zhSentenceStart returns where the sentence that holds byte i starts:
// after the last 。！？； or closing quotation mark before i.
func zhSentenceStart(text string, i int) int {
	s0 := 0
	for _, p := range []string{"。", "！", "？", "”", "」", "；"} {
		if k := strings.LastIndex(text[:i], p); k >= 0 && k+len(p) > s0 {
			s0 = k + len(p)
		}
	}
	return s0
}

// zhClauseOpener returns the last person or pronoun in text[s0:i] that
// opens a clause (at s0 or right after a comma, after adverbs) as its
// subject, or -1: not an owner (鹿三的) or the object of its clause.
func zhClauseOpener(text string, s0, i int, cands []zhCand) int {
	found := -1
	for k, c := range cands {
		if c.start < s0 {
			continue
		}
		if c.start >= i {
			break
		}
		if c.kind != occPerson && c.kind != occPronoun || c.poss || zhTimePhrase(text[c.end:]) {
			continue // 段老师之后又来了一位薛老师: a time, not a subject
		}
		p := c.start
		for p > s0 {
			a := zhAdverbSuffix(text[s0:p])
			if a == 0 {
				break
			}
			p -= a
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:p])
		if p == s0 || prev == '，' || prev == ',' {
			found = k
		}
	}
	return found
}

// zhAdverbSuffix returns the length of an adverb that ends s, or 0.
func zhAdverbSuffix(s string) int {
	for _, a := range zhAdverbs {
		if strings.HasSuffix(s, a) {
			return len(a)
		}
	}
	return 0
}

// zhOpensClause reports a verb at v that opens its clause: only adverbs
// between it and the comma before it (…听着，再不怀疑兆鹏…，问：).
func zhOpensClause(text string, v int) bool {
	p := v
	for n := 0; n < 4; n++ {
		a := zhAdverbSuffix(text[:p])
		if a == 0 {
			break
		}
		p -= a
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:p])
	return prev == '，' || prev == ','
}

// zhThoughtBefore reports a verb of thinking that ends s, the words before
// a colon: 朱先生想：, 他心里鄙夷地想：; what follows is a thought, not
// speech, unless a quotation mark opens it.
func zhThoughtBefore(s string) bool {
	for _, w := range []string{"想", "寻思", "思忖", "琢磨", "思量", "盘算", "默念"} {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// zhChainRunes is the longest chain of clauses from its opener to a verb.
const zhChainRunes = 40

// zhChainSubject gives a verb that opens its clause (…，问：) to the last
// person who opened a clause of its sentence, if there is one and the
// clause is not negated.
func zhChainSubject(text string, v int, cands []zhCand, st *speakerState, names *zhNames) ([]string, bool) {
	if !zhOpensClause(text, v) {
		return nil, false
	}
	s0 := zhSentenceStart(text, v)
	if k := strings.LastIndexAny(text[s0:v], "，,"); k < 0 || zhNegated(text[s0+k:v]) {
		return nil, false
	}
	k := zhClauseOpener(text, s0, v, cands)
	// A chain is short: far from its opener a clause may have a subject the
	// text does not name (黑牡丹…，说大拇指死在她炕上了).
	if k < 0 || zhObjectLike(text, cands[k].start, "") || utf8.RuneCountInString(text[cands[k].end:v]) > zhChainRunes {
		return nil, false
	}
	if c := cands[k]; c.kind == occPronoun {
		return pronounName(st, names, c), true
	}
	return []string{cands[k].name}, true
}

// zhTimePhrase reports words after a person that make a time of it:
// 段老师之后, 孝文走后.
func zhTimePhrase(rest string) bool {
	for _, w := range []string{"之后", "以后", "之前", "以前", "走后", "死后", "后来", "那时"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}
