package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	for n := range 4 {
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
