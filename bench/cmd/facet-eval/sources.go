package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
)

// A kind of text, scored apart: software strings, fiction, documentation.
const (
	kindUI      = "ui"
	kindFiction = "fiction"
	kindDocs    = "docs"
)

// item is one passage of real text with where it lies, so that labels can
// name it without the text being committed.
type item struct {
	kind    string
	locator string // "coreutils.mo#123", "bailuyuan#456", "ch03.en.html#12"
	doc     int    // index into the documents of its kind
	pos     int    // passage index in that document
	chapter int    // the novel's chapter (fiction only)
	heldOut bool
}

// corpusSet is the documents of every kind and the items of their passages.
type corpusSet struct {
	docs  []*corpus.Document
	items []item
	byLoc map[string]int // locator -> index into items
}

func (c *corpusSet) add(kind string, d *corpus.Document, locs []string, held func(i int) bool) {
	di := len(c.docs)
	c.docs = append(c.docs, d)
	for i, l := range locs {
		c.byLoc[l] = len(c.items)
		c.items = append(c.items, item{kind: kind, locator: l, doc: di, pos: i, heldOut: held(i)})
	}
}

func (c *corpusSet) text(it item) corpus.Text { return c.docs[it.doc].Passages[it.pos].Text }

// digest is the first 8 hex digits of the SHA-256 of a passage's text: a
// label still names the same text if the digest agrees.
func digest(t corpus.Text) string {
	h := sha256.Sum256([]byte(t.EN + "\x00" + t.ZH))
	return hex.EncodeToString(h[:4])
}

func oddHash(s string) bool {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()%2 == 1
}

func newDoc(id string, texts []corpus.Text) *corpus.Document {
	d := &corpus.Document{ID: id}
	for i, t := range texts {
		d.Passages = append(d.Passages, corpus.Passage{ID: corpus.PassageID(id, i), Doc: id, Position: i, Section: corpus.SectionBody, Text: t})
	}
	return d
}

// loadUI reads every catalogue of dir: a document per catalogue, a passage
// per message. A catalogue is held out when the FNV-1a hash of its name is
// odd: the held-out half is other software than the tuned half.
func loadUI(c *corpusSet, dir string) error {
	mos, err := filepath.Glob(filepath.Join(dir, "*.mo"))
	if err != nil {
		return err
	}
	sort.Strings(mos)
	for _, path := range mos {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		msgs, err := bench.ReadMO(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		name := filepath.Base(path)
		var texts []corpus.Text
		var locs []string
		for i, m := range msgs {
			texts = append(texts, corpus.Text{EN: m.ID, ZH: m.Str})
			locs = append(locs, fmt.Sprintf("%s#%d", name, i))
		}
		held := oddHash(strings.TrimSuffix(name, ".mo"))
		c.add(kindUI, newDoc("ui-"+name, texts), locs, func(int) bool { return held })
	}
	return nil
}

// loadFiction reads the novel: one document, a passage per non-empty line.
// Chapters (第…章) alternate between the tuned and the held-out half.
func loadFiction(c *corpusSet, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var texts []corpus.Text
	var locs []string
	var chapter []int
	ch := 0
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "第") && strings.HasSuffix(line, "章") && len([]rune(line)) < 10 {
			ch++
		}
		texts = append(texts, corpus.Text{ZH: line})
		locs = append(locs, fmt.Sprintf("bailuyuan#%d", i+1)) // line number
		chapter = append(chapter, ch)
	}
	first := len(c.items)
	c.add(kindFiction, newDoc("bailuyuan", texts), locs, func(i int) bool { return chapter[i]%2 == 0 })
	for i := range locs {
		c.items[first+i].chapter = chapter[i]
	}
	return nil
}

var (
	paraRE  = regexp.MustCompile(`(?s)<p>(.*?)</p>`)
	tagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// loadDocs reads the Debian Reference in English and Chinese: a document
// per chapter file, a passage per <p>. Odd chapters, the preface (pr01)
// and the appendix (apa) are held out.
func loadDocs(c *corpusSet, dir string) error {
	var files []string
	for _, pat := range []string{"ch*.html", "apa.*.html", "pr01.*.html"} {
		more, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return err
		}
		files = append(files, more...)
	}
	sort.Strings(files)
	for _, path := range files {
		name := filepath.Base(path)
		lang := ""
		switch {
		case strings.HasSuffix(name, ".en.html"):
			lang = "en"
		case strings.HasSuffix(name, ".zh-cn.html"):
			lang = "zh"
		default:
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var texts []corpus.Text
		var locs []string
		for i, m := range paraRE.FindAllStringSubmatch(string(data), -1) {
			s := strings.TrimSpace(spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(m[1], "")), " "))
			if s == "" {
				continue
			}
			if lang == "en" {
				texts = append(texts, corpus.Text{EN: s})
			} else {
				texts = append(texts, corpus.Text{ZH: s})
			}
			locs = append(locs, fmt.Sprintf("%s#%d", name, i))
		}
		// The preface and the appendix (labelled only for held3) are held out.
		n, err := strconv.Atoi(strings.TrimPrefix(strings.Split(name, ".")[0], "ch"))
		held := err != nil || n%2 == 1
		c.add(kindDocs, newDoc("docs-"+name, texts), locs, func(int) bool { return held })
	}
	return nil
}
