package corpus

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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
// Every string in Name, ZH, Aliases, Cased, Weak and Ambiguous is a name the
// entity is found by. Latin names match case-insensitively on whole words
// unless listed in Cased; names listed in Weak are ordinary words in some
// text ("byte", "bat", 字节) and count only in documents that also name the
// entity, its parent, products or group by a strong name; names listed in
// Ambiguous are words or other things as often as companies ("Sun", "Meta",
// "Orange", 小米 the grain) and count only where the context says company
// (see Extractor).
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
	// Ambiguous names need a company context; see the type documentation.
	// A Latin ambiguous name also matches only as written or in capitals.
	Ambiguous []string
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
	modeAmbiguous // needs a company context; Latin forms match cased
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
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	ZH        []string `json:"zh,omitempty"`
	Aliases   []string `json:"aliases,omitempty"`
	Cased     []string `json:"cased,omitempty"`
	Weak      []string `json:"weak,omitempty"`
	Ambiguous []string `json:"ambiguous,omitempty"`
	Parent    string   `json:"parent,omitempty"`
	Members   []string `json:"members,omitempty"`
	Note      string   `json:"note,omitempty"`
}

// LoadGazetteer reads a gazetteer in JSON: an array of entities, or an object
// whose "entities" member is one and whose optional "blockers" member lists
// phrases that contain a name without being a mention of it (新浪潮, a new
// wave, is not Sina): they win leftmost-longest matching and are dropped.
// Other members, such as "about", are documentation. Each entity has "name",
// "type" and optionally "zh", "aliases", "cased", "weak", "ambiguous", "parent", "members"
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
			ZH: ej.ZH, Aliases: ej.Aliases, Cased: ej.Cased, Weak: ej.Weak, Ambiguous: ej.Ambiguous,
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
	// A name taken over leaves the entity of g that had it, so that the
	// merged gazetteer, written to an index, loads again (strictly).
	claimed := map[string]bool{}
	for _, e := range prio {
		for _, nm := range entityNames(&e) {
			if key, _ := lookupKey(nm.name); key != "" {
				claimed[key] = true
			}
		}
	}
	for _, e := range g.ents {
		if !seen[e.Name] {
			prio = append(prio, dropClaimed(e, claimed))
		}
	}
	m, _ := build(prio, g.blockers, false) // non-strict build cannot fail
	return m
}

// dropClaimed returns e without the aliases whose lookup key is claimed.
func dropClaimed(e Entity, claimed map[string]bool) Entity {
	keep := func(l []string) []string {
		var out []string
		for _, s := range l {
			if key, _ := lookupKey(s); !claimed[key] {
				out = append(out, s)
			}
		}
		return out
	}
	e.ZH, e.Aliases, e.Cased, e.Weak = keep(e.ZH), keep(e.Aliases), keep(e.Cased), keep(e.Weak)
	return e
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

// lookupKey normalises one name for Lookup and reports whether it is a
// Chinese (substring-matched) name.
func lookupKey(s string) (string, bool) {
	s = foldWidth(strings.TrimSpace(s))
	if hasCJK(s) {
		s = Fold(s)
		var b strings.Builder
		for _, r := range s {
			if !unicode.IsSpace(r) {
				b.WriteRune(unicode.ToLower(r))
			}
		}
		return b.String(), true
	}
	var b strings.Builder
	nameWords(s, func(t *token, join string) {
		if join == "-" {
			join = " "
		}
		b.WriteString(join)
		b.WriteString(t.fold)
	})
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
	e.Ambiguous = slices.Clone(e.Ambiguous)
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
			Cased: e.Cased, Weak: e.Weak, Ambiguous: e.Ambiguous, Parent: e.Parent, Members: e.Members, Note: e.Note,
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
