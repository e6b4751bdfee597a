package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/corpus-dev/corpus/corpus"
)

// BuildOptions tunes a build.
type BuildOptions struct {
	// Progress, when set, is called after each batch with the passages
	// indexed so far and the total.
	Progress func(done, total int)
	// BatchSize is the number of passages per bleve batch (default 1000).
	BatchSize int
	// Now stamps the generation (default time.Now).
	Now func() time.Time
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
	live, _ := Current(dataDir) // none yet is fine
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
	for _, d := range docs {
		man.Documents = append(man.Documents, toDocRecord(d))
	}
	if man.Files, err = fileSizes(filepath.Join(tmp, bleveDir)); err != nil {
		return BuildStats{}, fmt.Errorf("list index files: %w", err)
	}
	if err := writeJSONSync(filepath.Join(tmp, manifestFile), man); err != nil {
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

// checkDocuments rejects input that would make an index users cannot trust.
func checkDocuments(docs []*corpus.Document) error {
	docIDs := map[string]string{}
	ids := map[string]bool{}
	for _, d := range docs {
		if d.ID == "" {
			return fmt.Errorf("%s: document has no id", d.Origin)
		}
		if prev, dup := docIDs[d.ID]; dup {
			return fmt.Errorf("document id %q used by %s and %s", d.ID, prev, d.Origin)
		}
		docIDs[d.ID] = d.Origin
		for _, p := range d.Passages {
			if ids[p.ID] {
				return fmt.Errorf("%s: duplicate passage id %q", d.Origin, p.ID)
			}
			ids[p.ID] = true
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
	m, err := newMapping()
	if err != nil {
		return 0, err
	}
	bi, err := bleve.NewUsing(filepath.Join(dir, bleveDir), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return 0, fmt.Errorf("create index: %w", err)
	}
	n, werr := fill(ctx, bi, docs, gaz, opts)
	if err := bi.Close(); err != nil && werr == nil {
		werr = fmt.Errorf("close index: %w", err)
	}
	return n, werr
}

func fill(ctx context.Context, bi bleve.Index, docs []*corpus.Document, gaz *corpus.Gazetteer, opts BuildOptions) (int, error) {
	total := 0
	for _, d := range docs {
		total += len(d.Passages)
	}
	ents := newEntityIndex(gaz)
	b := bi.NewBatch()
	n := 0
	flush := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := bi.Batch(b); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		b.Reset()
		if opts.Progress != nil {
			opts.Progress(n, total)
		}
		return nil
	}
	for _, d := range docs {
		for i := range d.Passages {
			p := &d.Passages[i]
			f, err := fields(p, ents.named(p.Text.EN, p.Entities), ents.named(p.Text.ZH, p.Entities))
			if err != nil {
				return n, fmt.Errorf("passage %s: %w", p.ID, err)
			}
			if err := b.Index(p.ID, f); err != nil {
				return n, fmt.Errorf("passage %s: %w", p.ID, err)
			}
			n++
			if b.Size() >= opts.BatchSize {
				if err := flush(); err != nil {
					return n, err
				}
			}
		}
	}
	if b.Size() > 0 || total == 0 {
		if err := flush(); err != nil {
			return n, err
		}
	}
	return n, nil
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
