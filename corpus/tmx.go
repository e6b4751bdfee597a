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
	var st tmxStats
	dec := xml.NewDecoder(r)
	dec.Entity = xml.HTMLEntity // &nbsp; and friends appear in exports from HTML
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if err := declaredEncoding(label, enc); err != nil {
			return nil, err
		}
		return in, nil
	}
	line := func() int { l, _ := dec.InputPos(); return l }
	d := &Document{}
	var (
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
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, st, fileErr(name, se.Line, "%s", se.Msg)
			}
			return nil, st, fileErr(name, line(), "%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			el := strings.ToLower(t.Name.Local)
			if !root {
				if el != "tmx" {
					return nil, st, fileErr(name, line(), "not a TMX file: the root element is <%s>, want <tmx>", t.Name.Local)
				}
				root = true
				continue
			}
			switch {
			case inSeg && codeDepth > 0:
				codeDepth++
			case inSeg && tmxCode[el]:
				codeDepth = 1
			case inSeg:
				// <hi> and unknown inline elements: keep their text.
			case el == "prop" && !tu:
				for _, a := range t.Attr {
					if a.Name.Local == "type" && strings.EqualFold(a.Value, "x-corpus-id") {
						inIDProp, idLine = true, line()
						idProp.Reset()
					}
				}
			case el == "tu":
				if tu {
					return nil, st, fileErr(name, line(), "<tu> inside <tu>")
				}
				tu, tuLine, segs = true, line(), segs[:0]
			case el == "tuv" && tu:
				tuvLang, tuvTag, tuvKnown = "", "", false
				for _, a := range t.Attr {
					if a.Name.Local == "lang" {
						tuvLang, tuvKnown = langOf(a.Value)
						tuvTag = strings.TrimSpace(a.Value)
					}
				}
			case el == "seg" && tu:
				inSeg = true
				seg.Reset()
			}
		case xml.EndElement:
			el := strings.ToLower(t.Name.Local)
			switch {
			case inSeg && codeDepth > 0:
				codeDepth--
			case inIDProp && el == "prop":
				inIDProp = false
				id := strings.TrimSpace(idProp.String())
				if !validID(id) {
					return nil, st, fileErr(name, idLine, "x-corpus-id %q: want lower-case words and digits joined by hyphens", id)
				}
				d.ID = id
			case inSeg && el == "seg":
				inSeg = false
				if s := joinText(seg.String()); tuvKnown && s != "" {
					segs = append(segs, Variant{Lang: tuvLang, Label: tuvTag, Text: s})
				}
			case el == "tu":
				tu = false
				p, ok := tmxPassage(segs)
				if !ok {
					st.skipped++
					continue
				}
				pieces := splitAligned(p.Text, maxPassageRunes)
				for i, piece := range pieces {
					q := Passage{Section: SectionBody, Text: piece}
					if i == 0 {
						q.Variants = p.Variants
					}
					d.Passages = append(d.Passages, q)
				}
			}
		case xml.CharData:
			if inSeg && codeDepth == 0 {
				seg.Write(t)
			}
			if inIDProp {
				idProp.Write(t)
			}
		}
	}
	if !root {
		return nil, st, fileErr(name, line(), "not a TMX file: no <tmx> element")
	}
	if tu {
		return nil, st, fileErr(name, tuLine, "<tu> is not closed")
	}
	if len(d.Passages) == 0 {
		return nil, st, fileErr(name, 0, "no translation unit with both an English and a Chinese segment")
	}
	return d, st, nil
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
