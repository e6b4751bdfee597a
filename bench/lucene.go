package bench

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/segment"
)

// Lucene is the second peer: Lucene 8 as Debian ships it
// (liblucene8-java), driven by a small Java program (lucene/LucenePeer.java)
// that corpus-bench compiles at run time. It indexes the same passages as
// ours and FTS5, English with EnglishAnalyzer, Chinese with
// SmartChineseAnalyzer (its own segmentation, not gse's), the entity tokens
// of the FTS5 peer, companies/years/speakers/sections/languages as
// SortedSetDocValues facets, texts stored and offsets indexed for
// highlighting. Nothing of it is part of the product.

//go:embed lucene/LucenePeer.java
var luceneSource []byte

// JarDir is where Debian installs Lucene's jars.
const JarDir = "/usr/share/java"

// luceneJars are the modules the peer needs (queries and memory are the
// highlighter's own dependencies).
var luceneJars = []string{"core", "analyzers-common", "analyzers-smartcn", "facet", "queryparser", "highlighter", "queries", "memory"}

// LuceneClasspath compiles the peer into dir and returns the class path to
// run it with, or an error saying what is missing (no JDK, no jars).
func LuceneClasspath(ctx context.Context, jarDir, dir string) (string, error) {
	for _, tool := range []string{"java", "javac"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("no %s on PATH (apt-get install -y default-jdk-headless liblucene8-java)", tool)
		}
	}
	var cp []string
	for _, j := range luceneJars {
		ms, _ := filepath.Glob(filepath.Join(jarDir, "lucene-"+j+"-[0-9]*.jar"))
		if len(ms) == 0 {
			ms, _ = filepath.Glob(filepath.Join(jarDir, "lucene-"+j+".jar"))
		}
		if len(ms) == 0 {
			return "", fmt.Errorf("no lucene-%s jar in %s (apt-get install -y liblucene8-java)", j, jarDir)
		}
		cp = append(cp, ms[len(ms)-1])
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	src := filepath.Join(dir, "LucenePeer.java")
	if err := os.WriteFile(src, luceneSource, 0o644); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "javac", "-nowarn", "-cp", strings.Join(cp, ":"), "-d", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("javac LucenePeer.java: %w: %s", err, out)
	}
	return strings.Join(append(cp, dir), ":"), nil
}

// LuceneVersion is the Implementation-Version of the core jar on cp, or "".
func LuceneVersion(cp string) string {
	for p := range strings.SplitSeq(cp, ":") {
		if strings.Contains(filepath.Base(p), "lucene-core") {
			out, err := exec.Command("unzip", "-p", p, "META-INF/MANIFEST.MF").Output()
			if err != nil {
				return strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "lucene-core-"), ".jar")
			}
			for l := range strings.SplitSeq(string(out), "\n") {
				if v, ok := strings.CutPrefix(l, "Specification-Version:"); ok {
					return strings.TrimSpace(v)
				}
			}
		}
	}
	return ""
}

// javaEscape escapes text for one field of a peer line.
var javaEscape = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// Separators inside a field of a peer line.
const (
	listSep = "\x1f"
	partSep = "\x1e"
)

func cleanList(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.NewReplacer(listSep, " ", partSep, " ", "\t", " ", "\n", " ").Replace(v)
	}
	return strings.Join(out, listSep)
}

