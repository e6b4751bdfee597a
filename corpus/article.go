package corpus

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Article is one language side of a scraped plain-text article, split into
// its parts by ParseArticle: the input of NewDocument.
type Article struct {
	// Parts are the passages in reading order; Parts[0] is the title.
	Parts []Part
	// References are parsed from the trailing reference parts, in order.
	References []ArticleReference

	// Trailer metadata, empty when the source gives none.
	Source        string
	Author        string
	Editor        string
	PictureSource string
}

// Part is one passage of an Article.
type Part struct {
	Section Section
	Text    string
	// Line is the 1-based line of the source where the paragraph starts.
	Line int
}

// ArticleReference is one entry of an article's list of references.
type ArticleReference struct {
	// Number is the number as written; numbering may have gaps.
	Number int
	Title  string
	// Publication is empty when the entry names none.
	Publication string
	// Date is ISO YYYY-MM-DD, or empty when the entry gives none.
	Date string
	// Part is the index in Article.Parts of the reference's passage.
	Part int
}

// Title returns the text of the article's title.
func (a *Article) Title() string {
	if len(a.Parts) == 0 {
		return ""
	}
	return a.Parts[0].Text
}

// Texts returns the text of every part in reading order.
func (a *Article) Texts() []string {
	ts := make([]string, len(a.Parts))
	for i, p := range a.Parts {
		ts[i] = p.Text
	}
	return ts
}

// Limits of what counts as a caption: image captions and subheadings in
// scraped articles are a few words; anything longer is prose.
const (
	maxCaptionRunes = 60
	maxCaptionWords = 10
)

// ParseArticle reads a scraped plain-text article: paragraphs separated by
// blank lines, the first being the title. It drops a repeated title, page
// script and scraping debris, moves trailer metadata ("Source:", "Editor in
// charge:", "Picture source:") into fields, marks short unpunctuated
// paragraphs between body paragraphs as captions and a trailing run of
// numbered paragraphs as references, and restores \uXXXX escapes of
// punctuation that lost their backslash. Text is otherwise kept as written.
//
// name is used in errors, which have the form "name:line: ...": invalid
// UTF-8, an article with no text, and a reference whose date looks like a
// date but is not one (such as "February 30, 2020"). A reference without a
// date is not an error.
func ParseArticle(r io.Reader, name string) (*Article, error) {
	paras, err := readParagraphs(r, name)
	if err != nil {
		return nil, err
	}
	a := &Article{}
	var kept []paragraph
	for i, p := range paras {
		if looksLikeScript(p.text) {
			// Page script swallows whatever follows it up to the next
			// metadata; only the metadata is worth keeping.
			if at := findScriptMeta(p.text); at >= 0 {
				m, _ := parseMeta(p.text[at:])
				a.addMeta(m)
			}
			continue
		}
		if m, rest := parseMeta(p.text); m != nil && isDebris(rest, paras[:i]) {
			a.addMeta(m)
			continue
		}
		if !hasWordRune(p.text) {
			continue // separators such as "* * *"
		}
		if len(kept) > 0 && p.text == kept[0].text {
			continue // scraped pages often repeat their title
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%s:%d: no text", name, lastLine(paras))
	}

	a.Parts = make([]Part, len(kept))
	for i, p := range kept {
		a.Parts[i] = Part{Section: SectionBody, Text: p.text, Line: p.line}
	}
	a.Parts[0].Section = SectionTitle

	refStart := referenceRun(a.Parts)
	for i := refStart; i < len(a.Parts); i++ {
		p := &a.Parts[i]
		ref, err := parseReference(p.Text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, p.Line, err)
		}
		ref.Part = i
		p.Section = SectionReference
		a.References = append(a.References, ref)
	}
	markCaptions(a.Parts[:refStart])
	return a, nil
}

func (a *Article) addMeta(m map[string]string) {
	set := func(dst *string, v string) {
		if v != "" && *dst == "" {
			*dst = titleCase(v)
		}
	}
	set(&a.Source, m[metaSource])
	set(&a.Author, m[metaAuthor])
	set(&a.Editor, m[metaEditor])
	set(&a.PictureSource, m[metaPicture])
}

