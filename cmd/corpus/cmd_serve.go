package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/web"
)

// Server limits. A search answers in milliseconds; anything slower is a
// slow or hostile client. There is no write timeout on a whole answer: the
// site cuts a client whose reading stalls (web.Config.WriteStall), so a
// slow but steady reader still gets a large export.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 10 * time.Second
	reloadInterval    = time.Second
	// maxConnsDefault caps connections when --max-conns is 0, unless the
	// file limit is lower: an idle connection costs ~20 KiB.
	maxConnsDefault = 4096
	// maxServeLimit bounds --cache-mb and --max-in-flight: a million MiB
	// is a terabyte, and larger numbers would overflow into nonsense.
	maxServeLimit = 1 << 20
	// maxServeSecs bounds the timeouts: the request timeout is all that
	// bounds a search, and a typo of a day would let one run that long.
	maxServeSecs = 600
)

// serveOptions are serve's flags, after the environment.
type serveOptions struct {
	addr, data         string
	cacheMB, tokenMB   int
	inFlight, maxConns int
	requestSecs        int
	shutdownSecs       int
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	nofile, err := raiseFileLimit()
	if err != nil {
		log.Warn("read the open-file limit", "err", err)
	}
	if o.maxConns == 0 {
		o.maxConns = maxConnsDefault
		if nofile > 0 {
			// A quarter of the files (at least 64) stays for the index,
			// the log and the listener.
			o.maxConns = min(o.maxConns, int(min(nofile-max(64, nofile/4), 1<<30)))
		}
	}
	live, err := openServeIndex(ctx, o.data, stderr, log)
	if err != nil {
		return err
	}
	live.SetCacheBytes(int64(o.cacheMB) << 20)
	live.SetTokenCacheBytes(int64(o.tokenMB) << 20)
	defer func() {
		if err := live.Close(); err != nil {
			log.Error("close index", "err", err)
		}
	}()
	st := live.Stats()
	log.Info("index open", "generation", st.Generation, "documents", st.Documents, "passages", st.Passages)
	return serve(ctx, o, live, st, nofile, stdout, log)
}

