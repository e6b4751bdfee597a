package corpus

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ErrNotFound is returned when a document or passage does not exist.
var ErrNotFound = errors.New("not found")

// Lang is a language side of the corpus.
type Lang string

// The two languages of the corpus. Other values are invalid.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// Langs lists the languages in display order (English first).
var Langs = []Lang{English, Chinese}

// Section says what part of a document a passage comes from.
type Section string

// The sections of a document.
const (
	SectionTitle     Section = "title"
	SectionBody      Section = "body"
	SectionCaption   Section = "caption"
	SectionReference Section = "reference"
)

// Sections lists every section in reading order of a typical document.
var Sections = []Section{SectionTitle, SectionBody, SectionCaption, SectionReference}

// Valid reports whether s is one of Sections.
func (s Section) Valid() bool {
	return slices.Contains(Sections, s)
}

// Text is one piece of text in both languages. Either side may be empty when
// the source has no translation for it.
type Text struct {
	EN string
	ZH string
}

// Get returns the side of t in language l.
func (t Text) Get(l Lang) string {
	if l == Chinese {
		return t.ZH
	}
	return t.EN
}

// Set sets the side of t in language l.
func (t *Text) Set(l Lang, s string) {
	if l == Chinese {
		t.ZH = s
	} else {
		t.EN = s
	}
}

// Passage is the unit of search: a paragraph, title, caption or reference,
// aligned across the two languages, with its facets.
type Passage struct {
	// ID is "<doc>/p<NNN>", unique in the corpus.
	ID string
	// Doc is the ID of the document the passage belongs to.
	Doc string
	// Position is the 0-based reading order within the document.
	Position int
	Section  Section
	Text     Text
	// Variants are the other wordings the source gives beside Text: the
	// zh-TW segment of a TMX unit whose zh-CN segment is Text.ZH, a PO
	// message's context and plural forms. They are searched with the side
	// of their language and shown after it; facets come from Text only.
	Variants []Variant

	// Facets, the union over both language sides, canonical English names.
	Companies []string
	Years     []int
	Speakers  []string
	// Entities lists every gazetteer entity named in the passage (companies,
	// products and people), canonical names; a superset of Companies.
	Entities []string
	// Corrections are the hand corrections applied to these facets (see
	// Correct), kept so that a reader can tell them from the extractor's.
	Corrections []Correction
}

// Variant is one more wording of a passage in one language, labelled as
// its source labels it ("zh-TW", "msgctxt", "msgid_plural", "msgstr[1]").
type Variant struct {
	Lang  Lang
	Label string
	Text  string
}

// PassageID returns the ID of the passage at position pos of document doc.
func PassageID(doc string, pos int) string {
	return fmt.Sprintf("%s/p%03d", doc, pos)
}

// ParsePassageID returns the document and position of a passage ID as
// PassageID makes them, and whether id is one.
func ParsePassageID(id string) (doc string, pos int, ok bool) {
	i := strings.LastIndex(id, "/p")
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(id[i+2:])
	if err != nil || n < 0 || PassageID(id[:i], n) != id {
		return "", 0, false
	}
	return id[:i], n, true
}

// Reference is one entry of a document's list of references.
type Reference struct {
	// Number is the number the source gives it; the numbering may have gaps.
	Number      int
	Title       Text
	Publication string
	// Date is an ISO date (YYYY-MM-DD), or empty when the source gives none.
	Date string
	// Passage is the ID of the passage that holds the reference's text.
	Passage string
}

// Document is one text of the corpus with its metadata.
type Document struct {
	ID    string
	Title Text
	// Date is the document's reference date, "YYYY" or "YYYY-MM-DD"; relative
	// dates in its text ("last year") resolve against its year.
	Date          string
	Source        string
	Author        string
	Editor        string
	PictureSource string
	// Note says what the document is and how its texts were made, for
	// example that one side is a translation made for this corpus.
	Note string
	// Origin names the file or files the document was read from.
	Origin string
	// Facets narrow the facets the extractor gives the document.
	Facets     FacetSettings
	Passages   []Passage
	References []Reference
}

// Year returns the year of d.Date, or 0 when it has none.
func (d *Document) Year() int {
	if len(d.Date) < 4 {
		return 0
	}
	y := 0
	for _, c := range d.Date[:4] {
		if c < '0' || c > '9' {
			return 0
		}
		y = y*10 + int(c-'0')
	}
	return y
}
