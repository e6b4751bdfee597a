package corpus

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// English speakers; the rules are listed on Extractor.

// speakerState carries, along one language side of a document, who a
// pronoun refers to.
type speakerState struct {
	salient  string            // last speaker, or person named as a subject
	last     string            // last person named at all
	surnames map[string]string // "ren" -> "Ren Zhengfei", for "Ren said"
	passage  int               // the passage being read
	seen     int               // the passage salient or last was set in

	// The people named in the passage being read (so far) and in the one
	// before it, for Chinese pronouns, which resolve only when one person
	// is a candidate.
	people, prevPeople []string
	peopleAt           int // the passage people belong to
}

// roll starts the list of people named over when a new passage is read.
func (st *speakerState) roll() {
	if st.peopleAt == st.passage {
		return
	}
	st.prevPeople = nil
	if st.peopleAt == st.passage-1 {
		st.prevPeople = st.people
	}
	st.people, st.peopleAt = nil, st.passage
}

// maxPeople bounds the people noted per passage: beyond a few, no pronoun
// has a sole referent anyway.
const maxPeople = 8

// carryPeople makes the people of the passage before those of the passage
// being read when it named nobody: it continues their words.
func (st *speakerState) carryPeople() {
	st.roll()
	if len(st.people) == 0 {
		st.people = slices.Clone(st.prevPeople)
	}
}

// mention notes a person named in the passage being read.
func (st *speakerState) mention(name string) {
	st.roll()
	if len(st.people) < maxPeople && !slices.Contains(st.people, name) {
		st.people = append(st.people, name)
	}
}

// soleReferent returns the person a Chinese pronoun refers to: the only
// person named so far in this passage that fits it (fits: the pronoun's
// gender, where known), or, if this passage named nobody yet, the only one
// the passage before named. With two candidates (白嘉轩对孝武说…
// 他说) the pronoun is left unresolved: a wrong speaker costs more than a
// missing one.
func (st *speakerState) soleReferent(fits func(name string) bool) string {
	st.roll()
	sole := func(people []string) (string, int) {
		who, n := "", 0
		for _, p := range people {
			if fits(p) {
				who, n = p, n+1
			}
		}
		return who, n
	}
	if len(st.people) > 0 {
		who, n := sole(st.people)
		if n != 1 {
			return ""
		}
		return who
	}
	if who, n := sole(st.prevPeople); n == 1 {
		return who
	}
	return ""
}

// pronounReach is how far back a pronoun looks for its person: the same
// passage or the one just before. Further back, "he said" is more often
// someone else (in fiction a third of such tags named a person absent from
// the paragraph), so it is left unresolved.
const pronounReach = 1

// referent returns the person a pronoun refers to, or "" if no person was
// named within pronounReach.
func (st *speakerState) referent() string {
	if st.passage-st.seen > pronounReach {
		return ""
	}
	return cmpOrString(st.salient, st.last)
}

// setSalient makes name the person a following pronoun refers to.
func (st *speakerState) setSalient(name string) {
	st.salient = name
	st.seen = st.passage
}

func (st *speakerState) named(name string) {
	st.last = name
	st.seen = st.passage
	f := strings.Fields(name)
	if len(f) < 2 {
		return
	}
	key := f[len(f)-1]
	if pinyinSurnames[strings.ToLower(f[0])] {
		key = f[0]
	}
	if st.surnames == nil {
		st.surnames = make(map[string]string)
	}
	st.surnames[strings.ToLower(key)] = name
}

type occKind uint8

const (
	occPerson  occKind = iota + 1 // gazetteer person
	occUnknown                    // a capitalised name not in the gazetteer
	occPronoun
	occOther // company, product, organisation, media
)

type enOcc struct {
	ti, tj int // tokens [ti, tj)
	name   string
	kind   occKind
	poss   bool
}

// quoteAfter reports an opening quotation mark right after token k.
func (s *enScan) quoteAfter(k int) bool {
	switch s.tp(k + 1) {
	case "\"", "“", "'", "‘", "「":
		return true
	}
	return false
}

