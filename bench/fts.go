package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go, with FTS5

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/segment"
)

// The peer is SQLite FTS5 holding the same passages as our index. FTS5's
// tokenizers cannot cut Chinese (unicode61 keeps a run of Han characters as
// one token), so the Chinese side is cut by our segmenter and stored as
// space-separated words; the English side is tokenized by FTS5 itself with
// the Porter stemmer, as ours stems with Porter. Entities (with their
// parents and members, as our index expands them) are a third column of
// one token per entity, so an entity query can match a passage that names
// the entity in the other language, as ours does. Facets are a table of
// (passage, kind, value) rows, counted with GROUP BY over the matches.

// peerSchema is created before loading; peerIndexes after, as a bulk load
// would.
const peerSchema = `
CREATE TABLE passage(id INTEGER PRIMARY KEY, pid TEXT NOT NULL, doc TEXT NOT NULL, pos INTEGER NOT NULL,
	section TEXT NOT NULL, en TEXT NOT NULL, zh TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(en, zh, ent, content='', tokenize='porter unicode61 remove_diacritics 2');
CREATE TABLE facet(pid INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL);
`

const peerIndexes = `
CREATE UNIQUE INDEX passage_pid ON passage(pid);
CREATE INDEX passage_doc ON passage(doc, pos);
CREATE INDEX facet_pid ON facet(pid, kind, value);
CREATE INDEX facet_kind ON facet(kind, value, pid);
INSERT INTO fts(fts) VALUES('optimize');
`

// peerRow is one passage ready for insertion.
type peerRow struct {
	p      *corpus.Passage
	zh     string // segmented, space-separated
	ent    string // entity tokens
	facets [][2]string
}

