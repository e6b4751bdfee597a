package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/corpus-dev/corpus/corpus"
)

// KeptDocuments returns, whole and as they were indexed, the documents of
// the live generation of dataDir whose Origin keep accepts: what a build
// carries over for source files that fail to read today, so that a typo
// in a catalogue does not take its passages out of the live corpus. No live
// generation (or one this program cannot read) keeps nothing and is no
// error: there is nothing to keep.
func KeptDocuments(ctx context.Context, dataDir string, keep func(origin string) bool) ([]*corpus.Document, error) {
	name, err := Current(dataDir)
	if err != nil {
		return nil, nil
	}
	var want []string
	ids, err := manifestOrigins(dataDir, name)
	if err != nil {
		return nil, nil
	}
	for _, d := range ids {
		if keep(d.origin) {
			want = append(want, d.id)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	ix, err := Open(filepath.Join(dataDir, name))
	if err != nil {
		if errors.Is(err, ErrFormat) {
			return nil, nil
		}
		return nil, fmt.Errorf("read live generation %s: %w", name, err)
	}
	defer ix.Close()
	var out []*corpus.Document
	for _, id := range want {
		d, err := ix.Document(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("read live generation %s: %w", name, err)
		}
		out = append(out, d)
	}
	return out, nil
}
