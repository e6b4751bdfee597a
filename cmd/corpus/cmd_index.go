package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("index", "[flags]", `  corpus index                      # index the embedded essay
  corpus index --data /srv/corpus   # into another data folder
`, stderr)
	data := fs.String("data", envOr("CORPUS_DATA", defaultDataDir()), "data folder holding index generations (env CORPUS_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("index takes no arguments, got %q", fs.Args())}
	}
	st, err := buildIndex(ctx, *data, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "indexed %d documents, %d passages in %v (%.0f passages/s): generation %s in %s\n",
		st.Documents, st.Passages, st.Elapsed.Round(time.Millisecond),
		float64(st.Passages)/st.Elapsed.Seconds(), st.Generation, *data)
	return nil
}

// buildIndex builds a generation from the embedded essay, reporting
// progress on progress (a bar on a terminal, lines otherwise).
func buildIndex(ctx context.Context, dataDir string, progress io.Writer) (index.BuildStats, error) {
	doc, err := corpus.Essay()
	if err != nil {
		return index.BuildStats{}, fmt.Errorf("load embedded essay: %w", err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return index.BuildStats{}, fmt.Errorf("load gazetteer: %w", err)
	}
	return index.Build(ctx, dataDir, []*corpus.Document{doc}, gaz, index.BuildOptions{Progress: progressReporter(progress)})
}

// progressReporter draws a bar on a terminal and logs a line every ten
// percent otherwise, so logs stay readable.
func progressReporter(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd()))
	start := time.Now()
	lastDecile := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		pct := done * 100 / total
		rate := float64(done) / time.Since(start).Seconds()
		if tty {
			const width = 30
			n := pct * width / 100
			fmt.Fprintf(w, "\r[%-*s] %3d%% %d/%d passages, %.0f/s", width, bar(n), pct, done, total, rate)
			if done == total {
				fmt.Fprintln(w)
			}
			return
		}
		if d := pct / 10; d != lastDecile {
			lastDecile = d
			fmt.Fprintf(w, "indexed %d/%d passages (%d%%), %.0f/s\n", done, total, pct, rate)
		}
	}
}

func bar(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '='
	}
	return string(b)
}
