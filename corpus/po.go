package corpus

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// poEntry is one message of a PO file.
type poEntry struct {
	line             int // of msgid
	ctxt, id, plural string
	str              map[int]*string // msgstr is index 0
	hasID, fuzzy     bool
	// field is the string continuation lines append to.
	field *string
}

// readPO reads a gettext PO file as a document: each message is a passage,
// msgid its English side and msgstr (msgstr[0] for plural forms) its
// Chinese side; its msgctxt, msgid_plural and further msgstr[n] are the
// passage's Variants, so two messages of one msgid in two contexts are two
// passages that show and find their context. Text is kept as written,
// mnemonics (_Open, 打开(_O)) included. Multi-line strings are joined and their C escapes decoded.
// The header entry (empty msgid) is not a passage: its Project-Id-Version
// gives the title. Fuzzy entries are skipped, since gettext itself does not
// use them: they are machine guesses awaiting review, not translations.
// Untranslated and obsolete (#~) entries are skipped too; notice hears how
// many were. A file whose header gives a language other than Chinese is no
// document: readPO returns nil and a notice. Errors are *FileError with the
// line: bad syntax or escapes, invalid UTF-8, a charset other than UTF-8.
func readPO(r io.Reader, name string, notice func(string, ...any)) (*Document, error) {
	return readPOIn(r, name, encUTF8, notice)
}

// readPOIn is readPO for a file decodeText read in encoding enc: r is UTF-8
// by now, whatever the header's charset says.
func readPOIn(r io.Reader, name, enc string, notice func(string, ...any)) (*Document, error) {
	lr := newLineReader(r, name)
	p := &poParser{name: name, enc: enc, d: &Document{}}
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := p.line(strings.TrimSpace(line), lr.n); err != nil {
			return nil, err
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if p.otherLang != "" {
		notice("%s: skipped: its header says the language is %s, not Chinese", name, p.otherLang)
		return nil, nil
	}
	if p.fuzzy > 0 || p.untranslated > 0 {
		notice("%s: skipped %d fuzzy and %d untranslated messages", name, p.fuzzy, p.untranslated)
	}
	if len(p.d.Passages) == 0 {
		return nil, fileErr(name, 0, "no translated message")
	}
	return p.d, nil
}

// poParser holds what readPOIn has read so far: the document, the entry
// being read and the messages it skipped.
type poParser struct {
	name, enc           string
	d                   *Document
	e                   *poEntry // the entry being read, if any
	nextFuzzy           bool     // a #, fuzzy flag came before the next entry
	otherLang           string   // the header's language if not Chinese
	fuzzy, untranslated int
}

// end finishes the entry being read: the header gives the document's
// title, id and language; a translated message gives passages.
func (p *poParser) end() error {
	if p.e == nil {
		return nil
	}
	cur := p.e
	p.e = nil
	if !cur.hasID {
		return fileErr(p.name, cur.line, "msgstr without msgid")
	}
	if cur.str[0] == nil {
		return fileErr(p.name, cur.line, "msgid without msgstr")
	}
	if cur.id == "" && cur.ctxt == "" {
		title, lang, id, err := poHeader(*cur.str[0], p.enc)
		if err != nil {
			return fileErr(p.name, cur.line, "header: %v", err)
		}
		p.d.Title.EN, p.d.ID = title, id
		if l, ok := langOf(lang); lang != "" && (!ok || l != Chinese) {
			p.otherLang = lang
		}
		return nil
	}
	switch {
	case cur.fuzzy:
		p.fuzzy++
		return nil
	case *cur.str[0] == "":
		p.untranslated++
		return nil
	}
	t := Text{EN: joinText(cur.id), ZH: joinText(*cur.str[0])}
	if t.EN == "" {
		return nil
	}
	for i, piece := range splitAligned(t, maxPassageRunes) {
		ps := Passage{Section: SectionBody, Text: piece}
		if i == 0 {
			ps.Variants = cur.variants()
		}
		p.d.Passages = append(p.d.Passages, ps)
	}
	return nil
}

// line reads line n, trimmed: a blank line or comment ends the entry, a
// string continues the field being read, else it is a keyword line.
func (p *poParser) line(line string, n int) error {
	switch {
	case line == "":
		return p.end()
	case strings.HasPrefix(line, "#~"):
		return nil // obsolete entry
	case strings.HasPrefix(line, "#,"):
		if err := p.end(); err != nil {
			return err
		}
		for f := range strings.SplitSeq(line[2:], ",") {
			if strings.TrimSpace(f) == "fuzzy" {
				p.nextFuzzy = true
			}
		}
		return nil
	case strings.HasPrefix(line, "#"):
		return p.end()
	case strings.HasPrefix(line, `"`):
		if p.e == nil || p.e.field == nil {
			return fileErr(p.name, n, "string continues nothing")
		}
		s, err := poString(line)
		if err != nil {
			return fileErr(p.name, n, "%v", err)
		}
		*p.e.field += s
		return nil
	}
	return p.keyword(line, n)
}

// keyword reads line n, a keyword and its string, into the entry,
// starting a new entry if it has to.
func (p *poParser) keyword(line string, n int) error {
	kw, rest, _ := strings.Cut(line, " ")
	s, err := poString(strings.TrimSpace(rest))
	if err != nil {
		return fileErr(p.name, n, "%s: %v", kw, err)
	}
	// A new msgctxt or msgid after a msgstr starts a new entry even
	// without a blank line between them.
	if (kw == "msgctxt" || kw == "msgid") && p.e != nil && len(p.e.str) > 0 {
		if err := p.end(); err != nil {
			return err
		}
	}
	if p.e == nil {
		p.e = &poEntry{line: n, str: map[int]*string{}, fuzzy: p.nextFuzzy}
		p.nextFuzzy = false
	}
	e := p.e
	switch {
	case kw == "msgctxt":
		e.ctxt, e.field = s, &e.ctxt
	case kw == "msgid":
		if e.hasID {
			return fileErr(p.name, n, "msgid twice in one entry")
		}
		e.id, e.field, e.hasID, e.line = s, &e.id, true, n
	case kw == "msgid_plural":
		e.plural, e.field = s, &e.plural
	case kw == "msgstr" || strings.HasPrefix(kw, "msgstr[") && strings.HasSuffix(kw, "]"):
		i := 0
		if kw != "msgstr" {
			if i, err = strconv.Atoi(kw[len("msgstr[") : len(kw)-1]); err != nil || i < 0 {
				return fileErr(p.name, n, "bad plural index in %s", kw)
			}
		}
		if e.str[i] != nil {
			return fileErr(p.name, n, "%s twice in one entry", kw)
		}
		e.str[i] = &s
		e.field = e.str[i]
	default:
		return fileErr(p.name, n, "unknown keyword %q", kw)
	}
	return nil
}

// variants are what a message says besides msgid and msgstr[0]: its
// context, which tells it from another message of the same msgid, its
// plural msgid and its other plural forms (each wording once).
func (e *poEntry) variants() []Variant {
	var vs []Variant
	add := func(l Lang, label, s string) {
		s = joinText(s)
		if s == "" || s == joinText(e.id) && l == English || l == Chinese && s == joinText(*e.str[0]) {
			return
		}
		for _, v := range vs {
			if v.Lang == l && v.Text == s {
				return
			}
		}
		vs = append(vs, Variant{Lang: l, Label: label, Text: s})
	}
	add(English, "msgctxt", e.ctxt)
	add(English, "msgid_plural", e.plural)
	for _, n := range slices.Sorted(maps.Keys(e.str)) {
		if n > 0 {
			add(Chinese, fmt.Sprintf("msgstr[%d]", n), *e.str[n])
		}
	}
	return vs
}

// poHeader returns the title (Project-Id-Version), language (Language) and
// document id (X-Corpus-Id, ours) a PO header gives, and an error for a charset that does not fit the
// encoding enc the file was read in (see declaredEncoding).
func poHeader(h, enc string) (title, lang, id string, err error) {
	for line := range strings.SplitSeq(h, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "project-id-version":
			if v != "PACKAGE VERSION" {
				title = v
			}
		case "language":
			lang = v
		case "x-corpus-id":
			if !validID(v) {
				return "", "", "", fmt.Errorf("X-Corpus-Id %q: want lower-case words and digits joined by hyphens", v)
			}
			id = v
		case "content-type":
			if _, cs, ok := strings.Cut(strings.ToLower(v), "charset="); ok {
				if err := declaredEncoding(cs, enc); err != nil {
					return "", "", "", fmt.Errorf("charset: %v (msgconv --to-code=UTF-8 converts a catalogue)", err)
				}
			}
		}
	}
	return title, lang, id, nil
}

