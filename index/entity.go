package index

import (
	"slices"
	"sort"

	"github.com/corpus-dev/corpus/corpus"
)

// entityIndex expands entity mentions for indexing: a passage naming TikTok
// is also about ByteDance, one naming BAT about Baidu, Alibaba and Tencent.
type entityIndex struct {
	g      *corpus.Gazetteer
	expand map[string][]string // canonical name → itself, ancestors, members
}

func newEntityIndex(g *corpus.Gazetteer) *entityIndex {
	x := &entityIndex{g: g, expand: map[string][]string{}}
	for _, e := range g.Entities() {
		x.expand[e.Name] = x.closure(e.Name)
	}
	return x
}

func (x *entityIndex) closure(name string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if n == "" || seen[n] {
			return
		}
		seen[n] = true
		e, ok := x.g.Entity(n)
		if !ok {
			return
		}
		walk(e.Parent)
		for _, m := range e.Members {
			walk(m)
		}
	}
	walk(name)
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// named returns the entities text names, expanded, sorted. Only mentions
// of entities in tagged count: the extractor has already decided, with the
// whole document in view, whether a weak name such as "byte" means
// ByteDance there.
func (x *entityIndex) named(text string, tagged []string) []string {
	if text == "" {
		return nil
	}
	seen := map[string]bool{}
	for _, m := range x.g.Find(text) {
		if !slices.Contains(tagged, m.Entity) {
			continue
		}
		for _, n := range x.expand[m.Entity] {
			seen[n] = true
		}
		if _, ok := x.expand[m.Entity]; !ok {
			seen[m.Entity] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
