package corpus

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Extractor tags the passages of a document with facets from a gazetteer.
// It is safe for concurrent use; it keeps no state between documents.
//
// Rules, in both languages, each side of a passage on its own, then the union
// of the two sides (canonical names, so both sides agree):
//
// Companies: companies named, products counted for their parent company
// (TikTok → ByteDance), subsidiaries for themselves and their parent, groups
// for their members (BAT → Baidu, Alibaba, Tencent). Media, organisations and
// people are entities but not companies. A weak name ("byte", 字节) counts
// only if the document names its entity, parent, a sibling product or its
// group by a strong name somewhere, in either language.
//
// Years: explicit years 1900–2100 in year context: "in/since/by/of/from/
// until/the/(" before it, a month ("March 30, 2009", "September 2014"),
// "YYYY年", a date (2019-03-30). A bare number, or one followed by a plural
// noun ("in 2000 cities", "1000 employees"), is not a year. A range (2016-
// 2020, 2016年至2020年, from 2016 to 2020) gives every year when it spans ten
// years or less, else its two ends. A decade ("the 1990s", 20世纪90年代,
// 九十年代) gives its first year, one value so the histogram is not flooded.
// Relative years resolve against the focus: "this year"/今年/当年 = focus,
// "last year"/去年 = focus-1, "the next year"/次年/第二年 = focus+1, "N
// years later"/N年后 = focus+N. The focus is the last explicit single year
// before the expression in this passage, else the last one of the preceding
// passages if it is at most focusReach passages back, else the document's year
// (else the last explicit year, however far). Ranges and decades do not set
// the focus. "N years ago"/N年前 count from the document's year, as the
// writer's present. A reference passage's years are its reference's date year
// plus the years of its text, relative ones resolved against that date.
//
// Speakers: people whose words a passage gives, directly or reported: a
// person followed, after appositions ("Guo Ping, Huawei's chairman,",
// "Zhang Xin (pseudonym)", "任正非在接受采访时") and adverbs ("also",
// "specially", 也, 还), by a verb of saying (said, believes, mentioned,
// responded, announced, claimed, promised, expressed, was outspoken,
// delivered a speech, …; 说, 表示, 称, 认为, 指出, 回应, …) or a colon, "was
// … :", a colon opening a quotation (张一鸣…做好了准备：“…”); "according to
// X", "in the words of X", "in X's eyes", ", said X"; 据X称, 用X的话说, 在X看来,
// "X：". Paying tribute (致敬) and "said nothing" quote nobody.
// He/she with such a verb is the person last made salient (last speaker or
// person named as a subject) in this passage or the one before (a passage
// that is only a quotation continues its speaker's turn); else it is left
// unresolved. 他/她 resolve only to the sole person of their gender (as the
// document tells it) named in the passage before them, or, if it named
// nobody yet, in the passage before; two candidates leave them unresolved.
// In Chinese the speaker is the subject of the verb's clause, not an object
// (抽了黑娃…骂道, 对孝武说, 在她身上), nobody when an unnamed person is the
// subject (老人们常说, 那女人说) or the verb is negated or passive; inside a
// quotation a verb of saying names a speaker only when words follow it. Organisations and companies are never speakers. Names
// not in the gazetteer are found by pattern (capitalised English names, a
// Chinese surname and one or two characters, names with a middle dot) and
// kept as written.
type Extractor struct {
	g     *Gazetteer
	names func(string) bool // a lexicon of Chinese personal names, or nil
}

// NewExtractor returns an extractor that finds entities with g.
func NewExtractor(g *Gazetteer) *Extractor { return &Extractor{g: g} }

// WithPersonNames returns a copy of x that also takes the words for which
// isName reports true as Chinese personal names: a segmenter's dictionary
// words tagged as person names (segment.PersonNames), for example. corpus
// imports no segmenter; the caller supplies one.
func (x *Extractor) WithPersonNames(isName func(string) bool) *Extractor {
	y := *x
	y.names = isName
	return &y
}

// personName reports whether the lexicon knows s as a personal name.
func (x *Extractor) personName(s string) bool { return x.names != nil && x.names(s) }

// focusReach is how many passages an explicit year stays the focus for
// relative years in the passages after it. In news writing "this year" in a
// paragraph that names no year is usually the writer's present, while right
// after "In September 2014" it is 2014; two passages keep the essay's
// narrative right ("In September this year", "The next year") without
// dragging 2016 into "announced in April this year" ten paragraphs later.
const focusReach = 2

type sideScan struct {
	text  string
	toks  []token
	ms    []match
	names *zhNames // Chinese names the document teaches
}

