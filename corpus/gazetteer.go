package corpus

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// EntityType says what kind of thing an Entity is. It decides how a mention
// counts in the company facet (see Extractor).
type EntityType string

// The entity types. Only companies, products and groups feed the company
// facet; media and organisations are entities but never companies, so that
// "according to the Global Times" or "CFIUS requires" does not make a
// newspaper or a government body look like a market player.
const (
	EntityCompany EntityType = "company"
	EntityProduct EntityType = "product" // counted for its Parent company
	EntityPerson  EntityType = "person"
	EntityOrg     EntityType = "org"   // government bodies, exchanges, universities
	EntityMedia   EntityType = "media" // newspapers, agencies, broadcasters
	EntityGroup   EntityType = "group" // an acronym for several companies, e.g. BAT
)

// Valid reports whether t is one of the entity types.
func (t EntityType) Valid() bool {
	switch t {
	case EntityCompany, EntityProduct, EntityPerson, EntityOrg, EntityMedia, EntityGroup:
		return true
	}
	return false
}

// Entity is one named thing of the gazetteer: a company, product, person,
// organisation, media outlet or group of companies.
//
// Every string in Name, ZH, Aliases, Cased and Weak is a name the entity is
// found by. Latin names match case-insensitively on whole words unless listed
// in Cased; names listed in Weak are ordinary words in some text ("byte",
// "bat", 字节) and count only in documents that also name the entity, its
// parent, products or group by a strong name (see Extractor).
type Entity struct {
	// Name is the canonical English name, e.g. "ByteDance", "Ren Zhengfei".
	Name string
	Type EntityType
	// ZH are Chinese names, simplified then traditional; ZH[0] is the
	// display label.
	ZH []string
	// Aliases are other names in either language, including garbled machine
	// translations ("byte beat") and romanisations ("Ma Yun").
	Aliases []string
	// Parent is the canonical name of the company that owns a product or a
	// subsidiary ("TikTok" -> "ByteDance").
	Parent string
	// Members are the companies a group stands for ("BAT" -> Baidu, Alibaba,
	// Tencent).
	Members []string
	// Cased names match only as written or in capitals ("Apple", "APPLE"),
	// never in lower case ("apple").
	Cased []string
	// Weak names are also common words; see the type documentation.
	Weak []string
	// Note says why an entry is as it is (a spin-off, an ambiguous name).
	Note string
}

// Mention is one occurrence of an entity in a text.
type Mention struct {
	// Entity is the canonical name of the entity mentioned.
	Entity string
	// Start and End are byte offsets into the text. For an apostrophe-less
	// possessive ("Huaweis") the span covers the whole word; for "Huawei's"
	// it ends before the apostrophe.
	Start, End int
}

// Gazetteer is an immutable set of entities with a matcher built once for
// all their names. It is safe for concurrent use.
type Gazetteer struct {
	ents     []Entity // sorted by Name
	byName   map[string]int
	blockers []string

	latin      map[string][]*latinForm // by first folded word
	cjk        map[rune][]cjkForm      // by first rune, longest first
	asciiFirst [utf8.RuneSelf]bool     // ASCII runes that start a cjk form ("B站")
	lookup     map[string][]int

	companies [][]string // per entity: what it adds to the company facet
	support   [][]int32  // per entity: the families it belongs to, for weak names
}

type formMode uint8

const (
	modeStrong formMode = iota
	modeCased
	modeWeak
)

// latinForm is a name made of Latin-script words, matched token by token.
type latinForm struct {
	words []string // folded
	raw   []string // as written, compared for cased forms
	joins []string // joiner class between words i and i+1
	ent   int32
	mode  formMode
}

// cjkForm is a name with Han (or other unspaced-script) characters, matched
// as a substring.
type cjkForm struct {
	s    string
	ent  int32
	mode formMode
}

// match is a mention with what the extractor needs beyond Mention.
type match struct {
	ent        int32
	start, end int
	mode       formMode
	poss       bool // possessive: "Huaweis", "Huawei's"
}

//go:embed data/entities.json
var entitiesJSON []byte

