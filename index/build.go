package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/corpus-dev/corpus/corpus"
)

// BuildOptions tunes a build.
type BuildOptions struct {
	// Progress, when set, is called after each batch with the passages
	// indexed so far and the total.
	Progress func(done, total int)
	// BatchSize is the number of passages per bleve batch (default 1000).
	BatchSize int
	// Workers is how many batches are prepared and indexed at once
	// (default: one more than GOMAXPROCS). 1 indexes one batch after
	// another.
	Workers int
	// Now stamps the generation (default time.Now).
	Now func() time.Time

	// bleveText indexes the text fields in bleve, as format 8 did,
	// instead of in the substring and word indexes: tests compare the
	// two.
	bleveText bool
	// docValues keeps bleve's doc values of the keyword fields, as
	// format 10 did, for bleve's own sorts and facets: tests compare
	// them with the one-pass search's.
	docValues bool
	// passageIDs indexes passages under their own IDs, with their
	// positions, as format 10 did, instead of their ranks: tests read
	// such generations.
	passageIDs bool
	// batchOrder, when set, is the order in which the batches (numbered
	// in reading order) are handed to the workers: with one worker, the
	// order of the batches' documents in the index (within a batch, bleve
	// numbers documents as their analysis finishes). Tests try orders a
	// busy machine may make.
	batchOrder func(batches int) []int
}

// BuildStats summarises a finished build.
type BuildStats struct {
	Generation string
	Documents  int
	Passages   int
	Elapsed    time.Duration
}

// Build indexes docs, with the entities of gaz, into a new generation of
// dataDir, verifies it and makes it the live one. On any error, including a
// cancelled ctx, the live generation is untouched and what was written is
// removed (or, if the process dies, removed by the next build).
func Build(ctx context.Context, dataDir string, docs []*corpus.Document, gaz *corpus.Gazetteer, opts BuildOptions) (BuildStats, error) {
	start := time.Now()
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := checkDocuments(docs); err != nil {
		return BuildStats{}, err
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return BuildStats{}, fmt.Errorf("create data folder: %w", err)
	}
	unlock, err := lock(dataDir)
	if err != nil {
		return BuildStats{}, err
	}
	defer unlock()
	// No CURRENT yet, or a damaged one, means no generation to protect by
	// name: cleanup then keeps the newest ones (where a server's fallback
	// usually is), and this build writes a good CURRENT.
	live, err := Current(dataDir)
	if err != nil {
		live = ""
	}
	if err := cleanup(dataDir, live); err != nil {
		return BuildStats{}, fmt.Errorf("clean up earlier builds: %w", err)
	}

	gen := genPrefix + newGenerationName(opts.Now())
	tmp := filepath.Join(dataDir, buildPrefix+gen[len(genPrefix):])
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return BuildStats{}, fmt.Errorf("create build folder: %w", err)
	}
	n, err := write(ctx, tmp, docs, gaz, opts)
	if err != nil {
		return BuildStats{}, err
	}
	man := manifest{Format: manifestFormat, Generation: gen, Built: opts.Now().UTC(), Passages: n}
	if err := writeManifest(tmp, man, docs); err != nil {
		return BuildStats{}, err
	}
	if err := syncDir(tmp); err != nil {
		return BuildStats{}, err
	}
	if err := verify(ctx, tmp, docs); err != nil {
		return BuildStats{}, fmt.Errorf("verify new index: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return BuildStats{}, err
	}
	if err := os.Rename(tmp, filepath.Join(dataDir, gen)); err != nil {
		return BuildStats{}, fmt.Errorf("install generation: %w", err)
	}
	ok = true
	if err := syncDir(dataDir); err != nil {
		return BuildStats{}, err
	}
	if err := setCurrent(dataDir, gen); err != nil {
		return BuildStats{}, err
	}
	if err := cleanup(dataDir, gen); err != nil {
		return BuildStats{}, fmt.Errorf("remove old generations: %w", err)
	}
	return BuildStats{Generation: gen, Documents: len(docs), Passages: n, Elapsed: time.Since(start)}, nil
}

// writeManifest completes man with docs and the files of the build in
// tmp, and writes it there.
func writeManifest(tmp string, man manifest, docs []*corpus.Document) error {
	for _, d := range docs {
		man.Documents = append(man.Documents, toDocRecord(d))
	}
	var err error
	if man.Files, err = fileSizes(filepath.Join(tmp, bleveDir)); err != nil {
		return fmt.Errorf("list index files: %w", err)
	}
	if man.Checksums, err = checksums(tmp); err != nil {
		return fmt.Errorf("checksum index files: %w", err)
	}
	return writeJSONSync(filepath.Join(tmp, manifestFile), man)
}

