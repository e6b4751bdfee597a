package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// TestSlowClientsProcess attacks the real `corpus serve`, with a limit of
// 256 open files, serving two copies of a novel (922 passages of about
// 1,000 Chinese characters; an export of the passages with 的 is 6 MB of
// JSON lines, more than loopback's socket buffers hold): a client reading
// an export slowly but steadily for longer than the former 30 s write
// timeout gets all of it; 400 idle keep-alive connections do not lock out
// a new client; SIGTERM with clients that stopped reading exits 0 within
// the shutdown timeout. Before, the export was cut at 30 s, the idle
// connections took every file descriptor, and the shutdown waited for the
// stuck clients and exited 1.
func TestSlowClientsProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("reads an export for over 30 seconds")
	}
	ctx := testBudget(t)
	dir := novelData(t, 2, 1000)
	const shutdownSecs = 3
	s := launchCmd(t, exec.Command("sh", "-c", `ulimit -n 256 && exec "$0" "$@"`,
		os.Args[0], "serve", "--addr", "127.0.0.1:0", "--data", dir, "--shutdown-timeout", fmt.Sprint(shutdownSecs)))
	s.cmd.Env = append(os.Environ(), "CORPUS_TEST_MAIN=1")
	s.waitServing(t)
	if s.url == "" {
		t.Fatalf("serve exited: %v\n%s", s.waitErr, s.stderr.String())
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
	addr = strings.Replace(addr, "localhost", "127.0.0.1", 1)

	t.Run("slow steady export", func(t *testing.T) {
		// Paced to take 35 s: longer than the former write timeout.
		const pace = 35 * time.Second
		// JSON lines of every passage with 的 (6 MB): more than the socket
		// buffers hold, so the server cannot be done writing before the
		// client has read most of it (a 2.8 MB CSV fitted in them, and the
		// former 30 s write timeout never fired).
		target := "/api/search?format=jsonl&q=" + url.QueryEscape("的")
		whole := fetch(t, ctx, "http://"+addr+target)
		conn := dialRequest(t, addr, target, 64<<10) // a small receive window, or the kernel takes it all
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		const chunk = 16 << 10
		tick := time.NewTicker(pace / time.Duration(len(whole)/chunk+1))
		defer tick.Stop()
		start := time.Now()
		var got []byte
		buf := make([]byte, chunk)
		for {
			n, err := io.ReadFull(resp.Body, buf)
			got = append(got, buf[:n]...)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				t.Fatalf("export cut after %d of %d bytes, %v: %v", len(got), len(whole), time.Since(start), err)
			}
			select {
			case <-tick.C:
			case <-ctx.Done():
				t.Fatal(ctx.Err())
			}
		}
		took := time.Since(start)
		t.Logf("slow export: %d bytes in %v (%.0f KB/s)", len(got), took.Round(time.Millisecond), float64(len(got))/1000/took.Seconds())
		if string(got) != string(whole) {
			t.Errorf("slow export: %d bytes, want the whole %d", len(got), len(whole))
		}
	})

	t.Run("idle connections then a new client", func(t *testing.T) {
		const idle = 400 // more than the 256 files the server may open
		conns := 0
		for i := range idle {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatalf("connection %d: %v", i, err)
			}
			defer conn.Close()
			// Half the server's idle timeout (60 s): a server out of files
			// answers only once idle connections time out and free some.
			conn.SetDeadline(time.Now().Add(idleTimeout / 2))
			if _, err := fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: corpus\r\n\r\n"); err != nil {
				t.Fatalf("connection %d: %v", i, err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("connection %d: no answer: %v (the server is out of files?)", i, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				conns++
			}
		}
		for _, target := range []string{"/healthz", "/api/search?q=" + url.QueryEscape("白嘉轩")} {
			fetch(t, ctx, "http://"+addr+target)
		}
		var h struct {
			Connections struct {
				Open, Max int
				IdleShed  int64 `json:"idle_shed"`
			}
		}
		if err := json.Unmarshal([]byte(fetch(t, ctx, "http://"+addr+"/healthz")), &h); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d idle keep-alive connections opened (each answered); then a new client was served; server holds %d connections (cap %d), closed %d idle ones",
			conns, h.Connections.Open, h.Connections.Max, h.Connections.IdleShed)
		if h.Connections.Open > h.Connections.Max {
			t.Errorf("server holds %d connections, over its cap %d", h.Connections.Open, h.Connections.Max)
		}
	})

	t.Run("SIGTERM with slow clients", func(t *testing.T) {
		const readers = 8
		for i := range readers {
			conn := dialRequest(t, addr, fmt.Sprintf("/api/search?format=jsonl&q=%s+-x%d", url.QueryEscape("的"), i), 4<<10)
			if dl, ok := ctx.Deadline(); ok {
				conn.SetReadDeadline(dl)
			}
			line, err := bufio.NewReaderSize(conn, 16).ReadString('\n')
			if err != nil || !strings.Contains(line, " 200 ") {
				t.Fatalf("slow reader %d: %q, %v; want an export begun", i, line, err)
			}
		}
		start := time.Now()
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		code := s.wait(t)
		took := time.Since(start)
		t.Logf("SIGTERM with %d stuck readers: exit %d after %v (shutdown timeout %d s)", readers, code, took.Round(time.Millisecond), shutdownSecs)
		if code != 0 {
			t.Errorf("exit %d, want 0; stderr:\n%s", code, s.stderr.String())
		}
		if !strings.Contains(s.stderr.String(), "cutting the connections still open") {
			t.Errorf("the log does not say connections were cut; stderr:\n%s", s.stderr.String())
		}
	})
}

