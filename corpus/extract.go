package corpus

import (
	"slices"
	"sort"
	"strings"
	"unicode"
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
// responded, announced, claimed, promised, expressed, was outspoken, paid
// tribute, delivered a speech, …; 说, 表示, 称, 认为, 指出, 回应, …) or a
// colon, "was … :"; "according to X", "in the words of X", "in X's eyes",
// ", said X"; 据X称, 用X的话说, 在X看来, "X：". He/she/他/她 with such a verb is
// the person last made salient (last speaker or person named as a subject,
// in this passage or before). Organisations and companies are never
// speakers. Names not in the gazetteer are found by pattern (capitalised
// English names, a Chinese surname and one or two characters, names with a
// middle dot) and kept as written.
type Extractor struct {
	g *Gazetteer
}

// NewExtractor returns an extractor that finds entities with g.
func NewExtractor(g *Gazetteer) *Extractor { return &Extractor{g: g} }

// focusReach is how many passages an explicit year stays the focus for
// relative years in the passages after it. In news writing "this year" in a
// paragraph that names no year is usually the writer's present, while right
// after "In September 2014" it is 2014; two passages keep the essay's
// narrative right ("In September this year", "The next year") without
// dragging 2016 into "announced in April this year" ten paragraphs later.
const focusReach = 2

type sideScan struct {
	text string
	toks []token
	ms   []match
}

// Annotate sets Companies, Years, Speakers and Entities of every passage of d
// (sorted, deduplicated, canonical; the union over both language sides), in
// reading order so that relative years and pronouns resolve against what
// came before.
func (x *Extractor) Annotate(d *Document) {
	if x == nil || x.g == nil || d == nil {
		return
	}
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
				if m.mode != modeWeak {
					for _, k := range g.support[m.ent] {
						supported[k] = true
					}
				}
			}
		}
	}
	for i := range scans {
		for s := range scans[i] {
			scans[i][s].ms = slices.DeleteFunc(scans[i][s].ms, func(m match) bool {
				if m.mode != modeWeak {
					return false
				}
				for _, k := range g.support[m.ent] {
					if supported[k] {
						return false
					}
				}
				return true
			})
		}
	}

	refYear := make(map[string]int)
	for _, r := range d.References {
		if y := dateYear(r.Date); y != 0 {
			refYear[r.Passage] = y
		}
	}
	docYear := d.Year()
	var focus, focusAt int
	var speakers [2]speakerState
	for i := range d.Passages {
		p := &d.Passages[i]
		var ents, comps []string
		var spk [2][]string // by side
		var years []int
		addYear := func(y int) {
			if y >= minYear && y <= maxYear {
				years = append(years, y)
			}
		}
		for s := range scans[i] {
			for _, m := range scans[i][s].ms {
				ents = append(ents, g.ents[m.ent].Name)
				comps = append(comps, g.companies[m.ent]...)
			}
		}
		var evs [2][]yearEvent
		for s := range scans[i] {
			if sc := &scans[i][s]; sc.text != "" {
				evs[s] = yearEvents(sc.text, sc.toks)
			}
		}
		ref := p.Section == SectionReference
		base := docYear
		if ref {
			// A reference's "this year" is the year it was published: its
			// date, else the date at the end of its text.
			if y := refYear[p.ID]; y != 0 {
				base = y
				addYear(y)
			} else if y := cmpOr(lastFocus(evs[0]), lastFocus(evs[1])); y != 0 {
				base = y
			}
		} else if focus != 0 && (i-focusAt <= focusReach || docYear == 0) {
			base = focus
		}
		var last [2]int
		for s := range scans[i] {
			sc := &scans[i][s]
			if sc.text == "" {
				continue
			}
			last[s] = resolveYears(evs[s], base, docYear, addYear)

			st := &speakers[s]
			if ref {
				st = &speakerState{} // references do not continue each other
			}
			addSpk := func(name string) { spk[s] = append(spk[s], name) }
			x.speakersEN(sc, st, addSpk)
			x.speakersZH(sc, st, addSpk)
		}
		if !ref {
			if y := cmpOr(last[0], last[1]); y != 0 {
				focus, focusAt = y, i
			}
		}
		p.Entities = sortedSet(append(ents, comps...))
		p.Companies = sortedSet(comps)
		p.Speakers = sortedSet(x.joinSpeakers(spk[0], spk[1]))
		slices.Sort(years)
		p.Years = slices.Compact(years)
		if len(p.Years) == 0 {
			p.Years = nil
		}
	}
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

// Years.

const (
	minYear = 1900
	maxYear = 2100
	// maxRangeSpan is the widest range whose every year is a facet value.
	maxRangeSpan = 10
)

type yearKind uint8

const (
	evYear yearKind = iota + 1 // explicit year or range from..to
	evRel                      // focus + off
	evAgo                      // document year - off
)

type yearEvent struct {
	pos      int
	kind     yearKind
	from, to int
	focus    bool // an explicit single year that becomes the focus
	off      int
}

// resolveYears adds the years of evs and returns the last explicit year that
// sets the focus, or 0. base is the focus carried into the passage, now the
// document's year.
func resolveYears(evs []yearEvent, base, now int, add func(int)) int {
	last := 0
	for _, ev := range evs {
		switch ev.kind {
		case evYear:
			if ev.to-ev.from <= maxRangeSpan {
				for y := ev.from; y <= ev.to; y++ {
					add(y)
				}
			} else {
				add(ev.from)
				add(ev.to)
			}
			if ev.focus {
				last = ev.from
			}
		case evRel:
			if f := cmpOr(last, base); f != 0 {
				add(f + ev.off)
			}
		case evAgo:
			if f := cmpOr(now, cmpOr(last, base)); f != 0 {
				add(f - ev.off)
			}
		}
	}
	return last
}

// yearEvents finds the explicit and relative years of one side's text, in
// text order.
func yearEvents(text string, toks []token) []yearEvent {
	var evs []yearEvent
	evs = tokenYears(text, toks, evs)
	if hasCJK(text) {
		evs = chineseYears(text, evs)
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].pos < evs[j].pos })
	return evs
}

