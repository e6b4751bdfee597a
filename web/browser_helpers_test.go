package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// browserBudget returns the context the browser runs in: the test's, ended
// a little before the test's deadline (go test -timeout) so that a hung page
// fails with the step it hung in and the browser is stopped cleanly, rather
// than the binary being killed. Without a deadline (-timeout 0) the test
// runs as long as it takes. The budget follows the machine: a busy one gets
// the time the run was given, not a figure guessed on a quiet one.
func browserBudget(t *testing.T) (context.Context, context.CancelFunc) {
	deadline, ok := t.Deadline()
	if !ok {
		return context.WithCancel(t.Context())
	}
	// Keep a tenth of what is left, at most a minute, for the cleanup and
	// the report.
	margin := min(time.Until(deadline)/10, time.Minute)
	return context.WithDeadline(t.Context(), deadline.Add(-margin))
}

// stepShare is the share of the time left that one action may take: a hung
// action fails with its own name while the rest of the run still has time,
// and a slow machine slows every step alike without failing any.
const stepShare = 4

// chromiumPath returns the Chromium to drive. Without one the test fails,
// so that CI cannot pass by skipping it, unless the run asked to skip it.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if os.Getenv("CORPUS_SKIP_BROWSER") == "1" {
		t.Skip("CORPUS_SKIP_BROWSER=1")
	}
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if testing.Short() {
		t.Skip("chromium is not installed (-short)")
	}
	t.Fatal("chromium is not installed: run scripts/setup.sh, or set CORPUS_SKIP_BROWSER=1 to skip the browser tests")
	return ""
}

