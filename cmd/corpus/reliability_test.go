package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// These tests run `corpus serve` and `corpus index` as child processes (the
// test binary re-executed, see TestMain) to signal, kill and race them.

// hangBound is how long a child may take to start, answer or exit before a
// test calls it hung. Machines are shared and the binary runs under -race:
// timings are logged, not asserted.
const hangBound = 60 * time.Second

// lockedBuffer is a bytes.Buffer safe for a child's writes and a test's
// reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// child is a running `corpus` command.
type child struct {
	cmd     *exec.Cmd
	url     string // what `serve` printed it serves at, once it did
	urls    chan string
	stderr  lockedBuffer
	done    chan struct{} // closed when the process has exited
	waitErr error
	start   time.Time
	started time.Duration // from start to the URL line
}

// startChild runs `corpus args...`. For serve it waits until the server
// prints its URL, or exits, or hangBound passes.
func startChild(t testing.TB, args ...string) *child {
	t.Helper()
	c := launch(t, args...)
	if args[0] == "serve" {
		c.waitServing(t)
	}
	return c
}

// launch starts `corpus args...` and returns at once.
func launch(t testing.TB, args ...string) *child {
	t.Helper()
	return launchCmd(t, exec.Command(os.Args[0], args...))
}

// launchCmd starts cmd, which runs `corpus` (perhaps through a shell), and
// returns at once.
func launchCmd(t testing.TB, cmd *exec.Cmd) *child {
	t.Helper()
	c := &child{done: make(chan struct{}), urls: make(chan string, 1)}
	c.cmd = cmd
	c.cmd.Env = append(os.Environ(), "CORPUS_TEST_MAIN=1")
	if os.Getenv("CORPUS_REQUEST_TIMEOUT") == "" {
		// These tests check behaviour, not the 5 s budget of a request,
		// which a race build on a busy machine can exceed (503s that are
		// the budget working, not a fault).
		c.cmd.Env = append(c.cmd.Env, "CORPUS_REQUEST_TIMEOUT=30")
	}
	c.cmd.Stderr = &c.stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.start = time.Now()
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 && strings.Contains(sc.Text(), "serving") {
				select {
				case c.urls <- strings.TrimSpace(sc.Text()[i:]):
				default:
				}
			}
		}
		c.waitErr = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// waitServing waits until a serve child prints its URL (and sets c.url)
// or exits (c.url stays empty).
func (c *child) waitServing(t testing.TB) {
	t.Helper()
	select {
	case c.url = <-c.urls:
		c.started = time.Since(c.start)
	case <-c.done:
	case <-time.After(hangBound):
		t.Fatalf("corpus %q printed no URL within %v; stderr:\n%s", c.cmd.Args[1:], hangBound, c.stderr.String())
	}
}

// wait waits for the child to exit and returns its exit code.
func (c *child) wait(t testing.TB) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(hangBound):
		t.Fatalf("corpus %q did not exit within %v; stderr:\n%s", c.cmd.Args[1:], hangBound, c.stderr.String())
	}
	var ee *exec.ExitError
	if errors.As(c.waitErr, &ee) {
		return ee.ExitCode()
	}
	if c.waitErr != nil {
		t.Fatalf("corpus %q: %v", c.cmd.Args[1:], c.waitErr)
	}
	return 0
}

// searchTotal asks a server how many passages match 华为 and which
// generation it serves; a failure is an error, not a test failure.
func searchTotal(c *http.Client, base string) (int, error) {
	resp, err := c.Get(base + "api/search?q=" + url.QueryEscape("华为"))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("read answer (%s): %w", resp.Status, err)
	}
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("status %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	var r struct{ Total int }
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, fmt.Errorf("decode answer (%s): %w", resp.Status, err)
	}
	return r.Total, nil
}

type health struct {
	Generation string
	Passages   int
}

func getHealth(t testing.TB, c *http.Client, base string) health {
	t.Helper()
	resp, err := c.Get(base + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /healthz: %s, %v", resp.Status, err)
	}
	return h
}

