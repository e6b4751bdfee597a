package corpus

import (
	"cmp"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// frontMatter is the metadata a Markdown or text file may start with,
// between two "---" lines, in YAML:
//
//	---
//	title: 华为的海外之路
//	date: 2021-06-01     # or 2021
//	lang: zh             # else detected passage by passage
//	source: Example Weekly
//	author: Zhang San    # or a list
//	id: huawei-abroad    # else made from the file's path
//	note: What the text is and how it was made.
//	---
type frontMatter struct {
	title, date, source, author, id, note string
	lang                                  Lang
	// Lines of the keys, for errors found later; 0 when absent.
	idLine, langLine, dateLine int
	// facets are the document's facet settings (written:, facets:).
	facets FacetSettings
}

// frontMatterKeys are the keys frontMatter reads; others are reported in a
// notice and ignored, since front matter written for a static site
// generator has many (tags, draft, layout).
var frontMatterKeys = []string{"title", "date", "lang", "source", "author", "id", "note", "written", "facets"}

// yamlLine finds the line of a yaml.v3 error message.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseFrontMatter parses the YAML src of front matter whose first line is
// line first of file name. It returns the unknown keys it ignored. Errors
// are *FileError with the line in the file.
func parseFrontMatter(src, name string, first int) (frontMatter, []string, error) {
	var fm frontMatter
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := first - 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			line, msg = first-1+n, m[2]
		}
		return fm, nil, fileErr(name, line, "front matter: %s", msg)
	}
	if len(doc.Content) == 0 {
		return fm, nil, nil // empty front matter
	}
	top := doc.Content[0]
	at := func(n *yaml.Node) int { return first - 1 + n.Line }
	if top.Kind != yaml.MappingNode {
		return fm, nil, fileErr(name, at(top), "front matter: want key: value lines")
	}
	var unknown []string
	seen := make(map[string]int)
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		key := strings.ToLower(k.Value)
		if prev, dup := seen[key]; dup {
			return fm, nil, fileErr(name, at(k), "front matter: %s given twice (first on line %d)", key, prev)
		}
		seen[key] = at(k)
		if !contains(frontMatterKeys, key) {
			unknown = append(unknown, k.Value)
			continue
		}
		if key == "facets" || key == "written" {
			if err := fm.readFacets(key, v, name, at); err != nil {
				return fm, nil, err
			}
			continue
		}
		s, err := yamlText(v)
		if err != nil {
			return fm, nil, fileErr(name, at(v), "front matter: %s: %v", key, err)
		}
		switch key {
		case "title":
			fm.title = s
		case "source":
			fm.source = s
		case "author":
			fm.author = s
		case "note":
			fm.note = s
		case "date":
			if s != "" && !validDate(s) {
				return fm, nil, fileErr(name, at(v), "front matter: date %q: want YYYY or YYYY-MM-DD", s)
			}
			fm.date, fm.dateLine = s, at(v)
		case "lang":
			l, ok := langOf(s)
			if !ok && s != "" {
				return fm, nil, fileErr(name, at(v), "front matter: lang %q: want en or zh", s)
			}
			fm.lang, fm.langLine = l, at(v)
		case "id":
			if s != "" && !validID(s) {
				return fm, nil, fileErr(name, at(v), "front matter: id %q: want lower-case words and digits joined by hyphens", s)
			}
			fm.id, fm.idLine = s, at(v)
		}
	}
	return fm, unknown, nil
}

// readFacets reads the facet settings of front matter: facets: (see
// FacetSettings) and written:, the year the text was written when date is
// another (a publication's), which relative years count from.
func (fm *frontMatter) readFacets(key string, v *yaml.Node, name string, at func(*yaml.Node) int) error {
	if key == "facets" {
		w := fm.facets.Written
		fs, err := parseFacets(v, name, at)
		fm.facets, fm.facets.Written = fs, w
		return err
	}
	s, err := yamlText(v)
	if err == nil && s != "" && !validDate(s) {
		err = fmt.Errorf("%q: want YYYY or YYYY-MM-DD", s)
	}
	if err != nil {
		return fileErr(name, at(v), "front matter: written %v", err)
	}
	fm.facets.Written = dateYear(s)
	return nil
}

// yamlText returns a scalar's text, or a list of scalars joined by ", "
// (several authors).
func yamlText(n *yaml.Node) (string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "", nil
		}
		return normalize(n.Value), nil
	case yaml.SequenceNode:
		var parts []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return "", fmt.Errorf("want text or a list of texts")
			}
			if s := normalize(c.Value); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", "), nil
	}
	return "", fmt.Errorf("want text or a list of texts")
}