// Annotate sets Companies, Years, Speakers and Entities of every passage of d
// (sorted, deduplicated, canonical; the union over both language sides), in
// reading order so that relative years and pronouns resolve against what
// came before.
func (x *Extractor) Annotate(d *Document) {
	if x == nil || x.g == nil || d == nil {
		return
	}
	r := &docRun{x: x, d: d, scans: x.scanDocument(d), docYear: cmpOr(d.Facets.Written, d.Year()), refYear: make(map[string]int)}
	names := x.learnZHNames(d)
	for i := range r.scans {
		sc := &r.scans[i][1]
		sc.names = names
		sc.ms = names.dropStraddling(sc.text, sc.ms)
	}
	for _, ref := range d.References {
		if y := dateYear(ref.Date); y != 0 {
			r.refYear[ref.Passage] = y
		}
	}
	for i := range d.Passages {
		r.passage(i)
	}
}

// scanDocument finds the gazetteer's names on both sides of every passage
// and drops the weak ones the document does not support.
func (x *Extractor) scanDocument(d *Document) [][2]sideScan {
	g := x.g
	scans := make([][2]sideScan, len(d.Passages))
	supported := make(map[int32]bool)
	for i := range d.Passages {
		p := &d.Passages[i]
		for s, text := range [2]string{p.Text.EN, p.Text.ZH} {
			sc := &scans[i][s]
			sc.text = text
			if text == "" {
				continue
			}
			sc.toks = lex(text, nil)
			sc.ms = g.scan(text, sc.toks)
			for _, m := range sc.ms {
				if m.mode != modeWeak && m.mode != modeAmbiguous {
					for _, k := range g.support[m.ent] {
						supported[k] = true
					}
				}
			}
		}
	}
	isSupported := func(m match) bool {
		for _, k := range g.support[m.ent] {
			if supported[k] {
				return true
			}
		}
		return false
	}
	// An ambiguous name is a company by its own context, or because the
	// other side of the passage names it so, or because the document names
	// it by a name that is not ambiguous, or, in a label (a short text that
	// starts with it: "Sun key compatibility", "Trust Slimline"), because
	// the document's context made it a company elsewhere (Sun Type 6).
	locals := make([][2]map[int32]bool, len(scans))
	byContext := make(map[int32]bool)
	for i := range scans {
		local := &locals[i]
		for s := range scans[i] {
			sc := &scans[i][s]
			for k, m := range sc.ms {
				ok := m.mode != modeWeak && m.mode != modeAmbiguous
				if m.mode == modeAmbiguous && g.ambiguousOK(sc, k) {
					ok = true
					byContext[m.ent] = true
				}
				if ok {
					if local[s] == nil {
						local[s] = make(map[int32]bool)
					}
					local[s][m.ent] = true
				}
			}
		}
	}
	for i := range scans {
		local := &locals[i]
		for s := range scans[i] {
			sc := &scans[i][s]
			sc.ms = slices.DeleteFunc(sc.ms, func(m match) bool {
				switch m.mode {
				case modeWeak:
					return !isSupported(m)
				case modeAmbiguous:
					return !local[s][m.ent] && !local[1-s][m.ent] && !isSupported(m) &&
						!(byContext[m.ent] && startsLabel(sc, m))
				}
				return false
			})
		}
	}
	return scans
}

var sentenceEnd = regexp.MustCompile(`[.!?](\s|$)|[。！？]`)

// startsLabel reports whether m, a Latin name written as the gazetteer
// writes it, starts a label: a text of at most five words, no sentence.
func startsLabel(sc *sideScan, m match) bool {
	if strings.TrimSpace(sc.text[:m.start]) != "" || hasCJK(sc.text[m.start:m.end]) {
		return false
	}
	words := 0
	for _, t := range sc.toks {
		if t.kind == tokWord {
			words++
		}
	}
	raw := sc.text[m.start:m.end]
	return words <= 5 && !sentenceEnd.MatchString(sc.text) && raw != strings.ToUpper(raw)
}

// docRun is one Annotate call: what carries from passage to passage.
type docRun struct {
	x        *Extractor
	d        *Document
	scans    [][2]sideScan
	docYear  int
	refYear  map[string]int // reference passage ID -> its date's year
	focus    int            // the last explicit year, for relative years
	focusAt  int            // the passage it was found in
	speakers [2]speakerState
}