// markCaptions marks the caption candidates of parts (the title and body of
// an article) that have a body paragraph after them: a short line at the very
// end is a sign-off or a stray fragment, not the caption of anything.
func markCaptions(parts []Part) {
	last := -1
	for i := 1; i < len(parts); i++ {
		if !isCaption(parts[i].Text) {
			last = i
		}
	}
	for i := 1; i < last; i++ {
		if isCaption(parts[i].Text) {
			parts[i].Section = SectionCaption
		}
	}
}

func isCaption(s string) bool {
	if utf8.RuneCountInString(s) > maxCaptionRunes || len(strings.Fields(s)) > maxCaptionWords {
		return false
	}
	s = strings.TrimRightFunc(s, func(r rune) bool { return strings.ContainsRune(`"'”’)）」』`, r) })
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?:;。！？：；…", r)
}

// paragraph is one blank-line separated block of a source file, its lines
// joined and its whitespace normalised.
type paragraph struct {
	text string
	line int // 1-based line where it starts
}

// Paragraphs reads text made of paragraphs separated by blank lines, such as
// the Chinese side of a bilingual document, normalised as ParseArticle does
// (whitespace collapsed, escapes restored) but otherwise kept as written:
// no title, caption or reference detection. Errors name name and the line.
func Paragraphs(r io.Reader, name string) ([]string, error) {
	paras, err := readParagraphs(r, name)
	if err != nil {
		return nil, err
	}
	ps := make([]string, 0, len(paras))
	for _, p := range paras {
		ps = append(ps, p.text)
	}
	return ps, nil
}

func readParagraphs(r io.Reader, name string) ([]paragraph, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	b = bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
	var (
		paras []paragraph
		lines []string
		start int
	)
	flush := func() {
		if len(lines) > 0 {
			if t := normalize(joinLines(lines)); t != "" {
				paras = append(paras, paragraph{text: t, line: start})
			}
		}
		lines = lines[:0]
	}
	for i, line := range strings.Split(string(b), "\n") {
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("%s:%d: invalid UTF-8", name, i+1)
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if len(lines) == 0 {
			start = i + 1
		}
		lines = append(lines, strings.TrimSpace(line))
	}
	flush()
	return paras, nil
}

// joinLines joins the lines of a hard-wrapped paragraph: with a space in
// Latin text, directly between Chinese characters, which are not separated
// by spaces.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(lines[i-1])
			next, _ := utf8.DecodeRuneInString(l)
			if !isWide(prev) || !isWide(next) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// normalize collapses runs of whitespace, drops control characters and
// restores lost escapes; scraping noise, never part of the text.
func normalize(s string) string {
	s = restoreEscapes(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r), r == '\uFEFF':
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lostEscape matches a \uXXXX escape, with or without its backslash.
var lostEscape = regexp.MustCompile(`\\?u([0-9A-Fa-f]{4})`)

// restoreEscapes decodes \uXXXX escapes that a scraper printed without their
// backslash ("u2014u2014" for "——"), only when they decode to punctuation:
// English words can contain "u" and four hex digits ("succeed"), but never
// ones that decode to a punctuation mark of these blocks, which all need
// decimal digits.
func restoreEscapes(s string) string {
	if !strings.ContainsAny(s, "uU") {
		return s
	}
	return lostEscape.ReplaceAllStringFunc(s, func(m string) string {
		n, err := strconv.ParseUint(m[len(m)-4:], 16, 32)
		if err != nil {
			return m
		}
		r := rune(n)
		if !unicode.IsPunct(r) {
			return m
		}
		switch {
		case r <= 0xFF, r >= 0x2000 && r <= 0x206F, r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFF65:
			return string(r)
		}
		return m
	})
}

func hasWordRune(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func lastLine(paras []paragraph) int {
	if len(paras) == 0 {
		return 1
	}
	return paras[len(paras)-1].line
}

// looksLikeScript reports whether a paragraph is page script that the
// scraper took for text, such as an ad loader.
func looksLikeScript(s string) bool {
	switch {
	case strings.HasPrefix(s, "(function"), strings.HasPrefix(s, "function("),
		strings.HasPrefix(s, "<script"), strings.HasPrefix(s, "//<![CDATA["):
		return true
	}
	return (strings.Contains(s, "window.") || strings.Contains(s, "document.")) &&
		strings.ContainsAny(s, "{}")
}

// The kinds of trailer metadata.
const (
	metaSource  = "source"
	metaAuthor  = "author"
	metaEditor  = "editor"
	metaPicture = "picture"
)

// metaKeys maps the labels of trailer metadata, lower case, to their kind.
// Longer labels come first so that "picture source" wins over "source".
var metaKeys = []struct{ label, kind string }{
	{"picture source", metaPicture},
	{"image source", metaPicture},
	{"photo source", metaPicture},
	{"editor in charge", metaEditor},
	{"responsible editor", metaEditor},
	{"editor", metaEditor},
	{"source", metaSource},
	{"author", metaAuthor},
	{"图片来源", metaPicture},
	{"责任编辑", metaEditor},
	{"编辑", metaEditor},
	{"来源", metaSource},
	{"作者", metaAuthor},
}

// maxMetaRunes bounds a metadata value: a name, not a sentence.
const maxMetaRunes = 60

// metaKeyAt returns the kind of the metadata label (with its colon) that
// starts s[i:], and the length of label and colon, or "" if none does. A
// Latin label must start a word.
func metaKeyAt(s string, i int) (kind string, n int) {
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:i]); unicode.IsLetter(r) && r < utf8.RuneSelf {
			return "", 0
		}
	}
	rest := s[i:]
	for _, k := range metaKeys {
		if len(rest) < len(k.label) || !strings.EqualFold(rest[:len(k.label)], k.label) {
			continue
		}
		after := strings.TrimLeft(rest[len(k.label):], " ")
		for _, colon := range []string{":", "："} {
			if strings.HasPrefix(after, colon) {
				return k.kind, len(rest) - len(after) + len(colon)
			}
		}
	}
	return "", 0
}