// enScan is one English text being searched for speakers.
type enScan struct {
	colon int // the colon speechAfter last accepted, or -1
	text  string
	toks  []token
	occ   []int32 // token -> index of the occurrence starting there, or -1
	occs  []enOcc
}

func (s *enScan) tw(k int) string {
	if k < 0 || k >= len(s.toks) || s.toks[k].kind != tokWord {
		return ""
	}
	return s.toks[k].fold
}

func (s *enScan) tp(k int) string {
	if k < 0 || k >= len(s.toks) || s.toks[k].kind != tokPunct {
		return ""
	}
	return s.text[s.toks[k].start:s.toks[k].end]
}

func (s *enScan) sentenceEnd(k int) bool {
	switch s.tp(k) {
	case "!", "?", "。", "！", "？", ";", "；":
		return true
	case ".":
		if k > 0 && s.toks[k-1].kind == tokWord && s.toks[k-1].end == s.toks[k].start {
			if w := s.toks[k-1].fold; len(w) == 1 || abbreviations[w] {
				return false
			}
		}
		if k+1 < len(s.toks) && s.toks[k+1].start == s.toks[k].end && s.toks[k+1].kind == tokWord {
			return false // 1.2, U.S
		}
		return true
	}
	return false
}

func (x *Extractor) speakersEN(sc *sideScan, st *speakerState, add func(string)) {
	if len(sc.toks) == 0 {
		return
	}
	s := x.enOccurrences(sc, st)
	for _, o := range s.occs {
		switch o.kind {
		case occOther:
			continue
		case occPronoun:
			if st.referent() != "" && s.subjectLike(o.ti) {
				st.seen = st.passage // "He met Wang Qiong": still the same person
			}
			if s.speechAfter(o.tj) {
				if name := st.referent(); name != "" {
					add(name)
				}
			}
			continue
		}
		speaks := false
		switch {
		case s.quotedBefore(o):
			speaks = true
		case o.poss:
			speaks = s.possessiveView(o)
		case !objectWords[s.tw(o.ti-1)] || s.tw(o.ti-1) == "and" && s.subjectAnd(o.ti-1):
			s.colon = -1
			speaks = s.speechAfter(o.tj)
			if speaks && s.colon >= 0 && o.kind == occUnknown && !s.quoteAfter(s.colon) {
				// "Exit Status:", "DLL Name:": a label, not a person, unless
				// words in quotation marks follow.
				speaks = false
			}
		}
		if speaks {
			add(o.name)
			st.setSalient(o.name)
		} else if o.kind == occPerson && !o.poss && s.subjectLike(o.ti) {
			st.setSalient(o.name)
		}
		if o.kind == occPerson || speaks {
			st.named(o.name)
		}
	}
}

// enOccurrences finds the people, pronouns, unknown capitalised names and
// other entities of an English text, in order.
func (x *Extractor) enOccurrences(sc *sideScan, st *speakerState) *enScan {
	s := &enScan{text: sc.text, toks: sc.toks, occ: make([]int32, len(sc.toks))}
	for i := range s.occ {
		s.occ[i] = -1
	}
	covered := make([]bool, len(sc.toks))
	k := 0
	for _, m := range sc.ms {
		for k < len(s.toks) && s.toks[k].start < m.start {
			k++
		}
		ti := k
		for k < len(s.toks) && s.toks[k].end <= m.end {
			covered[k] = true
			k++
		}
		if ti == k {
			continue // a Chinese name: no Latin tokens
		}
		kind := occOther
		if x.g.ents[m.ent].Type == EntityPerson {
			kind = occPerson
		}
		s.occs = append(s.occs, enOcc{ti: ti, tj: k, name: x.g.ents[m.ent].Name, kind: kind, poss: m.poss})
	}
	for i := 0; i < len(s.toks); i++ {
		if covered[i] || s.toks[i].kind != tokWord {
			continue
		}
		if w := s.toks[i].fold; w == "he" || w == "she" {
			s.occs = append(s.occs, enOcc{ti: i, tj: i + 1, kind: occPronoun})
			continue
		}
		if o, end := s.capName(covered, i, st); end > i {
			if o.kind != 0 {
				s.occs = append(s.occs, o)
			}
			i = end - 1
		}
	}
	sort.Slice(s.occs, func(a, b int) bool { return s.occs[a].ti < s.occs[b].ti })
	for i, o := range s.occs {
		s.occ[o.ti] = int32(i)
	}
	return s
}

