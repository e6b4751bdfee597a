package index

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/corpus-dev/corpus/corpus"
)

// Index is one open, read-only generation.
type Index struct {
	bi    bleve.Index
	dir   string
	man   manifest
	gaz   *corpus.Gazetteer
	ents  *entityIndex
	docs  map[string]docRecord
	order []string // document ids in build order
	// st holds the passages' records; docStart is the number of each
	// document's first record in it.
	st       *store
	stores   stores // the substring and word indexes: nil where bleve holds their fields (older formats)
	docStart map[string]int
	// tokens caches the analysis of highlighted passages.
	tokens tokenCache
	// browse caches the pages of the empty query.
	browse browseCache
	// results keeps recent answers (resultcache.go).
	results *resultCache
	// tslot is the facet table, built in the background on first use.
	tableOnce sync.Once
	tslot     tableSlot
	// Checksums of a large generation's big files are verified in the
	// background (verifyLater); damage holds what it found.
	damage     atomic.Pointer[error]
	stopVerify context.CancelFunc
	verified   chan struct{}
	// warm holds the background work back until the first answer.
	warm warmup
	// stopBackground ends the background work that has no other stop.
	stopBackground context.CancelFunc
	// tableErr says why the facet table file was not used, if it was not.
	tableErr error
	// sample is the workbench's measure of the corpus (wbsize.go).
	sample sampleSlot
	// onePassOff sends every search through bleve's own search (setOnePass).
	onePassOff atomic.Bool
	// directOff sends the one-pass search's matches through bleve's
	// searchers (setDirect): tests compare the two.
	directOff atomic.Bool
	// noBitmapCounts has the language facet walk every side's matches
	// (countByBitmaps); tests compare the two.
	noBitmapCounts atomic.Bool
	// analyzers are the mapping's analyzers as analyze runs them.
	analyzers analyzerCache
	// suggest holds the entities suggestions offer (suggest.go).
	suggest suggestSlot
}

// Open opens the generation in dir read-only and verifies it against its
// manifest: every index file present with its recorded size and the passage
// count as recorded. A damaged generation is an error naming what is wrong.
func Open(dir string) (*Index, error) {
	// Loading the segmenter's dictionary (0.2 s of a 1M cold start, on
	// both cores) overlaps reading the generation's manifest, bleve's
	// segments and the facet table: nothing before the first search cuts
	// a text (zhTokenizer).
	go segmenter() //nolint:errcheck // open waits for it and reports its error
	ix, err := open(dir)
	if err == nil {
		ix.warm.start()
		ix.prefetch()
		// The English index of the dictionary of translation equivalents
		// (which prefetch reads) is sorted after the first answer
		// (warmup); an English search that needs it first sorts it itself
		// (equiv.go).
		ctx, cancel := context.WithCancel(context.Background())
		ix.stopBackground = cancel
		go func() {
			if !ix.warm.wait(ctx) {
				return
			}
			// Its error is reported where it is used.
			if d, err := cedict(); err == nil {
				d.sortEnglish()
			}
		}()
		// So are the words suggestions offer for busy prefixes (suggest.go).
		ix.startWordTables()
	}
	return ix, err
}

