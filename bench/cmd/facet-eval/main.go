// Command facet-eval measures the company and speaker facets against hand
// labels of real text that is on the machine but not in the repository:
// the gettext catalogues of /usr/share/locale/zh_CN (software strings), the
// novel in gse's test data (fiction) and the Debian Reference in English
// and Chinese (documentation; apt-get install debian-reference-en
// debian-reference-zh-cn). labels.tsv names each labelled passage by where
// it lies and a digest of its text; it never holds the text.
//
//	go run ./bench/cmd/facet-eval            # precision and recall: held-out and tuning halves
//	go run ./bench/cmd/facet-eval -final     # ... and the held-out sets held2 and held3
//	go run ./bench/cmd/facet-eval -errors    # what the tuning half gets wrong
//	go run ./bench/cmd/facet-eval -sample ui -n 40   # unlabelled passages to label
//
// Each kind of text is split in two before any tuning: catalogues by a hash
// of their name, the novel by chapter, the Reference by chapter. Rules are
// tuned on the "dev" half only; "held" is the half nobody looked at.
// held2.tsv labels further passages of both halves, labelled later and
// scored apart as "held2"; held3.tsv, labelled after held2 had been seen,
// is scored as "held3", the held-out set nobody has tuned on. Both are
// scored only when asked for (-final, or -held2 and -held3 with a path),
// so that a tuning run never prints them; -errors never lists them, and
// -sample never offers their passages.
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/corpus"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "facet-eval:", err)
		os.Exit(1)
	}
}

type label struct {
	kind, locator, digest string
	companies, speakers   []string
	split                 string // "held2", "held3", or "" for the halves of the text
	where                 string // file:line
}

// The held-out label files.
const (
	held2File = "bench/cmd/facet-eval/held2.tsv"
	held3File = "bench/cmd/facet-eval/held3.tsv"
)

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("facet-eval", flag.ContinueOnError)
	labelsPath := fs.String("labels", "bench/cmd/facet-eval/labels.tsv", "hand labels")
	held2Path := fs.String("held2", "", "held-out hand labels to score as held2 (-final: "+held2File+")")
	held3Path := fs.String("held3", "", "held-out hand labels to score as held3 (-final: "+held3File+")")
	final := fs.Bool("final", false, "also score the held-out sets held2 and held3 (not while tuning)")
	localeDir := fs.String("locale", bench.DefaultLocaleDir, "gettext catalogues (software strings)")
	novel := fs.String("novel", "", "the novel (default: gse's testdata/zh/bailuyuan_zh.txt)")
	docsDir := fs.String("docs", "/usr/share/debian-reference", "Debian Reference HTML")
	showErrors := fs.Bool("errors", false, "list the tuning half's errors")
	noNames := fs.Bool("no-lexicon", false, "annotate without gse's person names (segment.PersonNames)")
	speakersOf := fs.String("speakers", "", "list the tuning half's passages of this kind that have speakers")
	sample := fs.String("sample", "", "print unlabelled passages of this kind to label")
	vendors := fs.Bool("vendors", false, "with -sample: only passages that name a vendor (vendorCue)")
	match := fs.String("match", "", "with -sample: only passages whose text matches this regexp")
	n := fs.Int("n", 40, "with -sample: how many")
	seed := fs.Uint64("seed", 1, "with -sample: random seed")
	devOnly := fs.Bool("dev", false, "with -sample: only passages of the tuning half")
	var blind blindPick
	fs.BoolVar(&blind.on, "blind", false, "with -sample: choose by the text alone and print no extractor output (to label a held-out set)")
	fs.StringVar(&blind.chapters, "chapters", "", "with -sample -blind: only these chapters of the novel (2,10,12)")
	fs.IntVar(&blind.maxLen, "maxlen", 300, "with -sample: longest fiction paragraph, in characters")
	fs.StringVar(&blind.from, "from", "", "with -sample -blind: only passages whose locator matches this regexp")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *novel == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
		if err != nil {
			return fmt.Errorf("find gse's module (give -novel): %w", err)
		}
		*novel = filepath.Join(strings.TrimSpace(string(out)), "testdata", "zh", "bailuyuan_zh.txt")
	}
	c, err := load(*localeDir, *novel, *docsDir)
	if err != nil {
		return err
	}
	if *final {
		*held2Path, *held3Path = cmp.Or(*held2Path, held2File), cmp.Or(*held3Path, held3File)
	}
	labels, err := readAllLabels(*labelsPath, *held2Path, *held3Path)
	if err != nil {
		return err
	}
	if err := annotate(c, *noNames); err != nil {
		return err
	}
	if *speakersOf != "" {
		printPredicted(w, c, *speakersOf)
		return nil
	}
	if *sample != "" {
		net := vendorCue
		if *match != "" {
			if net, err = regexp.Compile(*match); err != nil {
				return err
			}
		} else if !*vendors {
			net = nil
		}
		// Never offer a held-out passage, scored or not.
		all, err := sampleLabels(*labelsPath, heldOutFiles, *held2Path, *held3Path)
		if err != nil {
			return err
		}
		if blind.on {
			return printBlind(w, c, all, *sample, *n, *seed, net, blind)
		}
		return printSample(w, c, all, *sample, *n, *seed, net, *devOnly, blind.maxLen)
	}
	return report(w, c, labels, *showErrors)
}

