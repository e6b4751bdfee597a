package segment

import (
	"sort"
	"strings"

	"golang.org/x/text/width"
)

//go:generate go run ./internal/t2sgen -o t2s_table.go

// Fold returns s folded for indexing, rune by rune: traditional Chinese
// characters become simplified (華為 → 华为) and full-width forms become their
// ASCII counterparts (ＡＢＣ１２３！ → ABC123!, the ideographic space → a
// space). Case is kept: Tokens lower-cases the Latin words it returns, and a
// caller that shows folded text should not lose capitals.
//
// Every rune maps to exactly one rune, so Fold never changes the number of
// runes and rune i of the result comes from rune i of s; byte lengths may
// differ (a full-width letter is 3 bytes, its ASCII form 1). Invalid UTF-8
// bytes come out as U+FFFD.
func Fold(s string) string {
	return strings.Map(foldRune, s)
}

// foldRune folds one rune as Fold does.
func foldRune(r rune) rune {
	// Nothing below the CJK Symbols block has a full-width or traditional form;
	// most text is ASCII or Latin, so skip the lookups.
	if r < 0x3000 {
		return r
	}
	if f := width.LookupRune(r).Folded(); f != 0 {
		r = f
	}
	return simplified(r)
}

// simplified returns the simplified form of a traditional character, or r.
func simplified(r rune) rune {
	if r < t2sTable[0].trad || r > t2sTable[len(t2sTable)-1].trad {
		return r
	}
	i := sort.Search(len(t2sTable), func(i int) bool { return t2sTable[i].trad >= r })
	if i < len(t2sTable) && t2sTable[i].trad == r {
		return t2sTable[i].simp
	}
	return r
}