func tokenYears(text string, toks []token, evs []yearEvent) []yearEvent {
	prevYear, prevEv := -1, -1 // token of the last 4-digit year-like number, and its event
	for i := range toks {
		t := &toks[i]
		if t.kind != tokWord {
			continue
		}
		w := t.fold
		if w[0] < '0' || w[0] > '9' {
			evs = englishRelative(toks, i, evs)
			continue
		}
		if len(w) == 5 && w[4] == 's' && allDigits(w[:4]) { // 1990s
			if y := atoi(w[:4]); y%10 == 0 && y >= minYear && y <= maxYear {
				evs = append(evs, yearEvent{pos: t.start, kind: evYear, from: y, to: y})
			}
			continue
		}
		if len(w) != 4 || !allDigits(w) {
			continue
		}
		y := atoi(w)
		if y < minYear || y > maxYear {
			continue
		}
		date := dateAfter(text, toks, i)
		if !date && partOfNumber(text, toks, i) {
			continue
		}
		after := strings.TrimLeft(text[t.end:], " \u3000")
		if prevYear >= 0 && i-prevYear <= 3 {
			if y0 := atoi(toks[prevYear].fold); y0 < y {
				if bare, ok := rangeConnector(text, toks, prevYear, i); ok &&
					(prevEv >= 0 || bare || strings.HasPrefix(after, "年")) && !countNounAfter(text, toks, i) {
					ev := yearEvent{pos: toks[prevYear].start, kind: evYear, from: y0, to: y}
					if prevEv >= 0 {
						evs[prevEv] = ev
					} else {
						evs = append(evs, ev)
					}
					prevYear, prevEv = -1, -1
					continue
				}
			}
		}
		listed := prevEv >= 0 && i-prevYear <= 3
		ok, focus := false, true
		switch {
		case strings.HasPrefix(after, "年代"):
			ok, focus = true, false
		case strings.HasPrefix(after, "年"):
			ok = true
		case apostropheS(text, toks, i): // 1990's
			ok, focus = true, false
		case date:
			ok = true
		default:
			ok = yearContext(text, toks, i, listed)
		}
		prevYear, prevEv = i, -1
		if ok {
			prevEv = len(evs)
			evs = append(evs, yearEvent{pos: t.start, kind: evYear, from: y, to: y, focus: focus})
		}
	}
	return evs
}

// rangeConnector reports whether the text between year tokens a and b makes
// a range, and whether the connector is one (a dash, 至, 到) that makes a
// range even without other year context.
func rangeConnector(text string, toks []token, a, b int) (bare, ok bool) {
	s := strings.TrimSpace(text[toks[a].end:toks[b].start])
	s = strings.TrimSpace(strings.TrimPrefix(s, "年"))
	switch strings.ToLower(s) {
	case "-", "–", "—", "——", "−", "~", "～", "至", "到":
		return true, true
	case "to", "through", "until", "till", "thru":
		return false, true
	case "and":
		between := a > 0 && toks[a-1].fold == "between"
		return between, between
	}
	return false, false
}

// dateAfter reports whether toks[i] starts a numeric date: 2019-03-30,
// 2019/3/30, 2019.03.30.
func dateAfter(text string, toks []token, i int) bool {
	if i+2 >= len(toks) {
		return false
	}
	sep, m := &toks[i+1], &toks[i+2]
	if sep.kind != tokPunct || sep.start != toks[i].end || m.start != sep.end || m.kind != tokWord {
		return false
	}
	switch text[sep.start:sep.end] {
	case "-", "/", ".":
	default:
		return false
	}
	return len(m.fold) <= 2 && allDigits(m.fold) && atoi(m.fold) >= 1 && atoi(m.fold) <= 12
}

// partOfNumber reports whether toks[i] is a piece of a larger number or an
// amount: 1,2019 46.2019 2019.5 2019% $2019.
func partOfNumber(text string, toks []token, i int) bool {
	t := &toks[i]
	if i > 0 && toks[i-1].kind == tokPunct && toks[i-1].end == t.start {
		switch text[toks[i-1].start:toks[i-1].end] {
		case "$", "¥", "￥", "€", "£", "＄":
			return true
		case ".", ",":
			if i > 1 && toks[i-2].kind == tokWord && toks[i-2].end == toks[i-1].start && isDigitByte(toks[i-2].fold[0]) {
				return true
			}
		}
	}
	if i+1 < len(toks) && toks[i+1].kind == tokPunct && toks[i+1].start == t.end {
		switch text[toks[i+1].start:toks[i+1].end] {
		case "%", "％", "‰":
			return true
		case ".", ",":
			if i+2 < len(toks) && toks[i+2].kind == tokWord && toks[i+2].start == toks[i+1].end && isDigitByte(toks[i+2].fold[0]) {
				return true
			}
		}
	}
	return false
}

func apostropheS(text string, toks []token, i int) bool {
	return i+2 < len(toks) && toks[i+1].kind == tokPunct && toks[i+1].start == toks[i].end &&
		isApostrophe(text[toks[i+1].start:toks[i+1].end]) && toks[i+2].fold == "s" &&
		toks[i+2].start == toks[i+1].end
}

// yearWords are the words after which a four-digit number is a year.
var yearWords = setOf("in", "since", "by", "of", "from", "until", "till", "before", "after",
	"during", "around", "circa", "year", "fiscal", "fy", "early", "late", "mid", "spring",
	"summer", "autumn", "fall", "winter", "end", "q1", "q2", "q3", "q4", "h1", "h2", "the")

// yearContext reports whether the number toks[i] is a year by what surrounds
// it. listed says a year came just before ("in 2016, 2017 and 2018").
func yearContext(text string, toks []token, i int, listed bool) bool {
	j := i - 1
	if j < 0 {
		return false
	}
	p := &toks[j]
	if p.kind == tokPunct {
		switch text[p.start:p.end] {
		case "(", "（", "[", "【":
			return true
		case ",", "，":
			if listed {
				return true
			}
			return j >= 2 && isDayTok(&toks[j-1]) && isMonthTok(text, &toks[j-2]) // March 30, 2009
		case "、", "&":
			return listed
		case "-", "–", "—":
			return j >= 1 && p.start == toks[j-1].end && (toks[j-1].fold == "mid" || toks[j-1].fold == "early" || toks[j-1].fold == "late")
		}
		return false
	}
	w := p.fold
	switch {
	case isMonthTok(text, p):
		return true
	case isDayTok(p) && j >= 1 && isMonthTok(text, &toks[j-1]): // March 30 2009
		return true
	case listed && (w == "and" || w == "or"):
		return true
	case yearWords[w]:
		return !countNounAfter(text, toks, i)
	}
	return false
}

// countNouns are plural nouns that do not end in s.
var countNouns = setOf("people", "staff", "men", "women", "children", "personnel", "yuan",
	"feet", "mice", "sheep", "fish", "police", "data", "media", "criteria", "phenomena")

