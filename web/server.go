package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

//go:embed templates static i18n api
var files embed.FS

// Searcher is what the site needs from the index.
type Searcher interface {
	// Search runs q. An error wrapping index.ErrBadQuery is the user's
	// fault and is shown to them (400).
	Search(ctx context.Context, q index.Query) (*index.Results, error)
	// Scan calls fn with each of the first limit (at most
	// index.MaxExport) hits of q in order, ignoring q's page and size,
	// with the total number of matches; it counts no facets. Errors as
	// Search's; an error of fn ends it and is returned.
	Scan(ctx context.Context, q index.Query, limit int, fn func(total int, h index.Hit) error) error
	// Passage returns a passage with its neighbours; an error wrapping
	// corpus.ErrNotFound when there is none (404).
	Passage(ctx context.Context, id string) (*index.PassageContext, error)
	// Document returns a document with its Passages in reading order and
	// its References; an error wrapping corpus.ErrNotFound when there is
	// none (404).
	Document(ctx context.Context, id string) (*corpus.Document, error)
	// DocumentInfo returns a document's metadata and its number of
	// passages; an error wrapping corpus.ErrNotFound when there is none.
	DocumentInfo(ctx context.Context, id string) (index.DocumentInfo, error)
	// DocumentPassages returns the passages of a document at positions
	// from (inclusive) to to (exclusive), in reading order, cut at its end.
	DocumentPassages(ctx context.Context, id string, from, to int) ([]corpus.Passage, error)
	// Mark returns where the words of q are in each passage of ps:
	// passage ID → side → spans. Errors as Search's.
	Mark(ctx context.Context, q index.Query, ps []corpus.Passage) (map[string]map[corpus.Lang][]index.Span, error)
	// Documents lists every document's metadata.
	Documents(ctx context.Context) ([]index.DocumentInfo, error)
	// Stats describes the open index.
	Stats() index.Stats
	// LabelZH returns the Chinese label of a canonical entity name, "" if
	// the gazetteer has none.
	LabelZH(name string) string
	// Suggest returns up to n words and entities of the corpus completing
	// prefix; DidYouMean a query near text that finds something, "" if
	// none (index.Index.Suggest, DidYouMean).
	Suggest(ctx context.Context, prefix string, n int) ([]index.Suggestion, error)
	DidYouMean(ctx context.Context, text string) (string, error)
}

// Config is what New needs.
type Config struct {
	Searcher Searcher     // required
	Logger   *slog.Logger // nil discards logs
	// Version names the running build; shown in the footer and /healthz.
	Version string
	// RequestTimeout bounds each request's work; 0 means 5 seconds.
	RequestTimeout time.Duration
	// MaxInFlight is how many requests are served at once; as many more
	// wait up to 100 ms for a turn and the rest get 503 with Retry-After.
	// 0 means 4 per core.
	MaxInFlight int
	// WriteStall is how long a write to a client may make no progress
	// before the connection is cut; 0 means 10 seconds. An answer as a
	// whole has no time limit: a client reading slowly but steadily gets
	// it all. The http.Server should then have no WriteTimeout.
	WriteStall time.Duration
	// Conns, when set, is the limiter on the server's connections, shown
	// in /healthz and /metrics.
	Conns *ConnLimiter
}

// Limits of the serving layer.
const (
	defaultTimeout = 5 * time.Second
	bodyLimit      = "1M" // no route takes a body; this only refuses floods
)

// contentSecurityPolicy allows only our own scripts, styles and images, so
// an injected tag or inline handler would not run even if escaping failed.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// server holds what the handlers share; handlers are its methods.
type server struct {
	searcher Searcher
	log      *slog.Logger
	version  string
	// assetVersion is a hash of the static files, appended to their URLs
	// so they can be cached for a year and still change with a release.
	assetVersion string
	cat          *catalog
	pages        *renderer
	openapi      []byte
	limit        *limiter
	conns        *ConnLimiter
	metrics      *metrics
	kept         keptJSON // the JSON of the index's kept answers
}

