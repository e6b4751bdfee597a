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
	out, wait := preparePeerRows(ctx, ps, seg, newExpander(gaz))
	defer wait()
	if err := insertPeerRows(ctx, db, out); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, peerIndexes); err != nil {
		return fmt.Errorf("peer indexes: %w", err)
	}
	return nil
}

// peerChunk is how many passages a worker prepares at a time.
const peerChunk = 1000

// preparePeerRows segments and tags ps on all cores, a chunk at a time:
// chunk c arrives on the c-th channel. wait returns when the workers
// have finished.
func preparePeerRows(ctx context.Context, ps []*corpus.Passage, seg *segment.Segmenter, ents *expander) (out []chan []peerRow, wait func()) {
	nchunks := (len(ps) + peerChunk - 1) / peerChunk
	out = make([]chan []peerRow, nchunks)
	for i := range out {
		out[i] = make(chan []peerRow, 1)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range work {
				rows := make([]peerRow, 0, peerChunk)
				for _, p := range ps[c*peerChunk : min(len(ps), (c+1)*peerChunk)] {
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
	return out, wg.Wait
}

// insertPeerRows writes the prepared chunks in order, in one transaction.
func insertPeerRows(ctx context.Context, db *sql.DB, out []chan []peerRow) error {
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
	for c := range out {
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
	return tx.Commit()
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
	s := &peerSearch{p: p, match: match, filters: peerFilters(q), res: &PeerResults{Facets: map[string]map[string]int{}}}
	if err := s.hits(ctx, size); err != nil {
		return nil, err
	}
	if err := s.total(ctx); err != nil {
		return nil, err
	}
	if err := s.facets(ctx); err != nil {
		return nil, err
	}
	s.res.trimFacets()
	return s.res, nil
}

// peerSearch is one query on the peer as it is answered.
type peerSearch struct {
	p       *Peer
	match   string // the FTS5 MATCH expression, "" for none
	filters []peerFilter
	res     *PeerResults
}

// matches returns a query for the rowids of the passages that match the
// words and every filter but skip's ("" if nothing restricts them), with
// its arguments. Each part is one index lookup; INTERSECT combines them.
func (s *peerSearch) matches(skip string) (string, []any) {
	var parts []string
	var args []any
	if s.match != "" {
		parts = append(parts, "SELECT rowid AS pid FROM fts WHERE fts MATCH ?")
		args = append(args, s.match)
	}
	for _, f := range s.filters {
		if f.kind != skip {
			parts = append(parts, "SELECT pid FROM facet WHERE kind = ? AND "+f.cond)
			args = append(append(args, f.kind), f.args...)
		}
	}
	return strings.Join(parts, " INTERSECT "), args
}

// hits reads the top size hits: with words, FTS5 orders by rank within
// its own scan; without, in document order.
func (s *peerSearch) hits(ctx context.Context, size int) error {
	var rows *sql.Rows
	var err error
	fq, fargs := "", []any(nil)
	for _, f := range s.filters {
		if fq != "" {
			fq += " INTERSECT "
		}
		fq += "SELECT pid FROM facet WHERE kind = ? AND " + f.cond
		fargs = append(append(fargs, f.kind), f.args...)
	}
	if s.match != "" {
		// The unary + keeps the filter out of FTS5's plan: given "rowid
		// IN (…)", SQLite runs the full-text query once per listed rowid.
		cond := "1"
		if fq != "" {
			cond = "+rowid IN (" + fq + ")"
		}
		rows, err = s.p.db.QueryContext(ctx, `SELECT p.pid, p.en, p.zh FROM passage p JOIN
			(SELECT rowid, rank FROM fts WHERE fts MATCH ? AND `+cond+` ORDER BY rank LIMIT ?) m ON p.id = m.rowid ORDER BY m.rank`,
			append(append([]any{s.match}, fargs...), size)...)
	} else {
		cond := "1"
		if fq != "" {
			cond = "id IN (" + fq + ")"
		}
		rows, err = s.p.db.QueryContext(ctx, `SELECT pid, en, zh FROM passage WHERE `+cond+` ORDER BY doc, pos LIMIT ?`, append(fargs, size)...)
	}
	if err != nil {
		return fmt.Errorf("peer hits: %w", err)
	}
	return s.res.scanHits(rows)
}

// total counts the matches.
func (s *peerSearch) total(ctx context.Context) error {
	var err error
	if mq, margs := s.matches(""); mq != "" {
		err = s.p.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+mq+`)`, margs...).Scan(&s.res.Total)
	} else {
		err = s.p.db.QueryRowContext(ctx, `SELECT count(*) FROM passage`).Scan(&s.res.Total)
	}
	if err != nil {
		return fmt.Errorf("peer count: %w", err)
	}
	return nil
}

// facets counts the facet values among the matches: one GROUP BY for the
// unfiltered kinds, one per filtered kind without its own filter.
func (s *peerSearch) facets(ctx context.Context) error {
	filtered := map[string]bool{}
	for _, f := range s.filters {
		filtered[f.kind] = true
	}
	var plain []string
	for _, k := range facetKinds {
		if !filtered[k] {
			plain = append(plain, k)
		}
	}
	if len(plain) > 0 {
		if err := s.countFacets(ctx, "", plain); err != nil {
			return err
		}
	}
	for _, f := range s.filters {
		if err := s.countFacets(ctx, f.kind, []string{f.kind}); err != nil {
			return err
		}
	}
	return nil
}

// countFacets counts the values of kinds among the matches of every
// filter but skip's. The matches drive the join (CROSS JOIN fixes the
// order: left to itself, SQLite's planner would scan the facet table and
// probe FTS5 once per row).
func (s *peerSearch) countFacets(ctx context.Context, skip string, kinds []string) error {
	var query string
	mq, args := s.matches(skip)
	in := strings.TrimSuffix(strings.Repeat("?,", len(kinds)), ",")
	if mq != "" {
		query = `SELECT f.kind, f.value, count(*) FROM (` + mq + `) m CROSS JOIN facet f ON f.pid = m.pid WHERE f.kind IN (` + in + `) GROUP BY f.kind, f.value`
	} else {
		query = `SELECT kind, value, count(*) FROM facet WHERE kind IN (` + in + `) GROUP BY kind, value`
	}
	for _, k := range kinds {
		args = append(args, k)
	}
	rows, err := s.p.db.QueryContext(ctx, query, args...)
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
		if s.res.Facets[k] == nil {
			s.res.Facets[k] = map[string]int{}
		}
		s.res.Facets[k][v] = n
	}
	return rows.Err()
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
