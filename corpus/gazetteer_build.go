package corpus

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// build makes the matcher. ents are in priority order: in strict mode a name
// shared by two entities is an error, otherwise the earlier entity keeps it.
func build(prio []Entity, blockers []string, strict bool) (*Gazetteer, error) {
	g := &Gazetteer{
		ents:     make([]Entity, len(prio)),
		byName:   make(map[string]int, len(prio)),
		blockers: slices.Clone(blockers),
		latin:    make(map[string][]*latinForm),
		cjk:      make(map[rune][]cjkForm),
		lookup:   make(map[string][]int),
	}
	for i, e := range prio {
		g.ents[i] = cloneEntity(e)
	}
	sort.SliceStable(g.ents, func(i, j int) bool { return g.ents[i].Name < g.ents[j].Name })
	for i, e := range g.ents {
		g.byName[e.Name] = i
	}

	owner := make(map[string]int) // lookup key -> entity that owns it
	blockerOf := make(map[string]string)
	for _, b := range g.blockers {
		key, isCJK := lookupKey(b)
		if key == "" {
			continue
		}
		if prev, ok := blockerOf[key]; ok {
			if strict && prev == b {
				return nil, fmt.Errorf("gazetteer blocker %q: listed twice", b)
			}
			continue // another script of a blocker: folded, it is the same
		}
		blockerOf[key] = b
		owner[key] = -1
		g.addForm(b, isCJK, -1, modeStrong)
	}
	for _, pe := range prio {
		ei := g.byName[pe.Name]
		e := &g.ents[ei]
		for _, nm := range entityNames(e) {
			name, mode := nm.name, nm.mode
			key, isCJK := lookupKey(name)
			if key == "" {
				if strict {
					return nil, fmt.Errorf("gazetteer entity %q: name %q has no letters", e.Name, name)
				}
				continue
			}
			if o, ok := owner[key]; ok && o != ei {
				if strict {
					if o < 0 {
						return nil, fmt.Errorf("gazetteer entity %q: name %q is also a blocker", e.Name, name)
					}
					return nil, fmt.Errorf("gazetteer entity %q: name %q also names %q", e.Name, name, g.ents[o].Name)
				}
				continue
			}
			owner[key] = ei
			if !slices.Contains(g.lookup[key], ei) {
				g.lookup[key] = append(g.lookup[key], ei)
			}
			g.addForm(name, isCJK, int32(ei), mode)
		}
	}
	g.sortCJK()
	for _, fs := range g.latin {
		sort.SliceStable(fs, func(i, j int) bool {
			if len(fs[i].words) != len(fs[j].words) {
				return len(fs[i].words) > len(fs[j].words)
			}
			return fs[i].mode < fs[j].mode
		})
	}
	g.derive()
	return g, nil
}

func (g *Gazetteer) addForm(name string, isCJK bool, ent int32, mode formMode) {
	if isCJK {
		name = Fold(name) // matched against folded text: 李開復 is 李开复
		r, _ := utf8.DecodeRuneInString(name)
		if r < utf8.RuneSelf {
			g.asciiFirst[r] = true
		}
		g.cjk[r] = append(g.cjk[r], cjkForm{s: name, ent: ent, mode: mode})
		return
	}
	f := newLatinForm(name, ent, mode)
	if len(f.words) > 0 && !hasForm(g.latin[f.words[0]], f) {
		g.latin[f.words[0]] = append(g.latin[f.words[0]], f)
	}
}

type namedForm struct {
	name string
	mode formMode
}

