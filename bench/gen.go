package bench

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/corpus-dev/corpus/corpus"
)

// GenOptions says what corpus Generate makes.
type GenOptions struct {
	Passages int    // total passages
	PerDoc   int    // passages per document (default 100)
	Seed     uint64 // same seed, same sources: same corpus
	// Annotate runs the real extractor on every document; otherwise
	// passages keep no facets.
	Annotate bool
}

// The mix of passage kinds, in per mille.
const (
	pairsShare = 500 // 1 to 4 catalogue pairs run together: bilingual
	proseShare = 300 // a chunk of the novel: Chinese only
	// the rest: an essay passage with its companies and years changed
)

// Generate recombines the sources into opts.Passages passages, in documents
// of opts.PerDoc, deterministically for a seed. Essay passages keep their
// sentences but name other companies (both sides alike, from the
// gazetteer's companies with a Chinese name) and shift their years, so the
// company and year facets spread over many values; the extractor then finds
// companies, years and speakers as it would in real documents.
func Generate(src *Sources, gaz *corpus.Gazetteer, opts GenOptions) []*corpus.Document {
	if opts.PerDoc <= 0 {
		opts.PerDoc = 100
	}
	ndocs := (opts.Passages + opts.PerDoc - 1) / opts.PerDoc
	docs := make([]*corpus.Document, ndocs)
	g := newGenerator(src, gaz)
	x := corpus.NewExtractor(gaz)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				n := min(opts.PerDoc, opts.Passages-i*opts.PerDoc)
				d := g.document(i, n, opts.Seed)
				if opts.Annotate {
					x.Annotate(d)
				}
				docs[i] = d
			}
		})
	}
	for i := range ndocs {
		next <- i
	}
	close(next)
	wg.Wait()
	return docs
}

type generator struct {
	src *Sources
	gaz *corpus.Gazetteer
	// essayMentions are the company mentions of each essay passage.
	essayMentions [][2][]corpus.Mention
	// targets are companies an essay company may become.
	targets []corpus.Entity
	// companies are the canonical names of every company entity.
	companies map[string]bool
}

func newGenerator(src *Sources, gaz *corpus.Gazetteer) *generator {
	g := &generator{src: src, gaz: gaz, companies: map[string]bool{}}
	for _, e := range gaz.Entities() {
		if e.Type != corpus.EntityCompany {
			continue
		}
		g.companies[e.Name] = true
		if len(e.ZH) > 0 && len(e.Weak) == 0 && len(e.Cased) == 0 {
			g.targets = append(g.targets, e)
		}
	}
	sort.Slice(g.targets, func(i, j int) bool { return g.targets[i].Name < g.targets[j].Name })
	for _, t := range src.Essay {
		var ms [2][]corpus.Mention
		for s, text := range [2]string{t.EN, t.ZH} {
			for _, m := range gaz.Find(text) {
				if g.companies[m.Entity] {
					ms[s] = append(ms[s], m)
				}
			}
		}
		g.essayMentions = append(g.essayMentions, ms)
	}
	return g
}

// document makes document i with n passages.
func (g *generator) document(i, n int, seed uint64) *corpus.Document {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	year := 2000 + r.IntN(25)
	d := &corpus.Document{
		ID:     fmt.Sprintf("d%07d", i),
		Date:   fmt.Sprintf("%04d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28)),
		Origin: "generated",
	}
	// Each document renames the essay's companies its own way, keeping
	// about half of them.
	swap := map[string]corpus.Entity{}
	shift := r.IntN(16) - 10
	for k := range n {
		p := corpus.Passage{ID: corpus.PassageID(d.ID, k), Doc: d.ID, Position: k, Section: corpus.SectionBody}
		switch kind := r.IntN(1000); {
		case k == 0:
			p.Section = corpus.SectionTitle
			p.Text = g.src.Pairs[r.IntN(len(g.src.Pairs))]
		case kind < pairsShare:
			var en, zh []string
			for range 1 + r.IntN(4) {
				t := g.src.Pairs[r.IntN(len(g.src.Pairs))]
				en, zh = append(en, t.EN), append(zh, t.ZH)
			}
			p.Text = corpus.Text{EN: strings.Join(en, " "), ZH: strings.Join(zh, "")}
			if r.IntN(30) == 0 {
				p.Section = corpus.SectionCaption
			}
		case kind < pairsShare+proseShare:
			p.Text = corpus.Text{ZH: g.src.Prose[r.IntN(len(g.src.Prose))]}
		default:
			j := r.IntN(len(g.src.Essay))
			p.Text = g.rewrite(j, r, swap, shift)
		}
		d.Passages = append(d.Passages, p)
	}
	d.Title = d.Passages[0].Text
	return d
}

// rewrite returns essay passage j with its companies renamed by swap
// (choosing new names as needed) and its years shifted.
func (g *generator) rewrite(j int, r *rand.Rand, swap map[string]corpus.Entity, shift int) corpus.Text {
	t := g.src.Essay[j]
	sides := [2]string{t.EN, t.ZH}
	for s := range sides {
		var b strings.Builder
		at := 0
		for _, m := range g.essayMentions[j][s] {
			to, ok := swap[m.Entity]
			if !ok {
				to, _ = g.gaz.Entity(m.Entity)
				if r.IntN(2) == 0 && len(g.targets) > 0 {
					to = g.targets[r.IntN(len(g.targets))]
				}
				swap[m.Entity] = to
			}
			name := to.Name
			if s == 1 && len(to.ZH) > 0 {
				name = to.ZH[0]
			}
			b.WriteString(sides[s][at:m.Start])
			b.WriteString(name)
			at = m.End
		}
		b.WriteString(sides[s][at:])
		sides[s] = yearPattern.ReplaceAllStringFunc(b.String(), func(y string) string {
			n, _ := strconv.Atoi(y)
			return strconv.Itoa(min(n+shift, 2025))
		})
	}
	return corpus.Text{EN: sides[0], ZH: sides[1]}
}

// yearPattern matches the years the essay writes in digits.
var yearPattern = regexp.MustCompile(`\b(?:19[5-9][0-9]|20[0-2][0-9])\b`)

// TextBytes is the size of the passages' text, both sides.
func TextBytes(docs []*corpus.Document) int64 {
	var n int64
	for _, d := range docs {
		for _, p := range d.Passages {
			n += int64(len(p.Text.EN) + len(p.Text.ZH))
		}
	}
	return n
}

// CountPassages returns the number of passages of docs.
func CountPassages(docs []*corpus.Document) int {
	n := 0
	for _, d := range docs {
		n += len(d.Passages)
	}
	return n
}