// load reads the three kinds of text.
func load(localeDir, novel, docsDir string) (*corpusSet, error) {
	c := &corpusSet{byLoc: make(map[string]int)}
	if err := loadUI(c, localeDir); err != nil {
		return nil, fmt.Errorf("software strings: %w", err)
	}
	if err := loadFiction(c, novel); err != nil {
		return nil, fmt.Errorf("fiction: %w", err)
	}
	if err := loadDocs(c, docsDir); err != nil {
		return nil, fmt.Errorf("documentation: %w", err)
	}
	return c, nil
}

// readAllLabels reads the labels of both halves and of the held-out sets
// (a path "" is left out), and refuses a passage labelled twice.
func readAllLabels(halves, held2, held3 string) ([]label, error) {
	labels, err := readLabels(halves, "")
	if err != nil {
		return nil, err
	}
	for _, h := range []struct{ path, split string }{{held2, "held2"}, {held3, "held3"}} {
		if h.path == "" {
			continue
		}
		more, err := readLabels(h.path, h.split)
		if err != nil {
			return nil, err
		}
		labels = append(labels, more...)
	}
	if err := refuseTwice(labels); err != nil {
		return nil, err
	}
	return labels, nil
}

// heldOutFiles are the held-out label files of the repository.
var heldOutFiles = []string{held2File, held3File}

// sampleLabels reads the labels -sample must not offer again: the halves',
// every file of builtin and every other path given (a path "" is left out,
// one given twice is read once). It refuses a passage labelled twice.
func sampleLabels(halves string, builtin []string, paths ...string) ([]label, error) {
	labels, err := readLabels(halves, "")
	if err != nil {
		return nil, err
	}
	read := map[string]bool{}
	for _, p := range append(slices.Clone(builtin), paths...) {
		if p == "" || read[filepath.Clean(p)] {
			continue
		}
		read[filepath.Clean(p)] = true
		more, err := readLabels(p, "held")
		if err != nil {
			return nil, err
		}
		labels = append(labels, more...)
	}
	return labels, refuseTwice(labels)
}

// refuseTwice returns an error naming both places of a passage labelled twice.
func refuseTwice(labels []label) error {
	seen := make(map[string]string)
	for _, l := range labels {
		if at, dup := seen[l.locator]; dup {
			return fmt.Errorf("%s: %s is labelled twice (also %s)", l.where, l.locator, at)
		}
		seen[l.locator] = l.where
	}
	return nil
}

func readLabels(path, split string) ([]label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			return nil, fmt.Errorf("%s:%d: %d fields, want kind, locator, digest, companies, speakers[, note]", path, ln, len(f))
		}
		out = append(out, label{kind: f[0], locator: f[1], digest: f[2], companies: names(f[3]), speakers: names(f[4]),
			split: split, where: fmt.Sprintf("%s:%d", path, ln)})
	}
	return out, sc.Err()
}

func names(s string) []string {
	if s == "" || s == "-" {
		return nil
	}
	return strings.Split(s, "|")
}