// checkDocuments rejects input that would make an index users cannot trust.
func checkDocuments(docs []*corpus.Document) error {
	docIDs := map[string]string{}
	for _, d := range docs {
		if d.ID == "" {
			return fmt.Errorf("%s: document has no id", d.Origin)
		}
		if prev, dup := docIDs[d.ID]; dup {
			return fmt.Errorf("document id %q used by %s and %s", d.ID, prev, d.Origin)
		}
		docIDs[d.ID] = d.Origin
		for i, p := range d.Passages {
			if p.Doc != d.ID || p.Position != i {
				return fmt.Errorf("%s: passage %d (%q) has document %q and position %d, want %q and %d", d.Origin, i, p.ID, p.Doc, p.Position, d.ID, i)
			}
			// A passage is found by its document and position
			// (Index.Passage), which its ID names.
			if want := corpus.PassageID(d.ID, i); p.ID != want {
				return fmt.Errorf("%s: passage %d has id %q, want %q", d.Origin, i, p.ID, want)
			}
		}
	}
	return nil
}

func write(ctx context.Context, dir string, docs []*corpus.Document, gaz *corpus.Gazetteer, opts BuildOptions) (int, error) {
	if err := addWords(gaz.ChineseNames()); err != nil {
		return 0, err
	}
	gf, err := os.Create(filepath.Join(dir, gazetteerFile))
	if err != nil {
		return 0, fmt.Errorf("write gazetteer: %w", err)
	}
	if err := gaz.WriteJSON(gf); err != nil {
		gf.Close()
		return 0, fmt.Errorf("write gazetteer: %w", err)
	}
	if err := gf.Close(); err != nil {
		return 0, fmt.Errorf("write gazetteer: %w", err)
	}
	m, err := newMapping(opts.bleveText, opts.docValues)
	if err != nil {
		return 0, err
	}
	bi, err := bleve.NewUsing(filepath.Join(dir, bleveDir), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return 0, fmt.Errorf("create index: %w", err)
	}
	// Passages are indexed in reading order, each under its rank in it
	// (rankID).
	order := storeOrder(docs)
	n, werr := fill(ctx, bi, order, gaz, opts)
	// The passage store needs only the passages in reading order: it is
	// compressed on the core the merge and the files after it leave idle
	// (it came last, 2.3 s of a 100k build's 20 s).
	var store sync.WaitGroup
	var serr error
	if werr == nil {
		store.Go(func() {
			if err := writeStore(filepath.Join(dir, storeFile), order); err != nil {
				serr = fmt.Errorf("write passage store: %w", err)
			}
		})
	}
	defer store.Wait()
	if werr == nil {
		if err := mergeToOne(ctx, bi); err != nil {
			werr = fmt.Errorf("merge segments: %w", err)
		}
	}
	if err := bi.Close(); err != nil && werr == nil {
		werr = fmt.Errorf("close index: %w", err)
	}
	if werr != nil {
		return n, werr
	}
	if err := dropUnreferencedSegments(filepath.Join(dir, bleveDir)); err != nil {
		return n, fmt.Errorf("remove merged segments: %w", err)
	}
	if err := writeDerived(ctx, dir, order, m, opts); err != nil {
		return n, err
	}
	store.Wait()
	if serr != nil {
		return n, serr
	}
	return n, nil
}

// writeDerived writes what is read from the finished bleve index in dir:
// the facet table, then the substring and word indexes of the passages
// (in reading order) in the index's document order, side by side.
func writeDerived(ctx context.Context, dir string, order []*corpus.Passage, m mapping.IndexMapping, opts BuildOptions) error {
	t, err := writeTableFile(filepath.Join(dir, bleveDir), filepath.Join(dir, tableFile))
	if err != nil {
		return fmt.Errorf("write facet table: %w", err)
	}
	if opts.bleveText {
		return nil
	}
	// By internal document number, which the table's ranks map to the
	// reading order.
	if uint64(len(order)) != t.n {
		return fmt.Errorf("write text indexes: %d passages, the index has %d", len(order), t.n)
	}
	ps := make([]*corpus.Passage, len(order))
	for d, rk := range t.rank {
		ps[d] = order[rk]
	}
	// Either failing stops the other.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := writeSubstr(ctx, filepath.Join(dir, substrFile), ps); err != nil {
			cancel(fmt.Errorf("write substring index: %w", err))
		}
	})
	if err := writeWords(ctx, filepath.Join(dir, wordsFile), ps, m); err != nil {
		cancel(fmt.Errorf("write word index: %w", err))
	}
	wg.Wait()
	return context.Cause(ctx)
}

