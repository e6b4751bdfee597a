package corpus

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestEntityFileProblemsAtReadTime: every problem of an entities file that
// would make the merged gazetteer unloadable (a name two entities share, a
// name without letters, a cased name in Chinese) is reported when the file
// is read, with its file and line, and what is merged writes and reloads.
func TestEntityFileProblemsAtReadTime(t *testing.T) {
	fsys := fstest.MapFS{
		"entities.yaml": {Data: []byte(`- name: Lantern Labs
  type: company
  aliases: [Lantern, LL]
- name: Lamp Works
  type: company
  aliases: [Lamp, LL]
- name: Dot
  type: company
  aliases: ["--"]
- name: Glow
  type: company
  cased: [灯光]
- name: Harmony Devices
  type: company
  aliases: [华为技术]
- name: Not Huawei
  type: company
  aliases: [Huawei]
`)},
		"a.md": {Data: []byte("Lantern ships.\n")},
	}
	s := read(t, fsys, ReadOptions{})
	var errs []string
	for _, e := range s.Errors {
		errs = append(errs, e.Error())
	}
	for _, want := range []string{
		`src/entities.yaml:4: entity "Lamp Works": name "LL" also names "Lantern Labs" (src/entities.yaml:1)`,
		`src/entities.yaml:7: entity "Dot": name "--" has no letters`,
		`src/entities.yaml:10: entity "Glow": cased name "灯光" is not Latin`,
		`src/entities.yaml:16: entity "Not Huawei": name "Huawei" is the name of the built-in entity "Huawei": to change that entity, give an entry with name: Huawei`,
	} {
		if !slices.Contains(errs, want) {
			t.Errorf("errors %q lack %q", errs, want)
		}
	}
	var b bytes.Buffer
	if err := s.Gazetteer.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadGazetteer(&b); err != nil {
		t.Errorf("the merged gazetteer does not reload: %v", err)
	}
	if !slices.ContainsFunc(s.Entities, func(e Entity) bool { return e.Name == "Harmony Devices" }) || strings.Contains(strings.Join(errs, "\n"), "Harmony") {
		t.Errorf("Harmony Devices, whose alias takes 华为技术 from the built-in Huawei, is not merged: entities %v, errors %q", s.Entities, errs)
	}
}
