package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// entityEntry is one entity as a folder's entities.yaml or entities.json
// writes it: the fields of the built-in gazetteer's entries. zh, aliases,
// cased, weak, ambiguous and members take one name or a list.
type entityEntry struct {
	Name      string   `json:"name" yaml:"name"`
	Type      string   `json:"type" yaml:"type"`
	ZH        nameList `json:"zh" yaml:"zh"`
	Aliases   nameList `json:"aliases" yaml:"aliases"`
	Cased     nameList `json:"cased" yaml:"cased"`
	Weak      nameList `json:"weak" yaml:"weak"`
	Ambiguous nameList `json:"ambiguous" yaml:"ambiguous"`
	Parent    string   `json:"parent" yaml:"parent"`
	Members   nameList `json:"members" yaml:"members"`
	Note      string   `json:"note" yaml:"note"`
}

// entityKeys are the keys of an entry, for rejecting misspelt ones.
var entityKeys = []string{"name", "type", "zh", "aliases", "cased", "weak", "ambiguous", "parent", "members", "note"}

// nameList is a list of names that a file may write as a single name.
type nameList []string

func (l *nameList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = nameList{n.Value}
		return nil
	}
	var ss []string
	if err := n.Decode(&ss); err != nil {
		return err
	}
	*l = ss
	return nil
}

func (l *nameList) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = nameList{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return fmt.Errorf("want a name or a list of names")
	}
	*l = ss
	return nil
}

// entityAt is an entity read from a file, with where.
type entityAt struct {
	Entity
	path string
	line int
}

// readEntityFile reads the entities file rel of fsys, named name in errors:
// YAML (.yaml, .yml) or JSON, either a list of entries or an object whose
// "entities" member is one (other members, such as "about", are
// documentation). A file that cannot be parsed is the error; the entries
// of one that can are returned with a *FileError, naming the entry's line,
// for each bad entry, which is left out.
func readEntityFile(fsys fs.FS, rel, name string) ([]entityAt, []error, error) {
	data, err := fs.ReadFile(fsys, rel)
	if err != nil {
		return nil, nil, &FileError{Path: name, Err: err}
	}
	if line := invalidUTF8Line(data); line > 0 {
		return nil, nil, fileErr(name, line, "invalid UTF-8")
	}
	if strings.EqualFold(path.Ext(rel), ".json") {
		return readEntityJSON(data, name)
	}
	return readEntityYAML(data, name)
}

func readEntityYAML(data []byte, name string) ([]entityAt, []error, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscan(m[1], &line)
			msg = m[2]
		}
		return nil, nil, fileErr(name, line, "%s", msg)
	}
	if len(doc.Content) == 0 {
		return nil, nil, nil
	}
	list := doc.Content[0]
	if list.Kind == yaml.MappingNode {
		var found *yaml.Node
		settings := false
		for i := 0; i+1 < len(list.Content); i += 2 {
			switch list.Content[i].Value {
			case "entities":
				found = list.Content[i+1]
			case "facets":
				settings = true
			}
		}
		if found == nil && settings {
			return nil, nil, nil // only the folder's facet settings
		}
		if found == nil {
			return nil, nil, fileErr(name, list.Line, "no entities: want a list of entities, or entities: followed by one")
		}
		list = found
	}
	if list.Kind != yaml.SequenceNode {
		return nil, nil, fileErr(name, list.Line, "want a list of entities")
	}
	var out []entityAt
	var errs []error
entries:
	for _, n := range list.Content {
		if n.Kind != yaml.MappingNode {
			errs = append(errs, fileErr(name, n.Line, "want an entity with name: and type:"))
			continue
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; !contains(entityKeys, k.Value) {
				errs = append(errs, fileErr(name, k.Line, "unknown field %q (want one of %s)", k.Value, strings.Join(entityKeys, ", ")))
				continue entries
			}
		}
		var e entityEntry
		if err := n.Decode(&e); err != nil {
			msg := err.Error()
			if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
				msg = te.Errors[0]
			}
			errs = append(errs, fileErr(name, n.Line, "%s", strings.TrimPrefix(msg, "yaml: ")))
			continue
		}
		out = append(out, entityAt{Entity: e.entity(), path: name, line: n.Line})
	}
	return out, errs, nil
}

func readEntityJSON(data []byte, name string) ([]entityAt, []error, error) {
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	syntax := func(err error, dec *json.Decoder) error {
		if se, ok := err.(*json.SyntaxError); ok {
			return fileErr(name, lineAt(se.Offset), "%v", err)
		}
		return fileErr(name, lineAt(dec.InputOffset()), "%v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, syntax(err, dec)
	}
	if tok == json.Delim('{') {
		found := false
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, nil, syntax(err, dec)
			}
			if key == "entities" {
				found = true
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, nil, syntax(err, dec)
			}
		}
		if !found {
			return nil, nil, fileErr(name, 1, "no \"entities\" member")
		}
		if tok, err = dec.Token(); err != nil {
			return nil, nil, syntax(err, dec)
		}
	}
	if tok != json.Delim('[') {
		return nil, nil, fileErr(name, lineAt(dec.InputOffset()), "want a list of entities")
	}
	var out []entityAt
	var errs []error
	for dec.More() {
		// InputOffset is where the previous value ended; the entry
		// starts at the next non-space, non-comma byte.
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
			off++
		}
		line := lineAt(int64(off))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, syntax(err, dec)
		}
		var e entityEntry
		ed := json.NewDecoder(bytes.NewReader(raw))
		ed.DisallowUnknownFields()
		if err := ed.Decode(&e); err != nil {
			errs = append(errs, fileErr(name, line, "%v", err))
			continue
		}
		out = append(out, entityAt{Entity: e.entity(), path: name, line: line})
	}
	return out, errs, nil
}

