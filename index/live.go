package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corpus-dev/corpus/corpus"
)

// Live serves the live generation of a data folder and follows it: when a
// build switches CURRENT, Reload opens the new generation, sends new
// requests to it, and closes the old one once its last request is done.
// A Live is safe for concurrent use.
type Live struct {
	dataDir string
	log     *slog.Logger

	mu         sync.RWMutex
	cur        *handle
	failed     map[string]bool // generations that failed to open or verify; not retried
	closed     bool
	cacheBytes int64 // for each generation opened (SetCacheBytes)
	tokenBytes int64 // likewise (SetTokenCacheBytes)

	fallMu sync.Mutex // one fallback at a time
}

type handle struct {
	ix       *Index
	name     string
	refs     sync.WaitGroup
	reported atomic.Bool // its damage was logged with nowhere to fall back
}

// OpenLive opens the live generation of dataDir. If it is damaged, OpenLive
// falls back to the newest older generation that verifies, and logs which;
// it never serves a generation that failed verification.
func OpenLive(dataDir string, log *slog.Logger) (*Live, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Live{dataDir: dataDir, log: log, cacheBytes: DefaultCacheBytes, tokenBytes: DefaultTokenCacheBytes, failed: map[string]bool{}}
	name, err := Current(dataDir)
	var openErr error
	switch {
	case errors.Is(err, ErrNoIndex):
		// CURRENT lost (deleted by hand, a bad restore): complete
		// generations may still be there, and serving the newest that
		// verifies beats building anew.
		openErr = err
	case err != nil:
		return nil, err
	default:
		ix, err := Open(filepath.Join(dataDir, name))
		if err == nil {
			l.noteTable(ix, name)
			l.cur = &handle{ix: ix, name: name}
			return l, nil
		}
		openErr = err
		l.failed[name] = true
	}
	gens, gerr := generations(dataDir)
	if gerr != nil && !errors.Is(gerr, fs.ErrNotExist) {
		return nil, errors.Join(openErr, gerr)
	}
	for _, g := range gens {
		if g == name {
			continue
		}
		ix, err := Open(filepath.Join(dataDir, g))
		if err != nil {
			log.Warn("older generation unusable too", "generation", g, "err", err)
			continue
		}
		log.Error("live generation unusable; serving the newest older one that verifies", "err", openErr, "serving", g)
		l.noteTable(ix, g)
		l.cur = &handle{ix: ix, name: g}
		return l, nil
	}
	return nil, openErr
}

// Reload switches to the live generation if CURRENT names a new one. It
// reports whether it switched; on error the current generation stays.
func (l *Live) Reload() (bool, error) {
	name, err := Current(l.dataDir)
	if errors.Is(err, ErrNoIndex) {
		return false, nil // nothing newer to switch to; keep serving
	}
	if err != nil {
		return false, err
	}
	l.mu.RLock()
	cur := l.cur
	same := l.closed || cur != nil && cur.name == name || l.failed[name]
	l.mu.RUnlock()
	if same {
		return false, nil
	}
	ix, err := Open(filepath.Join(l.dataDir, name))
	if err != nil {
		l.mu.Lock()
		l.failed[name] = true
		l.mu.Unlock()
		return false, err
	}
	return l.swap(cur, ix, name, ""), nil
}

// swap sends new requests to ix, if the live generation is still
// expected, and closes the generation it replaces once that one's requests
// are done; failed, if not empty, is marked as not to be opened again. If
// another switch or Close came first, ix is closed instead: a Live never
// opens again after Close, and a slow fallback never replaces the newer
// generation a Reload installed meanwhile.
func (l *Live) swap(expected *handle, ix *Index, name, failed string) bool {
	l.mu.Lock()
	if l.closed || l.cur != expected {
		l.mu.Unlock()
		if err := ix.Close(); err != nil {
			l.log.Warn("close generation opened too late", "generation", name, "err", err)
		}
		return false
	}
	if failed != "" {
		l.failed[failed] = true
	}
	ix.SetCacheBytes(l.cacheBytes)
	ix.SetTokenCacheBytes(l.tokenBytes)
	l.noteTable(ix, name)
	old := l.cur
	l.cur = &handle{ix: ix, name: name}
	l.mu.Unlock()
	if old != nil {
		go func() {
			old.refs.Wait()
			if err := old.ix.Close(); err != nil {
				l.log.Warn("close old generation", "generation", old.name, "err", err)
			}
		}()
	}
	return true
}

// noteTable logs why a generation's facet table file was not used.
func (l *Live) noteTable(ix *Index, name string) {
	// A generation built before there was a table file has none: nothing
	// to warn about.
	if err := ix.TableError(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		l.log.Warn("facet table file unusable; reading the columns from the index instead (slower first searches)", "generation", name, "err", err)
	}
}