func open(dir string) (*Index, error) {
	man, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	if err := checkFiles(filepath.Join(dir, bleveDir), man.Files); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	now, later, err := splitVerify(dir, man.Checksums)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	if err := checkSums(context.Background(), dir, now); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	// Before bleve reads files not yet verified: see zapcheck.go.
	if err := checkSegments(filepath.Join(dir, bleveDir)); err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	gaz, err := readGazetteer(dir)
	if err != nil {
		return nil, err
	}
	// The gazetteer's names join the segmenter once its dictionary has
	// loaded, while bleve's segments and the stores open.
	added := make(chan error, 1)
	go func() { added <- addWords(gaz.ChineseNames()) }()
	bi, err := openBleve(dir, man.Passages)
	if err != nil {
		return nil, err
	}
	st, err := openStore(filepath.Join(dir, storeFile), man.Passages)
	if err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	st.places = manifestPlaces(man)
	stores, err := openStoresOf(dir, man, bi)
	if err != nil {
		st.Close()
		bi.Close()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	ix := &Index{bi: bi, dir: dir, man: man, gaz: gaz, ents: newEntityIndex(gaz), docs: map[string]docRecord{}, results: newResultCache(DefaultCacheBytes), st: st, stores: stores, docStart: map[string]int{}}
	ix.browse.max = DefaultCacheBytes / 4
	for _, d := range man.Documents {
		ix.docs[d.ID] = d
		ix.order = append(ix.order, d.ID)
	}
	ids := slices.Sorted(maps.Keys(ix.docs))
	at := 0
	for _, id := range ids {
		ix.docStart[id] = at
		at += ix.docs[id].Passages
	}
	ix.warm.ready = make(chan struct{})
	ix.verifyLater(later)
	// The facet table written by the build, if it fits this generation;
	// otherwise (a generation built before there was one) it is read
	// from the postings on first use.
	var t *table
	if ix.tableErr = guard("read facet table", func() (err error) { t, err = ix.loadTable(); return err }); ix.tableErr == nil {
		if err := ix.checkStore(t); err != nil {
			t.close()
			ix.Close()
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
		ix.tableOnce.Do(func() {
			ix.tslot.done = make(chan struct{})
			ix.tslot.t = t
			close(ix.tslot.done)
		})
	}
	if err := <-added; err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// openStoresOf opens the substring and word indexes of the generation in
// dir. Either is nil when its bleve index holds the fields itself: a
// generation built before format 9 (the substring index) or 10 (the word
// index), or by the tests that compare with one. One with neither would
// find nothing in those fields.
func openStoresOf(dir string, man manifest, bi bleve.Index) (stores, error) {
	var out stores
	var err error
	if out.subs, err = openStoreOf(dir, man, bi, substrFile, fieldZH2, openSubstr); err != nil {
		return out, err
	}
	if out.words, err = openStoreOf(dir, man, bi, wordsFile, fieldEN, openWords); err != nil {
		if out.subs != nil {
			out.subs.Close()
		}
		return stores{}, err
	}
	return out, nil
}

// openStoreOf opens the store file of the generation in dir with open, or
// returns nil when bleve's mapping has field, one of the store's fields.
func openStoreOf(dir string, man manifest, bi bleve.Index, file, field string, open func(string, int) (*substrStore, error)) (*substrStore, error) {
	if _, ok := man.Checksums[file]; ok {
		return open(filepath.Join(dir, file), man.Passages)
	}
	if im, ok := bi.Mapping().(*mapping.IndexMappingImpl); ok && im.DefaultMapping != nil {
		if _, ok := im.DefaultMapping.Properties[field]; ok {
			return nil, nil
		}
	}
	return nil, fmt.Errorf("%s missing: the generation keeps %s neither there nor in bleve", file, field)
}

// openBleve opens the bleve index of the generation in dir, read-only, and
// checks that it holds the passages the manifest counts.
func openBleve(dir string, passages int) (bleve.Index, error) {
	var bi bleve.Index
	err := guard("open index "+dir, func() (err error) {
		bi, err = bleve.OpenUsing(filepath.Join(dir, bleveDir), map[string]any{
			"read_only": true,
			// Without a timeout bolt waits forever for a lock another process holds.
			"bolt_timeout": "2s",
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	var n uint64
	err = guard("count passages", func() (err error) {
		n, err = bi.DocCount()
		return err
	})
	if err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index %s: count passages: %w", dir, err)
	}
	if int(n) != passages {
		bi.Close()
		return nil, fmt.Errorf("open index %s: holds %d passages, manifest says %d: index damaged", dir, n, passages)
	}
	return bi, nil
}

// readManifest reads and checks the manifest of the generation in dir.
func readManifest(dir string) (manifest, error) {
	var man manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return man, fmt.Errorf("open index %s: incomplete generation: %w", dir, err)
	}
	if err := json.Unmarshal(b, &man); err != nil {
		return man, fmt.Errorf("open index %s: %s damaged: %w", dir, manifestFile, err)
	}
	if man.Format < oldestFormat {
		return man, fmt.Errorf("open index %s: %w (format %d, this program reads %d to %d): rebuild with 'corpus index'", dir, ErrFormat, man.Format, oldestFormat, manifestFormat)
	}
	if man.Format > manifestFormat {
		// Not ErrFormat: rebuilding would take the folder from the newer
		// version that wrote it.
		return man, fmt.Errorf("open index %s: written by a newer version of corpus (format %d, this program reads %d): serve it with that version", dir, man.Format, manifestFormat)
	}
	if len(man.Files) == 0 || len(man.Checksums) == 0 {
		return man, fmt.Errorf("open index %s: %s lists no files: damaged", dir, manifestFile)
	}
	// The documents say where each record of the passage store is
	// (docPlaces): they must account for every passage once.
	seen := make(map[string]bool, len(man.Documents))
	sum := 0
	for _, d := range man.Documents {
		if seen[d.ID] || d.Passages < 0 || sum > man.Passages {
			return man, fmt.Errorf("open index %s: %s damaged: document %q listed twice or with %d passages", dir, manifestFile, d.ID, d.Passages)
		}
		seen[d.ID] = true
		sum += d.Passages
	}
	if sum != man.Passages {
		return man, fmt.Errorf("open index %s: %s damaged: its documents hold %d passages, the manifest says %d", dir, manifestFile, sum, man.Passages)
	}
	return man, nil
}

// readGazetteer reads the gazetteer the generation in dir was built with.
func readGazetteer(dir string) (*corpus.Gazetteer, error) {
	gf, err := os.Open(filepath.Join(dir, gazetteerFile))
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	defer gf.Close()
	gaz, err := corpus.LoadGazetteer(gf)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %s: %w", dir, gazetteerFile, err)
	}
	return gaz, nil
}

// Verification at open. Reading every byte of a generation to check its
// checksums costs about 0.3 s per GB, which a large generation's cold start
// would wait for. Small generations, and the small files of any (bolt's
// root, the gazetteer, the table of contents of the index), are verified
// before Open returns; the big segment files of a generation over
// verifyInlineBytes are verified in the background while it serves, and
// Live moves to the previous generation if they are damaged: a damaged
// file is still found and never served for long (about 0.3 s per GB on our
// machines), and the first answer does not wait for it. Lucene makes the
// same trade: it checks the small files' checksums at open and the large
// ones' when it merges them.
var (
	verifyInlineBytes int64 = 64 << 20
	smallFileBytes    int64 = 1 << 20
)

// splitVerify splits the checksums of dir into those to verify before
// opening and those to verify in the background.
func splitVerify(dir string, sums map[string]uint32) (now, later map[string]uint32, err error) {
	sizes := map[string]int64{}
	var total int64
	for name := range sums {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return nil, nil, err
		}
		sizes[name] = fi.Size()
		total += fi.Size()
	}
	if total <= verifyInlineBytes {
		return sums, nil, nil
	}
	now, later = map[string]uint32{}, map[string]uint32{}
	for name, sum := range sums {
		if sizes[name] <= smallFileBytes {
			now[name] = sum
		} else {
			later[name] = sum
		}
	}
	return now, later, nil
}

// verifyLater checks sums in the background until done or Close.
func (ix *Index) verifyLater(sums map[string]uint32) {
	ix.verified = make(chan struct{})
	if len(sums) == 0 {
		close(ix.verified)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	ix.stopVerify = cancel
	go func() {
		defer close(ix.verified)
		if !ix.warm.wait(ctx) {
			return
		}
		if err := checkSums(ctx, ix.dir, sums); err != nil && ctx.Err() == nil {
			err = fmt.Errorf("index %s: %w", ix.dir, err)
			ix.damage.Store(&err)
		}
	}()
}

// TableError says why the generation's facet table file could not be used
// at open (its columns are then read from the postings on first use, and
// the first searches go through bleve's slower path), or nil. A column
// found damaged when it is first unpacked is reported by Damaged.
func (ix *Index) TableError() error { return ix.tableErr }

// noteDamage records err as damage of the generation, unless some was
// found before: Live then moves to an older generation, as it does when
// the background verification finds a damaged file.
func (ix *Index) noteDamage(err error) {
	err = fmt.Errorf("index %s: %w", ix.dir, err)
	ix.damage.CompareAndSwap(nil, &err)
}

// Damaged returns what the generation's files were found to have wrong, by
// the background verification or by a search unpacking a facet column,
// or nil (also while the verification is still running).
func (ix *Index) Damaged() error {
	if p := ix.damage.Load(); p != nil {
		return *p
	}
	return nil
}

// WaitVerified waits until every file of the generation has been checked
// against its checksum, and returns Damaged.
func (ix *Index) WaitVerified(ctx context.Context) error {
	ix.warm.release()
	select {
	case <-ix.verified:
		return ix.Damaged()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PanicError is a panic while opening or searching a generation, turned
// into an error by guard: a damaged index file, or a bug.
type PanicError struct {
	Op    string // what was being done
	Value any    // what was passed to panic
	Stack []byte // where
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("%s: panic (a damaged index file, or a bug): %v", e.Op, e.Value)
}

// guard runs f and turns a panic into a *PanicError. bleve trusts its
// files: a damaged one can make it index out of range while opening or
// reading it. The checksums find damage, but a large generation is
// verified while it serves (verifyLater), so until then a damaged file
// must cost an error, not the process. A panic in the middle of
// bleve.OpenUsing may leave that one opening's files open.
func guard(op string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Op: op, Value: r, Stack: debug.Stack()}
		}
	}()
	return f()
}

// loadTable reads the generation's facet table file.
func (ix *Index) loadTable() (*table, error) {
	r, err := readerOf(ix.bi)
	if err != nil {
		return nil, fmt.Errorf("read facet table: %w", err)
	}
	defer r.Close()
	return readTableFile(filepath.Join(ix.dir, tableFile), r)
}

// SetCacheBytes bounds the memory spent on kept answers; 0 keeps none.
// The pages of the empty query are kept beside them, in at most a quarter
// of n more.
func (ix *Index) SetCacheBytes(n int64) {
	ix.results.setMax(n)
	ix.browse.setMax(n / 4)
}

// SetTokenCacheBytes bounds the memory spent on the analysis of passages
// kept for highlighting (DefaultTokenCacheBytes unless set); 0 keeps none.
func (ix *Index) SetTokenCacheBytes(n int64) { ix.tokens.setMax(n) }

// Caches reports the memory each cache of the generation holds.
func (ix *Index) Caches() []CacheStats {
	rb, rm := ix.results.bytes()
	bb, bm := ix.browse.bytes()
	tb, tm := ix.tokens.bytes()
	return []CacheStats{
		{Name: "results", Bytes: rb, Max: rm},
		{Name: "browse", Bytes: bb, Max: bm},
		{Name: "tokens", Bytes: tb, Max: tm},
	}
}

// Close releases the index's files, after the background verification of
// its checksums has stopped and the facet table's background build (if one
// started) has finished reading them.
func (ix *Index) Close() error {
	ix.warm.stop()
	if ix.stopBackground != nil {
		ix.stopBackground()
	}
	if ix.stopVerify != nil {
		ix.stopVerify()
		<-ix.verified
	}
	ix.stopWordTables()
	ix.tableOnce.Do(func() {}) // no build may start after Close
	if ix.tslot.done != nil {
		<-ix.tslot.done
	}
	serr := ix.tslot.t.close()
	if err := ix.st.Close(); err != nil && serr == nil {
		serr = err
	}
	for _, s := range []*substrStore{ix.stores.subs, ix.stores.words} {
		if s == nil {
			continue
		}
		if err := s.Close(); err != nil && serr == nil {
			serr = err
		}
	}
	if err := ix.bi.Close(); err != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	if serr != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, serr)
	}
	return nil
}

// Stats describes the generation.
func (ix *Index) Stats() Stats {
	return Stats{Generation: ix.man.Generation, Documents: len(ix.docs), Passages: ix.man.Passages, Built: ix.man.Built}
}

// LabelZH returns the Chinese label of a canonical entity name, or "".
func (ix *Index) LabelZH(name string) string { return ix.gaz.Label(name) }

// Gazetteer returns the entities the generation was built with.
func (ix *Index) Gazetteer() *corpus.Gazetteer { return ix.gaz }

// Documents lists the documents in build order.
func (ix *Index) Documents(ctx context.Context) ([]DocumentInfo, error) {
	out := make([]DocumentInfo, 0, len(ix.order))
	for _, id := range ix.order {
		out = append(out, ix.docs[id].info())
	}
	return out, nil
}

// Passage returns the passage with the given id, its neighbours and its
// document, or corpus.ErrNotFound.
func (ix *Index) Passage(ctx context.Context, id string) (*PassageContext, error) {
	// A passage's ID names its document and position (corpus.PassageID),
	// and a document's records are consecutive in the store: the passage
	// and its neighbours are read from there, with no search.
	doc, pos, ok := corpus.ParsePassageID(id)
	r, found := ix.docs[doc]
	if !ok || !found || pos >= r.Passages {
		return nil, fmt.Errorf("passage %q: %w", id, corpus.ErrNotFound)
	}
	from := max(pos-1, 0)
	ps, err := ix.DocumentPassages(ctx, doc, from, pos+2)
	if err != nil {
		return nil, err
	}
	at := pos - from
	if at >= len(ps) || ps[at].ID != id {
		return nil, fmt.Errorf("passage %q: not in its document's records: %w", id, errStore)
	}
	pc := &PassageContext{Passage: ps[at], Document: r.info()}
	if at > 0 {
		pc.Prev = ps[at-1].ID
	}
	if at+1 < len(ps) {
		pc.Next = ps[at+1].ID
	}
	return pc, nil
}

// documentChunk is how many passages one read of a document fetches: a
// long document is read in runs of this many, so no single bleve request
// sorts and holds all of a 100,000-passage translation memory at once.
const documentChunk = 5000

// Document returns the document with all its passages in reading order, or
// corpus.ErrNotFound. Nothing is cut: a document of any length comes back
// whole (a page that shows a long document should ask DocumentPassages for
// the part it shows).
func (ix *Index) Document(ctx context.Context, id string) (*corpus.Document, error) {
	r, ok := ix.docs[id]
	if !ok {
		return nil, fmt.Errorf("document %q: %w", id, corpus.ErrNotFound)
	}
	d := r.info().Document
	d.Passages = make([]corpus.Passage, 0, r.Passages)
	for from := 0; from < r.Passages; from += documentChunk {
		ps, err := ix.DocumentPassages(ctx, id, from, from+documentChunk)
		if err != nil {
			return nil, err
		}
		d.Passages = append(d.Passages, ps...)
	}
	if len(d.Passages) != r.Passages {
		return nil, fmt.Errorf("document %q: read %d passages, the manifest says %d: index damaged", id, len(d.Passages), r.Passages)
	}
	return &d, nil
}

// DocumentPassages returns the passages of document id at positions from
// (inclusive) to to (exclusive), in reading order: the part of a long
// document one page shows. A range past the end is cut at the end (and may
// come back empty); a negative from or a to before from is an ErrBadQuery.
// An unknown document is corpus.ErrNotFound.
func (ix *Index) DocumentPassages(ctx context.Context, id string, from, to int) ([]corpus.Passage, error) {
	r, ok := ix.docs[id]
	if !ok {
		return nil, fmt.Errorf("document %q: %w", id, corpus.ErrNotFound)
	}
	if from < 0 || to < from {
		return nil, fmt.Errorf("passages %d to %d of document %q: %w", from, to, id, ErrBadQuery)
	}
	to = min(to, r.Passages)
	if from >= to {
		return nil, nil
	}
	// The document's records are consecutive in the store, in position
	// order; positions are dense (0, 1, 2, …) as the corpus numbers them.
	// A store of version 2 or before says each record's document and
	// position, and one that is not its place is found by the check below
	// rather than shown in the wrong place; version 3 takes them from the
	// place (checkStore compares its records with the index at open).
	start := ix.docStart[id]
	ps, err := ix.st.passages(start+from, start+to)
	if err != nil {
		return nil, fmt.Errorf("passages of document %q: %w", id, err)
	}
	for i := range ps {
		if ps[i].Doc != id || ps[i].Position != from+i {
			return nil, fmt.Errorf("document %q: record %d is %s: %w", id, start+from+i, ps[i].ID, errStore)
		}
	}
	return ps, nil
}

// reader returns a reader of the index's current snapshot whose fields of
// the substring and word indexes are read from them.
func (ix *Index) reader() (bindex.IndexReader, error) {
	r, err := readerOf(ix.bi)
	if err != nil || ix.stores.none() {
		return r, err
	}
	return storeReader{IndexReader: r, st: ix.stores}, nil
}

// onStores returns q, a query of the text fields, as the generation answers
// it: the fields of its stores read from them.
func (ix *Index) onStores(q query.Query) query.Query {
	if q == nil || ix.stores.none() {
		return q
	}
	return &storeQuery{q: q, st: ix.stores}
}

func termQ(field, term string) *query.TermQuery {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	return q
}