// New returns the site's handler. It parses every template and translation
// now and returns an error if any is broken or a translation is missing.
func New(cfg Config) (http.Handler, error) {
	_, e, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	return headAsGet(e), nil
}

// newServer is New, also returning the server for tests to look into.
func newServer(cfg Config) (*server, *echo.Echo, error) {
	if cfg.Searcher == nil {
		return nil, nil, errors.New("web: config has no searcher")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = defaultTimeout
	}
	if cfg.WriteStall <= 0 {
		cfg.WriteStall = writeStall
	}
	cat, err := loadCatalog(files)
	if err != nil {
		return nil, nil, err
	}
	pages, err := parseTemplates(files)
	if err != nil {
		return nil, nil, err
	}
	assets, err := hashFiles(files, "static")
	if err != nil {
		return nil, nil, err
	}
	openapi, err := files.ReadFile("api/openapi.json")
	if err != nil {
		return nil, nil, fmt.Errorf("read openapi document: %w", err)
	}
	s := &server{
		searcher:     cfg.Searcher,
		log:          cfg.Logger,
		version:      cfg.Version,
		assetVersion: assets,
		cat:          cat,
		pages:        pages,
		openapi:      openapi,
		limit:        newLimiter(cfg.MaxInFlight, shedWait),
		conns:        cfg.Conns,
	}
	s.metrics = newMetrics(s, s.limit, cfg.Conns)

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Logger.SetOutput(slogWriter{cfg.Logger})
	e.Renderer = pages
	e.HTTPErrorHandler = s.handleError
	// Outermost first: every write has a stall deadline, the log sees the
	// final status, headers are set on error pages too, an undecodable
	// parameter is refused before anything else, and a panic becomes an
	// error the log and the error handler see.
	e.Use(
		stalls(cfg.WriteStall),
		s.logRequests,
		securityHeaders,
		checkParams,
		s.shed(s.limit),
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			DisableErrorHandler: true,
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				return &panicError{err: err, stack: stack}
			},
		}),
		middleware.BodyLimit(bodyLimit),
		middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: cfg.RequestTimeout}),
	)
	s.routes(e)
	return s, e, nil
}

// logRequests logs one structured line per request. It hands a returned
// error to the error handler first, so the status logged is the one sent.
func (s *server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		ctx := c.Request().Context()
		if err := next(c); err != nil {
			c.Error(err)
		}
		res := c.Response()
		took := time.Since(start)
		s.metrics.observe(c, res.Status, took)
		method := c.Request().Method
		if isHead(c) {
			method = http.MethodHead
		}
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelWarn
		}
		s.log.LogAttrs(ctx, level, "request",
			slog.String("method", method),
			slog.String("path", c.Request().URL.Path),
			slog.Int("status", res.Status),
			slog.Duration("duration", took),
			slog.Int64("bytes", res.Size),
		)
		return nil
	}
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		return next(c)
	}
}

// longCache lets browsers keep static files for a year: their URLs carry
// the hash of their content, so a changed file has a new URL. Errors are
// not cached.
func longCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		res.Before(func() {
			if res.Status < 400 {
				res.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
		})
		return next(c)
	}
}

// slogWriter sends what echo's own logger writes (rare warnings such as a
// response written twice) to slog, so all output is structured.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.log.Warn("echo", "line", strings.TrimSpace(string(p)))
	return len(p), nil
}

// panicError is a recovered panic with the stack where it happened.
type panicError struct {
	err   error
	stack []byte
}

func (p *panicError) Error() string { return "panic: " + p.err.Error() }
func (p *panicError) Unwrap() error { return p.err }

// hashFiles returns a short hash of every file under dir of fsys.
func hashFiles(fsys fs.FS, dir string) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash static files: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}