// parseServeFlags reads serve's flags and, for those not given, their
// environment variables.
func parseServeFlags(args []string, stderr io.Writer) (serveOptions, error) {
	fs := newFlags("serve", "[flags]", `  corpus serve                         # http://localhost:8080
  corpus serve --addr :9000 --data /srv/corpus
  CORPUS_ADDR=0.0.0.0:8080 corpus serve
`, stderr)
	var o serveOptions
	fs.StringVar(&o.addr, "addr", envOr("CORPUS_ADDR", "localhost:8080"), "address to listen on (env CORPUS_ADDR)")
	fs.StringVar(&o.data, "data", envOr("CORPUS_DATA", defaultDataDir()), "data folder holding index generations (env CORPUS_DATA)")
	fs.IntVar(&o.cacheMB, "cache-mb", index.DefaultCacheBytes>>20, "MiB of recent answers kept per index generation; 0 keeps none (env CORPUS_CACHE_MB)")
	fs.IntVar(&o.tokenMB, "token-cache-mb", index.DefaultTokenCacheBytes>>20, "MiB of analysed passages kept for highlighting per index generation; 0 keeps none (env CORPUS_TOKEN_CACHE_MB)")
	fs.IntVar(&o.inFlight, "max-in-flight", 0, "requests served at once; as many more wait up to 100 ms, the rest get 503 (0: 4 per core) (env CORPUS_MAX_IN_FLIGHT)")
	fs.IntVar(&o.maxConns, "max-conns", 0, "client connections held at once; near it idle ones are closed, past it new ones get 503 (0: 4096 or three quarters of the open-file limit, whichever is lower) (env CORPUS_MAX_CONNS)")
	fs.IntVar(&o.requestSecs, "request-timeout", 5, "seconds a request may search and render before it gets 503; 0: 5 (env CORPUS_REQUEST_TIMEOUT)")
	fs.IntVar(&o.shutdownSecs, "shutdown-timeout", int(shutdownTimeout/time.Second), "seconds given to requests in flight on SIGTERM before their connections are cut (env CORPUS_SHUTDOWN_TIMEOUT)")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	for _, f := range []struct {
		flag, env string
		v         *int
		max       int
	}{{"cache-mb", "CORPUS_CACHE_MB", &o.cacheMB, maxServeLimit}, {"token-cache-mb", "CORPUS_TOKEN_CACHE_MB", &o.tokenMB, maxServeLimit},
		{"max-in-flight", "CORPUS_MAX_IN_FLIGHT", &o.inFlight, maxServeLimit}, {"max-conns", "CORPUS_MAX_CONNS", &o.maxConns, maxServeLimit},
		{"request-timeout", "CORPUS_REQUEST_TIMEOUT", &o.requestSecs, maxServeSecs}, {"shutdown-timeout", "CORPUS_SHUTDOWN_TIMEOUT", &o.shutdownSecs, maxServeSecs}} {
		if v := os.Getenv(f.env); v != "" && !flagGiven(fs, f.flag) {
			n, err := strconv.Atoi(v)
			if err != nil {
				return o, usageError{fmt.Sprintf("%s must be a whole number, not %q", f.env, v)}
			}
			*f.v = n
		}
		if *f.v < 0 || *f.v > f.max {
			return o, usageError{fmt.Sprintf("--%s (or %s) must be between 0 and %d, not %d", f.flag, f.env, f.max, *f.v)}
		}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	return o, nil
}

// openServeIndex opens the live index in data, building it first from the
// embedded essay when there is none, or when an older version wrote it
// from the essay alone.
func openServeIndex(ctx context.Context, data string, stderr io.Writer, log *slog.Logger) (*index.Live, error) {
	live, err := index.OpenLive(data, log)
	rebuild := errors.Is(err, index.ErrNoIndex)
	if rebuild {
		log.Info("no index yet: building it from the embedded essay", "data", data)
	}
	if errors.Is(err, index.ErrFormat) {
		// An upgrade changed the index layout. The embedded essay can be
		// indexed again without asking; a user's own sources only they
		// can name.
		if embeddedOnly(data) {
			log.Info("index written by an older version: building it again from the embedded essay", "data", data)
			rebuild = true
		} else {
			return nil, fmt.Errorf("%w\n(the index was written by an older version of corpus; run 'corpus index --data %s' with the --source folders it was built from)", err, data)
		}
	}
	if rebuild {
		st, berr := buildIndex(ctx, data, stderr)
		if berr != nil {
			return nil, berr
		}
		log.Info("index built", "passages", st.Passages, "elapsed", st.Elapsed.Round(time.Millisecond))
		live, err = index.OpenLive(data, log)
	}
	if err != nil {
		return nil, err
	}
	return live, nil
}

// serve answers HTTP on o.addr from live (st: its first generation), reloading new generations as
// they appear, until ctx is done; then it shuts down.
func serve(ctx context.Context, o serveOptions, live *index.Live, st index.Stats, nofile uint64, stdout io.Writer, log *slog.Logger) error {
	conns := web.NewConnLimiter(o.maxConns)
	h, err := web.New(web.Config{Searcher: live, Logger: log, Version: versionString(), MaxInFlight: o.inFlight, Conns: conns,
		RequestTimeout: time.Duration(o.requestSecs) * time.Second})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("limits", "open_files", nofile, "max_conns", conns.Max())
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ConnState:         conns.ConnState,
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		live.Watch(watchCtx, reloadInterval)
	}()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(conns.Listener(lowatListener{ln})) }()
	fmt.Fprintf(stdout, "corpus: serving %d passages at http://%s/\n", st.Passages, displayAddr(ln.Addr()))

	select {
	case err := <-served:
		stopWatch()
		<-watched
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	stopWatch()
	<-watched
	shutdown(context.WithoutCancel(ctx), srv, conns, time.Duration(o.shutdownSecs)*time.Second, log)
	return nil
}

// shutdown stops srv within timeout: requests in flight get most of it to
// finish; then the connections still open (a client that reads slowly or
// not at all) are cut, and the rest of the time is for their handlers to
// notice. A shutdown that had to cut is not an error: the process was
// asked to stop and it stopped in time.
func shutdown(ctx context.Context, srv *http.Server, conns *web.ConnLimiter, timeout time.Duration, log *slog.Logger) {
	log.Info("shutting down: finishing requests in flight", "timeout", timeout)
	deadline := time.Now().Add(timeout)
	grace := min(time.Second, timeout/5)
	sctx, cancel := context.WithDeadline(ctx, deadline.Add(-grace))
	defer cancel()
	if err := srv.Shutdown(sctx); err == nil {
		return
	}
	st := conns.Stats()
	log.Warn("shutdown timeout: cutting the connections still open", "open", st.Open)
	if err := srv.Close(); err != nil {
		log.Warn("close connections", "err", err)
	}
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if err := conns.Wait(wctx); err != nil {
		log.Warn("connections cut but their requests still running at the shutdown deadline", "err", err)
	}
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() || ip.IsLoopback() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// embeddedOnly reports whether the live generation of dataDir holds the
// embedded essay and nothing else.
func embeddedOnly(dataDir string) bool {
	ids, err := index.LiveDocuments(dataDir)
	if err != nil || len(ids) != 1 {
		return false
	}
	doc, err := corpus.Essay()
	return err == nil && ids[0] == doc.ID
}

// flagGiven reports whether name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