// testBudget returns a context that ends a tenth of the remaining time
// before the test's deadline.
func testBudget(t *testing.T) context.Context {
	d, ok := t.Deadline()
	if !ok {
		return t.Context()
	}
	ctx, cancel := context.WithDeadline(t.Context(), d.Add(-time.Until(d)/10))
	t.Cleanup(cancel)
	return ctx
}

// dialRequest connects to addr with a receive buffer of rcvbuf bytes (0:
// the system's) and sends a GET of target.
func dialRequest(t testing.TB, addr, target string, rcvbuf int) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if tc, ok := conn.(*net.TCPConn); ok && rcvbuf > 0 {
		tc.SetReadBuffer(rcvbuf)
	}
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: corpus\r\n\r\n", target); err != nil {
		t.Fatal(err)
	}
	return conn
}

// fetch GETs u and returns its body; anything but 200 fails the test.
func fetch(t testing.TB, ctx context.Context, u string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", u, resp.StatusCode, err)
	}
	return string(b)
}

// novelData builds, in a temporary folder, an index of copies of the
// Chinese novel gse ships for its tests (read where it lies, never
// committed), cut into passages of about runes characters.
func novelData(t testing.TB, copies, runes int) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		t.Fatalf("find gse's module: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "testdata", "zh", "bailuyuan_zh.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var pieces []string
	var cur []rune
	for _, r := range strings.Join(strings.Fields(string(b)), "") {
		cur = append(cur, r)
		if len(cur) == runes {
			pieces = append(pieces, string(cur))
			cur = cur[:0]
		}
	}
	if len(cur) > 0 && utf8.ValidString(string(cur)) {
		pieces = append(pieces, string(cur))
	}
	var docs []*corpus.Document
	for c := range copies {
		d := &corpus.Document{ID: fmt.Sprintf("novel-%d", c), Title: corpus.Text{ZH: fmt.Sprintf("白鹿原 %d", c)}, Origin: "bailuyuan_zh.txt"}
		for i, s := range pieces {
			d.Passages = append(d.Passages, corpus.Passage{ID: corpus.PassageID(d.ID, i), Doc: d.ID, Position: i, Section: corpus.SectionBody, Text: corpus.Text{ZH: s}})
		}
		docs = append(docs, d)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st, err := index.Build(t.Context(), dir, docs, gaz, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("novel index: %d passages, built in %v", st.Passages, st.Elapsed.Round(time.Millisecond))
	return dir
}
