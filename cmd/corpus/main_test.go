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
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/index"
)

// TestMain lets tests run the real command as a child process (to kill it):
// the test binary acts as `corpus` when CORPUS_TEST_MAIN is set.
func TestMain(m *testing.M) {
	if os.Getenv("CORPUS_TEST_MAIN") == "1" {
		main()
		return
	}
	code := m.Run()
	// The shared data folder outlives any one test, so t.TempDir cannot own it.
	if sharedData != "" {
		os.RemoveAll(sharedData)
	}
	os.Exit(code)
}

// sharedData is the folder indexed made; TestMain removes it.
var sharedData string

// indexed builds the essay into one data folder shared by the package's
// tests, through the command itself.
var indexed = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "corpus-cmd-test-")
	if err != nil {
		return "", err
	}
	sharedData = dir
	var out bytes.Buffer
	if err := run(context.Background(), []string{"index", "--data", dir}, &out, io.Discard); err != nil {
		return "", err
	}
	return dir, nil
})

func dataDir(t testing.TB) string {
	t.Helper()
	dir, err := indexed()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCmd(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), args, &out, &errOut)
	return out.String(), errOut.String(), exitCode(err)
}

func TestSearchCommand(t *testing.T) {
	dir := dataDir(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"search", "--data", dir, "华为"}, 0, "passages match \"华为\""},
		{[]string{"search", "--data", dir, "--company", "ByteDance", "--year", "2020", "tiktok"}, 0, "ByteDance"},
		{[]string{"search", "--data", dir, "--lang", "en", `"iron curtain"`}, 0, "[iron curtain]"},
		{[]string{"search", "--data", dir, "zzzyyyxxx"}, 1, "no passage matches"},
		{[]string{"search", "--data", dir, "--lang", "fr", "x"}, 2, ""},
		{[]string{"search", "--data", dir, "--year", "twenty", "x"}, 2, ""},
		{[]string{"search", "--data", dir, "--size", "1000", "x"}, 2, ""},
		{[]string{"search", "--data", dir, "--timeout", "0", "x"}, 2, ""},
		{[]string{"search", "--data", dir, "--nope"}, 2, ""},
		{[]string{"search", "--data", t.TempDir(), "x"}, 1, ""},
		{[]string{"nonsense"}, 2, ""},
		{[]string{}, 2, "Commands:"},
		{[]string{"help"}, 0, "Commands:"},
		{[]string{"search", "--help"}, 0, ""},
		{[]string{"version"}, 0, "corpus "},
	} {
		out, errOut, code := runCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("corpus %q: exit %d, want %d; output %q does not contain %q; stderr %q", tc.args, code, tc.code, out, tc.want, errOut)
		}
	}
}