type tally struct{ tp, fp, fn, passages int }

func (t tally) p() float64 { return ratio(t.tp, t.tp+t.fp) }
func (t tally) r() float64 { return ratio(t.tp, t.tp+t.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// score counts got against want. A wanted name written ^name is neutral:
// a person the passage gives words of without naming them, named in the
// paragraph before; tagging them is neither right nor wrong.
func score(t *tally, got, want []string) (fp, fn []string) {
	for _, g := range got {
		if slices.Contains(want, "^"+g) {
			continue
		}
		if slices.Contains(want, g) {
			t.tp++
		} else {
			t.fp++
			fp = append(fp, g)
		}
	}
	for _, x := range want {
		if !strings.HasPrefix(x, "^") && !slices.Contains(got, x) {
			t.fn++
			fn = append(fn, x)
		}
	}
	return fp, fn
}

func report(w io.Writer, c *corpusSet, labels []label, showErrors bool) error {
	type key struct{ split, kind, facet string }
	tallies := map[key]*tally{}
	get := func(k key) *tally {
		if tallies[k] == nil {
			tallies[k] = &tally{}
		}
		return tallies[k]
	}
	for _, l := range labels {
		i, ok := c.byLoc[l.locator]
		if !ok {
			return fmt.Errorf("%s: no passage %s", l.where, l.locator)
		}
		it := c.items[i]
		if d := digest(c.text(it)); d != l.digest {
			return fmt.Errorf("%s: %s has digest %s, the label was made for %s: the text changed", l.where, l.locator, d, l.digest)
		}
		split := "dev"
		if it.heldOut {
			split = "held"
		}
		if l.split != "" {
			split = l.split
		}
		p := c.docs[it.doc].Passages[it.pos]
		for _, kind := range []string{it.kind, "all"} {
			for _, f := range []struct {
				name      string
				got, want []string
			}{{"company", p.Companies, l.companies}, {"speaker", p.Speakers, l.speakers}} {
				t := get(key{split, kind, f.name})
				t.passages++
				fp, fn := score(t, f.got, f.want)
				if showErrors && split == "dev" && kind != "all" && (len(fp) > 0 || len(fn) > 0) {
					fmt.Fprintf(w, "%s %s %s: false %q missed %q\n    %s\n", l.locator, l.digest, f.name, fp, fn, oneLine(c.text(it)))
				}
			}
		}
	}
	fmt.Fprintln(w, "| half | text | facet | passages | precision | recall | TP | FP | FN |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|")
	var keys []key
	for k := range tallies {
		keys = append(keys, k)
	}
	order := map[string]int{"held3": -1, "held2": 0, "held": 1, "dev": 2, kindUI: 0, kindFiction: 1, kindDocs: 2, "all": 3}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.split != b.split {
			return order[a.split] < order[b.split]
		}
		if a.kind != b.kind {
			return order[a.kind] < order[b.kind]
		}
		return a.facet < b.facet
	})
	for _, k := range keys {
		t := tallies[k]
		fmt.Fprintf(w, "| %s | %s | %s | %d | %.2f | %.2f | %d | %d | %d |\n", k.split, k.kind, k.facet, t.passages, t.p(), t.r(), t.tp, t.fp, t.fn)
	}
	return nil
}

func oneLine(t corpus.Text) string {
	s := strings.TrimSpace(t.EN + " || " + t.ZH)
	s = strings.ReplaceAll(s, "\n", "\\n")
	if r := []rune(s); len(r) > 400 {
		s = string(r[:400]) + "…"
	}
	return s
}

// cue finds passages worth labelling beyond a random sample: names of
// vendors and words that look like them, in either language, and signs of
// speech. It is deliberately wider than the gazetteer.
var cue = regexp.MustCompile(`(?i)\b(inc|corp|ltd|gmbh|company|vendor|manufacturer|microsystems|technologies|computer|electronics|apple|sun|orange|meta|snap|shell|target|amazon|oracle|ibm|intel|amd|hp|dell|sony|acer|logitech|compaq|lotus|sega|atari|dolby|commodore|microsoft|google|nokia|samsung|lg|tcl|motorola|nvidia|cisco|canon|epson|philips|toshiba|fujitsu|nec|hitachi|said|says|told)\b|公司|集团|小米|滴滴|苹果|华为|微软|谷歌|说|道|问|“`)

