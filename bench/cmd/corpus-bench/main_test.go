package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/bench"
	"github.com/corpus-dev/corpus/index"
)

// TestMain lets the test binary stand in for the program in the child
// builds it starts (it re-executes itself).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == childCommand {
		if err := runChild(context.Background(), os.Args[2:], os.Stdout); err != nil {
			os.Stderr.WriteString("corpus-bench: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestTinyRun runs the whole program on a tiny corpus, without wrk or
// binaries, and checks that the report has its sections. It asserts
// nothing about speed: figures on a shared machine say nothing in a test.
func TestTinyRun(t *testing.T) {
	if _, err := os.Stat("/usr/share/locale/zh_CN/LC_MESSAGES"); err != nil {
		t.Skip("no Chinese gettext catalogues on this machine")
	}
	out := filepath.Join(t.TempDir(), "PERFORMANCE.md")
	// The Lucene peer's stderr is copied into the same writer by exec's
	// goroutine while the run logs to it: the buffer must take turns.
	var stderr lockedBuffer
	err := run(t.Context(), []string{
		"-out", out, "-sizes", "essay,500", "-runs", "1", "-http=false", "-binaries=false",
		"-serial=false", "-query-time", "40ms", "-agreement-bytes", "20000", "-work", t.TempDir(),
	}, &bytes.Buffer{}, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, want := range []string{
		"## Targets", "## Corpora", "## Build", "## Chinese segmentation", "## Queries in-process",
		"| 500 | ours |", "| 500 | FTS5 |", "| essay | ours |", "Same number of hits on",
		"## Where the bytes go", "| postings |", "Index size vs Lucene (100k)",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q:\n%s", want, doc)
		}
	}
	// With Java and Lucene's jars, Lucene's columns; without, a notice.
	lucene := []string{"| 500 | Lucene |", "Against Lucene", "Lucene: same number of hits on"}
	if _, err := exec.LookPath("javac"); err != nil {
		lucene = []string{"Lucene peer skipped"}
	} else if jars, _ := filepath.Glob(filepath.Join(bench.JarDir, "lucene-smartcn*.jar")); len(jars) == 0 {
		if jars, _ = filepath.Glob(filepath.Join(bench.JarDir, "lucene-analyzers-smartcn*.jar")); len(jars) == 0 {
			lucene = []string{"Lucene peer skipped"}
		}
	}
	for _, want := range lucene {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q:\n%s", want, doc)
		}
	}
}

// TestPublicCommand: the regeneration command in the report names no
// folder of the machine the run used.
func TestPublicCommand(t *testing.T) {
	for in, want := range map[string]string{
		"go run ./bench/cmd/corpus-bench -out /tmp/x/p.md -json /tmp/x/r.json -sizes 100k,1m -runs 1 -work=/tmp/w -keep": "go run ./bench/cmd/corpus-bench -out docs/PERFORMANCE.md -sizes 100k,1m -runs 1",
		"go run ./bench/cmd/corpus-bench": "go run ./bench/cmd/corpus-bench -out docs/PERFORMANCE.md",
	} {
		if got := publicCommand(in); got != want {
			t.Errorf("publicCommand(%q) = %q, want %q", in, got, want)
		}
	}
	if got := publicPath("/root/go/pkg/mod/github.com/go-ego/gse@v0.80.3/testdata/zh/x.txt"); got != "$(go env GOMODCACHE)/github.com/go-ego/gse@v0.80.3/testdata/zh/x.txt" {
		t.Errorf("publicPath = %q", got)
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestTimeConcurrently: eight goroutines ask, no more searches run at once
// than the machine has cores, every goroutine searches at least once, and
// a search's error comes back instead of timings.
func TestTimeConcurrently(t *testing.T) {
	qs := []bench.Query{{Q: index.Query{Text: "a"}}, {Q: index.Query{Text: "b"}}}
	var mu sync.Mutex
	running, most := 0, 0
	ds, err := timeConcurrently(0, concurrency, qs, func(bench.Query) error {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		time.Sleep(time.Millisecond)
		mu.Lock()
		running--
		mu.Unlock()
		return nil
	})
	if err != nil || len(ds) < concurrency {
		t.Fatalf("%d latencies (%v), want at least %d", len(ds), err, concurrency)
	}
	if most > runtime.NumCPU() {
		t.Errorf("%d searches at once on %d cores", most, runtime.NumCPU())
	}
	boom := errors.New("boom")
	if _, err := timeConcurrently(0, concurrency, qs, func(q bench.Query) error {
		if q.Q.Text == "b" {
			return boom
		}
		return nil
	}); !errors.Is(err, boom) {
		t.Errorf("a failing search: %v", err)
	}
}