// validDate reports whether s is a real date written YYYY or YYYY-MM-DD.
func validDate(s string) bool {
	if !docDatePattern.MatchString(s) {
		return false
	}
	if len(s) == 4 {
		return s >= "1000"
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// document makes the monolingual document of a text file whose name is sf.
// Its passages are in the language the front matter or file name gives,
// else each in the language DetectLang finds (else its neighbour's).
func (t *textFile) document(sf sourceFile, name string) (*Document, error) {
	lang := t.meta.lang
	if lang != "" && sf.lang != "" && lang != sf.lang {
		return nil, fileErr(name, t.meta.langLine, "front matter lang %s contradicts the file name, which says %s", lang, sf.lang)
	}
	if lang == "" {
		lang = sf.lang
	}
	d := &Document{ID: t.meta.id, Date: t.meta.date, Source: t.meta.source, Author: t.meta.author, Note: t.meta.note, Facets: t.meta.facets}
	if d.ID == "" {
		var err error
		if d.ID, err = slugID(sf.stem, name); err != nil {
			return nil, err
		}
	}
	var langs []Lang
	for _, p := range t.parts() {
		for _, c := range chunk(p.text, maxPassageRunes) {
			d.Passages = append(d.Passages, Passage{Section: p.section, Text: Text{EN: c}})
			l := lang
			if l == "" {
				l = DetectLang(c)
			}
			langs = append(langs, l)
		}
	}
	if len(d.Passages) == 0 {
		return nil, fileErr(name, max(t.lines, 1), "no text")
	}
	fillLangs(langs)
	counts := map[Lang]int{}
	for i := range d.Passages {
		p := &d.Passages[i]
		if langs[i] == Chinese {
			p.Text = Text{ZH: p.Text.EN}
		}
		counts[langs[i]]++
	}
	if d.Passages[0].Section == SectionTitle {
		d.Title = d.Passages[0].Text
	} else {
		// No title: the file's name labels the document, on the side its
		// script says, else the side most passages are on.
		name := path.Base(sf.stem)
		l := DetectLang(name)
		if l == "" && counts[Chinese] > counts[English] {
			l = Chinese
		}
		d.Title.Set(cmp.Or(l, English), name)
	}
	return d, nil
}

// fillLangs gives a passage whose language could not be told ("2021")
// the language of the passage before it, or after it at the start; English
// when no passage can be told.
func fillLangs(langs []Lang) {
	first := Lang("")
	for _, l := range langs {
		if l != "" {
			first = l
			break
		}
	}
	if first == "" {
		first = English
	}
	prev := first
	for i, l := range langs {
		if l == "" {
			langs[i] = prev
		}
		prev = langs[i]
	}
}

// pairDocument makes the bilingual document of a parallel pair: the text
// files en (English, named by sf) and zh, aligned part by part. A mismatch
// is an *AlignError. Metadata comes from either front matter; an id, date or
// lang that the two contradict is an error.
//
// When byLength is set and the paragraph counts differ, the pair is aligned
// by length (AlignByLength) and the beads are returned for a report; a
// bead of several paragraphs is one passage, a paragraph without a
// counterpart a passage with one side.
func pairDocument(en, zh *textFile, sf sourceFile, enName, zhName string, byLength bool) (*Document, []Bead, error) {
	for _, side := range []struct {
		t    *textFile
		want Lang
		name string
	}{{en, English, enName}, {zh, Chinese, zhName}} {
		if l := side.t.meta.lang; l != "" && l != side.want {
			return nil, nil, fileErr(side.name, side.t.meta.langLine, "front matter lang %s contradicts the file name, which says %s", l, side.want)
		}
	}
	pick := func(field, a, b string, bLine int) (string, error) {
		if a != "" && b != "" && a != b {
			return "", fileErr(zhName, bLine, "front matter %s %q differs from %q in %s", field, b, a, enName)
		}
		if a != "" {
			return a, nil
		}
		return b, nil
	}
	id, err := pick("id", en.meta.id, zh.meta.id, zh.meta.idLine)
	if err != nil {
		return nil, nil, err
	}
	date, err := pick("date", en.meta.date, zh.meta.date, zh.meta.dateLine)
	if err != nil {
		return nil, nil, err
	}
	pe, pz := en.parts(), zh.parts()
	te, tz := make([]string, len(pe)), make([]string, len(pz))
	for i, p := range pe {
		te[i] = p.text
	}
	for i, p := range pz {
		tz[i] = p.text
	}
	var beads []Bead
	var texts []Text
	sections := make([]Section, 0, len(te))
	if byLength && len(te) != len(tz) {
		beads = AlignByLength(te, tz)
		texts = beadTexts(beads, te, tz)
		for _, b := range beads {
			if b.ENEnd > b.ENStart {
				sections = append(sections, pe[b.ENStart].section)
			} else {
				sections = append(sections, pz[b.ZHStart].section)
			}
		}
	} else {
		texts, err = Align(te, tz, enName, zhName)
		if err != nil {
			return nil, nil, &AlignError{EN: enName, ZH: zhName, ENCount: len(te), ZHCount: len(tz), Err: err}
		}
		for _, p := range pe {
			sections = append(sections, p.section)
		}
	}
	if len(texts) == 0 {
		return nil, nil, fileErr(enName, max(en.lines, 1), "no text")
	}
	d := &Document{ID: id, Date: date, Facets: en.meta.facets.Over(zh.meta.facets)}
	// Names and notes may well differ between the sides (a publication's
	// English and Chinese names): the English wins.
	d.Source = cmp.Or(en.meta.source, zh.meta.source)
	d.Author = cmp.Or(en.meta.author, zh.meta.author)
	d.Note = cmp.Or(en.meta.note, zh.meta.note)
	if d.ID == "" {
		if d.ID, err = slugID(sf.stem, enName); err != nil {
			return nil, nil, err
		}
	}
	for i, t := range texts {
		for _, piece := range splitAligned(t, maxPassageRunes) {
			d.Passages = append(d.Passages, Passage{Section: sections[i], Text: piece})
		}
	}
	if d.Passages[0].Section == SectionTitle {
		d.Title = d.Passages[0].Text
	} else {
		d.Title = Text{EN: path.Base(sf.stem), ZH: path.Base(sf.stem)}
	}
	return d, beads, nil
}