func cmpOrString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// subjectAnd reports whether the "and" at k joins two subjects ("Ren
// Zhengfei and Zhang Yiming said"): a person ends right before it.
func (s *enScan) subjectAnd(k int) bool {
	i := sort.Search(len(s.occs), func(i int) bool { return s.occs[i].tj >= k })
	return i < len(s.occs) && s.occs[i].tj == k && (s.occs[i].kind == occPerson || s.occs[i].kind == occUnknown)
}

func (s *enScan) subjectLike(ti int) bool {
	if ti == 0 {
		return true
	}
	if p := s.tp(ti - 1); p != "" {
		return strings.Contains(".!?;:,(\"“”'‘’—；：，。！？（", p)
	}
	return subjectWords[s.tw(ti-1)]
}

// quotedBefore reports "according to X", "in the words/view of X",
// ", said X" and "quoted X as saying".
func (s *enScan) quotedBefore(o enOcc) bool {
	w1, w2 := s.tw(o.ti-1), s.tw(o.ti-2)
	switch {
	case w1 == "to" && w2 == "according":
		return true
	case w1 == "of" && (w2 == "words" || w2 == "view" || w2 == "opinion") && s.tw(o.ti-3) == "the" && s.tw(o.ti-4) == "in":
		return true
	case invertedVerbs[w1] && (o.ti < 2 || strings.Contains(",\"“”'’", s.tp(o.ti-2)) && s.tp(o.ti-2) != ""):
		return true
	case w1 == "quoted" && s.tw(o.tj) == "as" && s.tw(o.tj+1) == "saying":
		return true
	}
	return false
}

// possessiveView reports "in X's eyes/view/opinion/words".
func (s *enScan) possessiveView(o enOcc) bool {
	if s.tw(o.ti-1) != "in" {
		return false
	}
	k := o.tj
	if isApostrophe(s.tp(k)) && s.tw(k+1) == "s" {
		k += 2
	}
	switch s.tw(k) {
	case "eyes", "view", "opinion", "words", "mind", "assessment", "estimation":
		return true
	}
	return false
}

// speechAfter reports whether the tokens from k on, after appositions and
// adverbs, introduce speech by the name that ends at k.
func (s *enScan) speechAfter(k int) bool {
	for s.tw(k) == "and" && k+1 < len(s.occ) && s.occ[k+1] >= 0 {
		o := s.occs[s.occ[k+1]]
		if o.kind != occPerson && o.kind != occUnknown {
			break
		}
		k = o.tj
	}
	k, ok := s.skipAppositions(k)
	if !ok {
		return false
	}
	for n := 0; n < 4 && isAdverbWord(s.tw(k)); n++ {
		k++
	}
	switch p := s.tp(k); p {
	case ":", "：":
		s.colon = k
		return true
	case ",", "，":
		return s.tw(k+1) == "saying"
	}
	w := s.tw(k)
	if speechVerbs[w] {
		return !silent[s.tw(k+1)] // "said nothing"
	}
	switch w {
	case "pointed":
		return s.tw(k+1) == "out"
	case "summed":
		return s.tw(k+1) == "up"
	case "went":
		return s.tw(k+1) == "on" && s.tw(k+2) == "to" && s.tw(k+3) == "say"
	case "delivered", "delivers", "gave", "gives", "made", "makes", "issued", "issues":
		j := k + 1
		if a := s.tw(j); a == "a" || a == "an" {
			j++
		}
		return speechNouns[s.tw(j)]
	case "was", "is", "were", "remained", "remains", "seemed", "seems":
		j := k + 1
		for n := 0; n < 2 && isAdverbWord(s.tw(j)); n++ {
			j++
		}
		if speechAdjectives[s.tw(j)] {
			return true
		}
		for j := k + 1; j < k+9 && j < len(s.toks); j++ {
			if p := s.tp(j); p == ":" || p == "：" {
				return true
			}
			if s.sentenceEnd(j) {
				break
			}
		}
	}
	return false
}

