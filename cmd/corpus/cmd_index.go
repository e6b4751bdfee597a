package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/segment"
)

// indexUsage is the help of corpus index below its flags.
const indexUsage = `  corpus index                                  # index the embedded essay
  corpus index --data /srv/corpus               # into another data folder
  corpus index --source ~/texts                 # index your own folder instead
  corpus index --source news --source tmx       # several folders into one index
  corpus index --source ~/texts --with-default  # your folder and the essay
  corpus index --source ~/texts --strict        # all files good, or change nothing

A source folder is read recursively, following symbolic links (loops, links
out of the folder and links to what is read anyway are reported); hidden files
and folders are counted and not read, files of other formats skipped with a
notice; files in GB18030/GBK, Big5 or UTF-16 with a byte order mark are
decoded:
  *.md, *.txt          an article; optional YAML front matter between --- lines
                       (title, date as YYYY or YYYY-MM-DD, lang, source, author,
                       id); paragraphs are passages, their language detected
  NAME.en.md + NAME.zh.md
                       one bilingual document aligned paragraph by paragraph
                       (or .txt; language tags such as zh-Hant work too)
  *.tmx                TMX translation memory: each unit with an English and a
                       Chinese segment is a passage
  *.tsv                English<TAB>Chinese per line, optional header line
  *.po                 gettext catalogue: msgid English, msgstr Chinese
  entities.yaml        companies, people and products the texts name that the
                       built-in gazetteer lacks (or entities.json; top level only)

A bad file is reported as file:line: problem. Without --strict the good files
are indexed, a bad file keeps the passages the live generation has of it,
the new generation goes live, and the command exits with status 1.
`

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("index", "[flags]", indexUsage, stderr)
	data := fs.String("data", envOr("CORPUS_DATA", defaultDataDir()), "data folder holding index generations (env CORPUS_DATA)")
	var sources multiFlag
	fs.Var(&sources, "source", "`folder` of your own texts to index instead of the embedded essay (repeatable)")
	withDefault := fs.Bool("with-default", false, "with --source, index the embedded essay too")
	strict := fs.Bool("strict", false, "with --source, stop at the first bad file and leave the live index as it is")
	unaligned := fs.Bool("unaligned", false, "with --source, index a NAME.en/NAME.zh pair whose paragraphs do not align\nas two monolingual documents, NAME-en and NAME-zh, instead of reporting it")
	memLimit := fs.Int("memory-mb", defaultIndexMemoryMB, "soft limit of the build's Go heap in MiB: the garbage collector works harder\nrather than let the heap grow past it (env CORPUS_INDEX_MEMORY_MB; GOMEMLIMIT,\nwhen set, wins; 0: no limit)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("index takes no arguments, got %q; give folders with --source", fs.Args())}
	}
	if v := os.Getenv("CORPUS_INDEX_MEMORY_MB"); v != "" && !flagGiven(fs, "memory-mb") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return usageError{fmt.Sprintf("CORPUS_INDEX_MEMORY_MB must be a whole number of MiB, not %q", v)}
		}
		*memLimit = n
	}
	if *memLimit < 0 {
		return usageError{fmt.Sprintf("--memory-mb must be 0 or more, not %d", *memLimit)}
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && *memLimit > 0 {
		// Without a limit the heap of a build doubles its live data
		// between collections: 50 MB of Chinese text peaked at 1.03 GiB
		// RSS, 690 MiB with a 640 MiB limit (docs/PERFORMANCE.md).
		prev := debug.SetMemoryLimit(int64(*memLimit) << 20)
		defer debug.SetMemoryLimit(prev)
	}
	if len(sources) == 0 && (*withDefault || *strict || *unaligned) {
		return usageError{"--with-default, --strict and --unaligned apply to --source folders; give one"}
	}
	in, err := loadDocuments(ctx, sources, *withDefault, corpus.ReadOptions{Strict: *strict, Unaligned: *unaligned}, stderr)
	if err != nil {
		return err
	}
	kept, err := keepLastGood(ctx, *data, &in, stderr)
	if err != nil {
		return err
	}
	st, err := index.Build(ctx, *data, in.docs, in.gaz, index.BuildOptions{Progress: progressReporter(stderr)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "indexed %d documents, %d passages in %v (%.0f passages/s): generation %s in %s\n",
		st.Documents, st.Passages, st.Elapsed.Round(time.Millisecond),
		float64(st.Passages)/st.Elapsed.Seconds(), st.Generation, *data)
	if in.bad > 0 {
		msg := fmt.Sprintf("%d bad source files were not indexed (listed above); the rest is live", in.bad)
		if kept > 0 {
			msg += fmt.Sprintf(", with the last good version of %d of them", kept)
		}
		return errors.New(msg)
	}
	return nil
}

// keepLastGood adds to in the documents that the live generation of
// dataDir holds for source files that are bad now, as that generation
// indexed them: on a non-strict build a file that fails to read keeps its
// passages; only a file that is gone is gone. It says on report what it
// kept and returns how many bad files kept a document.
func keepLastGood(ctx context.Context, dataDir string, in *indexInput, report io.Writer) (int, error) {
	bad := map[string]bool{}
	for _, err := range in.badFiles {
		var fe *corpus.FileError
		var ae *corpus.AlignError
		switch {
		case errors.As(err, &ae):
			bad[ae.EN], bad[ae.ZH] = true, true
		case errors.As(err, &fe):
			bad[fe.Path] = true
		}
	}
	if len(bad) == 0 {
		return 0, nil
	}
	taken := map[string]bool{}
	for _, d := range in.docs {
		taken[d.ID] = true
	}
	docs, err := index.KeptDocuments(ctx, dataDir, func(origin string) bool {
		for o := range strings.SplitSeq(origin, ", ") {
			if bad[o] {
				return true
			}
		}
		return false
	})
	if err != nil {
		fmt.Fprintf(report, "warning: the live generation cannot give the last good version of the bad files: %v\n", err)
		return 0, nil
	}
	files := map[string]bool{}
	for _, d := range docs {
		if taken[d.ID] {
			fmt.Fprintf(report, "notice: %s: its last good version (document %s) is not kept: another file now has its id\n", d.Origin, d.ID)
			continue
		}
		fmt.Fprintf(report, "notice: %s: kept as the live generation has it (document %s, %d passages): the file is bad now\n", d.Origin, d.ID, len(d.Passages))
		in.docs = append(in.docs, d)
		for o := range strings.SplitSeq(d.Origin, ", ") {
			if bad[o] {
				files[o] = true
			}
		}
	}
	return len(files), nil
}

// defaultIndexMemoryMB is the default soft limit of a build's heap.
const defaultIndexMemoryMB = 640

// indexInput is what a build indexes.
type indexInput struct {
	docs []*corpus.Document
	gaz  *corpus.Gazetteer
	bad  int // source files reported and left out
	// badFiles are their errors (*corpus.FileError, *corpus.AlignError).
	badFiles []error
}

// loadDocuments reads what to index: the embedded essay without sources,
// else the source folders (and the essay with withDefault). It reports
// notices and bad files on report; in strict mode the first bad file is the
// error.
func loadDocuments(ctx context.Context, sources []string, withDefault bool, opts corpus.ReadOptions, report io.Writer) (indexInput, error) {
	var in indexInput
	var err error
	if in.gaz, err = corpus.DefaultGazetteer(); err != nil {
		return in, fmt.Errorf("load gazetteer: %w", err)
	}
	if len(sources) == 0 || withDefault {
		doc, err := corpus.Essay()
		if err != nil {
			return in, fmt.Errorf("load embedded essay: %w", err)
		}
		in.docs = append(in.docs, doc)
		opts.Reserved = map[string]string{doc.ID: "the embedded essay"}
	}
	if len(sources) == 0 {
		return in, nil
	}
	folders := make([]corpus.Folder, len(sources))
	for i, dir := range sources {
		fi, err := os.Stat(dir)
		if err != nil {
			return in, fmt.Errorf("source: %w", err)
		}
		if !fi.IsDir() {
			return in, fmt.Errorf("source %s: not a folder", dir)
		}
		folders[i] = corpus.Folder{Name: filepath.ToSlash(filepath.Clean(dir)), FS: os.DirFS(dir), Dir: dir}
	}
	opts.Gazetteer = in.gaz
	opts.PersonNames = segment.PersonNames()
	src, err := corpus.ReadSources(ctx, folders, opts)
	if err != nil {
		var fe *corpus.FileError
		var ae *corpus.AlignError
		if errors.As(err, &fe) || errors.As(err, &ae) {
			return in, fmt.Errorf("%s\n--strict: stopped at the first bad file; nothing indexed, the live index is unchanged", describeSourceError(err))
		}
		return in, err
	}
	for _, n := range src.Notices {
		fmt.Fprintln(report, "notice:", n)
	}
	for _, e := range src.Errors {
		fmt.Fprintln(report, "error:", describeSourceError(e))
	}
	passages := 0
	for _, d := range src.Documents {
		passages += len(d.Passages)
	}
	fmt.Fprintf(report, "read %d files from %d folders: %d documents, %d passages, %d entities; %d bad files\n",
		src.Files, len(folders), len(src.Documents), passages, len(src.Entities), len(src.Errors))
	if len(src.Documents) == 0 {
		return in, fmt.Errorf("no documents to index in %s; the live index is unchanged", strings.Join(sources, ", "))
	}
	in.docs = append(in.docs, src.Documents...)
	in.gaz = src.Gazetteer
	in.bad = len(src.Errors)
	in.badFiles = src.Errors
	return in, nil
}

// buildIndex builds a generation from the embedded essay, reporting
// progress on progress (a bar on a terminal, lines otherwise).
func buildIndex(ctx context.Context, dataDir string, progress io.Writer) (index.BuildStats, error) {
	in, err := loadDocuments(ctx, nil, false, corpus.ReadOptions{}, progress)
	if err != nil {
		return index.BuildStats{}, err
	}
	return index.Build(ctx, dataDir, in.docs, in.gaz, index.BuildOptions{Progress: progressReporter(progress)})
}

// describeSourceError is a bad file's error as the user reads it, with what
// to do about a pair that does not align.
func describeSourceError(err error) string {
	var ae *corpus.AlignError
	if errors.As(err, &ae) {
		return fmt.Sprintf("%v (if the texts do not correspond paragraph by paragraph, --unaligned indexes them as two monolingual documents)", err)
	}
	return err.Error()
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