// entityNames lists every name of e with its mode; Weak wins over
// Ambiguous, Ambiguous over Cased,
// Cased over a plain listing.
func entityNames(e *Entity) []namedForm {
	var out []namedForm
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		mode := modeStrong
		if slices.Contains(e.Weak, s) {
			mode = modeWeak
		} else if slices.Contains(e.Ambiguous, s) {
			mode = modeAmbiguous
		} else if slices.Contains(e.Cased, s) {
			mode = modeCased
		}
		for _, o := range out {
			if o.name == s {
				return
			}
		}
		out = append(out, namedForm{s, mode})
	}
	add(e.Name)
	for _, list := range [][]string{e.ZH, e.Aliases, e.Cased, e.Weak, e.Ambiguous} {
		for _, s := range list {
			add(s)
		}
	}
	// A Chinese name is also found in the form its Taiwan or Hong Kong
	// spelling folds to: 考克斯通訊 folds to 考克斯通信, not 考克斯通讯.
	for _, nm := range out {
		if hasCJK(nm.name) {
			for _, r := range RegionalForms(Fold(nm.name)) {
				add(r)
			}
		}
	}
	return out
}

func hasForm(fs []*latinForm, f *latinForm) bool {
	for _, o := range fs {
		if o.ent == f.ent && o.mode == f.mode && slices.Equal(o.words, f.words) &&
			slices.Equal(o.joins, f.joins) && (f.mode != modeCased && f.mode != modeAmbiguous || slices.Equal(o.raw, f.raw)) {
			return true
		}
	}
	return false
}

func newLatinForm(name string, ent int32, mode formMode) *latinForm {
	f := &latinForm{ent: ent, mode: mode}
	nameWords(name, func(t *token, join string) {
		if join != "" {
			f.joins = append(f.joins, join)
		}
		f.words = append(f.words, t.fold)
		f.raw = append(f.raw, foldWidth(name[t.start:t.end]))
	})
	return f
}

// nameWords calls f for each word of a Latin name in order, with what
// joins it to the word before: its join class, " " for any other gap,
// "" for the first word.
func nameWords(name string, f func(t *token, join string)) {
	var prev *token
	toks := lex(name, nil)
	for i := range toks {
		t := &toks[i]
		if t.kind != tokWord {
			continue
		}
		join := ""
		if prev != nil {
			j, ok := joinClass(name[prev.end:t.start])
			if !ok {
				j = " "
			}
			join = j
		}
		f(t, join)
		prev = t
	}
}

// derive precomputes each entity's company-facet contribution and the
// families used to decide whether a weak name is supported.
func (g *Gazetteer) derive() {
	n := len(g.ents)
	g.companies = make([][]string, n)
	g.support = make([][]int32, n)
	ancestors := func(i int) []int {
		var out []int
		for depth := 0; i >= 0 && depth < 16; depth++ {
			out = append(out, i)
			p, ok := g.byName[g.ents[i].Parent]
			if !ok || g.ents[i].Parent == "" {
				break
			}
			i = p
		}
		return out
	}
	root := func(i int) int { a := ancestors(i); return a[len(a)-1] }
	for i, e := range g.ents {
		var comps []string
		addCompanies := func(j int) {
			for _, a := range ancestors(j) {
				if g.ents[a].Type == EntityCompany && !slices.Contains(comps, g.ents[a].Name) {
					comps = append(comps, g.ents[a].Name)
				}
			}
		}
		sup := []int32{int32(root(i))}
		switch e.Type {
		case EntityCompany, EntityProduct:
			addCompanies(i)
		case EntityGroup:
			for _, m := range e.Members {
				if j, ok := g.byName[m]; ok {
					addCompanies(j)
					sup = append(sup, int32(root(j)))
				}
			}
		}
		g.companies[i] = comps
		g.support[i] = sup
	}
}

// sortCJK orders the Chinese forms by first rune longest first, which gives
// leftmost-longest matching (字节跳动 before 字节), strong before weak when
// two forms are equally long.
func (g *Gazetteer) sortCJK() {
	for r, fs := range g.cjk {
		sort.SliceStable(fs, func(i, j int) bool {
			if len(fs[i].s) != len(fs[j].s) {
				return len(fs[i].s) > len(fs[j].s)
			}
			return fs[i].mode < fs[j].mode
		})
		g.cjk[r] = slices.CompactFunc(fs, func(a, b cjkForm) bool { return a.s == b.s && a.ent == b.ent })
	}
}
