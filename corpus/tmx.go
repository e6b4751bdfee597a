package corpus

import (
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
)

// tmxStats counts what readTMX passed over.
type tmxStats struct {
	// skipped are translation units without both an English and a Chinese
	// segment (another language pair, or an empty side).
	skipped int
}

// tmxCode are the TMX inline elements whose content is the native code of
// the original format (a <b> tag, a placeholder), not text. <sub> holds a
// separate flow of text (an attribute's value, a footnote) that does not
// belong inside the sentence either. <hi> marks text, which is kept.
var tmxCode = map[string]bool{"bpt": true, "ept": true, "ph": true, "it": true, "ut": true, "sub": true}

// readTMX reads a TMX (1.1 to 1.4) translation memory: each <tu> with an
// English and a Chinese <tuv> (xml:lang or lang, in any of their usual
// forms: en-US, zh-Hant, ZH_cn) is one passage of the document it returns.
// The first segment of each language is the passage's text; further ones
// (zh-TW after zh-CN, en-GB after en-US) are its Variants, labelled with
// their language tag, unless they repeat a wording already kept. A
// <prop type="x-corpus-id"> in the header gives the document's id.
// Inline markup in <seg> is reduced to text, entities decoded, whitespace
// collapsed; traditional characters stay as written. Errors are
// *FileError with the line: invalid XML or UTF-8, a root element other than
// <tmx>, an encoding other than UTF-8.
func readTMX(r io.Reader, name string) (*Document, tmxStats, error) {
	return readTMXIn(r, name, encUTF8)
}

// readTMXIn is readTMX for a file decodeText read in encoding enc: r is
// UTF-8 by now, whatever the XML declaration says.
func readTMXIn(r io.Reader, name, enc string) (*Document, tmxStats, error) {
	dec := xml.NewDecoder(r)
	dec.Entity = xml.HTMLEntity // &nbsp; and friends appear in exports from HTML
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if err := declaredEncoding(label, enc); err != nil {
			return nil, err
		}
		return in, nil
	}
	p := &tmxParser{name: name, dec: dec, d: &Document{}}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, p.st, fileErr(name, se.Line, "%s", se.Msg)
			}
			return nil, p.st, fileErr(name, p.line(), "%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err = p.start(t)
		case xml.EndElement:
			err = p.end(t)
		case xml.CharData:
			if p.inSeg && p.codeDepth == 0 {
				p.seg.Write(t)
			}
			if p.inIDProp {
				p.idProp.Write(t)
			}
		}
		if err != nil {
			return nil, p.st, err
		}
	}
	if !p.root {
		return nil, p.st, fileErr(name, p.line(), "not a TMX file: no <tmx> element")
	}
	if p.tu {
		return nil, p.st, fileErr(name, p.tuLine, "<tu> is not closed")
	}
	if len(p.d.Passages) == 0 {
		return nil, p.st, fileErr(name, 0, "no translation unit with both an English and a Chinese segment")
	}
	return p.d, p.st, nil
}

// tmxParser holds what readTMXIn has read so far: the document, where in
// the file the decoder is and the unit being read.
type tmxParser struct {
	name      string
	dec       *xml.Decoder
	d         *Document
	st        tmxStats
	root      bool
	tu        bool
	tuLine    int
	segs      []Variant // the unit's English and Chinese segments in order
	tuvLang   Lang
	tuvTag    string
	tuvKnown  bool
	inSeg     bool
	codeDepth int
	seg       strings.Builder
	// A header's <prop type="x-corpus-id"> gives the document's id.
	inIDProp bool
	idLine   int
	idProp   strings.Builder
}

// line is the decoder's line in the file.
func (p *tmxParser) line() int { l, _ := p.dec.InputPos(); return l }

// start reads a start tag.
func (p *tmxParser) start(t xml.StartElement) error {
	el := strings.ToLower(t.Name.Local)
	if !p.root {
		if el != "tmx" {
			return fileErr(p.name, p.line(), "not a TMX file: the root element is <%s>, want <tmx>", t.Name.Local)
		}
		p.root = true
		return nil
	}
	switch {
	case p.inSeg && p.codeDepth > 0:
		p.codeDepth++
	case p.inSeg && tmxCode[el]:
		p.codeDepth = 1
	case p.inSeg:
		// <hi> and unknown inline elements: keep their text.
	case el == "prop" && !p.tu:
		for _, a := range t.Attr {
			if a.Name.Local == "type" && strings.EqualFold(a.Value, "x-corpus-id") {
				p.inIDProp, p.idLine = true, p.line()
				p.idProp.Reset()
			}
		}
	case el == "tu":
		if p.tu {
			return fileErr(p.name, p.line(), "<tu> inside <tu>")
		}
		p.tu, p.tuLine, p.segs = true, p.line(), p.segs[:0]
	case el == "tuv" && p.tu:
		p.tuvLang, p.tuvTag, p.tuvKnown = "", "", false
		for _, a := range t.Attr {
			if a.Name.Local == "lang" {
				p.tuvLang, p.tuvKnown = langOf(a.Value)
				p.tuvTag = strings.TrimSpace(a.Value)
			}
		}
	case el == "seg" && p.tu:
		p.inSeg = true
		p.seg.Reset()
	}
	return nil
}

// end reads an end tag: the end of a unit adds its passages.
func (p *tmxParser) end(t xml.EndElement) error {
	el := strings.ToLower(t.Name.Local)
	switch {
	case p.inSeg && p.codeDepth > 0:
		p.codeDepth--
	case p.inIDProp && el == "prop":
		p.inIDProp = false
		id := strings.TrimSpace(p.idProp.String())
		if !validID(id) {
			return fileErr(p.name, p.idLine, "x-corpus-id %q: want lower-case words and digits joined by hyphens", id)
		}
		p.d.ID = id
	case p.inSeg && el == "seg":
		p.inSeg = false
		if s := joinText(p.seg.String()); p.tuvKnown && s != "" {
			p.segs = append(p.segs, Variant{Lang: p.tuvLang, Label: p.tuvTag, Text: s})
		}
	case el == "tu":
		p.tu = false
		ps, ok := tmxPassage(p.segs)
		if !ok {
			p.st.skipped++
			return nil
		}
		for i, piece := range splitAligned(ps.Text, maxPassageRunes) {
			q := Passage{Section: SectionBody, Text: piece}
			if i == 0 {
				q.Variants = ps.Variants
			}
			p.d.Passages = append(p.d.Passages, q)
		}
	}
	return nil
}

// tmxPassage makes a passage of a unit's segments: the first of each
// language is its text, the others its variants (each wording once). ok is
// false without both an English and a Chinese segment.
func tmxPassage(segs []Variant) (p Passage, ok bool) {
	for _, v := range segs {
		cur := p.Text.Get(v.Lang)
		switch {
		case cur == "":
			p.Text.Set(v.Lang, v.Text)
		case cur == v.Text || slices.ContainsFunc(p.Variants, func(w Variant) bool { return w.Lang == v.Lang && w.Text == v.Text }):
		default:
			p.Variants = append(p.Variants, v)
		}
	}
	return p, p.Text.EN != "" && p.Text.ZH != ""
}
