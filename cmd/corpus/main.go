// Command corpus indexes and serves a searchable Chinese–English corpus.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, errSilent) && !errors.Is(err, errHelp) {
		fmt.Fprintln(os.Stderr, "corpus:", err)
	}
	os.Exit(exitCode(err))
}