// passage annotates passage i.
func (r *docRun) passage(i int) {
	g := r.x.g
	p := &r.d.Passages[i]
	scans := &r.scans[i]
	var ents, comps []string
	var spk [2][]string // by side
	var years []int
	addYear := func(y int) {
		if y >= minYear && y <= maxYear {
			years = append(years, y)
		}
	}
	for s := range scans {
		for _, m := range scans[s].ms {
			ents = append(ents, g.ents[m.ent].Name)
			comps = append(comps, g.companies[m.ent]...)
		}
	}
	var evs [2][]yearEvent
	for s := range scans {
		if sc := &scans[s]; sc.text != "" {
			evs[s] = yearEvents(sc.text, sc.toks)
		}
	}
	ref := p.Section == SectionReference
	base := r.yearBase(i, p, evs, addYear)
	var last [2]int
	for s := range scans {
		sc := &scans[s]
		if sc.text == "" {
			continue
		}
		if r.d.Facets.NoRelativeYears {
			evs[s] = slices.DeleteFunc(evs[s], func(ev yearEvent) bool { return ev.kind != evYear })
		}
		last[s] = resolveYears(evs[s], base, r.docYear, addYear)

		st := &r.speakers[s]
		if ref {
			st = &speakerState{} // references do not continue each other
		}
		st.passage = i
		seen := st.seen
		addSpk := func(name string) { spk[s] = append(spk[s], name) }
		r.x.speakersEN(sc, st, addSpk)
		r.x.speakersZH(sc, st, addSpk)
		if st.seen == seen && seen == i-1 && continuesTurn(sc) {
			st.seen = i
			st.carryPeople() // a pronoun after the quotation looks past it
		}
	}
	if !ref {
		if y := cmpOr(last[0], last[1]); y != 0 {
			r.focus, r.focusAt = y, i
		}
	}
	p.Entities = sortedSet(append(ents, comps...))
	p.Companies = sortedSet(comps)
	p.Speakers = sortedSet(r.x.joinSpeakers(spk[0], spk[1]))
	slices.Sort(years)
	p.Years = slices.Compact(years)
	if len(p.Years) == 0 {
		p.Years = nil
	}
	r.d.Facets.apply(p)
}

// yearBase returns the year that relative years of passage i resolve
// against.
func (r *docRun) yearBase(i int, p *Passage, evs [2][]yearEvent, addYear func(int)) int {
	if p.Section == SectionReference {
		// A reference's "this year" is the year it was published: its
		// date, else the date at the end of its text.
		if y := r.refYear[p.ID]; y != 0 {
			addYear(y)
			return y
		}
		if y := cmpOr(lastFocus(evs[0]), lastFocus(evs[1])); y != 0 {
			return y
		}
		return r.docYear
	}
	if r.focus != 0 && (i-r.focusAt <= focusReach || r.docYear == 0) {
		return r.focus
	}
	return r.docYear
}

// continuesTurn reports whether a passage that names nobody continues the
// words of the person named before it: it opens with a quotation mark, or
// it speaks in the first person ("we should fly at low altitude", where a
// machine translation lost the quotation marks).
func continuesTurn(sc *sideScan) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(sc.text))
	if strings.ContainsRune("“「『\"‘", r) {
		return true
	}
	for _, t := range sc.toks {
		if t.kind == tokWord && firstPerson[t.fold] {
			return true
		}
	}
	return false
}

// joinSpeakers joins the speakers found on the English and the Chinese side
// of a passage. A name the gazetteer knows is canonical on both sides, but
// one found by pattern is kept as written, so the same person named on
// both sides of an aligned passage ("said Priya Raman", 普丽娅·拉曼说) would
// be two speakers. When each side has exactly one speaker the gazetteer
// does not know, they are taken as one person, under the English name.
// With more than one on a side there is no telling who is whom: both sides'
// names are kept.
func (x *Extractor) joinSpeakers(en, zh []string) []string {
	unknown := func(names []string) []string {
		var out []string
		for _, n := range sortedSet(names) {
			if _, ok := x.g.Entity(n); !ok {
				out = append(out, n)
			}
		}
		return out
	}
	all := append(slices.Clone(en), zh...)
	if ue, uz := unknown(en), unknown(zh); len(ue) == 1 && len(uz) == 1 && ue[0] != uz[0] {
		all = slices.DeleteFunc(all, func(n string) bool { return n == uz[0] })
	}
	return all
}

// lastFocus returns the last explicit single year of evs, or 0.
func lastFocus(evs []yearEvent) int {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].kind == evYear && evs[i].focus {
			return evs[i].from
		}
	}
	return 0
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// dateYear returns the year of an ISO date ("2019-03-07", "2019"), or 0.
func dateYear(s string) int {
	if len(s) < 4 || !allDigits(s[:4]) || len(s) > 4 && s[4] >= '0' && s[4] <= '9' {
		return 0
	}
	return atoi(s[:4])
}