// notPlural end in s without being plural nouns.
var notPlural = setOf("always", "perhaps", "towards", "besides", "nevertheless", "whereas",
	"thus", "afterwards", "sometimes", "regardless", "its", "his", "hers", "this", "was", "has",
	"is", "does", "plus", "versus", "across", "unless", "less", "as", "us", "yes", "says", "news")

// countNounAfter reports whether a number is followed by a plural noun: "2000
// employees" counts things, it is not a year.
func countNounAfter(text string, toks []token, i int) bool {
	k := i + 1
	if k >= len(toks) || toks[k].kind != tokWord {
		return false
	}
	c := text[toks[k].start]
	if c < 'a' || c > 'z' {
		return false
	}
	w := toks[k].fold
	if countNouns[w] {
		return true
	}
	if notPlural[w] || len(w) < 4 || w[len(w)-1] != 's' {
		return false
	}
	return !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is")
}

var months = setOf("january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
	"aug", "sep", "sept", "oct", "nov", "dec")

// isMonthTok requires a capital: "may" and "march" are also verbs.
func isMonthTok(text string, t *token) bool {
	if t.kind != tokWord || !months[t.fold] {
		return false
	}
	c := text[t.start]
	return c >= 'A' && c <= 'Z'
}

func isDayTok(t *token) bool {
	w := t.fold
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if s, ok := strings.CutSuffix(w, suf); ok && s != "" {
			w = s
			break
		}
	}
	return t.kind == tokWord && len(w) <= 2 && allDigits(w) && atoi(w) >= 1 && atoi(w) <= 31
}

var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}

// englishRelative adds the relative year expression that ends at the word
// toks[i] ("year"/"years"), if any.
func englishRelative(toks []token, i int, evs []yearEvent) []yearEvent {
	w := toks[i].fold
	if w != "year" && w != "years" {
		return evs
	}
	tw := func(k int) string {
		if k < 0 || k >= len(toks) || toks[k].kind != tokWord {
			return ""
		}
		return toks[k].fold
	}
	prev, next := tw(i-1), tw(i+1)
	pos := toks[i].start
	if i > 0 {
		pos = toks[i-1].start
	}
	rel := func(kind yearKind, off int) []yearEvent {
		return append(evs, yearEvent{pos: pos, kind: kind, off: off})
	}
	// "after"/"before" need to end the phrase: "10 years after Google returned" is not relative to the focus.
	ends := i+2 >= len(toks) || toks[i+2].kind == tokPunct
	if w == "year" {
		switch prev {
		case "this", "that", "same":
			return rel(evRel, 0)
		case "last", "previous", "prior":
			return rel(evRel, -1)
		case "next", "following", "subsequent":
			return rel(evRel, 1)
		}
		one := prev == "a" || prev == "one"
		switch {
		case next == "before" && prev == "the":
			return rel(evRel, -1)
		case next == "after" && prev == "the":
			return rel(evRel, 1)
		case next == "later" && one:
			return rel(evRel, 1)
		case next == "earlier" && one:
			return rel(evRel, -1)
		case next == "ago" && one:
			return rel(evAgo, 1)
		}
		return evs
	}
	if prev == "this" { // machine translation drops the apostrophe: "this years Internet industry"
		return rel(evRel, 0)
	}
	n, ok := numberWords[prev]
	if !ok && len(prev) <= 2 && prev != "" && allDigits(prev) {
		n, ok = atoi(prev), true
	}
	if !ok || n == 0 {
		return evs
	}
	switch {
	case next == "later":
		return rel(evRel, n)
	case next == "earlier":
		return rel(evRel, -n)
	case next == "ago":
		return rel(evAgo, n)
	case next == "after" && ends:
		return rel(evRel, n)
	case next == "before" && ends:
		return rel(evRel, -n)
	}
	return evs
}

// notYearAfter are characters that make 年 part of another word: 年龄 (age),
// 年级 (grade), 年轻 (young), 年份, 年代 (decade, handled apart).
var notYearAfter = setOf("龄", "齡", "级", "級", "纪", "紀", "轻", "輕", "份", "代", "鉴", "鑑",
	"华", "華", "货", "貨", "糕", "画", "畫", "薪")

// chineseYears adds the relative years (今年, 去年, 次年, 三年后), years in
// Chinese numerals (二〇一九年) and decades (九十年代, 20世纪90年代).
func chineseYears(text string, evs []yearEvent) []yearEvent {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '年' {
			i += size
			continue
		}
		rest := text[i+size:]
		before := text[:i]
		p1, s1 := utf8.DecodeLastRuneInString(before)
		p2, _ := utf8.DecodeLastRuneInString(before[:len(before)-s1])
		nextR, _ := utf8.DecodeRuneInString(rest)
		i += size

		if strings.HasPrefix(rest, "代") {
			if y, start := chineseDecade(before); y != 0 {
				evs = append(evs, yearEvent{pos: start, kind: evYear, from: y, to: y})
			}
			continue
		}
		if y, start, ok := chineseNumeralYear(before); ok {
			if y >= minYear && y <= maxYear {
				evs = append(evs, yearEvent{pos: start, kind: evYear, from: y, to: y, focus: true})
			}
			continue
		}
		if n, start := chineseCount(before); n > 0 && clauseStart(text[:start]) {
			switch {
			case hasAnyPrefix(rest, "后", "後", "之后", "之後", "以后", "以後"):
				evs = append(evs, yearEvent{pos: start, kind: evRel, off: n})
				continue
			case hasAnyPrefix(rest, "前", "之前", "以前"):
				evs = append(evs, yearEvent{pos: start, kind: evAgo, off: n})
				continue
			}
		}
		if notYearAfter[string(nextR)] {
			continue
		}
		pos := i - size - s1
		off, ok := 0, true
		switch p1 {
		case '今', '当', '當', '那':
		case '同':
			ok = p2 != '不' && p2 != '相'
		case '去':
			off = -1
		case '明', '次', '翌':
			off = 1
		case '前':
			off = -2
			ok = !isChineseDigit(p2) && p2 != '年' && p2 != '提' && p2 != '以'
		case '后', '後':
			off = 2
			ok = !isChineseDigit(p2) && p2 != '年' && p2 != '之' && p2 != '以' && p2 != '然'
		case '一':
			switch p2 {
			case '前', '上':
				off = -1
			case '下':
				off = 1
			case '这', '這', '那', '同':
			default:
				ok = false
			}
		case '二':
			ok, off = p2 == '第', 1
		default:
			ok = false
		}
		if ok {
			evs = append(evs, yearEvent{pos: pos, kind: evRel, off: off})
		}
	}
	return evs
}

