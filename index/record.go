package index

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/corpus-dev/corpus/corpus"
)

// record is how a passage is stored in the index: corpus types carry no
// serialisation tags, so the index owns its own stable format.
type record struct {
	// The store's version 3 leaves these out: its place in the store
	// says which document and position a record is (docPlaces).
	ID        string   `json:"id,omitempty"`
	Doc       string   `json:"doc,omitempty"`
	Position  int      `json:"pos,omitempty"`
	Section   string   `json:"sec"`
	EN        string   `json:"en,omitempty"`
	ZH        string   `json:"zh,omitempty"`
	Companies []string `json:"co,omitempty"`
	Years     []int    `json:"yr,omitempty"`
	Speakers  []string `json:"sp,omitempty"`
	Entities  []string `json:"en_t,omitempty"`
	// Corrections were added after format 3; a record without them reads
	// as a passage without hand corrections.
	Corrections []correctionRecord `json:"corr,omitempty"`
	// Variants were added after format 3 too.
	Variants []variantRecord `json:"var,omitempty"`
}

type variantRecord struct {
	Lang  string `json:"l"`
	Label string `json:"k,omitempty"`
	Text  string `json:"t"`
}

type correctionRecord struct {
	Add    facetsRecord `json:"add"`
	Remove facetsRecord `json:"rm"`
	Why    string       `json:"why"`
}

type facetsRecord struct {
	Companies []string `json:"co,omitempty"`
	Years     []int    `json:"yr,omitempty"`
	Speakers  []string `json:"sp,omitempty"`
	Entities  []string `json:"en_t,omitempty"`
}

func toFacetsRecord(f corpus.Facets) facetsRecord {
	return facetsRecord{Companies: f.Companies, Years: f.Years, Speakers: f.Speakers, Entities: f.Entities}
}

func (f facetsRecord) facets() corpus.Facets {
	return corpus.Facets{Companies: f.Companies, Years: f.Years, Speakers: f.Speakers, Entities: f.Entities}
}

func toRecord(p *corpus.Passage) record {
	r := record{
		ID: p.ID, Doc: p.Doc, Position: p.Position, Section: string(p.Section),
		EN: p.Text.EN, ZH: p.Text.ZH,
		Companies: p.Companies, Years: p.Years, Speakers: p.Speakers, Entities: p.Entities,
	}
	for _, c := range p.Corrections {
		r.Corrections = append(r.Corrections, correctionRecord{Add: toFacetsRecord(c.Add), Remove: toFacetsRecord(c.Remove), Why: c.Why})
	}
	for _, v := range p.Variants {
		r.Variants = append(r.Variants, variantRecord{Lang: string(v.Lang), Label: v.Label, Text: v.Text})
	}
	return r
}

func (r record) passage() corpus.Passage {
	p := corpus.Passage{
		ID: r.ID, Doc: r.Doc, Position: r.Position, Section: corpus.Section(r.Section),
		Text:      corpus.Text{EN: r.EN, ZH: r.ZH},
		Companies: r.Companies, Years: r.Years, Speakers: r.Speakers, Entities: r.Entities,
	}
	for _, c := range r.Corrections {
		p.Corrections = append(p.Corrections, corpus.Correction{Passage: r.ID, Add: c.Add.facets(), Remove: c.Remove.facets(), Why: c.Why})
	}
	for _, v := range r.Variants {
		p.Variants = append(p.Variants, corpus.Variant{Lang: corpus.Lang(v.Lang), Label: v.Label, Text: v.Text})
	}
	return p
}

// decodeRecordBytes decodes a record of the passage store.
func decodeRecordBytes(b []byte) (corpus.Passage, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return corpus.Passage{}, fmt.Errorf("decode stored passage: %w", err)
	}
	return r.passage(), nil
}

// fields returns what bleve indexes for p. entEN and entZH are the entities
// named on each side, expanded with their parents and group members.
func fields(p *corpus.Passage, entEN, entZH []string, textInBleve, sortFields bool) (map[string]any, error) {
	years := make([]string, len(p.Years))
	for i, y := range p.Years {
		years[i] = yearTerm(y)
	}
	var langs []string
	if p.Text.EN != "" {
		langs = append(langs, string(corpus.English))
	}
	if p.Text.ZH != "" {
		langs = append(langs, string(corpus.Chinese))
	}
	m := map[string]any{
		fieldCompany:  p.Companies,
		fieldSpeaker:  p.Speakers,
		fieldYear:     years,
		fieldSection:  string(p.Section),
		fieldLang:     langs,
		fieldDoc:      p.Doc,
		fieldEntity:   union(entEN, entZH),
		fieldEntityEN: entEN,
		fieldEntityZH: entZH,
	}
	if textInBleve {
		en, zh := searchText(p, corpus.English), searchText(p, corpus.Chinese)
		m[fieldEN], m[fieldENStem] = en, en
		m[fieldZH], m[fieldZHLatin], m[fieldZH1], m[fieldZH2] = zh, zh, zh, zh
	}
	// The position and the year bounds only sort bleve's own searches
	// (and the position numbered the reading order before format 11):
	// the one-pass search sorts from the facet table, and the passages'
	// ranks are their bleve IDs.
	if !sortFields {
		return m, nil
	}
	m[fieldPos] = posTerm(p.Position)
	if len(p.Years) > 0 {
		lo, hi := p.Years[0], p.Years[0]
		for _, y := range p.Years {
			lo, hi = min(lo, y), max(hi, y)
		}
		m[fieldYearMin] = yearTerm(lo)
		m[fieldYearMax] = yearTerm(hi)
	}
	return m, nil
}

// rankID is the bleve ID of the passage of rank r, its place in reading
// order (since format 11), in a generation of n passages: r in big-endian
// bytes, as few as the largest rank needs (three for a million passages),
// where the passage's own ID took thirteen or more in bleve's stored
// fields and again in its ID dictionary, which shares the prefixes and
// suffixes of such keys.
func rankID(r, n int) string {
	width := 1
	for n-1 >= 1<<(8*width) && width < 4 {
		width++
	}
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(r))
	return string(b[4-width:])
}

// rankOfID returns the rank whose bleve ID is id, and whether id is one:
// a passage's own ID (before format 11) is longer than four bytes.
func rankOfID(id string) (uint32, bool) {
	if len(id) == 0 || len(id) > 4 {
		return 0, false
	}
	var b [4]byte
	copy(b[4-len(id):], id)
	return binary.BigEndian.Uint32(b[:]), true
}

// posTerm is a passage position as a term that sorts as the number does.
// Positions are not negative; ten digits hold any int32.
func posTerm(p int) string { return fmt.Sprintf("%010d", p) }

func union(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// searchText is what the text field of side l indexes: the passage's text
// and its variants in that language, one per line. A phrase cannot match
// across a line only where its last word ends one wording and its first
// begins the next, which the highlighter then does not mark.
func searchText(p *corpus.Passage, l corpus.Lang) string {
	s := p.Text.Get(l)
	for _, v := range p.Variants {
		if v.Lang == l && v.Text != "" {
			if s != "" {
				s += "\n"
			}
			s += v.Text
		}
	}
	return s
}
