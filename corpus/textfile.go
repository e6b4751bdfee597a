package corpus

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// textFile is a Markdown or plain-text file read by readText.
type textFile struct {
	meta   frontMatter
	blocks []block
	// unknown are front matter keys that were ignored.
	unknown []string
	lines   int
}

// block is a paragraph or heading of a text file.
type block struct {
	text    string
	line    int // where it starts
	heading int // 1–6 for a Markdown heading, 0 for a paragraph
}

// maxParagraphBytes bounds what is joined into one paragraph before it is
// handed on: a longer one (a whole book without blank lines) is cut at a
// line end, so memory stays bounded by about this much per paragraph.
const maxParagraphBytes = 1 << 20

// The Markdown block syntax readText understands.
var (
	mdHeading  = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext1  = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	mdSetext2  = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	mdRule     = regexp.MustCompile(`^ {0,3}([-*_])(?:[ \t]*[-*_]){2,}[ \t]*$`)
	mdLinkDef  = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*\S`)
	mdQuote    = regexp.MustCompile(`^ {0,3}>[ \t]?`)
	mdListItem = regexp.MustCompile(`^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+`)
	mdFence    = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	mdTableSep = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$`)
)

// readText reads a Markdown (markdown true) or plain-text file: optional
// front matter, then blocks separated by blank lines, their lines joined
// (without a space between Chinese characters) and whitespace collapsed.
// Markdown headings become heading blocks; list items start blocks;
// fenced code, HTML comments, rules and link definitions are dropped;
// emphasis, code spans, links and images are reduced to their text.
// Blocks without a letter or digit ("* * *") are dropped. It reads line by
// line, holding one paragraph at a time.
func readText(r io.Reader, name string, markdown bool) (*textFile, error) {
	lr := newLineReader(r, name)
	t := &textFile{}
	line, err := lr.next()
	if err == io.EOF {
		return nil, fileErr(name, 1, "no text")
	}
	if err != nil {
		return nil, err
	}
	if strings.TrimRight(line, " \t") == "---" {
		var fm []string
		if fm, err = frontMatterLines(lr, name); err != nil {
			return nil, err
		}
		if t.meta, t.unknown, err = parseFrontMatter(strings.Join(fm, "\n"), name, 2); err != nil {
			return nil, err
		}
		line, err = lr.next()
	}
	tr := &textReader{lr: lr, t: t, markdown: markdown}
	for ; err == nil; line, err = lr.next() {
		if !markdown {
			if strings.TrimSpace(line) == "" {
				tr.flush(0)
			} else {
				tr.push(line)
			}
			continue
		}
		tr.markdownLine(line)
	}
	if err != io.EOF {
		return nil, err
	}
	tr.flush(0)
	t.lines = lr.n
	return t, nil
}

// frontMatterLines reads the lines of front matter after its opening ---
// up to the closing --- or ... line.
func frontMatterLines(lr *lineReader, name string) ([]string, error) {
	var fm []string
	for {
		l, err := lr.next()
		if err == io.EOF {
			return nil, fileErr(name, 1, "front matter is not closed: no --- line after the opening one")
		}
		if err != nil {
			return nil, err
		}
		if s := strings.TrimRight(l, " \t"); s == "---" || s == "..." {
			return fm, nil
		}
		fm = append(fm, l)
	}
}

// textReader gathers the lines of a text file's body into blocks, one
// paragraph at a time.
type textReader struct {
	lr              *lineReader
	t               *textFile
	markdown        bool
	cur             []string // the lines of the paragraph being read
	curBytes, start int
	fence           string // the fence of the code block being skipped
	inComment       bool
}

// flush ends the paragraph being read, a block with heading level heading
// if it has a letter or digit.
func (tr *textReader) flush(heading int) {
	if len(tr.cur) > 0 {
		s := joinLines(tr.cur)
		if tr.markdown {
			s = mdInline(s)
		}
		if s = normalize(s); hasWordRune(s) {
			tr.t.blocks = append(tr.t.blocks, block{text: s, line: tr.start, heading: heading})
		}
	}
	tr.cur, tr.curBytes = tr.cur[:0], 0
}

// push adds the line just read to the paragraph, cutting it when it grows
// beyond maxParagraphBytes.
func (tr *textReader) push(s string) {
	if s = strings.TrimSpace(s); s == "" {
		return
	}
	if len(tr.cur) == 0 {
		tr.start = tr.lr.n
	}
	tr.cur = append(tr.cur, s)
	if tr.curBytes += len(s); tr.curBytes > maxParagraphBytes {
		tr.flush(0)
	}
}