// fill indexes the passages of docs into bi, opts.BatchSize at a time.
//
// Everything up to bleve's segment building runs in parallel: each worker
// turns its own run of passages into a bleve batch (the stored record as
// JSON, the entities named, bleve's document mapping, all of which bleve
// does in the caller of Batch.Index) and hands it to bi.Batch, which
// analyses it (gse segmentation included) on bleve's analysis workers,
// builds an in-memory segment and waits until the segment is persisted.
// Run one after another, those steps left a core idle most of the time;
// with a few batches in flight, one is being mapped while another is
// analysed and a third is being written to disk. Batches may reach the
// index out of order, and bleve numbers a batch's documents in the order
// their analysis finishes: hits are ordered by score, then rank, never by
// internal document numbers, so the order does not show
// (TestBuildOrderDoesNotShow).
func fill(ctx context.Context, bi bleve.Index, ps []*corpus.Passage, gaz *corpus.Gazetteer, opts BuildOptions) (int, error) {
	total := len(ps)
	if total == 0 {
		// An empty batch still creates the index's first snapshot.
		if err := bi.Batch(bi.NewBatch()); err != nil {
			return 0, fmt.Errorf("index batch: %w", err)
		}
		return 0, nil
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = buildWorkers()
	}
	ents := newEntityIndex(gaz)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var (
		mu   sync.Mutex // guards done and serialises Progress
		done int
	)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for start := range next {
				end := min(start+opts.BatchSize, total)
				if err := indexBatch(ctx, bi, ps, start, end, ents, opts); err != nil {
					cancel(err)
					return
				}
				mu.Lock()
				done += end - start
				if opts.Progress != nil {
					opts.Progress(done, total)
				}
				mu.Unlock()
			}
		})
	}
	batches := (total + opts.BatchSize - 1) / opts.BatchSize
	order := make([]int, batches)
	for i := range order {
		order[i] = i
	}
	if opts.batchOrder != nil {
		order = opts.batchOrder(batches)
	}
feed:
	for _, b := range order {
		select {
		case next <- b * opts.BatchSize:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		mu.Lock()
		defer mu.Unlock()
		return done, err
	}
	return total, nil
}

// buildWorkers is how many batches a build keeps in flight by default:
// one per core, and one more to be mapped while the others are analysed
// or wait for the disk.
func buildWorkers() int { return runtime.GOMAXPROCS(0) + 1 }

// indexBatch indexes the passages of ranks from to to of ps, all of them
// in reading order, as one bleve batch.
func indexBatch(ctx context.Context, bi bleve.Index, ps []*corpus.Passage, from, to int, ents *entityIndex, opts BuildOptions) error {
	b := bi.NewBatch()
	for i := from; i < to; i++ {
		p := ps[i]
		f, err := fields(p, ents.named(p.Text.EN, p.Entities), ents.named(p.Text.ZH, p.Entities), opts.bleveText, opts.docValues || opts.passageIDs)
		if err != nil {
			return fmt.Errorf("passage %s: %w", p.ID, err)
		}
		id := rankID(i, len(ps))
		if opts.passageIDs {
			id = p.ID
		}
		if err := b.Index(id, f); err != nil {
			return fmt.Errorf("passage %s: %w", p.ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := bi.Batch(b); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	return nil
}

// verify opens a finished build read-only and checks that it holds every
// passage and that probes drawn from the input find their passages.
func verify(ctx context.Context, dir string, docs []*corpus.Document) error {
	ix, err := Open(dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	var probes []*corpus.Passage
	for _, d := range docs {
		if len(d.Passages) > 0 {
			probes = append(probes, &d.Passages[0], &d.Passages[len(d.Passages)-1])
		}
		if len(probes) >= 8 {
			break
		}
	}
	for _, p := range probes {
		got, err := ix.Passage(ctx, p.ID)
		if err != nil {
			return fmt.Errorf("probe %s: %w", p.ID, err)
		}
		if got.Passage.Text != p.Text {
			return fmt.Errorf("probe %s: stored text differs from the source", p.ID)
		}
	}
	return nil
}

var errClosed = errors.New("index closed")