// isRefused reports whether err is a connection the server refused: what
// a client sees once a server has closed its listener.
func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// isDropped reports whether err is a connection the server never served:
// refused, reset, or closed before an answer.
func isDropped(err error) bool {
	return isRefused(err) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

func beforeAfter(wrote, sig int64) string {
	switch {
	case wrote == 0:
		return "never, dropped before writing, after"
	case sig == 0 || wrote < sig:
		return "before"
	}
	return "after"
}

// TestSIGTERMUnderLoad sends SIGTERM to a server under load: requests in
// flight are answered in full, the server closes the index and exits 0,
// and a new server on the same folder serves again soon after. It also
// checks the limits of the real http.Server: a 2 MB URL gets 431, a 2 MB
// body 413.
func TestSIGTERMUnderLoad(t *testing.T) {
	dir := dataDir(t)
	// The requests in flight must finish within the shutdown timeout; a
	// race build at load 20 took 10 s for one concordance, the default.
	s := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--shutdown-timeout", strconv.Itoa(int(hangBound/time.Second)))
	if s.url == "" {
		t.Fatalf("serve exited: %v\n%s", s.waitErr, s.stderr.String())
	}
	t.Logf("server up in %v", s.started)

	for _, tc := range []struct {
		name, method, target string
		body                 int
		want                 int
	}{
		{"2 MB URL", "GET", "search?q=" + strings.Repeat("x", 2<<20), 0, http.StatusRequestHeaderFieldsTooLarge},
		{"2 MB body", "POST", "api/search", 2 << 20, http.StatusRequestEntityTooLarge},
	} {
		code, err := rawRequest(s.url, tc.method, tc.target, tc.body)
		if err != nil || code != tc.want {
			t.Errorf("%s: status %d, %v; want %d", tc.name, code, err, tc.want)
		}
	}

	const conns = 8
	tr := &http.Transport{MaxIdleConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: hangBound}
	targets := []string{"api/search?q=" + url.QueryEscape("华为"), "search?size=100", "concordance?q=Huawei", "api/search?size=100&format=csv"}
	var (
		signalled atomic.Int64 // unix nanos of SIGTERM, 0 before
		okBefore  atomic.Int64
		inFlight  atomic.Int64 // sent before SIGTERM, answered in full after
		refused   atomic.Int64
		failed    atomic.Int64
		stop      atomic.Bool
	)
	var wg sync.WaitGroup
	for g := range conns {
		wg.Go(func() {
			for i := g; !stop.Load(); i++ {
				target := targets[i%len(targets)]
				// When the request's bytes went out, not when this
				// goroutine meant to send them: under load the two can be
				// tens of milliseconds apart.
				var wrote atomic.Int64
				trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(time.Now().UnixNano()) }}
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), "GET", s.url+target, nil)
				if err != nil {
					t.Error(err)
					return
				}
				resp, err := c.Do(req)
				if err != nil {
					// After SIGTERM a connection may be refused by the closed
					// listener, or, if the request went out after SIGTERM,
					// reset before the server read it: the server is going
					// away. A request written before SIGTERM must be answered.
					sig := signalled.Load()
					if sig != 0 && (isRefused(err) || isDropped(err) && (wrote.Load() == 0 || wrote.Load() >= sig)) {
						refused.Add(1)
						time.Sleep(5 * time.Millisecond)
						continue
					}
					if failed.Add(1) <= 3 {
						t.Errorf("GET %s (written %s SIGTERM): %v", target, beforeAfter(wrote.Load(), sig), err)
					}
					continue
				}
				sent := wrote.Load()
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				complete := err == nil && resp.StatusCode == 200 &&
					(strings.HasSuffix(strings.TrimSpace(string(body)), "</html>") || json.Valid(body) || strings.HasPrefix(string(body), "id,"))
				if !complete {
					if failed.Add(1) <= 3 {
						t.Errorf("GET %s: status %d, %d bytes, %v: not a complete answer", target, resp.StatusCode, len(body), err)
					}
					continue
				}
				if sig := signalled.Load(); sig == 0 {
					okBefore.Add(1)
				} else if sent < sig {
					inFlight.Add(1)
				}
			}
		})
	}
	// SIGTERM once answers flow, so that requests are surely in flight.
	for deadline := time.Now().Add(hangBound); okBefore.Load() < conns && failed.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	signalled.Store(time.Now().UnixNano())
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code := s.wait(t)
	exited := time.Since(time.Unix(0, signalled.Load()))
	stop.Store(true)
	wg.Wait()

	log := s.stderr.String()
	t.Logf("%d answers before SIGTERM; %d requests in flight at SIGTERM answered in full; %d refused or reset after it; %d failed; exit %d after %v",
		okBefore.Load(), inFlight.Load(), refused.Load(), failed.Load(), code, exited)
	if code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0; stderr:\n%s", code, log)
	}
	if inFlight.Load() == 0 {
		t.Error("no request was in flight at SIGTERM: the test showed nothing")
	}
	if !strings.Contains(log, "shutting down") || strings.Contains(log, "level=ERROR") {
		t.Errorf("stderr of the stopped server lacks the shutdown or has errors:\n%s", log)
	}

	// A restart on the same folder serves again.
	t0 := time.Now()
	s2 := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
	if s2.url == "" {
		t.Fatalf("restart: %v\n%s", s2.waitErr, s2.stderr.String())
	}
	if n, err := searchTotal(c, s2.url); err != nil || n == 0 {
		t.Errorf("restarted server: %d hits, %v", n, err)
	}
	t.Logf("restart: serving again %v after start", time.Since(t0))
	s2.cmd.Process.Signal(syscall.SIGTERM)
	if code := s2.wait(t); code != 0 {
		t.Errorf("restarted server: exit %d after SIGTERM", code)
	}
}

