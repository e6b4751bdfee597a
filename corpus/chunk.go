package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// chunk cuts s into pieces of at most limit runes, at sentence ends where
// it can, else at clause ends or spaces, else anywhere.
func chunk(s string, limit int) []string {
	var out []string
	for {
		end := runeOffset(s, limit)
		if end < 0 {
			break
		}
		cut := breakNear(s, runeOffset(s, limit/2), end, end)
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// splitAligned cuts an aligned text whose sides are longer than limit runes
// into as many pieces on each side as the longer side needs, each side cut
// near the same fraction of its length, at the best break nearby. The
// pieces align only roughly, as the sides of a very long paragraph do.
func splitAligned(t Text, limit int) []Text {
	k := max(piecesFor(t.EN, limit), piecesFor(t.ZH, limit))
	if k <= 1 {
		return []Text{t}
	}
	en, zh := pieces(t.EN, k), pieces(t.ZH, k)
	out := make([]Text, 0, k)
	for i := range k {
		if en[i] != "" || zh[i] != "" {
			out = append(out, Text{EN: en[i], ZH: zh[i]})
		}
	}
	return out
}

func piecesFor(s string, limit int) int {
	n := utf8.RuneCountInString(s)
	return (n + limit - 1) / limit
}

// pieces cuts s into k pieces of about equal length at good breaks.
func pieces(s string, k int) []string {
	out := make([]string, k)
	start := 0
	for i := 1; i < k; i++ {
		target := len(s) * i / k
		w := len(s) / (2 * k)
		lo := max(start, target-w)
		hi := max(lo, min(len(s), target+w))
		cut := breakNear(s, lo, hi, target)
		out[i-1] = strings.TrimSpace(s[start:cut])
		start = cut
	}
	out[k-1] = strings.TrimSpace(s[start:])
	return out
}

// runeOffset returns the byte offset of the n-th rune of s, or -1 when s
// has at most n runes.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return -1
}

// breakNear returns the best place to cut s between byte offsets lo and hi
// (both rune boundaries), nearest target among the best: after a sentence
// end, else a clause end, else at a space, else target itself (moved to a
// rune boundary).
func breakNear(s string, lo, hi, target int) int {
	best, bestLevel, bestDist := -1, 0, 0
	for i, r := range s[lo:hi] {
		at := lo + i
		if at > lo {
			if lv := breakLevel(s, at, r); lv > 0 {
				d := abs(at - target)
				if lv > bestLevel || lv == bestLevel && d < bestDist {
					best, bestLevel, bestDist = at, lv, d
				}
			}
		}
	}
	if best > 0 {
		return best
	}
	target = min(max(target, lo), hi)
	for target > lo && target < len(s) && !utf8.RuneStart(s[target]) {
		target--
	}
	if target == 0 && s != "" {
		// A cut must make progress.
		_, size := utf8.DecodeRuneInString(s)
		return size
	}
	return target
}

// breakLevel rates cutting s before byte offset at, where rune next starts:
// 3 after a sentence end (and its closing quotes), 2 after a clause end, 1
// at a space, 0 elsewhere.
func breakLevel(s string, at int, next rune) int {
	if strings.ContainsRune(closers, next) {
		return 0
	}
	before := s[:at]
	p, size := utf8.DecodeLastRuneInString(before)
	for n := 0; n < 3 && strings.ContainsRune(closers, p) && size > 0; n++ {
		before = before[:len(before)-size]
		p, size = utf8.DecodeLastRuneInString(before)
	}
	spaced := unicode.IsSpace(next) || isWide(next)
	switch {
	case strings.ContainsRune("。！？…", p), strings.ContainsRune(".!?", p) && spaced:
		return 3
	case strings.ContainsRune("；：，、", p), strings.ContainsRune(";:,", p) && spaced:
		return 2
	case unicode.IsSpace(next):
		return 1
	}
	return 0
}

// closers are the quotes and brackets that may close a sentence after its
// final punctuation.
const closers = "\"')]}”’）」』】》"

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
