package corpus

import (
	"cmp"
	"path"
)

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
	id, err := pickMeta("id", en.meta.id, zh.meta.id, zh.meta.idLine, enName, zhName)
	if err != nil {
		return nil, nil, err
	}
	date, err := pickMeta("date", en.meta.date, zh.meta.date, zh.meta.dateLine, enName, zhName)
	if err != nil {
		return nil, nil, err
	}
	texts, sections, beads, err := alignParts(en.parts(), zh.parts(), enName, zhName, byLength)
	if err != nil {
		return nil, nil, err
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

// pickMeta returns the front matter field that the English side gives as a
// or the Chinese side, on line bLine, as b: they may not differ.
func pickMeta(field, a, b string, bLine int, enName, zhName string) (string, error) {
	if a != "" && b != "" && a != b {
		return "", fileErr(zhName, bLine, "front matter %s %q differs from %q in %s", field, b, a, enName)
	}
	if a != "" {
		return a, nil
	}
	return b, nil
}

// alignParts aligns the parts of the two sides of a pair: one to one, or
// by length when byLength is set and the counts differ, giving beads. It
// returns the aligned texts and the section of each.
func alignParts(pe, pz []part, enName, zhName string, byLength bool) ([]Text, []Section, []Bead, error) {
	te, tz := make([]string, len(pe)), make([]string, len(pz))
	for i, p := range pe {
		te[i] = p.text
	}
	for i, p := range pz {
		tz[i] = p.text
	}
	sections := make([]Section, 0, len(te))
	if byLength && len(te) != len(tz) {
		beads := AlignByLength(te, tz)
		for _, b := range beads {
			if b.ENEnd > b.ENStart {
				sections = append(sections, pe[b.ENStart].section)
			} else {
				sections = append(sections, pz[b.ZHStart].section)
			}
		}
		return beadTexts(beads, te, tz), sections, beads, nil
	}
	texts, err := Align(te, tz, enName, zhName)
	if err != nil {
		return nil, nil, nil, &AlignError{EN: enName, ZH: zhName, ENCount: len(te), ZHCount: len(tz), Err: err}
	}
	for _, p := range pe {
		sections = append(sections, p.section)
	}
	return texts, sections, nil, nil
}
