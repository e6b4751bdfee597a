package index

// This file fences what index relies on in bleve beyond its documented
// search API: a process-wide setting, concrete types behind its
// interfaces, and a context key its searchers read. The zap file format is
// read directly in two more places, each its own file: zapcheck.go (counts
// checked before bleve opens a segment not yet verified) and diskusage.go
// (where a generation's bytes go). An upgrade of bleve, bleve_index_api or
// zapx must re-check each item below; TestBleveVersionsReviewed fails until
// someone has.
//
// What an upgrade must re-check:
//   - searcher.DisjunctionMaxClauseCount still caps a disjunction's
//     expansion (0 still meaning unlimited).
//   - scorch still hands out a nil *scorch.IndexSnapshot as the reader of a
//     closed index (openReader).
//   - searchers still read the scoring model through
//     search.GetScoringModelCallbackKey, as bleve's own search sets it
//     (withScoringModel; TestOnePassMatchesBleve compares the scores).
//   - zap's section layout still matches zapcheck.go and diskusage.go
//     (TestCorruptedFilesFoundInBackground, TestDiskUsageAccountsForEveryByte).
//   - bleve still trusts its files and may panic on damaged ones: guard in
//     index.go turns panics into *PanicError.
//   - scorch's ForceMerge with the single-segment plan still leaves one
//     segment once it returns and the index is closed (mergeToOne;
//     TestBuildLeavesOneSegment), and StatsMap's index_bgthreads_active
//     still says whether the persister has caught up (persisted).
//   - scorch still keeps its segments in store/ as %012x.zap named by the
//     segment's id (dropUnreferencedSegments; TestBuildLeavesOneSegment
//     counts the files).
//   - phraseWalk scores a phrase as bleve's term searchers (tf-idf: the
//     index's document count, the term's postings, no average length) and
//     conjunction searcher (children sorted by Count, scores summed in
//     that order) do, and asks scorch for the "conjunction" optimisation
//     (TestPhraseMatchesBleve compares the scores).
//   - the direct search (direct.go) evaluates queries as bleve's searchers
//     would: BooleanQuery.Searcher's shortcuts (a lone must or should
//     clause returned as is, MatchNone clauses dropped), compound
//     searchers sorting their children with sort.Sort by Count
//     (OrderedSearcherList) and summing weights and scores in that order,
//     the query norm set by the outermost compound, the disjunction's
//     coordination factor and its heap searcher past
//     DisjunctionHeapTakeover clauses, TermSearcher's tf-idf
//     (TestDirectMatchesBleve compares documents and score bits).
//   - bleve's BooleanSearcher.Advance still moves its should searcher
//     past a match at or after the target (heldShould; TestHeldShould
//     fails when it no longer does: heldShould can go).
//   - zap's postings of a one-segment index still give a field's length
//     as NormUint64, whose norm is the float32 of one over its root, their
//     Count is the reader's, and the segment's dictionary of a field is
//     what scorch's reader reads (it reads another only for fields a
//     mapping update deleted, which our generations, built once, never
//     have) (onePostingsList, dterm.zapPostings; TestEntityTermPaths
//     compares the two, TestDirectMatchesBleve the scores on one segment).
//   - scorch's IndexSnapshot.Segments and SegmentSnapshot.Deleted, and
//     zap's PostingsList.OrInto, still give each segment's documents of a
//     term as a bitmap (bitmapCount; TestBitmapCountsMatchWalks), and
//     a snapshot's documents are numbered from 0 across its segments in
//     order, so that one with nothing deleted numbers them 0 to its count
//     less one (denseDocs; TestEveryPassageStream compares with bleve's
//     MatchAllSearcher).

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

func init() {
	// We build no wildcard, regexp or fuzzy queries, but a cap on
	// disjunction expansion stops any future one from taking the process
	// down (measured: the query string `a*` ×200 reached 23 GB with the
	// default of 0).
	searcher.DisjunctionMaxClauseCount = 1024
}

// openReader returns a reader of the index's current snapshot. Scorch
// hands out a nil snapshot once the index is closed, which a table being
// built in the background may meet when its generation is replaced.
func openReader(idx bindex.Index) (bindex.IndexReader, error) {
	r, err := idx.Reader()
	if err != nil {
		return nil, err
	}
	if s, ok := r.(*scorch.IndexSnapshot); r == nil || ok && s == nil {
		return nil, errClosed
	}
	return r, nil
}