// markdownLine reads a line of a Markdown body.
func (tr *textReader) markdownLine(line string) {
	if tr.fence != "" {
		if m := mdFence.FindStringSubmatch(line); m != nil && m[1][0] == tr.fence[0] && len(m[1]) >= len(tr.fence) {
			tr.fence = ""
		}
		return
	}
	if tr.inComment {
		tr.inComment = !strings.Contains(line, "-->")
		return
	}
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "":
		tr.flush(0)
	case mdFence.MatchString(line):
		tr.flush(0)
		tr.fence = mdFence.FindStringSubmatch(line)[1]
	case strings.HasPrefix(trimmed, "<!--"):
		tr.flush(0)
		tr.inComment = !strings.Contains(trimmed, "-->")
	case len(tr.cur) > 0 && mdSetext1.MatchString(line):
		tr.flush(1)
	case len(tr.cur) > 0 && mdSetext2.MatchString(line):
		tr.flush(2)
	case mdRule.MatchString(line), mdTableSep.MatchString(line) && strings.Contains(line, "|"):
		tr.flush(0)
	case mdLinkDef.MatchString(line):
	default:
		tr.markdownText(line)
	}
}

// markdownText reads a Markdown line of text: a heading, or a line of a
// paragraph, quote or list item.
func (tr *textReader) markdownText(line string) {
	if m := mdHeading.FindStringSubmatch(line); m != nil {
		tr.flush(0)
		tr.push(m[2])
		tr.flush(len(m[1]))
		return
	}
	for loc := mdQuote.FindStringIndex(line); loc != nil; loc = mdQuote.FindStringIndex(line) {
		line = line[loc[1]:]
	}
	if loc := mdListItem.FindStringIndex(line); loc != nil {
		tr.flush(0)
		line = line[loc[1]:]
	}
	if strings.TrimSpace(line) == "" {
		tr.flush(0)
		return
	}
	tr.push(line)
}

// The Markdown inline syntax mdInline reduces to text.
var (
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdRefLink  = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	mdFootnote = regexp.MustCompile(`\[\^[^\]]+\]`)
	mdAutolink = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	mdHTMLTag  = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	mdCode     = regexp.MustCompile("(`+)([^`]+?)`+")
	mdStrong   = regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*`)
	mdEm       = regexp.MustCompile(`\*(\S(?:[^*]*?\S)?)\*`)
	mdStrike   = regexp.MustCompile(`~~(\S(?:.*?\S)?)~~`)
	// Underscores mark emphasis only at word edges: snake_case stays.
	mdUnder = regexp.MustCompile(`(^|[^\p{L}\p{N}_])_{1,2}(\S(?:[^_]*?\S)?)_{1,2}($|[^\p{L}\p{N}_])`)
	mdEsc   = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!|~<>])")
)

// escBase is where mdInline parks escaped punctuation while it removes
// markup: a block of private-use characters.
const escBase = 0xF0000

// mdInline reduces Markdown inline markup to its text: "**Huawei** [said](
// https://…)" gives "Huawei said". Backslash escapes are honoured.
func mdInline(s string) string {
	if !strings.ContainsAny(s, "\\`*_~[]<>!") {
		return s
	}
	s = mdEsc.ReplaceAllStringFunc(s, func(m string) string {
		return string(rune(escBase + int(m[1])))
	})
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRefLink.ReplaceAllString(s, "$1")
	s = mdFootnote.ReplaceAllString(s, "")
	s = mdAutolink.ReplaceAllString(s, "$1")
	s = mdHTMLTag.ReplaceAllString(s, "")
	s = mdCode.ReplaceAllString(s, "$2")
	s = mdStrong.ReplaceAllString(s, "$1")
	s = mdEm.ReplaceAllString(s, "$1")
	s = mdStrike.ReplaceAllString(s, "$1")
	s = mdUnder.ReplaceAllString(s, "$1$2$3")
	return strings.Map(func(r rune) rune {
		if r >= escBase && r < escBase+utf8.RuneSelf {
			return r - escBase
		}
		return r
	}, s)
}

// part is a passage of a text file before it is numbered.
type part struct {
	section Section
	text    string
}

// parts returns the passages of t in reading order, the title first when it
// has one: the front matter's title, else a first-level heading that opens
// the file. Other headings are captions, the section of subheadings.
// Paragraphs are not cut to length here: a pair is aligned first.
func (t *textFile) parts() []part {
	blocks := t.blocks
	title := t.meta.title
	if len(blocks) > 0 && blocks[0].heading == 1 && (title == "" || blocks[0].text == title) {
		title = blocks[0].text
		blocks = blocks[1:]
	}
	var ps []part
	if title != "" {
		ps = append(ps, part{SectionTitle, title})
	}
	for _, b := range blocks {
		sec := SectionBody
		if b.heading > 0 {
			sec = SectionCaption
		}
		ps = append(ps, part{sec, b.text})
	}
	return ps
}
