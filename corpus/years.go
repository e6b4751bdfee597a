package corpus

import (
	"sort"
	"strings"
)

// English years and how relative years resolve; the rules are listed on
// Extractor.

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
