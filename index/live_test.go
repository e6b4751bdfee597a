package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/corpus"
)

// tinyDocs is a small bilingual corpus; tag varies the text so builds differ.
func tinyDocs(tag string, n int) []*corpus.Document {
	d := &corpus.Document{ID: "tiny", Title: corpus.Text{EN: "Tiny " + tag, ZH: "小" + tag}, Date: "2020", Origin: "test"}
	for i := range n {
		d.Passages = append(d.Passages, corpus.Passage{
			ID: corpus.PassageID("tiny", i), Doc: "tiny", Position: i, Section: corpus.SectionBody,
			Text:      corpus.Text{EN: "Huawei builds networks " + tag, ZH: "华为建设网络" + tag},
			Companies: []string{"Huawei"}, Years: []int{2000 + i%20},
		})
	}
	return []*corpus.Document{d}
}

func testGazetteer(t testing.TB) *corpus.Gazetteer {
	t.Helper()
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func build(t testing.TB, dir string, docs []*corpus.Document) BuildStats {
	t.Helper()
	st, err := Build(t.Context(), dir, docs, testGazetteer(t), BuildOptions{BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// buildOpen builds docs in a folder of the test's and opens the
// generation, which closes when the test ends.
func buildOpen(t testing.TB, docs []*corpus.Document, opts BuildOptions) *Index {
	t.Helper()
	dir := t.TempDir()
	st, err := Build(t.Context(), dir, docs, testGazetteer(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(filepath.Join(dir, st.Generation))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestInterruptedBuildLeavesLiveGeneration(t *testing.T) {
	dir := t.TempDir()
	first := build(t, dir, tinyDocs("one", 30))
	live, err := OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, err = Build(ctx, dir, tinyDocs("two", 50), testGazetteer(t), BuildOptions{
		BatchSize: 10,
		Progress: func(done, total int) {
			if done >= 20 {
				cancel() // midway
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: err = %v, want context.Canceled", err)
	}
	if cur, _ := Current(dir); cur != first.Generation {
		t.Errorf("CURRENT = %s after a failed build, want %s", cur, first.Generation)
	}
	if switched, err := live.Reload(); switched || err != nil {
		t.Errorf("Reload after failed build = %v, %v", switched, err)
	}
	r, err := live.Search(t.Context(), Query{Text: "one"})
	if err != nil || r.Total != 30 {
		t.Errorf("old generation: total %v, err %v; want 30 passages", r.Total, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, buildPrefix+"*"))
	if len(leftovers) > 0 {
		t.Errorf("failed build left %v", leftovers)
	}
}

// A killed build leaves a build folder behind; the next build removes it.
func TestNextBuildCleansDebris(t *testing.T) {
	dir := t.TempDir()
	build(t, dir, tinyDocs("one", 3))
	debris := filepath.Join(dir, buildPrefix+"19990101T000000.000000000")
	if err := os.MkdirAll(filepath.Join(debris, bleveDir), 0o755); err != nil {
		t.Fatal(err)
	}
	build(t, dir, tinyDocs("two", 3))
	build(t, dir, tinyDocs("three", 3))
	if _, err := os.Stat(debris); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("debris of a killed build still there: %v", err)
	}
	gens, _ := generations(dir)
	if len(gens) != keepGenerations {
		t.Errorf("generations after three builds = %v, want %d kept", gens, keepGenerations)
	}
}

func TestLiveFollowsNewGeneration(t *testing.T) {
	dir := t.TempDir()
	build(t, dir, tinyDocs("one", 3))
	live, err := OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	second := build(t, dir, tinyDocs("two", 5))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { live.Watch(ctx, 10*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for live.Stats().Generation != second.Generation && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if got := live.Stats(); got.Generation != second.Generation || got.Passages != 5 {
		t.Fatalf("live serves %+v, want generation %s with 5 passages", got, second.Generation)
	}
	r, err := live.Search(t.Context(), Query{Text: "two"})
	if err != nil || r.Total != 5 {
		t.Errorf("search after switch: %v hits, err %v", r.Total, err)
	}
}

// TestClosedLiveStaysClosed: a Reload after Close (a request finishing
// late, a watcher's last tick) does not open a generation again.
func TestClosedLiveStaysClosed(t *testing.T) {
	dir := t.TempDir()
	build(t, dir, tinyDocs("one", 3))
	live, err := OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := live.Close(); err != nil {
		t.Fatal(err)
	}
	build(t, dir, tinyDocs("two", 5))
	if switched, err := live.Reload(); switched || err != nil {
		t.Errorf("Reload after Close: switched %v, err %v", switched, err)
	}
	if st := live.Stats(); st.Generation != "" {
		t.Errorf("closed Live serves %s", st.Generation)
	}
	if _, err := live.Search(t.Context(), Query{Text: "two"}); err == nil {
		t.Error("closed Live answered a search")
	}
}

func TestDamagedGenerationIsRefused(t *testing.T) {
	dir := t.TempDir()
	first := build(t, dir, tinyDocs("one", 20))
	second := build(t, dir, tinyDocs("two", 20))
	segs, _ := filepath.Glob(filepath.Join(dir, second.Generation, bleveDir, "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("no segment files to damage")
	}
	if err := os.Truncate(segs[0], 10); err != nil {
		t.Fatal(err)
	}
	_, err := Open(filepath.Join(dir, second.Generation))
	if err == nil || !strings.Contains(err.Error(), filepath.Base(segs[0])) {
		t.Errorf("Open(damaged) error = %v, want one naming %s", err, filepath.Base(segs[0]))
	}
	live, err := OpenLive(dir, nil)
	if err != nil {
		t.Fatalf("OpenLive with a damaged live generation: %v", err)
	}
	defer live.Close()
	if got := live.Stats().Generation; got != first.Generation {
		t.Errorf("fell back to %s, want the previous verified generation %s", got, first.Generation)
	}
	// Deleting a segment is caught the same way.
	os.Remove(segs[0])
	if _, err := Open(filepath.Join(dir, second.Generation)); err == nil {
		t.Error("Open with a deleted segment succeeded")
	}
}

func TestNoIndex(t *testing.T) {
	_, err := OpenLive(t.TempDir(), nil)
	if !errors.Is(err, ErrNoIndex) {
		t.Errorf("OpenLive(empty) = %v, want ErrNoIndex", err)
	}
}

func TestDuplicateDocumentIDs(t *testing.T) {
	a, b := tinyDocs("a", 1), tinyDocs("b", 1)
	a[0].Origin, b[0].Origin = "a.md", "b.md"
	_, err := Build(t.Context(), t.TempDir(), append(a, b...), testGazetteer(t), BuildOptions{})
	if err == nil || !strings.Contains(err.Error(), "a.md") || !strings.Contains(err.Error(), "b.md") {
		t.Errorf("duplicate ids: err = %v, want one naming both files", err)
	}
}

// A lost CURRENT does not hide complete generations.
func TestMissingCurrentServesNewestGeneration(t *testing.T) {
	dir := t.TempDir()
	build(t, dir, tinyDocs("one", 3))
	second := build(t, dir, tinyDocs("two", 4))
	if err := os.Remove(filepath.Join(dir, currentFile)); err != nil {
		t.Fatal(err)
	}
	live, err := OpenLive(dir, nil)
	if err != nil {
		t.Fatalf("OpenLive without CURRENT: %v", err)
	}
	defer live.Close()
	if got := live.Stats().Generation; got != second.Generation {
		t.Errorf("serving %s, want the newest generation %s", got, second.Generation)
	}
	if switched, err := live.Reload(); switched || err != nil {
		t.Errorf("Reload without CURRENT = %v, %v; want to keep serving", switched, err)
	}
}