func TestSearchJSON(t *testing.T) {
	out, _, code := runCmd(t, "search", "--data", dataDir(t), "--json", "--size", "3", "任正非")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var r struct {
		Total int `json:"total"`
		Hits  []struct {
			ID       string   `json:"id"`
			Speakers []string `json:"speakers"`
		} `json:"hits"`
		Facets map[string]json.RawMessage `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if r.Total == 0 || len(r.Hits) != 3 || r.Facets["speaker"] == nil {
		t.Errorf("--json: total %d, %d hits, facets %v", r.Total, len(r.Hits), r.Facets)
	}
}

// serveInProcess runs `corpus serve` on dir in this process on a free
// port and returns its base URL, a channel with run's result, and the
// cancel that stops it.
func serveInProcess(t *testing.T, dir string) (base string, done <-chan error, stop context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	ch := make(chan error, 1)
	go func() {
		ch <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no URL: %v", err)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("serve printed %q, want a URL", line)
	}
	return strings.TrimSpace(line[i:]), ch, cancel
}

func TestServe(t *testing.T) {
	url, done, cancel := serveInProcess(t, dataDir(t))
	resp, err := http.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %s", resp.Status)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancel: %v, want a clean shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// TestKilledBuildKeepsServing kills `corpus index` with SIGKILL at random
// moments: the generation in service must stay complete and searchable,
// and the next build must succeed and clean up.
func TestKilledBuildKeepsServing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command as a child process several times")
	}
	dir := t.TempDir()
	if _, _, code := runCmd(t, "index", "--data", dir); code != 0 {
		t.Fatal("first build failed")
	}
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	want := live.Stats()
	runs := 4
	if s := os.Getenv("CORPUS_KILL_RUNS"); s != "" {
		runs = atoiDefault(s, runs)
	}
	killed := 0
	for i := range runs {
		cmd := exec.Command(os.Args[0], "index", "--data", dir)
		cmd.Env = append(os.Environ(), "CORPUS_TEST_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The essay builds in about a second, most of it loading the
		// dictionary; kill anywhere in it.
		time.Sleep(time.Duration(rand.IntN(1500)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			killed++
		}
		if _, err := live.Reload(); err != nil {
			t.Fatalf("run %d: reload after kill: %v", i, err)
		}
		r, err := live.Search(t.Context(), index.Query{Text: "华为"})
		if err != nil || r.Total == 0 {
			t.Fatalf("run %d: search after kill: %v hits, %v", i, r, err)
		}
		if st := live.Stats(); st.Passages != want.Passages {
			t.Fatalf("run %d: serving %d passages, want %d", i, st.Passages, want.Passages)
		}
	}
	t.Logf("%d of %d builds killed before they finished", killed, runs)
	if _, _, code := runCmd(t, "index", "--data", dir); code != 0 {
		t.Fatal("build after kills failed")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".build-*")); len(left) > 0 {
		t.Errorf("build after kills left %v", left)
	}
}

func atoiDefault(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// TestServeAfterFormatChange: an index written by an older version is built
// again by serve when it held only the embedded essay; otherwise serve
// names the command that rebuilds it instead of guessing the sources.
func TestServeAfterFormatChange(t *testing.T) {
	setFormat := func(t *testing.T, dir string, format int) string {
		t.Helper()
		gen, err := index.Current(dir)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, gen, "manifest.json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		old := regexp.MustCompile(`"format": \d+`).ReplaceAll(b, fmt.Appendf(nil, `"format": %d`, format))
		if bytes.Equal(old, b) {
			t.Fatal("manifest has no format field")
		}
		if err := os.WriteFile(path, old, 0o644); err != nil {
			t.Fatal(err)
		}
		return gen
	}

	t.Run("essay", func(t *testing.T) {
		dir := t.TempDir()
		if _, stderr, code := runCmd(t, "index", "--data", dir); code != 0 {
			t.Fatalf("index: exit %d: %s", code, stderr)
		}
		old := setFormat(t, dir, 1)
		base, _, stop := serveInProcess(t, dir)
		defer stop()
		c := &http.Client{Timeout: 10 * time.Second}
		if n, err := searchTotal(c, base); err != nil || n == 0 {
			t.Fatalf("search after upgrade: %d hits, %v", n, err)
		}
		if gen, _ := index.Current(dir); gen == old {
			t.Errorf("CURRENT still names the old generation %s", gen)
		}
	})
	t.Run("own sources", func(t *testing.T) {
		dir := t.TempDir()
		if _, stderr, code := runCmd(t, "index", "--data", dir, "--source", "../../examples/mini-corpus"); code != 0 {
			t.Fatalf("index: exit %d: %s", code, stderr)
		}
		old := setFormat(t, dir, 1)
		err := run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "older format") || !strings.Contains(err.Error(), "--source") {
			t.Errorf("serve on an old index of other sources: %v", err)
		}
		if gen, _ := index.Current(dir); gen != old {
			t.Errorf("serve replaced the user's generation %s with %s", old, gen)
		}
	})
	t.Run("newer version", func(t *testing.T) {
		dir := t.TempDir()
		if _, stderr, code := runCmd(t, "index", "--data", dir); code != 0 {
			t.Fatalf("index: exit %d: %s", code, stderr)
		}
		newer := setFormat(t, dir, 99)
		err := run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "newer version") {
			t.Errorf("serve on an index of a newer version: %v", err)
		}
		if gen, _ := index.Current(dir); gen != newer {
			t.Errorf("serve replaced the newer version's generation %s with %s", newer, gen)
		}
	})
}

func TestServeLimitFlags(t *testing.T) {
	dir := dataDir(t)
	if _, _, code := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--cache-mb", "-1"); code != 2 {
		t.Errorf("--cache-mb -1: exit %d, want 2", code)
	}
	if _, _, code := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--max-in-flight", "-3"); code != 2 {
		t.Errorf("--max-in-flight -3: exit %d, want 2", code)
	}
	if _, _, code := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--cache-mb", "9007199254740993"); code != 2 {
		t.Errorf("--cache-mb 2^53+1: exit %d, want 2", code)
	}
	t.Setenv("CORPUS_MAX_IN_FLIGHT", "many")
	if _, _, code := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0"); code != 2 {
		t.Errorf("CORPUS_MAX_IN_FLIGHT=many: exit %d, want 2", code)
	}
	t.Setenv("CORPUS_MAX_IN_FLIGHT", "")
	t.Setenv("CORPUS_CACHE_MB", "lots")
	if _, _, code := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0"); code != 2 {
		t.Errorf("CORPUS_CACHE_MB=lots: exit %d, want 2", code)
	}
}

// TestServeLimitsChecked: serve's numeric flags and their environment
// variables are refused with the name of the one at fault, before anything
// is opened or listened on.
func TestServeLimitsChecked(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--request-timeout", "-1"}, "", "--request-timeout (or CORPUS_REQUEST_TIMEOUT) must be between 0"},
		{nil, "CORPUS_REQUEST_TIMEOUT=soon", "CORPUS_REQUEST_TIMEOUT must be a whole number"},
		{nil, "CORPUS_SHUTDOWN_TIMEOUT=1.5", "CORPUS_SHUTDOWN_TIMEOUT must be a whole number"},
		{[]string{"--max-conns", "-3"}, "", "--max-conns (or CORPUS_MAX_CONNS) must be between 0"},
		{[]string{"--request-timeout", "86400"}, "", "--request-timeout (or CORPUS_REQUEST_TIMEOUT) must be between 0 and 600"},
		{nil, "CORPUS_SHUTDOWN_TIMEOUT=3601", "--shutdown-timeout (or CORPUS_SHUTDOWN_TIMEOUT) must be between 0 and 600"},
	} {
		if k, v, ok := strings.Cut(tc.env, "="); ok {
			t.Setenv(k, v)
		}
		var out, errOut bytes.Buffer
		err := run(t.Context(), append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, tc.args...), &out, &errOut)
		if code := exitCode(err); code != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %q with %q: exit %d, %v; want exit 2 and %q", tc.args, tc.env, code, err, tc.want)
		}
		if k, _, ok := strings.Cut(tc.env, "="); ok {
			os.Unsetenv(k)
		}
	}
}
