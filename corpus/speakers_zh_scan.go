package corpus

import (
	"strings"
	"unicode/utf8"
)

// zhScan walks one Chinese text for its speakers: the people and pronouns
// it names (cands), the colons that open quotations and the verbs of
// saying. Each step is a method; speakersZH runs them in text order.
type zhScan struct {
	x      *Extractor
	sc     *sideScan
	st     *speakerState
	add    func(string)
	text   string
	cands  []zhCand
	quoted zhSpans
	next   int // the next candidate to account for salience
	ci     int // the first candidate that does not end before the scan
	spoke  int // where the last attribution ended, or -1
}

func (x *Extractor) speakersZH(sc *sideScan, st *speakerState, add func(string)) {
	if !hasCJK(sc.text) {
		return
	}
	z := &zhScan{x: x, sc: sc, st: st, add: add, text: sc.text, cands: x.zhCandidates(sc),
		quoted: zhQuotations(sc.text), spoke: -1}
	for i := 0; i < len(z.text); {
		for z.ci < len(z.cands) && z.cands[z.ci].end <= i {
			z.ci++
		}
		z.openingQuote(i)
		if z.ci < len(z.cands) && z.cands[z.ci].start <= i {
			i = z.person(z.cands[z.ci])
			continue
		}
		i = z.verb(i)
	}
	z.salience(len(z.text))
}

// salience accounts for the people named before upto: they are named in
// the passage, and one who is no object (对他, 和他) becomes the person a
// pronoun may refer to.
func (z *zhScan) salience(upto int) {
	for ; z.next < len(z.cands) && z.cands[z.next].end <= upto; z.next++ {
		c := z.cands[z.next]
		if c.kind == occPronoun && !c.poss && z.st.referent() != "" {
			z.st.seen = z.st.passage // 他结识了王琼: still the same person
		}
		if c.kind != occPerson {
			continue
		}
		z.st.named(c.name)
		z.st.mention(c.name)
		prev, _ := utf8.DecodeLastRuneInString(z.text[:c.start])
		if !c.poss && !zhObjectBefore[prev] && !zhCoord[prev] {
			z.st.setSalient(c.name)
		}
	}
}

// speak tags names as speakers of the passage.
func (z *zhScan) speak(names []string) {
	for _, n := range names {
		z.add(n)
		z.st.setSalient(n)
	}
}

// openingQuote gives words after a colon (：“) or a resumed quotation
// (…”朱先生怀疑了，“) whose speaker no verb named to the first person of
// the sentence: 鹿兆海吃惊地看见…，扑通一声跪下去：“…”.
func (z *zhScan) openingQuote(i int) {
	if !strings.HasPrefix(z.text[i:], "：“") && !strings.HasPrefix(z.text[i:], "：「") && !zhQuoteResumes(z.text, i) {
		return
	}
	if z.spoke < 0 || i-z.spoke > 12 {
		z.salience(i)
		z.speak(zhSentenceSubject(z.text, i, z.cands, z.st, z.sc.names))
	}
	z.spoke = i
}

// person handles the person or pronoun c at the scan: a colon after it
// gives its words (任正非：, 他信心十足：). It returns where the scan goes
// on: a verb inside a name is no verb.
func (z *zhScan) person(c zhCand) int {
	text := z.text
	if (c.kind == occPerson || c.kind == occPronoun) && !c.poss && !zhPossessorAt(text, c) && zhColonAfter(text, c.end) &&
		!inTitle(text[:c.start]) && !zhObjectLike(text, c.start, "") {
		z.salience(c.end)
		if c.kind == occPronoun {
			z.speak(pronounName(z.st, z.sc.names, c))
		} else {
			z.speak([]string{c.name})
		}
		z.spoke = c.end + strings.Index(text[c.end:], "：")
	}
	return c.end
}

// verb handles a verb of saying at i, giving it to its subject, and
// returns where the scan goes on. Inside a quotation, 嘉轩给我说过了
// reports speech but gives no words; 这姓刘的回河南招兵说，‘…’ gives them.
func (z *zhScan) verb(i int) int {
	text := z.text
	r, size := utf8.DecodeRuneInString(text[i:])
	verb := ""
	for _, v := range zhVerbs[r] {
		if strings.HasPrefix(text[i:], v) {
			verb = v
			break
		}
	}
	if verb == "" || !zhSpeechVerb(text, i, verb) || z.quoted.in(i) && !zhWordsFollow(text[i+len(verb):]) {
		return i + size
	}
	z.salience(i)
	who, unnamed := z.x.zhSubject(text, i, verb, z.cands, z.st, z.sc.names)
	if len(who) > 0 || unnamed { // an unnamed speaker's words are nobody's
		z.speak(who)
		z.spoke = i + len(verb)
	}
	return i + len(verb)
}
