package corpus

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// The embedded default corpus: the raw English essay as scraped, its
// Chinese side aligned paragraph by paragraph with the cleaned English, and
// its metadata and facet corrections.
//
//go:embed data/essay.en.txt data/essay.zh.txt data/essay.json
var essayFiles embed.FS

// The paths of the essay's files, in essayFiles and in the repository
// under corpus/.
const (
	essayEN   = "data/essay.en.txt"
	essayZH   = "data/essay.zh.txt"
	essayMeta = "data/essay.json"
)

// essay is parsed once per process: the files are embedded, so the result
// never changes.
var essay = sync.OnceValues(func() (*Document, error) {
	g, err := DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	return readEssay(essayFiles, g)
})

// Essay returns the embedded default document: the essay on how Huawei and
// ByteDance went abroad, cleaned, aligned with its Chinese side, annotated by
// the extractor with DefaultGazetteer and hand-corrected by the corrections
// of data/essay.json. Each call returns a fresh copy the caller may modify.
func Essay() (*Document, error) {
	d, err := essay()
	if err != nil {
		return nil, err
	}
	return cloneDocument(d), nil
}

// essayJSON is the format of data/essay.json.
type essayJSON struct {
	ID          string           `json:"id"`
	Date        string           `json:"date"`
	Note        string           `json:"note"`
	Corrections []correctionJSON `json:"corrections"`
}

type correctionJSON struct {
	// Passage is the local part of a passage ID, "p012".
	Passage string                     `json:"passage"`
	Add     map[string]json.RawMessage `json:"add"`
	Remove  map[string]json.RawMessage `json:"remove"`
	Why     string                     `json:"why"`
}

var (
	docIDPattern   = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	localPassageID = regexp.MustCompile(`^p[0-9]{3,}$`)
	docDatePattern = regexp.MustCompile(`^[0-9]{4}(?:-[0-9]{2}-[0-9]{2})?$`)
)

// readEssay builds the essay from the files of fsys at essayEN, essayZH and
// essayMeta, annotating it with g.
func readEssay(fsys fs.FS, g *Gazetteer) (*Document, error) {
	en, err := fsys.Open(essayEN)
	if err != nil {
		return nil, fmt.Errorf("essay: %w", err)
	}
	defer en.Close()
	a, err := ParseArticle(en, essayEN)
	if err != nil {
		return nil, err
	}
	zhData, err := fs.ReadFile(fsys, essayZH)
	if err != nil {
		return nil, fmt.Errorf("essay: %w", err)
	}
	zh, err := Paragraphs(bytes.NewReader(zhData), essayZH)
	if err != nil {
		return nil, err
	}
	metaData, err := fs.ReadFile(fsys, essayMeta)
	if err != nil {
		return nil, fmt.Errorf("essay: %w", err)
	}
	meta, cs, err := parseEssayJSON(metaData)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", essayMeta, err)
	}

	d, err := NewDocument(meta.ID, a, zh, essayEN, essayZH)
	if err != nil {
		return nil, err
	}
	d.Date = meta.Date
	d.Note = meta.Note
	d.Origin = "corpus/" + essayEN + ", corpus/" + essayZH
	NewExtractor(g).Annotate(d)
	if err := Correct(d, g, cs); err != nil {
		return nil, fmt.Errorf("%s: %w", essayMeta, err)
	}
	return d, nil
}

func parseEssayJSON(data []byte) (essayJSON, []Correction, error) {
	var m essayJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, nil, err
	}
	if !docIDPattern.MatchString(m.ID) {
		return m, nil, fmt.Errorf("id %q: want lower-case words and digits joined by hyphens", m.ID)
	}
	if m.Date != "" && !docDatePattern.MatchString(m.Date) {
		return m, nil, fmt.Errorf("date %q: want YYYY or YYYY-MM-DD", m.Date)
	}
	var cs []Correction
	for i, cj := range m.Corrections {
		if !localPassageID.MatchString(cj.Passage) {
			return m, nil, fmt.Errorf("correction %d: passage %q: want the form p012", i+1, cj.Passage)
		}
		c := Correction{Passage: m.ID + "/" + cj.Passage, Why: cj.Why}
		var err error
		if c.Add, err = decodeFacets(cj.Add); err != nil {
			return m, nil, fmt.Errorf("correction %d (%s): add: %w", i+1, cj.Passage, err)
		}
		if c.Remove, err = decodeFacets(cj.Remove); err != nil {
			return m, nil, fmt.Errorf("correction %d (%s): remove: %w", i+1, cj.Passage, err)
		}
		cs = append(cs, c)
	}
	return m, cs, nil
}

