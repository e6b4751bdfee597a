package corpus

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Find returns the mentions of entities in text, sorted by Start, not
// overlapping: at each position the longest name wins (字节跳动 over 字节,
// "Nokia Siemens Networks" over "Nokia"). Latin names match whole words
// (non-letters and non-digits bound them, so "bat" is not found in "combat"),
// in any case unless cased, across any spacing or a hyphen between words,
// and with a possessive: "Huawei's", or an apostrophe-less "Huaweis" when the
// last word has at least four letters (so "bats" and "Alis" are not BAT and
// Ali). Chinese names match as substrings. Find reports weak names too; only
// the Extractor knows whether a document supports them.
func (g *Gazetteer) Find(text string) []Mention {
	ms := g.scan(text, lex(text, nil))
	if len(ms) == 0 {
		return nil
	}
	out := make([]Mention, len(ms))
	for i, m := range ms {
		out[i] = Mention{Entity: g.ents[m.ent].Name, Start: m.start, End: m.end}
	}
	return out
}

// scan finds the matches in text, whose tokens are toks.
func (g *Gazetteer) scan(text string, toks []token) []match {
	var ms []match
	words := make([]int, 0, len(toks))
	for i := range toks {
		if toks[i].kind == tokWord {
			words = append(words, i)
		}
	}
	for wi, ti := range words {
		w := toks[ti].fold
		ms = g.matchLatin(ms, text, toks, words, wi, g.latin[w])
		if len(w) >= 5 && w[len(w)-1] == 's' {
			ms = g.matchLatin(ms, text, toks, words, wi, g.latin[w[:len(w)-1]])
		}
	}
	// Chinese names match in the folded text, in either script; spans map
	// back to the text as written.
	folded := FoldSpans(text)
	ft := folded.Text
	for pos, r := range ft {
		if r < utf8.RuneSelf && !g.asciiFirst[r] {
			continue
		}
		for _, f := range g.cjk[r] {
			if strings.HasPrefix(ft[pos:], f.s) {
				start, end := folded.Span(pos, pos+len(f.s))
				if f.ent >= 0 && g.ents[f.ent].Type == EntityMedia && inLongerTitle(text, start, end) {
					continue
				}
				if f.ent >= 0 && len(g.companies[f.ent]) > 0 && translitGlued(ft, pos, pos+len(f.s)) {
					continue
				}
				ms = append(ms, match{ent: f.ent, start: start, end: end, mode: f.mode,
					poss: strings.HasPrefix(ft[pos+len(f.s):], "的")})
				break
			}
		}
	}
	if len(ms) == 1 && ms[0].ent < 0 {
		return nil
	}
	if len(ms) < 2 {
		return ms
	}
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if a.end != b.end {
			return a.end > b.end
		}
		return a.mode < b.mode
	})
	out := ms[:0]
	last := -1
	for _, m := range ms {
		if m.start >= last {
			last = m.end
			if m.ent >= 0 { // blockers win the position, then vanish
				out = append(out, m)
			}
		}
	}
	return out
}

// inLongerTitle reports whether the publication name at text[start:end] is
// the end of a longer name: glued to a Latin letter or digit before it
// (IT时代周刊 is not 时代周刊), or the tail of a bracketed title (《财经时代周刊》).
func inLongerTitle(text string, start, end int) bool {
	prev, _ := utf8.DecodeLastRuneInString(text[:start])
	if prev < utf8.RuneSelf && (unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
		return true
	}
	if next, _ := utf8.DecodeRuneInString(text[end:]); next != '》' && next != '〉' {
		return false
	}
	for n, s := 0, text[:start]; s != "" && n < 20; n++ {
		r, size := utf8.DecodeLastRuneInString(s)
		switch {
		case r == '《' || r == '〈':
			return n > 0
		case !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) && !unicode.IsDigit(r):
			return false
		}
		s = s[:len(s)-size]
	}
	return false
}

func (g *Gazetteer) matchLatin(ms []match, text string, toks []token, words []int, wi int, fs []*latinForm) []match {
	for _, f := range fs {
		if end, poss, ok := f.match(text, toks, words, wi); ok && !inCode(text, toks[words[wi]].start, end) {
			ms = append(ms, match{ent: f.ent, start: toks[words[wi]].start, end: end, mode: f.mode, poss: poss})
		}
	}
	return ms
}

// match reports whether f matches the words starting at words[wi], with the
// byte offset where the match ends.
func (f *latinForm) match(text string, toks []token, words []int, wi int) (end int, poss, ok bool) {
	n := len(f.words)
	if wi+n > len(words) {
		return 0, false, false
	}
	for k := range n {
		t := &toks[words[wi+k]]
		if k > 0 {
			prev := &toks[words[wi+k-1]]
			j, ok := joinClass(text[prev.end:t.start])
			if !ok || !joinsMatch(f.joins[k-1], j) {
				return 0, false, false
			}
		}
		w, want := t.fold, f.words[k]
		raw := text[t.start:t.end]
		switch {
		case w == want:
		case k == n-1 && len(want) >= 4 && len(w) == len(want)+1 && w[len(w)-1] == 's' && w[:len(want)] == want:
			poss = true
			raw = raw[:len(raw)-1]
		default:
			return 0, false, false
		}
		if (f.mode == modeCased || f.mode == modeAmbiguous) && !casedEqual(raw, f.raw[k]) {
			return 0, false, false
		}
		end = t.end
	}
	if !poss {
		last := words[wi+n-1]
		// "Huawei's": an apostrophe right after the name, then a lone "s".
		if last+2 < len(toks) && toks[last+1].kind == tokPunct && toks[last+1].start == end &&
			isApostrophe(text[toks[last+1].start:toks[last+1].end]) &&
			toks[last+2].kind == tokWord && toks[last+2].fold == "s" && toks[last+2].start == toks[last+1].end {
			poss = true
		}
	}
	return end, poss, true
}

// casedEqual reports whether raw is name as written or in capitals.
func casedEqual(raw, name string) bool {
	raw = foldWidth(raw)
	return raw == name || raw == strings.ToUpper(name)
}

// joinClass classifies the text between two words of a name: any run of
// spaces is " ", one apostrophe "'", one hyphen or dash "-", another single
// symbol itself ("&", "."), possibly with spaces around it. Anything longer,
// or Chinese text, does not join words.
func joinClass(s string) (string, bool) {
	t := strings.TrimFunc(s, unicode.IsSpace)
	if t == "" {
		return " ", s != ""
	}
	r, size := utf8.DecodeRuneInString(t)
	if size != len(t) {
		return "", false
	}
	switch {
	case isApostrophe(t):
		return "'", true
	case strings.ContainsRune("-‐‑‒–—", r):
		return "-", true
	case r >= 0xFF01 && r <= 0xFF5E:
		return string(r - 0xFEE0), true
	case isCJK(r) || unicode.IsLetter(r) || unicode.IsDigit(r):
		return "", false
	}
	return t, true
}

// joinsMatch lets a space and a hyphen stand for each other ("Kai-Fu Lee",
// "Kai Fu Lee"); other joiners must be the same ("AT&T" is not "at T").
func joinsMatch(want, got string) bool {
	if want == got {
		return true
	}
	return (want == " " || want == "-") && (got == " " || got == "-")
}

func isApostrophe(s string) bool {
	switch s {
	case "'", "’", "‘", "`", "´", "＇":
		return true
	}
	return false
}