// realSite builds an index of the embedded essay in a temporary folder and
// serves the whole site from it on a loopback port.
func realSite(t testing.TB) *httptest.Server {
	t.Helper()
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatalf("load essay: %v", err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatalf("load gazetteer: %v", err)
	}
	dir := t.TempDir()
	if _, err := index.Build(t.Context(), dir, []*corpus.Document{doc}, gaz, index.BuildOptions{}); err != nil {
		t.Fatalf("build index: %v", err)
	}
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(func() {
		if err := live.Close(); err != nil {
			t.Errorf("close index: %v", err)
		}
	})
	h, err := New(Config{Searcher: live, Version: "browser-test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// watchJS runs before any script of every page: CSP violations are events,
// not console messages, in every browser, so it turns them into errors the
// console listener sees. Scripts added through the DevTools protocol are not
// subject to the page's CSP.
const watchJS = `document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline code") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// pageWatch collects what a page must never do: write an error to the
// console, throw, break its CSP, fail to load a resource, open a dialog.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
	dialogs  []string
}

// listen is a chromedp listener; it runs in the tab's event loop, in order.
func (w *pageWatch) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert ||
			ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range ev.Args {
				if s, err := strconv.Unquote(string(a.Value)); err == nil {
					args = append(args, s)
				} else {
					args = append(args, string(a.Value)+a.Description)
				}
			}
			problem = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		problem = fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, d.Text)
		if d.Exception != nil {
			problem += " " + d.Exception.Description
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning {
			problem = fmt.Sprintf("browser log (%s, %s): %s %s", e.Source, e.Level, e.Text, e.URL)
		}
	case *cdppage.EventJavascriptDialogOpening:
		w.mu.Lock()
		w.dialogs = append(w.dialogs, fmt.Sprintf("%s(%q) on %s", ev.Type, ev.Message, ev.URL))
		w.mu.Unlock()
	}
	if problem != "" {
		w.mu.Lock()
		w.problems = append(w.problems, problem)
		w.mu.Unlock()
	}
}

// take returns and forgets what was collected.
func (w *pageWatch) take() (problems, dialogs []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	problems, dialogs = w.problems, w.dialogs
	w.problems, w.dialogs = nil, nil
	return problems, dialogs
}

// tab is one browser tab on the site under test.
type tab struct {
	ctx   context.Context // the tab, until the test's deadline
	base  string          // the site's URL
	watch *pageWatch
	shots string // folder of the screenshots
}

// openTab starts a headless Chromium on the site at base. It is stopped, and
// its goroutines finished, when the test ends.
func openTab(t *testing.T, base string) *tab {
	t.Helper()
	exe := chromiumPath(t)
	ctx, cancelBudget := browserBudget(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"), // the UI follows Accept-Language
		chromedp.UserDataDir(t.TempDir()),
		// Chromium leaves its singleton socket's folder in TMPDIR when it
		// is killed, as every test ends it: one in the test's own folder.
		chromedp.Env("TMPDIR="+t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	w := &pageWatch{}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx,
		chromedp.WithListener(w.listen),
		chromedp.WithErrorf(t.Logf),
	)
	var dismissed sync.WaitGroup
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelBudget()
		dismissed.Wait()
	})
	// The first action starts the browser, which lives as long as tabCtx.
	if err := chromedp.Do(tabCtx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	if _, err := chromedp.Call(tabCtx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watchJS}); err != nil {
		t.Fatalf("add the CSP watch: %v", err)
	}
	// A dialog blocks the page until someone answers it; the watch has
	// already noted it, so dismiss it and let the test go on to fail.
	dialogs := chromedp.Events(tabCtx, cdppage.JavascriptDialogOpening)
	dismissed.Go(func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(tabCtx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{})
		}
	})
	dir := os.Getenv("CORPUS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &tab{ctx: tabCtx, base: base, watch: w, shots: dir}
}

// step returns a context bounding one action to a share of the time left.
func (b *tab) step() (context.Context, context.CancelFunc) {
	deadline, ok := b.ctx.Deadline()
	if !ok {
		return context.WithCancel(b.ctx)
	}
	return context.WithTimeout(b.ctx, time.Until(deadline)/stepShare)
}

// do runs actions, failing the test with what on error.
func (b *tab) do(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// load runs actions that cause a page load (a navigation, a click on a link,
// Enter in a form) and waits for the page; it fails unless the page came
// with status 200.
func (b *tab) load(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp == nil || resp.Status != 200 {
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		t.Fatalf("%s: HTTP status %d, want 200", what, status)
	}
}

// open loads the page at path of the site.
func (b *tab) open(t testing.TB, path string) {
	t.Helper()
	b.load(t, "open "+path, chromedp.Navigate(b.base+path))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t testing.TB, b *tab, expr string) T {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// count returns the number of elements matching a CSS selector.
func (b *tab) count(t testing.TB, sel string) int {
	t.Helper()
	return eval[int](t, b, fmt.Sprintf("document.querySelectorAll(%s).length", strconv.Quote(sel)))
}

// text returns the visible text of the first element matching a CSS
// selector, "" if none does.
func (b *tab) text(t testing.TB, sel string) string {
	t.Helper()
	return eval[string](t, b, fmt.Sprintf("(document.querySelector(%s) || {innerText: ''}).innerText", strconv.Quote(sel)))
}

// texts returns the visible texts of the elements matching a CSS selector.
func (b *tab) texts(t testing.TB, sel string) []string {
	t.Helper()
	return eval[[]string](t, b, fmt.Sprintf("Array.from(document.querySelectorAll(%s), e => e.innerText)", strconv.Quote(sel)))
}

// location returns the page's URL.
func (b *tab) location(t testing.TB) string {
	t.Helper()
	return eval[string](t, b, "location.href")
}

// total reads the number of passages from the results heading ("Passages
// 1–10 of 39", "第 1–10 段，共 39 段": the last number); 0 for none.
func (b *tab) total(t testing.TB) int {
	t.Helper()
	h := b.text(t, "#results-h")
	if h == "" {
		t.Fatalf("no results heading on %s", b.location(t))
	}
	m := lastNumber.FindStringSubmatch(h)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var lastNumber = regexp.MustCompile(`(\d+)\D*$`)

// shot saves a screenshot of the page (the whole page if full, else the
// viewport) as name.png in the screenshot folder and returns its path.
func (b *tab) shot(t testing.TB, name string, full bool) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	a := chromedp.CaptureScreenshot()
	if full {
		a = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// clean fails the test for every console error, CSP violation, failed load
// and dialog since the last call. The listener runs in the tab's event loop,
// so the events of everything done before this call have reached it once
// a command sent now returns.
func (b *tab) clean(t testing.TB) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void]("0")); err != nil {
		t.Errorf("sync with the page: %v", err)
	}
	problems, dialogs := b.watch.take()
	for _, p := range problems {
		t.Errorf("on %s: %s", b.location(t), p)
	}
	for _, d := range dialogs {
		t.Errorf("on %s: a dialog opened: %s", b.location(t), d)
	}
}

// waitFor polls until cond holds or the step's time is up.
func (b *tab) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// settle waits until the page has loaded everything it refers to (images
// included, whose error handlers have then run) and the tasks queued by
// then have run: the condition to check what a page did on load.
func (b *tab) settle(t testing.TB) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	const js = `new Promise(done => {
		const after = () => setTimeout(() => requestAnimationFrame(() => done(true)), 0);
		if (document.readyState === "complete") after(); else addEventListener("load", after, {once: true});
	})`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("wait for the page to settle: %v", err)
	}
}