// skipAppositions skips up to three parenthesised or comma-delimited
// appositions after a name at token k ("Guo Ping, Huawei's chairman,"),
// reporting false if one is not closed.
func (s *enScan) skipAppositions(k int) (int, bool) {
	for range 3 {
		switch s.tp(k) {
		case "(", "（":
			c := s.find(k+1, 15, ")", "）")
			if c < 0 {
				return k, false
			}
			k = c + 1
			continue
		case ",", "，":
			c := s.find(k+1, 30, ",", "，")
			if c < 0 || c == k+1 {
				return k, false
			}
			k = c + 1
			continue
		}
		break
	}
	return k, true
}

// find returns the index of the first of puncts within limit tokens from k,
// or -1 if a sentence ends first.
func (s *enScan) find(k, limit int, puncts ...string) int {
	for j := k; j < k+limit && j < len(s.toks); j++ {
		if p := s.tp(j); p != "" {
			if slices.Contains(puncts, p) {
				return j
			}
			if s.sentenceEnd(j) {
				return -1
			}
		}
	}
	return -1
}

// capName reads a name that is not in the gazetteer at toks[i]: two to four
// capitalised words ("Kenji Tanaka", "Kai-Fu Lee"), after any title
// ("Analyst Zhao Ting"); or one capitalised word that is the surname of a
// person named before ("Ren said").
//
// It returns the end of the capitalised run it read, i if none, and an
// occurrence of kind 0 if the run is no name.
func (s *enScan) capName(covered []bool, i int, st *speakerState) (enOcc, int) {
	n := len(s.toks)
	j := i
	for j < n && !covered[j] && s.capWord(j) {
		j++
		if j+1 < n && s.tp(j) == "-" && s.toks[j].start == s.toks[j-1].end &&
			s.toks[j+1].kind == tokWord && s.toks[j+1].start == s.toks[j].end {
			j += 2 // Kai-Fu, Jae-yong
		}
		if j < n && strings.TrimSpace(s.text[s.toks[j-1].end:s.toks[j].start]) != "" {
			break
		}
	}
	if j == i {
		return enOcc{}, i
	}
	a := i
	for a < j && (nameStops[s.toks[a].fold] || titles[s.toks[a].fold]) {
		if s.toks[a].fold == "the" {
			return enOcc{}, j // "The …": an organisation or a title, never a person
		}
		a++
	}
	words := 0
	for k := a; k < j; k++ {
		if s.toks[k].kind != tokWord {
			continue
		}
		if k == a || s.tp(k-1) != "-" {
			words++
		}
		if notNameWords[s.toks[k].fold] || nameStops[s.toks[k].fold] {
			return enOcc{}, j
		}
	}
	o := enOcc{ti: a, tj: j}
	switch {
	case words == 1 && st.surnames[s.toks[a].fold] != "":
		o.name, o.kind = st.surnames[s.toks[a].fold], occPerson
	case words >= 2 && words <= 4 && s.tw(a-1) != "the":
		o.name, o.kind = strings.Join(strings.Fields(s.text[s.toks[a].start:s.toks[j-1].end]), " "), occUnknown
	}
	return o, j
}

// capWord: a capital followed by at least one lower-case letter, letters
// only (so not "ZTE", "U", "5G").
func (s *enScan) capWord(k int) bool {
	t := &s.toks[k]
	if t.kind != tokWord {
		return false
	}
	w := s.text[t.start:t.end]
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	lower := false
	for _, c := range w[size:] {
		if !unicode.IsLetter(c) {
			return false
		}
		if unicode.IsLower(c) {
			lower = true
		}
	}
	return lower
}