func (e entityEntry) entity() Entity {
	clean := func(l nameList) []string {
		var out []string
		for _, s := range l {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return Entity{
		Name: strings.TrimSpace(e.Name), Type: EntityType(strings.TrimSpace(e.Type)),
		ZH: clean(e.ZH), Aliases: clean(e.Aliases), Cased: clean(e.Cased), Weak: clean(e.Weak), Ambiguous: clean(e.Ambiguous),
		Parent: strings.TrimSpace(e.Parent), Members: clean(e.Members), Note: e.Note,
	}
}

// checkEntities checks the entities of the folders' files against each
// other and base, by the rules of the built-in gazetteer: a name and a known
// type; a parent only for a company or product, and a product needs one; a
// parent or member must be a company, of these files or of base; no entity
// twice; no parent cycle; names with letters, cased names in Latin
// script, no name of two entities (checkNames). It returns the good entities and a *FileError for
// each bad one.
func checkEntities(ents []entityAt, base *Gazetteer) ([]Entity, []error) {
	byName := make(map[string]entityAt, len(ents))
	var errs []error
	bad := func(e entityAt, format string, args ...any) {
		errs = append(errs, fileErr(e.path, e.line, format, args...))
	}
	var named []entityAt
	for _, e := range ents {
		if e.Name == "" {
			bad(e, "entity without a name")
			continue
		}
		if prev, dup := byName[e.Name]; dup {
			bad(e, "entity %q is also defined at %s:%d", e.Name, prev.path, prev.line)
			continue
		}
		byName[e.Name] = e
		named = append(named, e)
	}
	typeOf := func(n string) (EntityType, string, bool) {
		if e, ok := byName[n]; ok {
			return e.Type, e.Parent, true
		}
		if e, ok := base.Entity(n); ok {
			return e.Type, e.Parent, true
		}
		return "", "", false
	}
	isCompany := func(n string) bool {
		t, _, ok := typeOf(n)
		return ok && t == EntityCompany
	}
	var good []Entity
	owners := map[string]entityAt{} // lookup key of a name → the entity it names
	byNameSet := make(map[string]bool, len(byName))
	for n := range byName {
		byNameSet[n] = true
	}
	for _, e := range named {
		switch {
		case !e.Type.Valid():
			bad(e, "entity %q: type %q: want company, product, person, org, media or group", e.Name, e.Type)
		case e.Parent != "" && e.Type != EntityCompany && e.Type != EntityProduct:
			bad(e, "entity %q: a %s has no parent", e.Name, e.Type)
		case e.Parent != "" && !isCompany(e.Parent):
			bad(e, "entity %q: parent %q is not a company of this file or of the built-in gazetteer", e.Name, e.Parent)
		case e.Type == EntityProduct && e.Parent == "":
			bad(e, "entity %q: a product needs a parent company", e.Name)
		case (e.Type == EntityGroup) != (len(e.Members) > 0):
			bad(e, "entity %q: only a group has members, and a group has some", e.Name)
		default:
			if m := firstNot(e.Members, isCompany); m != "" {
				bad(e, "entity %q: member %q is not a company of this file or of the built-in gazetteer", e.Name, m)
				continue
			}
			if c := parentCycle(e.Name, typeOf); c != "" {
				bad(e, "entity %q: parent cycle through %q", e.Name, c)
				continue
			}
			if msg := checkNames(e, owners, base, byNameSet); msg != "" {
				bad(e, "entity %q: %s", e.Name, msg)
				continue
			}
			good = append(good, e.Entity)
		}
	}
	return good, errs
}

// checkNames checks e's names as the gazetteer's strict loader does, so
// that what is merged also loads from the index: every name has letters, a
// cased name is Latin, and no name names two entities of the files. The
// good names are added to owners; the problem is returned, or "".
func checkNames(e entityAt, owners map[string]entityAt, base *Gazetteer, replaced map[string]bool) string {
	for _, c := range e.Cased {
		if hasCJK(c) {
			return fmt.Sprintf("cased name %q is not Latin", c)
		}
	}
	keys := map[string]bool{}
	for _, nm := range entityNames(&e.Entity) {
		key, _ := lookupKey(nm.name)
		if key == "" {
			return fmt.Sprintf("name %q has no letters", nm.name)
		}
		if o, ok := owners[key]; ok && o.Name != e.Name {
			return fmt.Sprintf("name %q also names %q (%s:%d)", nm.name, o.Name, o.path, o.line)
		}
		for _, i := range base.lookup[key] {
			if b := base.ents[i]; b.Name != e.Name && !replaced[b.Name] {
				if k, _ := lookupKey(b.Name); k == key {
					return fmt.Sprintf("name %q is the name of the built-in entity %q: to change that entity, give an entry with name: %s", nm.name, b.Name, b.Name)
				}
			}
		}
		keys[key] = true
	}
	for k := range keys {
		owners[k] = e
	}
	return ""
}

func firstNot(ss []string, ok func(string) bool) string {
	for _, s := range ss {
		if !ok(s) {
			return s
		}
	}
	return ""
}

// parentCycle returns a name on a cycle of parents from name, or "".
func parentCycle(name string, typeOf func(string) (EntityType, string, bool)) string {
	seen := map[string]bool{name: true}
	_, p, _ := typeOf(name)
	for p != "" {
		if seen[p] {
			return p
		}
		seen[p] = true
		_, p, _ = typeOf(p)
	}
	return ""
}