// vendorCue finds vendors by name, capitalised, a wider list than the
// gazetteer's, so that company recall is measured on passages that name
// companies the gazetteer may lack.
var vendorCue = regexp.MustCompile(`\b(Texas Instruments|Silicon Graphics|Hewlett-Packard|Analog Devices|RealNetworks|WordPerfect|PlayStation|SteelSeries|StarOffice|Mitsubishi|Macromedia|Kensington|Macintosh|Panasonic|Canonical|Commodore|Microchip|Advantech|Microsoft|ViewSonic|Motorola|Autodesk|Qualcomm|Logitech|Creative|Matroska|Nintendo|Sinclair|Netscape|Gyration|Mozilla|Samsung|Hewlett|Realtek|Kinesis|Brother|Corsair|Chicony|Renesas|Red Hat|KOffice|Olympus|Lexmark|Siemens|Philips|Kyocera|Digital|Amstrad|Memorex|Diamond|Gateway|Hitachi|Fujitsu|Toshiba|Compaq|Genius|Zenith|Huawei|Debian|Novell|Xilinx|Tandem|Lenovo|Symbol|Unitek|Oracle|Google|Nvidia|Altera|Cherry|Wacom|Nokia|Trust|Razer|Ricoh|Amiga|Sanyo|Apple|Nikon|Kodak|Xerox|Epson|Lotus|Sharp|Dolby|Atari|Yahoo|Opera|Casio|Zilog|Acorn|Canon|Cisco|Dexxa|Corel|Targa|Intel|Adobe|Cray|BenQ|Acer|Sony|MIPS|Asus|Xbox|ASUS|Sega|Dell|Sun|SGI|ARM|IBM|AMD|BTC|NEC|DEC|DTK|LG|HP)\b`)

func printSample(w io.Writer, c *corpusSet, labels []label, kind string, n int, seed uint64, net *regexp.Regexp, devOnly bool, maxLen int) error {
	done := map[string]bool{}
	for _, l := range labels {
		done[l.locator] = true
	}
	var cued, rest []int
	for i, it := range c.items {
		if it.kind != kind || done[it.locator] || devOnly && it.heldOut {
			continue
		}
		t := c.text(it)
		if kind == kindFiction && len([]rune(t.ZH)) > maxLen {
			continue // keep labelling tractable: dialogue paragraphs are short
		}
		p := c.docs[it.doc].Passages[it.pos]
		if net != nil {
			if net.MatchString(t.EN + " " + t.ZH) {
				cued = append(cued, i)
			}
			continue
		}
		if len(p.Companies)+len(p.Speakers) > 0 || cue.MatchString(t.EN+" "+t.ZH) {
			cued = append(cued, i)
		} else {
			rest = append(rest, i)
		}
	}
	r := rand.New(rand.NewPCG(seed, 0))
	r.Shuffle(len(cued), func(i, j int) { cued[i], cued[j] = cued[j], cued[i] })
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	k := n * 3 / 4
	if net != nil {
		k = n
	}
	pick := append(cued[:min(len(cued), k)], rest[:min(len(rest), n-min(len(cued), k))]...)
	for _, i := range pick {
		it := c.items[i]
		p := c.docs[it.doc].Passages[it.pos]
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", it.kind, it.locator, digest(c.text(it)), strings.Join(p.Companies, "|"), strings.Join(p.Speakers, "|"), oneLine(c.text(it)))
	}
	return nil
}

// printPredicted lists every passage of the tuning half of a kind with a
// speaker: on software strings and documentation every one is wrong.
func printPredicted(w io.Writer, c *corpusSet, kind string) {
	for _, it := range c.items {
		if it.kind != kind || it.heldOut {
			continue
		}
		p := c.docs[it.doc].Passages[it.pos]
		if len(p.Speakers) > 0 {
			fmt.Fprintf(w, "%s\t%q\t%s\n", it.locator, p.Speakers, oneLine(c.text(it)))
		}
	}
}