// rawRequest sends a request with a body of n bytes on a fresh connection
// while reading the answer (a server may refuse a body before reading it)
// and returns the status.
func rawRequest(base, method, target string, n int) (int, error) {
	var body io.Reader
	if n > 0 {
		body = bytes.NewReader(make([]byte, n))
	}
	req, err := http.NewRequest(method, base+target, body)
	if err != nil {
		return 0, err
	}
	conn, err := net.Dial("tcp", req.URL.Host)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(hangBound))
	go req.Write(conn)
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestTwoServers starts two servers on one data folder: on a built folder
// both serve it (read-only, side by side) and both follow a new build; on
// an empty folder, where each would build the index, one builds and the
// other serves or exits with "index in use". Nothing hangs.
func TestTwoServers(t *testing.T) {
	c := &http.Client{Timeout: hangBound}
	t.Run("built", func(t *testing.T) {
		dir := t.TempDir()
		if _, _, code := runCmd(t, "index", "--data", dir); code != 0 {
			t.Fatal("build failed")
		}
		a := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
		b := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
		for _, s := range []*child{a, b} {
			if s.url == "" {
				t.Fatalf("second server on a built folder: exit %v\n%s", s.waitErr, s.stderr.String())
			}
			if n, err := searchTotal(c, s.url); err != nil || n == 0 {
				t.Errorf("server %s: %d hits, %v", s.url, n, err)
			}
		}
		out, _, code := runCmd(t, "index", "--data", dir)
		if code != 0 {
			t.Fatalf("build while two servers serve: exit %d", code)
		}
		gen := strings.Fields(out[strings.Index(out, "generation "):])[1]
		for _, s := range []*child{a, b} {
			deadline := time.Now().Add(hangBound)
			for getHealth(t, c, s.url).Generation != gen && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if got := getHealth(t, c, s.url).Generation; got != gen {
				t.Errorf("server %s serves %s, want the new %s", s.url, got, gen)
			}
		}
	})
	t.Run("empty", func(t *testing.T) {
		dir := t.TempDir()
		a := launch(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
		b := launch(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
		serving := 0
		for _, s := range []*child{a, b} {
			s.waitServing(t)
			if s.url != "" {
				serving++
				if n, err := searchTotal(c, s.url); err != nil || n == 0 {
					t.Errorf("server %s: %d hits, %v", s.url, n, err)
				}
				continue
			}
			code := s.wait(t)
			if log := s.stderr.String(); code != 1 || !strings.Contains(log, "index in use") {
				t.Errorf("server that did not serve: exit %d, stderr:\n%s\nwant exit 1 saying \"index in use\"", code, log)
			} else {
				t.Logf("second server: %s", strings.TrimSpace(log[strings.LastIndex(strings.TrimSpace(log), "\n")+1:]))
			}
		}
		if serving == 0 {
			t.Error("neither server serves")
		}
	})
}

// TestKillBuildWhileServing runs a server while `corpus index` is killed
// with SIGKILL at random moments (and sometimes finishes): every answer
// the server gives comes from a complete generation, and afterwards a
// build succeeds, cleans up, and the server follows it.
// CORPUS_KILL_RUNS sets the number of builds (default 1).
func TestKillBuildWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command as child processes")
	}
	dir := t.TempDir()
	if _, _, code := runCmd(t, "index", "--data", dir); code != 0 {
		t.Fatal("first build failed")
	}
	s := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
	if s.url == "" {
		t.Fatalf("serve: %v\n%s", s.waitErr, s.stderr.String())
	}
	c := &http.Client{Timeout: hangBound}
	want, err := searchTotal(c, s.url)
	if err != nil || want == 0 {
		t.Fatalf("first answer: %d, %v", want, err)
	}
	passages := getHealth(t, c, s.url).Passages

	ctx, cancel := context.WithCancel(t.Context())
	var answers, bad atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for ctx.Err() == nil {
				n, err := searchTotal(c, s.url)
				answers.Add(1)
				if err != nil || n != want {
					if bad.Add(1) <= 3 {
						t.Errorf("answer during builds: %d hits, %v; want %d", n, err, want)
					}
				}
				if h := getHealth(t, c, s.url); h.Passages != passages {
					if bad.Add(1) <= 3 {
						t.Errorf("health during builds: %+v, want %d passages", h, passages)
					}
				}
			}
		})
	}
	runs := 1
	if v := os.Getenv("CORPUS_KILL_RUNS"); v != "" {
		runs = atoiDefault(v, runs)
	}
	// A child build of the essay takes about a second, three under -race
	// (most of it loading the dictionary): kill anywhere in 2.5 s, so
	// some builds die early, some late and some finish.
	killed := 0
	for range runs {
		b := launch(t, "index", "--data", dir)
		select {
		case <-b.done:
		case <-time.After(time.Duration(rand.IntN(2500)) * time.Millisecond):
			b.cmd.Process.Signal(syscall.SIGKILL)
		}
		if b.wait(t) != 0 {
			killed++
		}
	}
	out, _, code := runCmd(t, "index", "--data", dir)
	if code != 0 {
		t.Fatalf("build after kills failed")
	}
	gen := strings.Fields(out[strings.Index(out, "generation "):])[1]
	deadline := time.Now().Add(hangBound)
	for getHealth(t, c, s.url).Generation != gen && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	t.Logf("%d of %d builds killed; %d answers while building, %d wrong", killed, runs, answers.Load(), bad.Load())
	if got := getHealth(t, c, s.url).Generation; got != gen {
		t.Errorf("server serves %s after the last build, want %s", got, gen)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".build-*")); len(left) > 0 {
		t.Errorf("build after kills left %v", left)
	}
	if gens, _ := filepath.Glob(filepath.Join(dir, "gen-*")); len(gens) > 2 {
		t.Errorf("generations left: %v, want at most 2", gens)
	}
}