// denseDocs reports how many documents reader r has when they are numbered
// 0 to that count less one with none deleted, as a generation built once
// has them: every passage is then each number below it, which a search
// of every passage can count to instead of walking bleve's document
// reader. ok is false for a reader that is not a scorch snapshot or has
// deletions.
func denseDocs(r bindex.IndexReader) (n uint64, ok bool) {
	snap, isSnap := r.(*scorch.IndexSnapshot)
	if !isSnap || snap == nil {
		return 0, false
	}
	for _, seg := range snap.Segments() {
		if d := seg.Deleted(); d != nil && !d.IsEmpty() {
			return 0, false
		}
		n += seg.Count()
	}
	return n, true
}

// readerOf returns a reader of bi's current snapshot (openReader).
func readerOf(bi bleve.Index) (bindex.IndexReader, error) {
	idx, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	return openReader(idx)
}

// withScoringModel makes searchers built outside bleve's own search score
// as bleve's search would for index mapping m (see bleve's isBM25Enabled).
func withScoringModel(ctx context.Context, m mapping.IndexMapping) context.Context {
	scoring := bindex.DefaultScoringModel
	if im, ok := m.(*mapping.IndexMappingImpl); ok && im.ScoringModel == bindex.BM25Scoring {
		scoring = bindex.BM25Scoring
	}
	return context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string { return scoring }))
}

// mergeToOne merges the segments of a finished build into one. A
// generation never changes once built, so the build pays for the merge
// once: one term dictionary instead of ten to twenty, and each term's
// postings in one list, which every search reads.
func mergeToOne(ctx context.Context, bi bleve.Index) error {
	idx, err := bi.Advanced()
	if err != nil {
		return err
	}
	s, ok := idx.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// One task for all the segments: with the plan's ten per task, a
	// build of twenty segments was left with two.
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.SegmentsPerMergeTask = math.MaxInt32
	// A segment the background merger is writing, or the persister has
	// not yet written, sits out a force merge, which then returns at
	// once: merge again until one is left, waiting a little longer each
	// time. Eight quick tries left 7 segments on a machine at load 18.
	wait := 5 * time.Millisecond
	for deadline := time.Now().Add(mergeWait); ; {
		if err := s.ForceMerge(ctx, &opts); err != nil {
			return err
		}
		n, err := segmentCount(s)
		if err != nil || n <= 1 && persisted(s) || time.Now().After(deadline) {
			// Past the wait the index is still right, only slower
			// to search; the next build merges again.
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

// persisted reports whether scorch's persister has written the snapshot
// the index now reads: Close does not wait for it, and a build closed
// right after its merge was reopened with the ten segments it had before
// (TestBuildLeavesOneSegment, on a quiet machine).
func persisted(s *scorch.Scorch) bool {
	active, ok := s.StatsMap()["index_bgthreads_active"].(bool)
	return ok && !active
}

// mergeWait bounds how long mergeToOne waits for the persister: far more
// than a busy machine needs, so that a stuck merger cannot hold a build.
const mergeWait = 2 * time.Minute

func segmentCount(s *scorch.Scorch) (int, error) {
	r, err := s.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil {
		return 0, errClosed
	}
	return len(snap.Segments()), nil
}

// dropUnreferencedSegments removes the segment files in bleveDir that the
// latest snapshot does not read. Scorch deletes the files a merge replaced
// in the background, which a build that closes the index right after its
// final merge does not wait for, and it keeps an older snapshot for
// rollback, which a generation never uses. Left there, they doubled a
// generation of 1M passages on disk (2.95 GB for 1.55 GB read). It relies
// on scorch naming a segment's file by its id (zapFileName).
func dropUnreferencedSegments(bleveDir string) error {
	bi, err := bleve.OpenUsing(bleveDir, map[string]any{"read_only": true, "bolt_timeout": "2s"})
	if err != nil {
		return err
	}
	keep, err := snapshotFiles(bi)
	if cerr := bi.Close(); err == nil {
		err = cerr
	}
	if err != nil || len(keep) == 0 {
		// Not a scorch index, or nothing read: delete nothing.
		return err
	}
	store := filepath.Join(bleveDir, "store")
	entries, err := os.ReadDir(store)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".zap") && !keep[name] {
			if err := os.Remove(filepath.Join(store, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// snapshotFiles returns the names of the segment files bi's latest
// snapshot reads; nil when bi is not a scorch index.
func snapshotFiles(bi bleve.Index) (map[string]bool, error) {
	idx, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	s, ok := idx.(*scorch.Scorch)
	if !ok {
		return nil, nil
	}
	r, err := s.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil {
		return nil, errClosed
	}
	keep := map[string]bool{}
	for _, seg := range snap.Segments() {
		keep[fmt.Sprintf("%012x.zap", seg.Id())] = true
	}
	return keep, nil
}