// decodeFacets decodes the facets of a correction by name, so that a
// misspelt facet is an error rather than a correction silently ignored.
func decodeFacets(m map[string]json.RawMessage) (Facets, error) {
	var f Facets
	for _, name := range slices.Sorted(maps.Keys(m)) {
		var dst any
		switch name {
		case "companies":
			dst = &f.Companies
		case "years":
			dst = &f.Years
		case "speakers":
			dst = &f.Speakers
		case "entities":
			dst = &f.Entities
		default:
			return f, fmt.Errorf("unknown facet %q (want companies, years, speakers or entities)", name)
		}
		if err := json.Unmarshal(m[name], dst); err != nil {
			return f, fmt.Errorf("facet %s: %w", name, err)
		}
	}
	return f, nil
}

// NewDocument builds document id from the article en and the Chinese
// paragraphs zh, which must correspond one to one with en's parts (see
// Align). References take their Chinese title from the Chinese side of
// their passage. Facets are left empty for an Extractor to fill. enName and
// zhName name the sources in errors.
func NewDocument(id string, en *Article, zh []string, enName, zhName string) (*Document, error) {
	texts, err := Align(en.Texts(), zh, enName, zhName)
	if err != nil {
		return nil, err
	}
	d := &Document{
		ID:            id,
		Title:         texts[0],
		Source:        en.Source,
		Author:        en.Author,
		Editor:        en.Editor,
		PictureSource: en.PictureSource,
		Passages:      make([]Passage, len(texts)),
	}
	for i, p := range en.Parts {
		d.Passages[i] = Passage{
			ID:       PassageID(id, i),
			Doc:      id,
			Position: i,
			Section:  p.Section,
			Text:     texts[i],
		}
	}
	for _, r := range en.References {
		zt, err := chineseReferenceTitle(r, texts[r.Part].ZH)
		if err != nil {
			return nil, fmt.Errorf("%s paragraph %d: %w", zhName, r.Part+1, err)
		}
		d.References = append(d.References, Reference{
			Number:      r.Number,
			Title:       Text{EN: r.Title, ZH: zt},
			Publication: r.Publication,
			Date:        r.Date,
			Passage:     d.Passages[r.Part].ID,
		})
	}
	return d, nil
}

// chineseReferenceTitle returns the title in zh, the Chinese side of the
// passage of reference r: without its number, date and, when the English
// names one, publication; without the 《》 that mark a title in Chinese. A
// number or date that differs from the English is an error: the two sides
// are not aligned.
func chineseReferenceTitle(r ArticleReference, zh string) (string, error) {
	if zh == "" {
		return "", nil
	}
	n, body, date, err := splitReference(zh)
	if err != nil {
		return "", err
	}
	if n != 0 && n != r.Number {
		return "", fmt.Errorf("reference %d has number %d on the Chinese side", r.Number, n)
	}
	if date != "" && r.Date != "" && date != r.Date {
		return "", fmt.Errorf("reference %d is dated %s but %s on the Chinese side", r.Number, r.Date, date)
	}
	if r.Publication != "" {
		if title, _, ok := cutLastSegment(body); ok {
			body = title
		}
	}
	if strings.HasPrefix(body, "《") && strings.HasSuffix(body, "》") && strings.Count(body, "《") == 1 {
		body = strings.TrimSuffix(strings.TrimPrefix(body, "《"), "》")
	}
	return body, nil
}

// Align pairs the paragraphs of two sides of a bilingual text one to one:
// en[i] with zh[i]. It errors, naming both sources, when the counts differ
// or when paragraphs at the same place start with different reference
// numbers ("3." and "4."), a sure sign that a paragraph was split, merged or
// dropped on one side.
func Align(en, zh []string, enName, zhName string) ([]Text, error) {
	if len(en) != len(zh) {
		return nil, fmt.Errorf("align %s with %s: %d paragraphs against %d", enName, zhName, len(en), len(zh))
	}
	texts := make([]Text, len(en))
	for i := range en {
		ne, _, okE := refNumber(en[i])
		nz, _, okZ := refNumber(zh[i])
		if okE && okZ && ne != nz {
			return nil, fmt.Errorf("align %s with %s: paragraph %d is numbered %d against %d", enName, zhName, i+1, ne, nz)
		}
		texts[i] = Text{EN: en[i], ZH: zh[i]}
	}
	return texts, nil
}

// Facets are values of the facets of a passage, as a Correction adds or
// removes them.
type Facets struct {
	Companies []string
	Years     []int
	Speakers  []string
	Entities  []string
}

