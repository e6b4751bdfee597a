package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// command is one subcommand: a plain function tests call in-process.
type command struct {
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	summary string
}

var commands = map[string]command{
	"serve":       {runServe, "serve the search UI and JSON API"},
	"index":       {runIndex, "build a new index generation and switch to it"},
	"search":      {runSearch, "search the index from the terminal"},
	"version":     {runVersion, "print the version"},
	"healthcheck": {runHealthcheck, "check that a running server answers (for containers)"},
}

// usageError is a mistake in how the command was called: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errNoMatch is a search that found nothing: exit code 1, and main prints
// it on stderr so that a script's log says why (stdout stays empty).
var errNoMatch = errors.New("no passage matched")

// errSilent marks errors already reported (e.g. flag's own usage text).
var errSilent = errors.New("silent")

func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue), errors.Is(err, errUsageShown):
		return 2
	default:
		return 1
	}
}

// errUsageShown means the flag package already printed the problem and
// the usage text.
var errUsageShown = fmt.Errorf("bad usage: %w", errSilent)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return errUsageShown
		}
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("unknown command %q; run 'corpus help'", args[0])}
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "corpus: a searchable Chinese–English corpus.\n\nUsage:\n  corpus <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'corpus <command> --help' for a command's flags and examples.")
}

// newFlags returns a flag set that prints usage with examples to stderr
// and reports errors without exiting.
func newFlags(name, synopsis, examples string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: corpus %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		if examples != "" {
			fmt.Fprintf(stderr, "\nExamples:\n%s", examples)
		}
	}
	return fs
}

// parseFlags parses args, mapping flag errors to usage errors and --help
// to a clean exit.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return errHelp
	case err != nil:
		return errUsageShown
	}
	return nil
}

// errHelp is --help: usage was printed, exit 0.
var errHelp = errors.New("help")

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// defaultDataDir is where index generations live unless --data says: the
// user's cache folder, since an index can always be rebuilt from sources.
func defaultDataDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "corpus")
	}
	return "corpus-data"
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}