var defaultGazetteer = sync.OnceValues(func() (*Gazetteer, error) {
	g, err := LoadGazetteer(bytes.NewReader(entitiesJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded gazetteer: %w", err)
	}
	return g, nil
})

// DefaultGazetteer returns the gazetteer embedded from data/entities.json,
// parsed once per process.
func DefaultGazetteer() (*Gazetteer, error) { return defaultGazetteer() }

// entityJSON is the file form of an Entity; the domain type carries no tags.
type entityJSON struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	ZH      []string `json:"zh,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	Cased   []string `json:"cased,omitempty"`
	Weak    []string `json:"weak,omitempty"`
	Parent  string   `json:"parent,omitempty"`
	Members []string `json:"members,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// LoadGazetteer reads a gazetteer in JSON: an array of entities, or an object
// whose "entities" member is one and whose optional "blockers" member lists
// phrases that contain a name without being a mention of it (新浪潮, a new
// wave, is not Sina): they win leftmost-longest matching and are dropped.
// Other members, such as "about", are documentation. Each entity has "name",
// "type" and optionally "zh", "aliases", "cased", "weak", "parent", "members"
// and "note". Errors name the offending entry: unknown fields or types,
// duplicate names, a name shared by two entities, a parent or member that is
// not a company of the file.
func LoadGazetteer(r io.Reader) (*Gazetteer, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read gazetteer: %w", err)
	}
	data = bytes.TrimSpace(data)
	var raws []json.RawMessage
	var blockers []string
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, fmt.Errorf("parse gazetteer: %w", err)
		}
	} else {
		var top struct {
			Entities []json.RawMessage `json:"entities"`
			Blockers []string          `json:"blockers"`
		}
		if err := json.Unmarshal(data, &top); err != nil {
			return nil, fmt.Errorf("parse gazetteer: %w", err)
		}
		if top.Entities == nil {
			return nil, errors.New("parse gazetteer: no entities")
		}
		raws = top.Entities
		blockers = top.Blockers
	}
	ents := make([]Entity, 0, len(raws))
	for i, raw := range raws {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var ej entityJSON
		if err := dec.Decode(&ej); err != nil {
			var named struct{ Name string }
			_ = json.Unmarshal(raw, &named) // best effort, only for the message
			return nil, fmt.Errorf("gazetteer entry %d %q: %w", i, named.Name, err)
		}
		ents = append(ents, Entity{
			Name: strings.TrimSpace(ej.Name), Type: EntityType(ej.Type),
			ZH: ej.ZH, Aliases: ej.Aliases, Cased: ej.Cased, Weak: ej.Weak,
			Parent: ej.Parent, Members: ej.Members, Note: ej.Note,
		})
	}
	if err := validate(ents); err != nil {
		return nil, err
	}
	return build(ents, blockers, true)
}

// validate checks what build does not: types, references and cycles.
func validate(ents []Entity) error {
	byName := make(map[string]*Entity, len(ents))
	for i := range ents {
		e := &ents[i]
		if e.Name == "" {
			return fmt.Errorf("gazetteer entry %d: empty name", i)
		}
		if !e.Type.Valid() {
			return fmt.Errorf("gazetteer entity %q: unknown type %q", e.Name, e.Type)
		}
		if byName[e.Name] != nil {
			return fmt.Errorf("gazetteer entity %q: defined twice", e.Name)
		}
		byName[e.Name] = e
	}
	for i := range ents {
		e := &ents[i]
		if e.Parent != "" {
			if e.Type != EntityCompany && e.Type != EntityProduct {
				return fmt.Errorf("gazetteer entity %q: a %s has no parent", e.Name, e.Type)
			}
			p := byName[e.Parent]
			if p == nil || p.Type != EntityCompany {
				return fmt.Errorf("gazetteer entity %q: parent %q is not a company of the gazetteer", e.Name, e.Parent)
			}
		}
		if e.Type == EntityProduct && e.Parent == "" {
			return fmt.Errorf("gazetteer entity %q: a product needs a parent", e.Name)
		}
		if (e.Type == EntityGroup) != (len(e.Members) > 0) {
			return fmt.Errorf("gazetteer entity %q: only a group has members, and a group has some", e.Name)
		}
		for _, m := range e.Members {
			if p := byName[m]; p == nil || p.Type != EntityCompany {
				return fmt.Errorf("gazetteer entity %q: member %q is not a company of the gazetteer", e.Name, m)
			}
		}
		for _, c := range e.Cased {
			if hasCJK(c) {
				return fmt.Errorf("gazetteer entity %q: cased name %q is not Latin", e.Name, c)
			}
		}
		seen := map[string]bool{e.Name: true}
		for p := e.Parent; p != ""; p = byName[p].Parent {
			if seen[p] {
				return fmt.Errorf("gazetteer entity %q: parent cycle through %q", e.Name, p)
			}
			seen[p] = true
		}
	}
	return nil
}

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
	for _, b := range g.blockers {
		key, isCJK := lookupKey(b)
		if key == "" {
			continue
		}
		if _, ok := owner[key]; ok && strict {
			return nil, fmt.Errorf("gazetteer blocker %q: listed twice", b)
		}
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
	for r, fs := range g.cjk {
		// Longest first gives leftmost-longest (字节跳动 before 字节); strong
		// before weak when two forms are equally long.
		sort.SliceStable(fs, func(i, j int) bool {
			if len(fs[i].s) != len(fs[j].s) {
				return len(fs[i].s) > len(fs[j].s)
			}
			return fs[i].mode < fs[j].mode
		})
		g.cjk[r] = slices.CompactFunc(fs, func(a, b cjkForm) bool { return a.s == b.s && a.ent == b.ent })
	}
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

// entityNames lists every name of e with its mode; Weak wins over Cased,
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
	for _, list := range [][]string{e.ZH, e.Aliases, e.Cased, e.Weak} {
		for _, s := range list {
			add(s)
		}
	}
	return out
}