// clauseStart reports whether a count ending at the end of s begins a
// clause: 四年后，百度上市 is relative to the focus; 谷歌退回美国10年后 counts
// from an event, not from the focus.
func clauseStart(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError || !unicode.Is(unicode.Han, r) {
		return true
	}
	return strings.ContainsRune("在又再了过過就而约約近", r)
}

const chineseDigits = "〇零○一二三四五六七八九"

func isChineseDigit(r rune) bool { return strings.ContainsRune(chineseDigits+"十两兩", r) }

// chineseNumeralYear reads a year in Chinese digits (二〇一九) at the end of s.
func chineseNumeralYear(s string) (y, start int, ok bool) {
	for n := 0; n < 4; n++ {
		r, size := utf8.DecodeLastRuneInString(s)
		d := strings.IndexRune(chineseDigits, r)
		if d < 0 || size == 0 {
			return 0, 0, false
		}
		d = digitValue(r)
		y += d * pow10(n)
		s = s[:len(s)-size]
	}
	if r, _ := utf8.DecodeLastRuneInString(s); strings.ContainsRune(chineseDigits, r) {
		return 0, 0, false
	}
	return y, len(s), true
}

func digitValue(r rune) int {
	switch r {
	case '〇', '零', '○':
		return 0
	}
	return strings.IndexRune("一二三四五六七八九", r)/3 + 1
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// chineseCount reads a small count (1-99, Arabic or Chinese numerals) at the
// end of s: the N of N年后. It returns 0 for years and longer numbers.
func chineseCount(s string) (n, start int) {
	orig := s
	digits := 0
	for digits < 3 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r >= '0' && r <= '9' || r >= '０' && r <= '９' {
			s = s[:len(s)-size]
			digits++
			continue
		}
		break
	}
	if digits > 0 {
		if digits > 2 {
			return 0, 0
		}
		if r, _ := utf8.DecodeLastRuneInString(s); r == '.' || r == '．' {
			return 0, 0
		}
		return atoi(foldWidth(orig[len(s):])), len(s)
	}
	// Chinese numerals: 三, 十, 十五, 二十, 二十五, 两
	var rs []rune
	for len(rs) < 3 {
		r, size := utf8.DecodeLastRuneInString(s)
		if !strings.ContainsRune("一二三四五六七八九十两兩", r) {
			break
		}
		rs = append([]rune{r}, rs...)
		s = s[:len(s)-size]
	}
	if len(rs) == 0 {
		return 0, 0
	}
	if r, _ := utf8.DecodeLastRuneInString(s); r == '第' || strings.ContainsRune(chineseDigits, r) {
		return 0, 0
	}
	val := func(r rune) int {
		if r == '两' || r == '兩' {
			return 2
		}
		return digitValue(r)
	}
	switch {
	case len(rs) == 1 && rs[0] == '十':
		n = 10
	case len(rs) == 1:
		n = val(rs[0])
	case len(rs) == 2 && rs[0] == '十':
		n = 10 + val(rs[1])
	case len(rs) == 2 && rs[1] == '十':
		n = val(rs[0]) * 10
	case len(rs) == 3 && rs[1] == '十':
		n = val(rs[0])*10 + val(rs[2])
	}
	return n, len(s)
}

// chineseDecade reads the decade before 年代: 90, 九十, 20世纪90, 二十世纪九十.
func chineseDecade(s string) (y, start int) {
	t, st := chineseCount(s)
	if t == 0 || t%10 != 0 {
		return 0, 0
	}
	head := s[:st]
	if c, ok := strings.CutSuffix(head, "世纪"); ok {
		if n, cs := chineseCount(c); n >= 19 && n <= 21 {
			return (n-1)*100 + t, cs
		}
	}
	if t >= 30 {
		return 1900 + t, st
	}
	return 2000 + t, st
}