// WriteLucenePassages writes the passages of docs as the peer's build reads
// them: the texts, the entity tokens the FTS5 peer indexes, the facets.
func WriteLucenePassages(path string, docs []*corpus.Document, gaz *corpus.Gazetteer) error {
	ents := newExpander(gaz)
	return WriteBuffered(path, func(w *bufio.Writer) error {
		for _, d := range docs {
			for i := range d.Passages {
				p := &d.Passages[i]
				kinds := map[string][]string{}
				for _, kv := range facetRows(p) {
					kinds[kv[0]] = append(kinds[kv[0]], kv[1])
				}
				fields := []string{
					cleanList([]string{p.ID}), javaEscape.Replace(p.Text.EN), javaEscape.Replace(p.Text.ZH), ents.tokens(p.Text, p.Entities),
				}
				for _, k := range facetKinds {
					fields = append(fields, cleanList(kinds[k]))
				}
				if _, err := w.WriteString(strings.Join(fields, "\t") + "\n"); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// WriteBuffered creates path and writes it through a buffer with write.
func WriteBuffered(path string, write func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// LuceneBuild is the peer's report of a build: the indexing alone, after
// the JVM started and SmartChineseAnalyzer loaded its dictionaries.
type LuceneBuild struct {
	Passages int     `json:"passages"`
	Wall     float64 `json:"wall_s"`
	CPU      float64 `json:"cpu_s"`
	Bytes    int64   `json:"bytes"`
	MaxRSS   int64   `json:"max_rss"`
}

// BuildLucene indexes the passages file (WriteLucenePassages) into dir.
func BuildLucene(ctx context.Context, cp, passages, dir string, stderr io.Writer) (LuceneBuild, error) {
	os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, "java", "-cp", cp, "LucenePeer", "build", passages, dir)
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		return LuceneBuild{}, fmt.Errorf("lucene build: %w", err)
	}
	var b LuceneBuild
	if err := json.Unmarshal(out, &b); err != nil {
		return LuceneBuild{}, fmt.Errorf("lucene build: bad report %q: %w", out, err)
	}
	return b, nil
}

// LucenePeer answers queries from an index BuildLucene wrote, through a
// JVM child reading commands on its stdin.
type LucenePeer struct {
	seg *segment.Segmenter
	gaz *corpus.Gazetteer
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	mu  sync.Mutex
}

// OpenLucene starts the peer on dir. It returns once the JVM is up and
// answers a query of qs, with how long that took (the cold start).
func OpenLucene(ctx context.Context, cp, dir string, seg *segment.Segmenter, gaz *corpus.Gazetteer, stderr io.Writer, first index.Query) (*LucenePeer, time.Duration, error) {
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, "java", "-cp", cp, "LucenePeer", "serve", dir, strconv.Itoa(index.MaxFacetValues))
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, 0, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start lucene peer: %w", err)
	}
	l := &LucenePeer{seg: seg, gaz: gaz, cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	if _, err := l.Search(ctx, first); err != nil {
		l.Close()
		return nil, 0, err
	}
	return l, time.Since(t0), nil
}

// Close ends the JVM.
func (l *LucenePeer) Close() error {
	l.in.Close()
	return l.cmd.Wait()
}

// line encodes q for the peer.
func (l *LucenePeer) line(q index.Query) (string, error) {
	cs, err := clauses(q.Text, l.seg, l.gaz)
	if err != nil {
		return "", err
	}
	var cl []string
	for _, c := range cs {
		var toks []string
		for _, e := range c.entities {
			toks = append(toks, entityToken(e.Name))
		}
		cl = append(cl, javaEscape.Replace(strings.NewReplacer(listSep, " ", partSep, " ").Replace(c.text))+partSep+strings.Join(toks, " "))
	}
	var fl []string
	for _, f := range luceneFilters(q) {
		fl = append(fl, f[0]+partSep+f[1])
	}
	size := q.Size
	if size == 0 {
		size = index.DefaultSize
	}
	return strconv.Itoa(size) + "\t" + strings.Join(cl, listSep) + "\t" + strings.Join(fl, listSep), nil
}

// luceneFilters are q's facet filters as (dimension, value) pairs; a year
// range becomes the years it spans (values of one dimension are ORed).
func luceneFilters(q index.Query) [][2]string {
	var out [][2]string
	for _, c := range q.Companies {
		out = append(out, [2]string{"company", c})
	}
	for _, s := range q.Speakers {
		out = append(out, [2]string{"speaker", s})
	}
	for _, s := range q.Sections {
		out = append(out, [2]string{"section", string(s)})
	}
	inRange := func(y int) bool {
		return (q.YearFrom == 0 || y >= q.YearFrom) && (q.YearTo == 0 || y <= q.YearTo)
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		if len(q.Years) > 0 {
			for _, y := range q.Years {
				if inRange(y) {
					out = append(out, [2]string{"year", fmt.Sprintf("%04d", y)})
				}
			}
		} else {
			hi := q.YearTo
			if hi == 0 {
				hi = 2100
			}
			for y := q.YearFrom; y <= hi; y++ {
				out = append(out, [2]string{"year", fmt.Sprintf("%04d", y)})
			}
		}
	} else {
		for _, y := range q.Years {
			out = append(out, [2]string{"year", fmt.Sprintf("%04d", y)})
		}
	}
	return out
}

// reply sends one command and reads the one-line answer.
func (l *LucenePeer) reply(cmd string) ([]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := io.WriteString(l.in, cmd); err != nil {
		return nil, fmt.Errorf("lucene peer: %w", err)
	}
	s, err := l.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("lucene peer: %w", err)
	}
	f := strings.Split(strings.TrimSuffix(s, "\n"), "\t")
	if f[0] == "E" {
		return nil, errors.New("lucene peer: " + strings.Join(f[1:], " "))
	}
	return f, nil
}

// LuceneResults is the peer's answer and the time it took in the JVM.
type LuceneResults struct {
	PeerResults
	Took time.Duration
}

// Search answers q once.
func (l *LucenePeer) Search(ctx context.Context, q index.Query) (*LuceneResults, error) {
	ln, err := l.line(q)
	if err != nil {
		return nil, err
	}
	f, err := l.reply("Q\t" + ln + "\n")
	if err != nil {
		return nil, err
	}
	if len(f) != 5 || f[0] != "R" {
		return nil, fmt.Errorf("lucene peer: bad answer %q", strings.Join(f, "\t"))
	}
	r := &LuceneResults{PeerResults: PeerResults{Facets: map[string]map[string]int{}}}
	if r.Total, err = strconv.Atoi(f[1]); err != nil {
		return nil, fmt.Errorf("lucene peer: bad total %q", f[1])
	}
	if f[2] != "" {
		r.IDs = strings.Split(f[2], listSep)
	}
	if f[3] != "" {
		for kv := range strings.SplitSeq(f[3], listSep) {
			p := strings.Split(kv, partSep)
			if len(p) != 3 {
				return nil, fmt.Errorf("lucene peer: bad facet %q", kv)
			}
			n, err := strconv.Atoi(p[2])
			if err != nil {
				return nil, fmt.Errorf("lucene peer: bad facet count %q", kv)
			}
			if r.Facets[p[0]] == nil {
				r.Facets[p[0]] = map[string]int{}
			}
			r.Facets[p[0]][p[1]] = n
		}
	}
	ns, err := strconv.ParseInt(f[4], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("lucene peer: bad time %q", f[4])
	}
	r.Took = time.Duration(ns)
	return r, nil
}

// Time runs qs in turn in the JVM for about d (each at least once) and
// returns the latency of each search as the JVM measured it.
func (l *LucenePeer) Time(ctx context.Context, qs []index.Query, d time.Duration) ([]time.Duration, error) {
	return l.time(fmt.Sprintf("T\t%d\t%d\n", d.Milliseconds(), len(qs)), qs)
}

// TimeConcurrently is Time with threads asking at once, each starting at
// its own query, and permits of them searching while the others queue in
// order; a latency includes the wait.
func (l *LucenePeer) TimeConcurrently(ctx context.Context, qs []index.Query, d time.Duration, threads, permits int) ([]time.Duration, error) {
	return l.time(fmt.Sprintf("C\t%d\t%d\t%d\t%d\n", d.Milliseconds(), len(qs), threads, permits), qs)
}

// time sends the timing command cmd with qs and reads the latencies.
func (l *LucenePeer) time(cmd string, qs []index.Query) ([]time.Duration, error) {
	var b strings.Builder
	b.WriteString(cmd)
	for _, q := range qs {
		ln, err := l.line(q)
		if err != nil {
			return nil, err
		}
		b.WriteString(ln + "\n")
	}
	f, err := l.reply(b.String())
	if err != nil {
		return nil, err
	}
	if len(f) != 2 || f[0] != "L" {
		return nil, fmt.Errorf("lucene peer: bad timing answer %.80q", strings.Join(f, "\t"))
	}
	var out []time.Duration
	for s := range strings.SplitSeq(f[1], ",") {
		ns, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("lucene peer: bad latency %q", s)
		}
		out = append(out, time.Duration(ns))
	}
	return out, nil
}