// TestReadOnlyDataFolderCommands mounts a built data folder read-only:
// `corpus serve` serves it, `corpus index` refuses at once saying why.
func TestReadOnlyDataFolderCommands(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a read-only bind mount needs root (root ignores file modes, so a mount is the honest test)")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(dataDir(t))); err != nil {
		t.Fatal(err)
	}
	ro := t.TempDir()
	if out, err := exec.Command("mount", "--bind", dir, ro).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount: %v %s", err, out)
	}
	defer exec.Command("umount", ro).Run()
	if out, err := exec.Command("mount", "-o", "remount,bind,ro", ro).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	s := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", ro)
	if s.url == "" {
		t.Fatalf("serve from a read-only folder: %v\n%s", s.waitErr, s.stderr.String())
	}
	if n, err := searchTotal(&http.Client{Timeout: hangBound}, s.url); err != nil || n == 0 {
		t.Errorf("search on a read-only folder: %d hits, %v", n, err)
	}
	b := launch(t, "index", "--data", ro)
	code := b.wait(t)
	log := b.stderr.String()
	t.Logf("corpus index on a read-only folder: exit %d: %s", code, strings.TrimSpace(log))
	if code != 1 || !strings.Contains(log, "read-only") || !strings.Contains(log, ro) {
		t.Errorf("corpus index on a read-only folder: exit %d, stderr %q; want exit 1 saying %s is read-only", code, log, ro)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if code := s.wait(t); code != 0 {
		t.Errorf("server on a read-only folder: exit %d after SIGTERM; stderr:\n%s", code, s.stderr.String())
	}
}

// TestServeClosesIndex stops an in-process server and checks that no file
// of its data folder is left open or mapped: the index was closed, not
// just abandoned to the process's exit.
func TestServeClosesIndex(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("needs /proc")
	}
	dir := t.TempDir()
	if _, _, code := runCmd(t, "index", "--data", dir); code != 0 {
		t.Fatal("build failed")
	}
	base, done, cancel := serveInProcess(t, dir)
	if n, err := searchTotal(&http.Client{Timeout: hangBound}, base); err != nil || n == 0 {
		t.Fatalf("search: %d, %v", n, err)
	}
	if len(openUnder(t, dir)) == 0 {
		t.Fatal("no open file of the data folder while serving: the check would see nothing")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after cancel: %v", err)
		}
	case <-time.After(hangBound):
		t.Fatal("serve did not stop")
	}
	if open := openUnder(t, dir); len(open) > 0 {
		t.Errorf("after serve returned, still open:\n%s", strings.Join(open, "\n"))
	}
}

// openUnder lists this process's file descriptors and memory maps that
// point into dir.
func openUnder(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		if link, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.HasPrefix(link, dir+"/gen-") {
			out = append(out, "fd "+fd.Name()+" → "+link)
		}
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.SplitSeq(string(maps), "\n") {
		if strings.Contains(l, dir+"/gen-") {
			out = append(out, "mapped: "+l)
		}
	}
	return out
}