// poString decodes a quoted PO string with its C escapes.
func poString(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", fmt.Errorf("want a string in double quotes")
	}
	s = s[1 : len(s)-1]
	if !strings.ContainsAny(s, "\\\"") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			return "", fmt.Errorf("unescaped \" inside a string")
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", fmt.Errorf("string ends with a backslash")
		}
		switch c := s[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a', 'b', 'f', 'v':
			b.WriteByte(' ') // control characters: whitespace in a passage
		case '\\', '"', '\'', '?':
			b.WriteByte(c)
		case 'x':
			j := i + 1
			for j < len(s) && j < i+3 && isHex(s[j]) {
				j++
			}
			if j == i+1 {
				return "", fmt.Errorf("\\x without hex digits")
			}
			n, _ := strconv.ParseUint(s[i+1:j], 16, 8)
			b.WriteByte(byte(n))
			i = j - 1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(s[i:j], 8, 16)
			if n > 0xFF {
				return "", fmt.Errorf("octal escape \\%s out of range", s[i:j])
			}
			b.WriteByte(byte(n))
			i = j - 1
		default:
			return "", fmt.Errorf("unknown escape \\%c", c)
		}
	}
	out := b.String()
	if !utf8.ValidString(out) {
		return "", fmt.Errorf("escapes make invalid UTF-8")
	}
	return out, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// joinText joins the lines of a message or segment as joinLines joins those
// of a paragraph (no space between Chinese characters) and normalises it.
func joinText(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return normalize(s)
	}
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	kept := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	return normalize(joinLines(kept))
}