// BuildPeer writes the FTS5 database path from docs. Segmentation and
// entity finding run on all cores ahead of SQLite's single writer, as our
// build does ahead of bleve.
func BuildPeer(ctx context.Context, path string, docs []*corpus.Document, seg *segment.Segmenter, gaz *corpus.Gazetteer) error {
	os.Remove(path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range []string{"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA cache_size=-262144", peerSchema} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("peer schema: %w", err)
		}
	}
	var ps []*corpus.Passage
	for _, d := range docs {
		for i := range d.Passages {
			ps = append(ps, &d.Passages[i])
		}
	}
	ents := newExpander(gaz)
	const chunk = 1000
	nchunks := (len(ps) + chunk - 1) / chunk
	out := make([]chan []peerRow, nchunks)
	for i := range out {
		out[i] = make(chan []peerRow, 1)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range work {
				rows := make([]peerRow, 0, chunk)
				for _, p := range ps[c*chunk : min(len(ps), (c+1)*chunk)] {
					rows = append(rows, peerRow{p: p, zh: segmented(seg, p.Text.ZH), ent: ents.tokens(p.Text, p.Entities), facets: facetRows(p)})
				}
				out[c] <- rows
			}
		})
	}
	go func() {
		defer close(work)
		for c := range nchunks {
			select {
			case work <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	insP, err := tx.Prepare(`INSERT INTO passage(id, pid, doc, pos, section, en, zh) VALUES(?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	insF, err := tx.Prepare(`INSERT INTO fts(rowid, en, zh, ent) VALUES(?,?,?,?)`)
	if err != nil {
		return err
	}
	insK, err := tx.Prepare(`INSERT INTO facet(pid, kind, value) VALUES(?,?,?)`)
	if err != nil {
		return err
	}
	id := int64(0)
	for c := range nchunks {
		var rows []peerRow
		select {
		case rows = <-out[c]:
		case <-ctx.Done():
			return ctx.Err()
		}
		for _, r := range rows {
			id++
			p := r.p
			if _, err := insP.Exec(id, p.ID, p.Doc, p.Position, string(p.Section), p.Text.EN, p.Text.ZH); err != nil {
				return fmt.Errorf("peer insert %s: %w", p.ID, err)
			}
			if _, err := insF.Exec(id, p.Text.EN, r.zh, r.ent); err != nil {
				return fmt.Errorf("peer insert %s: %w", p.ID, err)
			}
			for _, f := range r.facets {
				if _, err := insK.Exec(id, f[0], f[1]); err != nil {
					return fmt.Errorf("peer insert %s: %w", p.ID, err)
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, peerIndexes); err != nil {
		return fmt.Errorf("peer indexes: %w", err)
	}
	return nil
}

// segmented is Chinese text as the peer indexes it: our segmenter's words,
// space-separated.
func segmented(seg *segment.Segmenter, s string) string {
	toks := seg.Tokens(s)
	ws := make([]string, len(toks))
	for i, t := range toks {
		ws[i] = t.Text
	}
	return strings.Join(ws, " ")
}

// facetRows are the facet values of p under the names our index uses.
func facetRows(p *corpus.Passage) [][2]string {
	var out [][2]string
	for _, c := range p.Companies {
		out = append(out, [2]string{"company", c})
	}
	for _, s := range p.Speakers {
		out = append(out, [2]string{"speaker", s})
	}
	for _, y := range p.Years {
		out = append(out, [2]string{"year", fmt.Sprintf("%04d", y)})
	}
	out = append(out, [2]string{"section", string(p.Section)})
	if p.Text.EN != "" {
		out = append(out, [2]string{"lang", "en"})
	}
	if p.Text.ZH != "" {
		out = append(out, [2]string{"lang", "zh"})
	}
	return out
}

// expander finds the entities a text names and adds their parents and
// members, as our index does for its entity field.
type expander struct {
	g      *corpus.Gazetteer
	expand map[string][]string
}

func newExpander(g *corpus.Gazetteer) *expander {
	x := &expander{g: g, expand: map[string][]string{}}
	for _, e := range g.Entities() {
		seen := map[string]bool{}
		var walk func(string)
		walk = func(n string) {
			if n == "" || seen[n] {
				return
			}
			seen[n] = true
			e, ok := g.Entity(n)
			if !ok {
				return
			}
			walk(e.Parent)
			for _, m := range e.Members {
				walk(m)
			}
		}
		walk(e.Name)
		for n := range seen {
			x.expand[e.Name] = append(x.expand[e.Name], n)
		}
	}
	return x
}

// tokens returns the entity tokens of both sides of t, space-separated.
// As in our index, only mentions of entities the extractor tagged count
// (it decides whether a weak name such as "byte" means ByteDance).
func (x *expander) tokens(t corpus.Text, tagged []string) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range []string{t.EN, t.ZH} {
		if s == "" {
			continue
		}
		for _, m := range x.g.Find(s) {
			if !slices.Contains(tagged, m.Entity) {
				continue
			}
			names := x.expand[m.Entity]
			if names == nil {
				names = []string{m.Entity}
			}
			for _, n := range names {
				if tok := entityToken(n); !seen[tok] {
					seen[tok] = true
					out = append(out, tok)
				}
			}
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// entityToken is the one FTS5 token standing for an entity: "e" and the
// letters and digits of its canonical name, lower-cased.
func entityToken(name string) string {
	var b strings.Builder
	b.WriteByte('e')
	for _, r := range strings.ToLower(name) {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Peer answers queries from a database BuildPeer wrote.
type Peer struct {
	db  *sql.DB
	seg *segment.Segmenter
	gaz *corpus.Gazetteer
}

// OpenPeer opens the database at path read-only.
func OpenPeer(path string, seg *segment.Segmenter, gaz *corpus.Gazetteer) (*Peer, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=mmap_size(4294967296)&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open peer %s: %w", path, err)
	}
	return &Peer{db: db, seg: seg, gaz: gaz}, nil
}

// Close closes the database.
func (p *Peer) Close() error { return p.db.Close() }

// PeerResults is the peer's answer: as ours, without highlights.
type PeerResults struct {
	Total  int
	IDs    []string
	Texts  []corpus.Text
	Facets map[string]map[string]int // kind → value → count
}

// facetKinds are the facets our index counts.
var facetKinds = []string{"company", "speaker", "year", "section", "lang"}

// Search answers q as our index does: the top hits by relevance (BM25),
// the number of matches, and each facet's counts among the matches with the
// filters of the other facets applied.
func (p *Peer) Search(ctx context.Context, q index.Query) (*PeerResults, error) {
	match, err := p.Match(q.Text)
	if err != nil {
		return nil, err
	}
	size := q.Size
	if size == 0 {
		size = index.DefaultSize
	}
	filters := peerFilters(q)
	// matches returns a query for the rowids of the passages that match the
	// words and every filter but skip's ("" if nothing restricts them),
	// with its arguments. Each part is one index lookup; INTERSECT
	// combines them.
	matches := func(skip string) (string, []any) {
		var parts []string
		var args []any
		if match != "" {
			parts = append(parts, "SELECT rowid AS pid FROM fts WHERE fts MATCH ?")
			args = append(args, match)
		}
		for _, f := range filters {
			if f.kind != skip {
				parts = append(parts, "SELECT pid FROM facet WHERE kind = ? AND "+f.cond)
				args = append(append(args, f.kind), f.args...)
			}
		}
		return strings.Join(parts, " INTERSECT "), args
	}
	res := &PeerResults{Facets: map[string]map[string]int{}}

	// Hits: with words, FTS5 orders by rank within its own scan.
	var rows *sql.Rows
	fq, fargs := "", []any(nil)
	for _, f := range filters {
		if fq != "" {
			fq += " INTERSECT "
		}
		fq += "SELECT pid FROM facet WHERE kind = ? AND " + f.cond
		fargs = append(append(fargs, f.kind), f.args...)
	}
	if match != "" {
		// The unary + keeps the filter out of FTS5's plan: given "rowid
		// IN (…)", SQLite runs the full-text query once per listed rowid.
		cond := "1"
		if fq != "" {
			cond = "+rowid IN (" + fq + ")"
		}
		rows, err = p.db.QueryContext(ctx, `SELECT p.pid, p.en, p.zh FROM passage p JOIN
			(SELECT rowid, rank FROM fts WHERE fts MATCH ? AND `+cond+` ORDER BY rank LIMIT ?) m ON p.id = m.rowid ORDER BY m.rank`,
			append(append([]any{match}, fargs...), size)...)
	} else {
		cond := "1"
		if fq != "" {
			cond = "id IN (" + fq + ")"
		}
		rows, err = p.db.QueryContext(ctx, `SELECT pid, en, zh FROM passage WHERE `+cond+` ORDER BY doc, pos LIMIT ?`, append(fargs, size)...)
	}
	if err != nil {
		return nil, fmt.Errorf("peer hits: %w", err)
	}
	if err := res.scanHits(rows); err != nil {
		return nil, err
	}
	// Total.
	if mq, margs := matches(""); mq != "" {
		err = p.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+mq+`)`, margs...).Scan(&res.Total)
	} else {
		err = p.db.QueryRowContext(ctx, `SELECT count(*) FROM passage`).Scan(&res.Total)
	}
	if err != nil {
		return nil, fmt.Errorf("peer count: %w", err)
	}

	// Facets: one GROUP BY for the unfiltered kinds, one per filtered kind
	// without its own filter. The matches drive the join (CROSS JOIN fixes
	// the order: left to itself, SQLite's planner would scan the facet
	// table and probe FTS5 once per row).
	filtered := map[string]bool{}
	for _, f := range filters {
		filtered[f.kind] = true
	}
	count := func(skip string, kinds []string) error {
		var query string
		mq, args := matches(skip)
		in := strings.TrimSuffix(strings.Repeat("?,", len(kinds)), ",")
		if mq != "" {
			query = `SELECT f.kind, f.value, count(*) FROM (` + mq + `) m CROSS JOIN facet f ON f.pid = m.pid WHERE f.kind IN (` + in + `) GROUP BY f.kind, f.value`
		} else {
			query = `SELECT kind, value, count(*) FROM facet WHERE kind IN (` + in + `) GROUP BY kind, value`
		}
		for _, k := range kinds {
			args = append(args, k)
		}
		rows, err := p.db.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("peer facets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k, v string
			var n int
			if err := rows.Scan(&k, &v, &n); err != nil {
				return err
			}
			if res.Facets[k] == nil {
				res.Facets[k] = map[string]int{}
			}
			res.Facets[k][v] = n
		}
		return rows.Err()
	}
	var plain []string
	for _, k := range facetKinds {
		if !filtered[k] {
			plain = append(plain, k)
		}
	}
	if len(plain) > 0 {
		if err := count("", plain); err != nil {
			return nil, err
		}
	}
	for _, f := range filters {
		if err := count(f.kind, []string{f.kind}); err != nil {
			return nil, err
		}
	}
	res.trimFacets()
	return res, nil
}

func (r *PeerResults) scanHits(rows *sql.Rows) error {
	defer rows.Close()
	for rows.Next() {
		var id string
		var t corpus.Text
		if err := rows.Scan(&id, &t.EN, &t.ZH); err != nil {
			return err
		}
		r.IDs = append(r.IDs, id)
		r.Texts = append(r.Texts, t)
	}
	return rows.Err()
}

// trimFacets keeps the values our index reports: the top
// index.MaxFacetValues companies and speakers by count.
func (r *PeerResults) trimFacets() {
	for _, k := range []string{"company", "speaker"} {
		m := r.Facets[k]
		if len(m) <= index.MaxFacetValues {
			continue
		}
		type kv struct {
			v string
			n int
		}
		var all []kv
		for v, n := range m {
			all = append(all, kv{v, n})
		}
		sort.Slice(all, func(i, j int) bool {
			if all[i].n != all[j].n {
				return all[i].n > all[j].n
			}
			return all[i].v < all[j].v
		})
		m = map[string]int{}
		for _, x := range all[:index.MaxFacetValues] {
			m[x.v] = x.n
		}
		r.Facets[k] = m
	}
}

// peerFilter is one facet filter as SQL on the facet table.
type peerFilter struct {
	kind string
	cond string
	args []any
}

func peerFilters(q index.Query) []peerFilter {
	var fs []peerFilter
	in := func(kind string, vs []string) {
		if len(vs) == 0 {
			return
		}
		args := make([]any, len(vs))
		for i, v := range vs {
			args[i] = v
		}
		fs = append(fs, peerFilter{kind, "value IN (" + strings.TrimSuffix(strings.Repeat("?,", len(vs)), ",") + ")", args})
	}
	in("company", q.Companies)
	in("speaker", q.Speakers)
	var ss []string
	for _, s := range q.Sections {
		ss = append(ss, string(s))
	}
	in("section", ss)
	var ys []string
	for _, y := range q.Years {
		ys = append(ys, fmt.Sprintf("%04d", y))
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		hi := q.YearTo
		if hi == 0 {
			hi = 9999
		}
		f := peerFilter{"year", "value BETWEEN ? AND ?", []any{fmt.Sprintf("%04d", q.YearFrom), fmt.Sprintf("%04d", hi)}}
		if len(ys) > 0 {
			// Both a list and a range: our index ANDs them.
			f.cond += " AND value IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ys)), ",") + ")"
			for _, y := range ys {
				f.args = append(f.args, y)
			}
		}
		fs = append(fs, f)
	} else {
		in("year", ys)
	}
	return fs
}

// queryStop mirrors the Chinese function words our query parser drops from
// an unquoted multi-word query.
var queryStop = map[string]bool{
	"的": true, "了": true, "是": true, "在": true, "和": true, "与": true, "及": true,
	"也": true, "都": true, "就": true, "而": true, "之": true, "对": true, "把": true,
}

// maxEntityWords mirrors the longest run of Latin words our parser tries as
// one entity name.
const maxEntityWords = 4

// Match translates our query syntax (words, "phrases"; the benchmark's
// queries use no OR or exclusions) into an FTS5 MATCH expression with the
// same meaning: each word or phrase on the text columns, or any entity it
// names on the entity column; words ANDed. Chinese words are cut as our
// parser cuts them. "" is the empty query.
func (p *Peer) Match(text string) (string, error) {
	cs, err := clauses(text, p.seg, p.gaz)
	if err != nil {
		return "", err
	}
	var out []string
	for _, c := range cs {
		var b strings.Builder
		b.WriteString(`({en zh} : "`)
		b.WriteString(strings.ReplaceAll(strings.Join(c.words, " "), `"`, `""`))
		b.WriteString(`"`)
		for _, e := range c.entities {
			b.WriteString(" OR ent : ")
			b.WriteString(entityToken(e.Name))
		}
		b.WriteString(")")
		out = append(out, b.String())
	}
	return strings.Join(out, " AND "), nil
}

// clause is one condition of a query for the peers: its text (a phrase) on
// either side, or any of the entities it names. text is as written, for a
// peer that analyses it; words are the same cut as our parser cuts them.
type clause struct {
	text     string
	words    []string
	entities []corpus.Entity
}

// clauses splits a query as our parser does into conditions that must all
// hold.
func clauses(text string, seg *segment.Segmenter, gaz *corpus.Gazetteer) ([]clause, error) {
	var out []clause
	add := func(t string) {
		out = append(out, clause{text: t, words: words(seg, t), entities: gaz.Lookup(t)})
	}
	lx := lexQuery(text)
	for i := 0; i < len(lx); i++ {
		l := lx[i]
		if l.or || l.negate {
			return nil, fmt.Errorf("peer: query %q uses OR or -, which the peer translation does not support", text)
		}
		switch {
		case l.phrase:
			t := strings.TrimSpace(l.text)
			if t == "" {
				continue
			}
			add(t)
		case hasHan(l.text):
			ws := words(seg, l.text)
			for _, w := range ws {
				if len(ws) > 1 && queryStop[w] {
					continue
				}
				out = append(out, clause{text: w, words: []string{w}, entities: gaz.Lookup(w)})
			}
		default:
			matched := false
			for n := min(maxEntityWords, len(lx)-i); n > 1; n-- {
				plain := true
				run := make([]string, n)
				for k := range run {
					x := lx[i+k]
					plain = plain && !x.or && !x.phrase && !x.negate && !hasHan(x.text)
					run[k] = x.text
				}
				if !plain {
					continue
				}
				t := strings.Join(run, " ")
				if es := gaz.Lookup(t); len(es) > 0 {
					add(t)
					i += n - 1
					matched = true
					break
				}
			}
			if !matched && strings.IndexFunc(l.text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				add(l.text)
			}
		}
	}
	return out, nil
}

// words are the tokens of s: Chinese cut by the segmenter, Latin words
// kept for FTS5's tokenizer to stem.
func words(seg *segment.Segmenter, s string) []string {
	toks := seg.Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// lexeme is a piece of a query: a word, a phrase, OR.
type lexeme struct {
	text           string
	phrase, negate bool
	or             bool
}

// lexQuery splits a query as our parser does: quotes (straight, curly or
// corner) delimit phrases, spaces separate words, a leading - negates.
func lexQuery(s string) []lexeme {
	var out []lexeme
	isQuote := func(r rune) bool { return strings.ContainsRune("\"“”「」", r) }
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		neg := false
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != '-' {
			neg = true
			i++
		}
		if isQuote(rs[i]) {
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			out = append(out, lexeme{text: string(rs[i+1 : j]), phrase: true, negate: neg})
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && !isQuote(rs[j]) {
			j++
		}
		w := string(rs[i:j])
		out = append(out, lexeme{text: w, negate: neg, or: w == "OR" && !neg})
		i = j
	}
	return out
}

// FacetCounts flattens our index's facets to kind → value → count, for
// comparison with the peer's.
func FacetCounts(f index.Facets) map[string]map[string]int {
	out := map[string]map[string]int{}
	add := func(kind string, vs []index.FacetValue) {
		if len(vs) == 0 {
			return
		}
		m := map[string]int{}
		for _, v := range vs {
			val := v.Value
			if kind == "year" {
				if y, err := strconv.Atoi(val); err == nil {
					val = fmt.Sprintf("%04d", y)
				}
			}
			m[val] = v.Count
		}
		out[kind] = m
	}
	add("company", f.Company)
	add("speaker", f.Speaker)
	add("year", f.Year)
	add("section", f.Section)
	add("lang", f.Lang)
	return out
}
