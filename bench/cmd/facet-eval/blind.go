package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/corpus-dev/corpus/corpus"
)

// blindPick chooses passages for a new held-out set by their text alone:
// the extractor's output is neither used to choose them nor printed, so
// that they can be labelled before anyone sees what the rules make of them.
type blindPick struct {
	on       bool
	chapters string // "2,10,12": only these chapters of the novel
	maxLen   int    // the longest fiction paragraph, in characters
	from     string // only passages whose locator matches this regexp
}

// printBlind prints, for each chosen passage not yet labelled, its kind,
// locator, digest, text and the end of the passage before it (to label a
// speaker the paragraph before names). net, if not nil, must match the
// text; with more than n passages, n are drawn with seed, in text order.
func printBlind(w io.Writer, c *corpusSet, labels []label, kind string, n int, seed uint64, net *regexp.Regexp, b blindPick) error {
	done := map[string]bool{}
	for _, l := range labels {
		done[l.locator] = true
	}
	chapters := map[int]bool{}
	for f := range strings.FieldsFuncSeq(b.chapters, func(r rune) bool { return r == ',' || r == ' ' }) {
		ch, err := strconv.Atoi(f)
		if err != nil {
			return fmt.Errorf("-chapters: %q is not a chapter number", f)
		}
		chapters[ch] = true
	}
	var from *regexp.Regexp
	if b.from != "" {
		var err error
		if from, err = regexp.Compile(b.from); err != nil {
			return fmt.Errorf("-from: %w", err)
		}
	}
	var pick []int
	for i, it := range c.items {
		if it.kind != kind || done[it.locator] || len(chapters) > 0 && !chapters[it.chapter] ||
			from != nil && !from.MatchString(it.locator) {
			continue
		}
		t := c.text(it)
		if kind == kindFiction && len([]rune(t.ZH)) > b.maxLen || net != nil && !net.MatchString(t.EN+" "+t.ZH) {
			continue
		}
		pick = append(pick, i)
	}
	if len(pick) > n {
		r := rand.New(rand.NewPCG(seed, 0))
		r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
		pick = pick[:n]
		sort.Ints(pick)
	}
	for _, i := range pick {
		it := c.items[i]
		prev := ""
		if it.pos > 0 {
			p := []rune(flat(c.docs[it.doc].Passages[it.pos-1].Text))
			prev = string(p[max(0, len(p)-90):])
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\tbefore: %s\n", it.kind, it.locator, digest(c.text(it)), flat(c.text(it)), prev)
	}
	return nil
}

// flat is a passage's text on one line, whole.
func flat(t corpus.Text) string {
	return strings.ReplaceAll(strings.TrimSpace(t.EN+" || "+t.ZH), "\n", "\\n")
}