func hasAnyPrefix(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return true
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 9; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Speakers.

// speakerState carries, along one language side of a document, who a
// pronoun refers to.
type speakerState struct {
	salient  string            // last speaker, or person named as a subject
	last     string            // last person named at all
	surnames map[string]string // "ren" -> "Ren Zhengfei", for "Ren said"
}

func (st *speakerState) named(name string) {
	st.last = name
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

// enScan is one English text being searched for speakers.
type enScan struct {
	text string
	toks []token
	occ  []int32 // token -> index of the occurrence starting there, or -1
	occs []enOcc
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

var abbreviations = setOf("mr", "mrs", "ms", "dr", "st", "inc", "corp", "co", "ltd", "jr", "sr",
	"no", "vs", "prof", "gov", "sen", "rep", "gen")

// speechVerbs introduce a person's words or views.
var speechVerbs = setOf("said", "says", "wrote", "writes", "believes", "believed", "mentioned",
	"mentions", "responded", "responds", "announced", "announces", "claimed", "claims", "promised",
	"promises", "expressed", "expresses", "stated", "states", "told", "tells", "added", "adds",
	"noted", "notes", "explained", "explains", "argued", "argues", "insisted", "insists", "stressed",
	"stresses", "emphasized", "emphasised", "emphasizes", "emphasises", "revealed", "reveals",
	"admitted", "admits", "warned", "warns", "replied", "replies", "recalled", "recalls",
	"commented", "comments", "acknowledged", "acknowledges", "suggested", "suggests", "predicted",
	"predicts", "confirmed", "confirms", "denied", "denies", "declared", "declares", "remarked",
	"observed", "observes", "urged", "urges", "asserted", "asserts", "vowed", "vows", "pledged",
	"pledges", "conceded", "concedes", "countered", "counters", "concluded", "concludes",
	"complained", "complains", "thinks", "asked", "asks", "answered", "answers", "disclosed",
	"discloses", "tweeted", "praised", "praises", "criticized", "criticised", "criticizes",
	"criticises", "thanked", "thanks", "joked", "quipped", "boasted", "lamented", "laments",
	"stated", "hinted", "speculated", "recounted", "reiterated", "reiterates")

// invertedVerbs stand before the name in ", said Ren Zhengfei".
var invertedVerbs = setOf("said", "says", "added", "wrote", "noted", "explained", "continued",
	"asked", "replied", "recalled")

// speechAdjectives after "was" report speech: "was outspoken".
var speechAdjectives = setOf("outspoken", "blunt", "frank", "candid", "vocal", "adamant",
	"emphatic", "unequivocal", "explicit")

var speechNouns = setOf("speech", "talk", "address", "statement", "interview", "presentation",
	"keynote", "lecture", "remarks", "speeches", "talks")

var adverbs = setOf("also", "once", "then", "further", "again", "still", "even", "later", "soon",
	"recently", "previously", "has", "had", "have", "would", "will", "did", "does", "do", "too",
	"just", "himself", "herself", "earlier", "thus", "therefore", "however", "once", "now")

var notAdverbs = setOf("family", "reply", "supply", "apply", "italy", "july", "rely", "ally",
	"assembly", "monopoly", "anomaly", "early", "holy", "jelly", "belly", "bully", "silly", "fly",
	"only")

func isAdverbWord(w string) bool {
	return adverbs[w] || len(w) >= 5 && strings.HasSuffix(w, "ly") && !notAdverbs[w]
}

// objectWords before a name make it an object or a contrast, not the one
// who speaks: "expressed his gratitude to Trump", "talks with Zhang Yiming",
// "Unlike Ren Zhengfei, who …".
var objectWords = setOf("unlike", "like", "with", "to", "from", "for", "by", "about", "against",
	"than", "at", "on", "of", "between", "among", "toward", "towards", "into", "onto", "upon",
	"without", "despite", "including", "via", "over", "under", "behind", "beyond", "near",
	"around", "through", "thank", "thanked", "thanks", "met", "meet", "meets", "meeting",
	"visited", "visit", "visits", "interviewed", "praised", "criticized", "criticised", "accused",
	"sued", "invited", "told", "asked", "called", "named", "appointed", "replaced", "succeeded",
	"versus", "vs", "whom", "and", "or")

// subjectWords before a name let it be the subject of its clause.
var subjectWords = setOf("that", "when", "while", "but", "and", "as", "because", "although",
	"though", "so", "then", "whereas", "if", "where")

func (x *Extractor) speakersEN(sc *sideScan, st *speakerState, add func(string)) {
	if len(sc.toks) == 0 {
		return
	}
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
	for _, o := range s.occs {
		switch o.kind {
		case occOther:
			continue
		case occPronoun:
			if s.speechAfter(o.tj) {
				if name := cmpOrString(st.salient, st.last); name != "" {
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
			speaks = s.speechAfter(o.tj)
		}
		if speaks {
			add(o.name)
			st.salient = o.name
		} else if o.kind == occPerson && !o.poss && s.subjectLike(o.ti) {
			st.salient = o.name
		}
		if o.kind == occPerson || speaks {
			st.named(o.name)
		}
	}
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
	for range 3 {
		switch s.tp(k) {
		case "(", "（":
			c := s.find(k+1, 15, ")", "）")
			if c < 0 {
				return false
			}
			k = c + 1
			continue
		case ",", "，":
			c := s.find(k+1, 30, ",", "，")
			if c < 0 || c == k+1 {
				return false
			}
			k = c + 1
			continue
		}
		break
	}
	for n := 0; n < 4 && isAdverbWord(s.tw(k)); n++ {
		k++
	}
	switch p := s.tp(k); p {
	case ":", "：":
		return true
	case ",", "，":
		return s.tw(k+1) == "saying"
	}
	w := s.tw(k)
	if speechVerbs[w] {
		return true
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
	case "paid", "pays":
		for j := k + 1; j < k+8 && j < len(s.toks); j++ {
			if t := s.tw(j); t == "tribute" || t == "homage" {
				return true
			}
			if s.sentenceEnd(j) {
				break
			}
		}
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

var nameStops = setOf("the", "this", "that", "these", "those", "it", "its", "he", "she", "we",
	"they", "i", "in", "on", "at", "according", "however", "but", "and", "for", "from", "since",
	"by", "after", "before", "when", "while", "if", "as", "of", "to", "with", "during", "under",
	"until", "unlike", "like", "although", "though", "our", "their", "his", "her", "my", "your",
	"a", "an", "there", "here", "then", "so", "yet", "also", "both", "all", "some", "many",
	"most", "why", "what", "who", "how", "where", "which", "january", "february", "march",
	"april", "may", "june", "july", "august", "september", "october", "november", "december",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "compared",
	"different", "according", "once", "over", "up", "now", "today", "yesterday", "meanwhile",
	"besides", "moreover", "still", "even", "only", "just", "no", "not", "one", "two", "every",
	"each", "such", "under", "behind", "between", "within", "without", "through", "because",
	"picture", "source", "video", "photo", "image", "editor", "time")

var titles = setOf("analyst", "professor", "prof", "dr", "mr", "mrs", "ms", "miss", "president",
	"ceo", "cfo", "cto", "coo", "chairman", "chairwoman", "chair", "founder", "cofounder",
	"director", "minister", "secretary", "senator", "governor", "ambassador", "spokesman",
	"spokeswoman", "spokesperson", "economist", "researcher", "expert", "manager", "chief",
	"executive", "vice", "deputy", "general", "premier", "lawyer", "attorney", "judge",
	"reporter", "journalist", "engineer", "scientist", "representative", "rep", "sen", "gov",
	"mayor", "commissioner", "officer", "head", "partner", "investor", "entrepreneur", "sir",
	"lord", "dean", "former", "senior", "co", "founding")

// notNameWords mark a capitalised run as an organisation or a place.
var notNameWords = setOf("times", "post", "journal", "news", "daily", "weekly", "group", "inc",
	"corp", "corporation", "company", "bank", "house", "ministry", "university", "institute",
	"agency", "council", "committee", "department", "office", "court", "congress", "senate",
	"association", "capital", "securities", "research", "review", "street", "exchange",
	"network", "networks", "technologies", "technology", "systems", "holdings", "partners",
	"fund", "foundation", "party", "government", "administration", "federal", "national",
	"international", "global", "united", "states", "america", "american", "americans", "china",
	"chinese", "kingdom", "union", "commission", "board", "authority", "service", "services",
	"media", "press", "channel", "radio", "magazine", "herald", "tribune", "telegraph",
	"guardian", "economist", "motors", "airlines", "labs", "lab", "software", "electronics",
	"silicon", "valley", "wall", "york", "hong", "kong", "beijing", "shanghai", "shenzhen",
	"europe", "european", "africa", "african", "asia", "asian", "pacific", "india", "indian",
	"japan", "japanese", "korea", "korean", "russia", "russian", "germany", "german", "france",
	"french", "britain", "british", "canada", "congo", "moscow", "dallas", "washington",
	"white", "north", "south", "east", "west", "middle", "internet", "app", "apps", "store",
	"expo", "city", "province", "county", "district", "state", "republic", "republican",
	"democrat", "democratic", "ministry", "centre", "center", "school", "college", "academy",
	"hospital", "museum", "airport", "station", "bridge", "river", "lake", "mountain", "island",
	"road", "avenue", "square", "park", "tower", "plaza", "hotel", "conference", "forum",
	"summit", "award", "awards", "prize", "report", "program", "programme", "project", "act",
	"law", "bill", "order", "initiative", "plan", "strategy", "war", "day", "week", "month",
	"year", "google", "apple", "microsoft", "taiwan", "singapore", "israel", "italy", "spain",
	"brazil", "australia", "mexico", "vietnam", "indonesia", "thailand", "malaysia", "wuzhen",
	"tsinghua", "peking", "harvard", "stanford", "oxford", "cambridge", "game", "software",
	"cloud", "data", "ai", "phone", "phones", "mobile", "wireless", "telecom", "communications",
	"security", "cyber", "trade", "economic", "economy", "financial", "finance", "market")

// pinyinSurnames mark a romanised Chinese name, whose surname comes first
// ("Ren Zhengfei" is "Ren" for short, "Mike Pompeo" is "Pompeo").
var pinyinSurnames = setOf("wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu",
	"zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao", "zheng", "liang",
	"xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong",
	"pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren",
	"yao", "shen", "zhong", "cui", "tan", "fan", "wan", "liao", "shi", "jin", "jia", "xia", "fu",
	"fang", "zou", "xiong", "bai", "meng", "qin", "qiu", "hou", "yin", "xue", "duan", "lei",
	"long", "tao", "mao", "hao", "gu", "gong", "shao", "qian", "dai", "yan", "kong", "kang",
	"yi", "qiao", "lai", "wen", "shi", "hong", "xin", "ke", "zhuang", "ge", "qi", "ni", "niu",
	"lan", "yin", "zhu", "ou", "mo", "lei")

// Chinese speakers.

type zhCand struct {
	start, end int
	name       string
	kind       occKind
	poss       bool
}

// zhVerbs introduce speech in Chinese, simplified and traditional; looked up
// by first rune, longest first.
var zhVerbs = func() map[rune][]string {
	words := []string{"表示", "认为", "認為", "指出", "回应", "回應", "强调", "強調", "透露",
		"坦言", "直言", "称", "稱", "说", "說", "说道", "說道", "写道", "寫道", "提到", "谈到", "談到",
		"宣布", "宣佈", "声称", "聲稱", "承诺", "承諾", "介绍", "介紹", "解释", "解釋", "告诉", "告訴",
		"回忆", "回憶", "补充", "補充", "坦承", "感叹", "感嘆", "感慨", "预测", "預測", "呼吁", "呼籲",
		"警告", "否认", "否認", "承认", "承認", "确认", "確認", "重申", "看来", "看來", "相信", "表态",
		"表態", "答道", "问道", "問道", "评价", "評價", "提及", "谈及", "談及", "主张", "主張", "建议",
		"建議", "感谢", "感謝", "称赞", "稱讚", "直言不讳", "直言不諱", "声明", "聲明", "总结", "總結",
		"致敬", "眼中", "眼里", "眼裡"}
	m := make(map[rune][]string)
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], w)
	}
	for _, ws := range m {
		sort.Slice(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	}
	return m
}()

// notSpeechBefore and notSpeechAfter rule out 说/称 inside other words: 小说
// (novel), 据说 (reportedly), 听说, 名称 (name), 称为 (be called).
var (
	notSayBefore = runeSet("小据據听聽传傳虽雖再是话話来來以所学學游遊劝勸解演述胡瞎乱亂不难難好要可或")
	notSayAfter  = runeSet("服法辞辭书書客教")
	notCallBef   = runeSet("名简簡号號堪俗统統通对對自被职職爱愛昵暱戏戲谦謙美尊著并並相匀勻总總")
	notCallAfter = runeSet("为為号號作之呼谓謂霸心职職")
)

// zhObjectBefore make a name an object, not a subject: 对特朗普表示感谢.
var zhObjectBefore = runeSet("对對向给給被把让讓令替为為帮幫跟同")

// zhCoord join co-subjects: 任正非和张一鸣都表示.
var zhCoord = runeSet("和与與及、")

var zhAdverbs = func() []string {
	ws := []string{"也", "还", "還", "则", "則", "曾", "又", "更", "就", "便", "亦", "都", "均",
		"即", "再次", "多次", "一再", "直接", "特别", "特別", "公开", "公開", "同时", "同時", "此前",
		"随后", "隨後", "近日", "日前", "当时", "當時", "早前", "最近", "后来", "後來", "坦率地",
		"明确", "明確", "反复", "反覆", "进一步", "進一步", "首次", "曾经", "曾經", "对此", "對此",
		"不禁", "由衷", "当即", "當即", "随即", "隨即", "私下", "一度", "甚至", "已", "已经", "已經",
		"早已", "还曾", "也曾", "更是", "则是", "也是", "在会上", "在會上", "方面", "公开地"}
	sort.Slice(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	return ws
}()

// zhSurnames are common Chinese surnames. Characters that mostly start
// other words (于, 向, 方, 文, 常, 易, 万, 时) are left out.
var zhSurnames = runeSet("王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許" +
	"韩韓冯馮邓鄧曹彭曾肖萧蕭田董潘袁蔡蒋蔣余杜叶葉程魏苏蘇吕呂丁任卢盧姚沈钟鍾姜崔谭譚陆陸范汪廖石" +
	"金韦韋贾賈夏付邹鄒熊白孟秦邱侯江尹薛闫閆段雷龙龍黎史陶贺賀毛郝顾顧龚龔邵覃武钱錢戴严嚴欧歐莫孔" +
	"汤湯康乔喬赖賴施洪辛柯庄莊葛齐齊倪温溫牛樊兰蘭殷祝颜顏聂聶焦鲁魯骆駱岳柳甘关關蓝藍伍翟包" +
	"祁左章鲍鮑宁寧")

var zhDoubleSurnames = setOf("欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方",
	"皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "尉遲", "长孙", "長孫", "宇文")

// zhNotNames are words that start with a surname character.
var zhNotNames = setOf("方面", "马上", "馬上", "高管", "高层", "高層", "高度", "高校", "高官", "高级",
	"高級", "文章", "白宫", "白宮", "金融", "金额", "金額", "任何", "曾经", "曾經", "江湖", "黄金",
	"黃金", "周围", "周圍", "林业", "石油", "程序", "史上", "毛利", "许多", "許多", "许可", "許可",
	"钱包", "錢包", "苏联", "蘇聯", "韩国", "韓國", "罗马", "羅馬", "黎明", "龙头", "龍頭", "武汉",
	"武漢", "宋朝", "唐朝", "秦朝", "包括", "关于", "關於", "何时", "何時", "何况", "何況", "游戏",
	"遊戲", "陆续", "陸續", "严格", "嚴格", "严重", "嚴重", "顾问", "顧問", "钟表", "夏天", "余下",
	"余额", "董事", "董事长", "董事長", "董事会", "董事會", "江苏", "江蘇", "江西", "温州", "溫州",
	"沈阳", "瀋陽", "孔子", "孟子", "田地", "石头", "石頭", "金山", "郑州", "鄭州", "杜绝", "杜絕",
	"康复", "康復", "温和", "溫和", "齐心", "齊心", "柯达", "柯達", "高通", "马克", "馬克", "白色",
	"黄色", "黃色", "蓝色", "藍色", "金色", "罗斯", "羅斯", "宁可", "寧可", "包装", "包裝", "关键",
	"關鍵", "关注", "關注", "关系", "關係", "程度", "段落", "雷达", "雷達", "章程", "龙头", "何在",
	"施工", "洪水", "辛苦", "华为", "余承", "毛病", "贾", "付出", "付款", "邱", "甘心", "左右",
	"陶瓷", "史料", "秦始", "石化", "金属", "金屬", "武器", "谢谢", "謝謝", "孙子", "孫子", "伍")

// zhNameEnders cannot end a Chinese personal name.
var zhNameEnders = runeSet("的了是在和与與也都就还還又则則曾说說称稱等们們这這那个個位名中上下时時后後前里裡对對向")

// zhNameIntro may stand right before a name: title endings (分析师赵婷),
// markers (据王强称) and punctuation-like characters.
var zhNameIntro = runeSet("师師员員者长長家授官总總统統卿使理裁席监監事任表生士人手导導帅帥据據由和与與及、是称稱")

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range s {
		m[r] = true
	}
	return m
}

func (x *Extractor) speakersZH(sc *sideScan, st *speakerState, add func(string)) {
	text := sc.text
	if !hasCJK(text) {
		return
	}
	var cands []zhCand
	for _, m := range sc.ms {
		kind := occOther
		if x.g.ents[m.ent].Type == EntityPerson {
			kind = occPerson
		}
		cands = append(cands, zhCand{start: m.start, end: m.end, name: x.g.ents[m.ent].Name, kind: kind, poss: m.poss})
	}
	cands = zhPronouns(text, cands)
	sort.Slice(cands, func(i, j int) bool { return cands[i].start < cands[j].start })

	next := 0 // next candidate to account for salience
	salience := func(upto int) {
		for ; next < len(cands) && cands[next].end <= upto; next++ {
			c := cands[next]
			if c.kind != occPerson {
				continue
			}
			st.named(c.name)
			prev, _ := utf8.DecodeLastRuneInString(text[:c.start])
			if !c.poss && !zhObjectBefore[prev] && !zhCoord[prev] {
				st.salient = c.name
			}
		}
	}
	speak := func(names []string) {
		for _, n := range names {
			add(n)
			st.salient = n
		}
	}
	ci := 0
	for i := 0; i < len(text); {
		for ci < len(cands) && cands[ci].end <= i {
			ci++
		}
		if ci < len(cands) && cands[ci].start <= i {
			c := cands[ci]
			i = c.end // a verb inside a name is no verb
			if (c.kind == occPerson || c.kind == occPronoun) && !c.poss && zhColonAfter(text, c.end) && !inTitle(text[:c.start]) {
				salience(c.end)
				if c.kind == occPronoun {
					speak(pronounName(st))
				} else {
					speak([]string{c.name})
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		verb := ""
		for _, v := range zhVerbs[r] {
			if strings.HasPrefix(text[i:], v) {
				verb = v
				break
			}
		}
		if verb == "" || !zhSpeechVerb(text, i, verb) {
			i += size
			continue
		}
		salience(i)
		speak(x.zhSubject(text, i, cands, st))
		i += len(verb)
	}
	salience(len(text))
}

// zhColonAfter reports a colon that introduces the words of the person
// ending at i: 任正非：, 他信心十足：, 任正非同样态度积极：. A 了 in between
// marks an action (他迅速确定了全球化战略：), not speech.
func zhColonAfter(text string, i int) bool {
	n := 0
	for _, r := range text[i:] {
		switch {
		case r == '：' || r == ':':
			return true
		case r == '了' || n >= 8 || strings.ContainsRune("，。；！？、“”‘’《》（）,.;!?()", r):
			return false
		}
		n++
	}
	return false
}

// inTitle reports whether s ends inside 《…》: a colon in a title is not
// speech (《张一鸣硅谷之行：…》). Titles are short; looking back a few
// hundred bytes keeps this linear on any text.
func inTitle(s string) bool {
	if len(s) > 300 {
		s = s[len(s)-300:]
	}
	return strings.LastIndex(s, "《") > strings.LastIndex(s, "》")
}

func pronounName(st *speakerState) []string {
	if n := cmpOrString(st.salient, st.last); n != "" {
		return []string{n}
	}
	return nil
}

// zhSpeechVerb rules out verbs that are part of other words.
func zhSpeechVerb(text string, i int, verb string) bool {
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	next, _ := utf8.DecodeRuneInString(text[i+len(verb):])
	switch verb {
	case "说", "說":
		if prev == '话' || prev == '話' { // 用郭平的话说, not 换句话说
			before := text[:i]
			return strings.HasSuffix(before, "的话") || strings.HasSuffix(before, "的話")
		}
		return !notSayBefore[prev] && !notSayAfter[next]
	case "称", "稱":
		return !notCallBef[prev] && !notCallAfter[next]
	case "认为", "認為":
		return prev != '被'
	case "看来", "看來":
		return true
	}
	return true
}

// zhPronouns adds 他 and 她 used as "he"/"she" (not 其他, 他们, 他人) to
// cands, which are sorted and do not overlap.
func zhPronouns(text string, cands []zhCand) []zhCand {
	n, k := len(cands), 0
	for i, r := range text {
		if r != '他' && r != '她' {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		next, _ := utf8.DecodeRuneInString(text[i+3:])
		if strings.ContainsRune("其吉利排旁", prev) || strings.ContainsRune("们們人国國乡鄉处處日者方妈媽", next) {
			continue
		}
		for k < n && cands[k].end <= i {
			k++
		}
		if k < n && cands[k].start <= i {
			continue // inside a name
		}
		cands = append(cands, zhCand{start: i, end: i + 3, kind: occPronoun, poss: next == '的'})
	}
	return cands
}

// zhSubject finds who speaks through the verb at v: an unknown name right
// before it, else the nearest person, pronoun or organisation before it in
// the same sentence, skipping objects (对X) and phrases (在接受采访时).
func (x *Extractor) zhSubject(text string, v int, cands []zhCand, st *speakerState) []string {
	k := sort.Search(len(cands), func(i int) bool { return cands[i].end > v }) - 1
	floor := 0
	if k >= 0 {
		floor = cands[k].end
	}
	if name, start := zhNameBefore(text, v); name != "" && start >= floor {
		return []string{name}
	}
	var coord []string
	for ; k >= 0; k-- {
		c := cands[k]
		gap := text[c.end:v]
		if len(gap) > 30*4 || strings.ContainsAny(gap, "。！？；!?;\n") || utf8.RuneCountInString(gap) > 30 {
			break
		}
		adverbial := zhOnlyAdverbs(gap)
		switch c.kind {
		case occPronoun:
			if c.poss {
				return nil
			}
			return append(coord, pronounName(st)...)
		case occOther:
			prev, _ := utf8.DecodeLastRuneInString(text[:c.start])
			if adverbial && len(coord) == 0 && !zhObjectBefore[prev] {
				return nil // 华为表示: the company speaks
			}
			continue
		}
		if c.poss || strings.HasPrefix(gap, "之") {
			rest := strings.TrimPrefix(gap, "的")
			if (rest == "话" || rest == "话来" || rest == "話" || rest == "話來") && quotesBefore(text[:c.start]) {
				return []string{c.name} // 用郭平的话说, 援引邱浩的话称
			}
			return nil // 任正非的女儿表示: someone else speaks
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:c.start])
		if zhCoord[prev] {
			coord = append(coord, c.name)
			continue
		}
		if zhObjectBefore[prev] {
			continue
		}
		return append(coord, c.name)
	}
	return nil
}

// quotesBefore reports 用 (in the words of) or 援引 (quoting) in the clause
// that ends with s: 用华为副董事长郭平的话说.
func quotesBefore(s string) bool {
	n := 0
	for len(s) > 0 && n < 16 {
		for _, w := range []string{"用", "援引", "引用", "引述", "借用"} {
			if strings.HasSuffix(s, w) {
				return true
			}
		}
		r, size := utf8.DecodeLastRuneInString(s)
		if strings.ContainsRune("，。；！？,.;!?", r) {
			return false
		}
		s = s[:len(s)-size]
		n++
	}
	return false
}

// zhOnlyAdverbs reports whether gap holds nothing but adverbs (or nothing).
func zhOnlyAdverbs(gap string) bool {
	gap = strings.TrimSpace(gap)
	for n := 0; gap != "" && n < 4; n++ {
		found := false
		for _, a := range zhAdverbs {
			if strings.HasPrefix(gap, a) {
				gap = strings.TrimSpace(gap[len(a):])
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return gap == ""
}

// zhNameBefore reads a personal name not in the gazetteer that ends right
// before v, after adverbs: a name with a middle dot (拉维·梅农), or a common
// surname and one or two characters (赵婷, 王小明) after a title, a marker or
// punctuation. It returns "" if there is none.
func zhNameBefore(text string, v int) (string, int) {
	p := v
	for n := 0; n < 3; n++ {
		found := false
		for _, a := range zhAdverbs {
			if strings.HasSuffix(text[:p], a) {
				p -= len(a)
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	if name, start := dottedNameBefore(text, p); name != "" {
		return name, start
	}
	type rp struct {
		r   rune
		pos int
	}
	var rs [4]rp // rs[0] is nearest to p
	q := p
	for n := range rs {
		r, size := utf8.DecodeLastRuneInString(text[:q])
		if size == 0 {
			rs[n] = rp{0, q}
			continue
		}
		q -= size
		rs[n] = rp{r, q}
	}
	han := func(n int) bool { return rs[n].r != 0 && unicode.Is(unicode.Han, rs[n].r) }
	intro := func(n int) bool { return rs[n].r == 0 || !han(n) || zhNameIntro[rs[n].r] }
	if !han(0) || !han(1) || zhNameEnders[rs[0].r] {
		return "", 0
	}
	two := text[rs[1].pos:p]
	twoOK := zhSurnames[rs[1].r] && !zhNotNames[two] && !zhNotNames[string(rs[1].r)]
	three := ""
	threeOK := false
	if han(2) {
		three = text[rs[2].pos:p]
		threeOK = !zhNotNames[three] && !zhNotNames[text[rs[2].pos:rs[0].pos]] &&
			(zhSurnames[rs[2].r] && !zhNameEnders[rs[1].r] || zhDoubleSurnames[text[rs[2].pos:rs[0].pos]]) && intro(3)
	}
	switch {
	case twoOK && han(2) && zhNameIntro[rs[2].r]:
		return two, rs[1].pos
	case threeOK:
		return three, rs[2].pos
	case twoOK && intro(2):
		return two, rs[1].pos
	}
	return "", 0
}

// dottedNameBefore reads a transliterated name with a middle dot ending at p:
// 印度分析师拉维·梅农 gives 拉维·梅农.
func dottedNameBefore(text string, p int) (string, int) {
	q, dots, runes := p, 0, 0
	for runes < 14 {
		r, size := utf8.DecodeLastRuneInString(text[:q])
		if size == 0 {
			break
		}
		if r == '·' || r == '•' || r == '‧' || r == '・' {
			if runes == 0 {
				return "", 0
			}
			dots++
		} else if !unicode.Is(unicode.Han, r) {
			break
		}
		q -= size
		runes++
	}
	if dots == 0 {
		return "", 0
	}
	s := text[q:p]
	first, _, _ := strings.Cut(s, "·")
	if strings.ContainsAny(first, "•‧・") {
		return "", 0
	}
	// Keep at most four characters of the first part, and none of a title before it.
	keep := 0
	for t := first; t != "" && keep < 4; keep++ {
		r, size := utf8.DecodeLastRuneInString(t)
		if zhNameIntro[r] {
			break
		}
		t = t[:len(t)-size]
	}
	cut := len(first)
	for n := 0; n < keep; n++ {
		_, size := utf8.DecodeLastRuneInString(first[:cut])
		cut -= size
	}
	if cut == len(first) {
		return "", 0
	}
	return s[cut:], q + cut
}