// checkDamage moves to the newest older generation that opens when the
// background verification of the live one has found a damaged file (see
// verifyInlineBytes). Without damage it costs a read lock and an atomic
// load per request.
func (l *Live) checkDamage() {
	l.mu.RLock()
	h := l.cur
	l.mu.RUnlock()
	if h == nil || h.reported.Load() {
		return
	}
	derr := h.ix.Damaged()
	if derr == nil {
		return
	}
	l.fallMu.Lock()
	defer l.fallMu.Unlock()
	l.mu.RLock()
	moved := l.cur != h
	l.mu.RUnlock()
	if moved || h.reported.Load() {
		return
	}
	gens, err := generations(l.dataDir)
	if err != nil {
		gens = nil
	}
	for _, g := range gens {
		l.mu.RLock()
		skip := g >= h.name || l.failed[g] // newer ones are CURRENT's business
		l.mu.RUnlock()
		if skip {
			continue
		}
		ix, err := Open(filepath.Join(l.dataDir, g))
		if err != nil {
			l.log.Warn("older generation unusable too", "generation", g, "err", err)
			continue
		}
		if l.swap(h, ix, g, h.name) {
			l.log.Error("live generation damaged; serving the newest older one that verifies", "err", derr, "serving", g)
		}
		return
	}
	h.reported.Store(true)
	l.log.Error("live generation damaged and no older generation verifies; still serving it: rebuild with 'corpus index'", "err", derr)
}

// SetCacheBytes bounds the memory each generation spends on the answers it
// keeps (DefaultCacheBytes unless set); 0 keeps none.
func (l *Live) SetCacheBytes(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cacheBytes = n
	if l.cur != nil {
		l.cur.ix.SetCacheBytes(n)
	}
}

// SetTokenCacheBytes bounds the memory each generation spends on the
// analysis of passages kept for highlighting (DefaultTokenCacheBytes
// unless set); 0 keeps none.
func (l *Live) SetTokenCacheBytes(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokenBytes = n
	if l.cur != nil {
		l.cur.ix.SetTokenCacheBytes(n)
	}
}

// Caches reports the memory each cache of the live generation holds.
func (l *Live) Caches() []CacheStats {
	h, err := l.acquire()
	if err != nil {
		return nil
	}
	defer h.refs.Done()
	return h.ix.Caches()
}

// Watch polls for a new generation every interval until ctx is done.
func (l *Live) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.checkDamage()
			switched, err := l.Reload()
			if err != nil {
				l.log.Error("new generation unusable; still serving the old one", "err", err)
			} else if switched {
				l.log.Info("switched to new generation", "generation", l.Stats().Generation)
			}
		}
	}
}

// Close closes the live generation after its requests finish.
func (l *Live) Close() error {
	l.mu.Lock()
	h := l.cur
	l.cur = nil
	l.closed = true
	l.mu.Unlock()
	if h == nil {
		return nil
	}
	h.refs.Wait()
	return h.ix.Close()
}

// acquire returns the live index, which stays open until release.
func (l *Live) acquire() (*handle, error) {
	l.checkDamage()
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return nil, fmt.Errorf("serve: %w", errClosed)
	}
	l.cur.refs.Add(1)
	return l.cur, nil
}

// Search runs q on the live generation.
func (l *Live) Search(ctx context.Context, q Query) (*Results, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Search(ctx, q)
}

// Scan calls fn with the first limit hits of q on the live generation (see
// Index.Scan).
func (l *Live) Scan(ctx context.Context, q Query, limit int, fn func(total int, h Hit) error) error {
	h, err := l.acquire()
	if err != nil {
		return err
	}
	defer h.refs.Done()
	return h.ix.Scan(ctx, q, limit, fn)
}

// Passage returns a passage of the live generation.
func (l *Live) Passage(ctx context.Context, id string) (*PassageContext, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Passage(ctx, id)
}

// Document returns a document of the live generation.
func (l *Live) Document(ctx context.Context, id string) (*corpus.Document, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Document(ctx, id)
}

// Documents lists the documents of the live generation.
func (l *Live) Documents(ctx context.Context) ([]DocumentInfo, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Documents(ctx)
}

// Stats describes the live generation.
func (l *Live) Stats() Stats {
	h, err := l.acquire()
	if err != nil {
		return Stats{}
	}
	defer h.refs.Done()
	return h.ix.Stats()
}

// LabelZH returns the Chinese label of an entity in the live generation.
func (l *Live) LabelZH(name string) string {
	h, err := l.acquire()
	if err != nil {
		return ""
	}
	defer h.refs.Done()
	return h.ix.LabelZH(name)
}

// Suggest completes a prefix from the live generation (see Index.Suggest).
func (l *Live) Suggest(ctx context.Context, prefix string, n int) ([]Suggestion, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Suggest(ctx, prefix, n)
}

// DidYouMean corrects a query that finds nothing on the live generation
// (see Index.DidYouMean).
func (l *Live) DidYouMean(ctx context.Context, text string) (string, error) {
	h, err := l.acquire()
	if err != nil {
		return "", err
	}
	defer h.refs.Done()
	return h.ix.DidYouMean(ctx, text)
}