// findScriptMeta returns the byte offset of the first metadata label in s,
// page script, or -1. The label must start with a capital letter (or be
// Chinese): script has keys like "source:" of its own, and they are lower
// case.
func findScriptMeta(s string) int {
	for i, r := range s {
		if unicode.IsLower(r) {
			continue
		}
		if k, _ := metaKeyAt(s, i); k != "" {
			return i
		}
	}
	return -1
}

// parseMeta parses s as a run of "Label: value" pairs from its start. It
// returns the values by kind and the rest of s after the last value, or nil
// when s does not start with a label or a value is empty or too long to be
// a name. A value runs to the next label or to the first character that
// cannot be part of a name ("Dai Lili_ NN4994" gives "Dai Lili").
func parseMeta(s string) (map[string]string, string) {
	m := map[string]string{}
	i := 0
	for {
		kind, n := metaKeyAt(s, i)
		if kind == "" {
			break
		}
		i += n
		start := i
		for i < len(s) {
			if k, _ := metaKeyAt(s, i); k != "" {
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isNameRune(r) {
				break
			}
			i += size
		}
		v := strings.TrimRight(strings.TrimSpace(s[start:i]), ".,;，；")
		if v == "" || utf8.RuneCountInString(v) > maxMetaRunes {
			return nil, s
		}
		if _, dup := m[kind]; !dup {
			m[kind] = v
		}
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if len(m) == 0 {
		return nil, s
	}
	return m, strings.TrimSpace(s[i:])
}

func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == ' ' ||
		strings.ContainsRune(".,'’-&/()·", r)
}

// maxDebrisRunes bounds what may follow trailer metadata in the same
// paragraph and still be taken for scraping debris (an ad id) rather than
// text: "Source: Houchang 108 editor in charge: Dai Lili_ NN4994".
const maxDebrisRunes = 20

// isDebris reports whether rest, what follows metadata in a paragraph, is
// scraping debris: short, or a paragraph seen earlier repeated after an ad
// id ("_ NN499479:" and a copy of a body paragraph).
func isDebris(rest string, before []paragraph) bool {
	if utf8.RuneCountInString(rest) <= maxDebrisRunes {
		return true
	}
	if i := strings.IndexAny(rest, ":："); i >= 0 && i <= maxDebrisRunes {
		rest = strings.TrimSpace(rest[i+1:])
	}
	for _, p := range before {
		if p.text == rest {
			return true
		}
	}
	return false
}

// titleCase capitalises the first letter of each word of a name given in
// lower case by the source ("visual China" gives "Visual China").
func titleCase(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) {
			words[i] = string(unicode.ToUpper(r)) + w[n:]
		}
	}
	return strings.Join(words, " ")
}
