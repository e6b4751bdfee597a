package corpus

import (
	"slices"
	"strings"
	"testing"
)

// TestGazetteerScripts checks that names are found in either script, by
// Lookup (the query side) and by Find (the annotation of passages), with
// spans on the text as written.
func TestGazetteerScripts(t *testing.T) {
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ entity, name string }{
		{"Kai-Fu Lee", "李开复"}, {"Kai-Fu Lee", "李開復"},
		{"Time magazine", "时代周刊"}, {"Time magazine", "時代週刊"},
		{"Cox", "考克斯通信"}, {"Cox", "考克斯通訊"}, {"Cox", "考克斯通讯"},
		{"ZTE", "中興通訊"}, {"ZTE", "中兴通信"},
		{"Huawei", "華為"}, {"Huawei", "华为"},
	} {
		if got := entityNamesOf(g.Lookup(tc.name)); !slices.Contains(got, tc.entity) {
			t.Errorf("Lookup(%q) = %v, want %s", tc.name, got, tc.entity)
		}
		text := "据说" + tc.name + "的消息"
		ms := g.Find(text)
		found := false
		for _, m := range ms {
			if m.Entity == tc.entity {
				found = true
				if got := text[m.Start:m.End]; got != tc.name {
					t.Errorf("Find(%q): %s at %q, want %q", text, m.Entity, got, tc.name)
				}
			}
		}
		if !found {
			t.Errorf("Find(%q) = %v, want %s", text, ms, tc.entity)
		}
	}
}

// TestGazetteerTraditionalNames writes every Chinese name of the embedded
// gazetteer in traditional characters (each simplified character replaced
// by a traditional one that folds to it) and checks that Lookup and Find
// give the entity the simplified name gives.
func TestGazetteerTraditionalNames(t *testing.T) {
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	trad := make(map[rune]rune)
	for _, c := range foldChars {
		if _, ok := trad[c.to]; !ok {
			trad[c.to] = c.from
		}
	}
	names, changed := 0, 0
	for _, e := range g.Entities() {
		for _, name := range e.ZH {
			names++
			tn := strings.Map(func(r rune) rune {
				if tr, ok := trad[r]; ok {
					return tr
				}
				return r
			}, name)
			if tn == name {
				continue
			}
			changed++
			want := entityNamesOf(g.Lookup(name))
			if got := entityNamesOf(g.Lookup(tn)); !slices.Equal(got, want) {
				t.Errorf("Lookup(%q) = %v, want %v as for %q", tn, got, want, name)
			}
			text := "，" + tn + "。"
			ms := g.Find(text)
			if len(ms) == 0 || ms[0].Entity != e.Name && !slices.Contains(want, ms[0].Entity) || text[ms[0].Start:ms[0].End] != tn {
				t.Errorf("Find(%q) = %v, want %s on %q", text, ms, e.Name, tn)
			}
		}
	}
	t.Logf("%d of %d Chinese names written in traditional characters", changed, names)
}

func entityNamesOf(es []Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}