// Correction is a hand correction of one passage's facets, applied on top of
// the extractor's output so that it stays visible as a correction rather
// than being folded into the data.
type Correction struct {
	// Passage is the full passage ID, "<doc>/p012".
	Passage string
	Add     Facets
	Remove  Facets
	// Why says what the extractor gets wrong.
	Why string
}

// Correct applies the corrections cs to the passages of d. Added names must
// be canonical names of entities of g: companies for Companies, people for
// Speakers, any entity for Entities; an added company is added to Entities
// too. Correct errors, naming the correction, for an unknown
// passage or name, a correction without a reason, and a stale correction:
// one that adds a value the passage already has or removes one it lacks,
// because the extractor has changed since it was written.
func Correct(d *Document, g *Gazetteer, cs []Correction) error {
	byID := make(map[string]*Passage, len(d.Passages))
	for i := range d.Passages {
		byID[d.Passages[i].ID] = &d.Passages[i]
	}
	for i, c := range cs {
		p := byID[c.Passage]
		if p == nil {
			return fmt.Errorf("correction %d: passage %q: %w", i+1, c.Passage, ErrNotFound)
		}
		if err := correct(p, g, c); err != nil {
			return fmt.Errorf("correction %d (%s): %w", i+1, c.Passage, err)
		}
	}
	return nil
}

func correct(p *Passage, g *Gazetteer, c Correction) error {
	if strings.TrimSpace(c.Why) == "" {
		return fmt.Errorf("no reason given (why)")
	}
	checkName := func(facet, name string, want EntityType) error {
		e, ok := g.Entity(name)
		if !ok {
			return fmt.Errorf("%s: %q is not the canonical name of an entity of the gazetteer", facet, name)
		}
		if want != "" && e.Type != want {
			return fmt.Errorf("%s: %q is a %s, not a %s", facet, name, e.Type, want)
		}
		return nil
	}
	for _, n := range c.Add.Companies {
		if err := checkName("companies", n, EntityCompany); err != nil {
			return err
		}
	}
	for _, n := range c.Add.Speakers {
		if err := checkName("speakers", n, EntityPerson); err != nil {
			return err
		}
	}
	for _, n := range c.Add.Entities {
		if err := checkName("entities", n, ""); err != nil {
			return err
		}
	}
	for _, y := range c.Add.Years {
		if y < 1000 || y > 9999 {
			return fmt.Errorf("years: %d is not a four-digit year", y)
		}
	}

	var err error
	if p.Companies, err = edit("companies", p.Companies, c.Add.Companies, c.Remove.Companies); err != nil {
		return err
	}
	if p.Years, err = edit("years", p.Years, c.Add.Years, c.Remove.Years); err != nil {
		return err
	}
	if p.Speakers, err = edit("speakers", p.Speakers, c.Add.Speakers, c.Remove.Speakers); err != nil {
		return err
	}
	if p.Entities, err = edit("entities", p.Entities, c.Add.Entities, c.Remove.Entities); err != nil {
		return err
	}
	// Entities is a superset of Companies. Speakers need not be named in
	// the passage ("He also said") and are not added.
	for _, n := range p.Companies {
		if !slices.Contains(p.Entities, n) {
			if slices.Contains(c.Remove.Entities, n) {
				return fmt.Errorf("entities: cannot remove %q, which stays a company", n)
			}
			p.Entities = append(p.Entities, n)
		}
	}
	slices.Sort(p.Entities)
	p.Corrections = append(p.Corrections, c)
	return nil
}

// edit returns have with add added and remove removed, sorted, or an error
// when add holds a value have has or remove one it lacks.
func edit[T interface{ ~string | ~int }](facet string, have, add, remove []T) ([]T, error) {
	out := slices.Clone(have)
	for _, v := range remove {
		i := slices.Index(out, v)
		if i < 0 {
			return nil, fmt.Errorf("%s: remove %#v: the passage does not have it (stale correction?)", facet, v)
		}
		out = slices.Delete(out, i, i+1)
	}
	for _, v := range add {
		if slices.Contains(out, v) {
			return nil, fmt.Errorf("%s: add %#v: the passage already has it (stale correction?)", facet, v)
		}
		out = append(out, v)
	}
	slices.Sort(out)
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// cloneDocument returns a deep copy of d.
func cloneDocument(d *Document) *Document {
	c := *d
	c.Passages = slices.Clone(d.Passages)
	for i := range c.Passages {
		p := &c.Passages[i]
		p.Companies = slices.Clone(p.Companies)
		p.Years = slices.Clone(p.Years)
		p.Speakers = slices.Clone(p.Speakers)
		p.Entities = slices.Clone(p.Entities)
	}
	c.References = slices.Clone(d.References)
	c.Facets.Companies = slices.Clone(d.Facets.Companies)
	return &c
}