func hasForm(fs []*latinForm, f *latinForm) bool {
	for _, o := range fs {
		if o.ent == f.ent && o.mode == f.mode && slices.Equal(o.words, f.words) &&
			slices.Equal(o.joins, f.joins) && (f.mode != modeCased || slices.Equal(o.raw, f.raw)) {
			return true
		}
	}
	return false
}

func newLatinForm(name string, ent int32, mode formMode) *latinForm {
	f := &latinForm{ent: ent, mode: mode}
	var prev *token
	toks := lex(name, nil)
	for i := range toks {
		t := &toks[i]
		if t.kind != tokWord {
			continue
		}
		if prev != nil {
			j, ok := joinClass(name[prev.end:t.start])
			if !ok {
				j = " "
			}
			f.joins = append(f.joins, j)
		}
		f.words = append(f.words, t.fold)
		f.raw = append(f.raw, foldWidth(name[t.start:t.end]))
		prev = t
	}
	return f
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

// Merge returns a new gazetteer with the entities of g and extra; an extra
// entity replaces the entity of g with the same Name, and takes over any name
// it shares with another entity of g. Extra entities with an empty Name are
// ignored; references to unknown parents or members are kept but add nothing
// to the company facet.
func (g *Gazetteer) Merge(extra []Entity) *Gazetteer {
	var prio []Entity
	seen := make(map[string]bool)
	for _, e := range extra {
		e.Name = strings.TrimSpace(e.Name)
		if e.Name == "" || seen[e.Name] {
			continue
		}
		seen[e.Name] = true
		prio = append(prio, e)
	}
	for _, e := range g.ents {
		if !seen[e.Name] {
			prio = append(prio, e)
		}
	}
	m, _ := build(prio, g.blockers, false) // non-strict build cannot fail
	return m
}

// Entities returns every entity, sorted by Name.
func (g *Gazetteer) Entities() []Entity {
	out := make([]Entity, len(g.ents))
	for i, e := range g.ents {
		out[i] = cloneEntity(e)
	}
	return out
}

// Entity returns the entity with canonical name name.
func (g *Gazetteer) Entity(name string) (Entity, bool) {
	i, ok := g.byName[name]
	if !ok {
		return Entity{}, false
	}
	return cloneEntity(g.ents[i]), true
}

// Label returns the Chinese display label of the entity named name (ZH[0]),
// or "" when it has none or is unknown.
func (g *Gazetteer) Label(name string) string {
	if i, ok := g.byName[name]; ok && len(g.ents[i].ZH) > 0 {
		return g.ents[i].ZH[0]
	}
	return ""
}

// Lookup returns the entities that s names. s is one name in any language:
// case, full-width letters, surrounding and repeated spaces and a possessive
// ("Huawei's", "Huaweis") are ignored, and cased and weak names are found like
// any other, since a user typing "apple" or "byte" asks for that name. It
// returns nil when s names nothing.
func (g *Gazetteer) Lookup(s string) []Entity {
	for _, key := range lookupKeys(s) {
		if ids := g.lookup[key]; len(ids) > 0 {
			out := make([]Entity, len(ids))
			for i, id := range ids {
				out[i] = cloneEntity(g.ents[id])
			}
			return out
		}
	}
	return nil
}

// ChineseNames returns every name of every entity that contains Chinese
// characters, sorted, for the segmenter's dictionary.
func (g *Gazetteer) ChineseNames() []string {
	var out []string
	for i := range g.ents {
		for _, nm := range entityNames(&g.ents[i]) {
			if hasCJK(nm.name) {
				out = append(out, nm.name)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

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
	for pos, r := range text {
		if r < utf8.RuneSelf && !g.asciiFirst[r] {
			continue
		}
		for _, f := range g.cjk[r] {
			if strings.HasPrefix(text[pos:], f.s) {
				ms = append(ms, match{ent: f.ent, start: pos, end: pos + len(f.s), mode: f.mode,
					poss: strings.HasPrefix(text[pos+len(f.s):], "的")})
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

func (g *Gazetteer) matchLatin(ms []match, text string, toks []token, words []int, wi int, fs []*latinForm) []match {
	for _, f := range fs {
		if end, poss, ok := f.match(text, toks, words, wi); ok {
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
		if f.mode == modeCased && !casedEqual(raw, f.raw[k]) {
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

// lookupKey normalises one name for Lookup and reports whether it is a
// Chinese (substring-matched) name.
func lookupKey(s string) (string, bool) {
	s = foldWidth(strings.TrimSpace(s))
	if hasCJK(s) {
		var b strings.Builder
		for _, r := range s {
			if !unicode.IsSpace(r) {
				b.WriteRune(unicode.ToLower(r))
			}
		}
		return b.String(), true
	}
	var b strings.Builder
	var prev *token
	toks := lex(s, nil)
	for i := range toks {
		t := &toks[i]
		if t.kind != tokWord {
			continue
		}
		if prev != nil {
			j, ok := joinClass(s[prev.end:t.start])
			if !ok || j == "-" {
				j = " "
			}
			b.WriteString(j)
		}
		b.WriteString(t.fold)
		prev = t
	}
	return b.String(), false
}

// lookupKeys returns the keys to try for s: as given, then without a
// possessive.
func lookupKeys(s string) []string {
	key, isCJK := lookupKey(s)
	if key == "" {
		return nil
	}
	keys := []string{key}
	if isCJK {
		return keys
	}
	if k, ok := strings.CutSuffix(key, "'s"); ok && k != "" {
		keys = append(keys, k)
	} else if len(key) >= 5 && key[len(key)-1] == 's' {
		last := key[strings.LastIndexAny(key, " '.&")+1:]
		if len(last) >= 5 {
			keys = append(keys, key[:len(key)-1])
		}
	}
	return keys
}

func cloneEntity(e Entity) Entity {
	e.ZH = slices.Clone(e.ZH)
	e.Aliases = slices.Clone(e.Aliases)
	e.Members = slices.Clone(e.Members)
	e.Cased = slices.Clone(e.Cased)
	e.Weak = slices.Clone(e.Weak)
	return e
}

// WriteJSON writes g in the format LoadGazetteer reads, sorted by Name.
func (g *Gazetteer) WriteJSON(w io.Writer) error {
	out := struct {
		Blockers []string     `json:"blockers,omitempty"`
		Entities []entityJSON `json:"entities"`
	}{Blockers: g.blockers, Entities: make([]entityJSON, len(g.ents))}
	for i, e := range g.ents {
		out.Entities[i] = entityJSON{
			Name: e.Name, Type: string(e.Type), ZH: e.ZH, Aliases: e.Aliases,
			Cased: e.Cased, Weak: e.Weak, Parent: e.Parent, Members: e.Members, Note: e.Note,
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write gazetteer: %w", err)
	}
	return nil
}

// Tokens. Latin-script text is cut into words (runs of letters, digits and
// marks) and single punctuation runes; spaces and unspaced scripts (Han,
// kana, Hangul) make no tokens, so a word next to a Chinese character ends
// there ("TikTok的").

type tokKind uint8

const (
	tokWord tokKind = iota + 1
	tokPunct
)

type token struct {
	start, end int
	kind       tokKind
	fold       string // words only: lower case, full-width folded
}

func lex(text string, toks []token) []token {
	if toks == nil {
		toks = make([]token, 0, len(text)/4+1) // about one token per word and punctuation
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isWordRune(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !isWordRune(r2) {
					break
				}
				j += s2
			}
			toks = append(toks, token{start: i, end: j, kind: tokWord, fold: foldWord(text[i:j])})
			i = j
			continue
		case r < utf8.RuneSelf && (r == ' ' || r == '\n' || r == '\t' || r == '\r'):
		case unicode.IsSpace(r), isCJK(r):
		default:
			toks = append(toks, token{start: i, end: i + size, kind: tokPunct})
		}
		i += size
	}
	return toks
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) && !isCJK(r)
}

// isCJK reports whether r belongs to a script written without spaces.
func isCJK(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) ||
		unicode.Is(unicode.Bopomofo, r) || r == 'ー' || r == '〇'
}

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// foldWord lower-cases a word and folds full-width letters and digits.
func foldWord(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(foldWidth(s))
		}
	}
	return s
}

// foldWidth maps full-width ASCII (Ｈｕａｗｅｉ, ２０１９) and the ideographic
// space to their ASCII forms.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, isFullWidth) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

func isFullWidth(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }
