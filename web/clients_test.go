package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// These tests attack a real server on loopback with clients that read
// slowly, not at all, or ask for much, and check that everyone else is
// still served (issue 15). They wait on conditions and take their budget
// from the test's deadline; timings are logged, never asserted.

// novelText returns the Chinese novel gse ships for its tests (read where
// it lies, never committed: it is copyrighted).
func novelText(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		t.Fatalf("find gse's module: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "testdata", "zh", "bailuyuan_zh.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// novelDocs cuts the novel into passages of about runes characters (its
// paragraphs joined, or cut when longer), as copies documents.
func novelDocs(t testing.TB, copies, runes int) []*corpus.Document {
	t.Helper()
	var pieces []string
	var cur strings.Builder
	for para := range strings.SplitSeq(novelText(t), "\n") {
		para = strings.TrimSpace(para)
		for para != "" {
			room := runes - utf8.RuneCountInString(cur.String())
			cut := len(para)
			if utf8.RuneCountInString(para) > room {
				cut = 0
				for range room {
					_, n := utf8.DecodeRuneInString(para[cut:])
					cut += n
				}
			}
			cur.WriteString(para[:cut])
			para = para[cut:]
			if utf8.RuneCountInString(cur.String()) >= runes {
				pieces = append(pieces, cur.String())
				cur.Reset()
			}
		}
	}
	if cur.Len() > 0 {
		pieces = append(pieces, cur.String())
	}
	var docs []*corpus.Document
	for c := range copies {
		d := &corpus.Document{ID: fmt.Sprintf("novel-%d", c), Title: corpus.Text{ZH: fmt.Sprintf("白鹿原 %d", c)}, Origin: "bailuyuan_zh.txt"}
		for i, s := range pieces {
			d.Passages = append(d.Passages, corpus.Passage{
				ID: corpus.PassageID(d.ID, i), Doc: d.ID, Position: i, Section: corpus.SectionBody, Text: corpus.Text{ZH: s},
			})
		}
		docs = append(docs, d)
	}
	return docs
}

// novelIndex builds and opens an index of the novel.
func novelIndex(t testing.TB, copies, runes int) *index.Live {
	t.Helper()
	dir := t.TempDir()
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	st, err := index.Build(t.Context(), dir, novelDocs(t, copies, runes), gaz, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("novel index: %d passages of about %d characters, built in %v", st.Passages, runes, st.Elapsed.Round(time.Millisecond))
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	return live
}

// budget returns a context ending a little before the test's deadline.
func budget(t testing.TB) context.Context {
	ctx := t.Context()
	if dl, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := dl.Deadline(); ok {
			c, cancel := context.WithDeadline(ctx, d.Add(-time.Until(d)/10))
			t.Cleanup(cancel)
			return c
		}
	}
	return ctx
}

// slowReader is a client that asks for an export and, once the answer has
// begun, stops reading, with a 4 KB receive buffer: the server's writes to
// it block.
type slowReader struct {
	conn   net.Conn
	status string
}

func startSlowReader(t testing.TB, addr, target string, rcvbuf int) *slowReader {
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
	return &slowReader{conn: conn}
}

// begun waits until the answer's status line has arrived, and reads no
// further.
func (r *slowReader) begun(ctx context.Context) error {
	if dl, ok := ctx.Deadline(); ok {
		r.conn.SetReadDeadline(dl)
	}
	line, err := bufio.NewReaderSize(r.conn, 16).ReadString('\n')
	r.status = strings.TrimSpace(line)
	return err
}

// TestSlowClients runs the attacks of slow and greedy clients on one index
// of the novel (461 passages of about 1,000 Chinese characters).
func TestSlowClients(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of a novel")
	}
	live := novelIndex(t, 1, 1000)
	t.Run("token cache after paging", func(t *testing.T) { testTokenCacheBound(t, live) })
	t.Run("slow readers beside searches", func(t *testing.T) { testSlowReaders(t, live) })
	t.Run("slow steady export", func(t *testing.T) { testSlowExport(t, live) })
	t.Run("long monolingual document in pages", func(t *testing.T) { testMonolingualPages(t, live) })
	t.Run("answers within their stated bounds", func(t *testing.T) { testStatedBounds(t, live) })
}

// testStatedBounds asks every route for as much as it gives on the novel
// (pages of 100 long hits, 2,000 concordance lines, whole exports, a
// document's page) and checks each answer against the bound openapi.json
// states for it; every stated bound is tried.
func testStatedBounds(t *testing.T, live *index.Live) {
	ctx := budget(t)
	h, err := New(Config{Searcher: live, RequestTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptestServer(t, h)
	bounds := statedBounds(t)
	const de, shuo = "%E7%9A%84", "%E8%AF%B4" // 的, 说: in most passages
	tried := map[string]bool{}
	for _, tc := range []struct{ path, target string }{
		{"/", "/"},
		{"/search", "/search?q=" + de + "&size=100"},
		{"/search", "/search?size=100&page=4"},
		{"/concordance", "/concordance?q=" + de},
		{"/concordance", "/concordance?q=" + shuo},
		{"/documents", "/documents"},
		{"/documents/{id}", "/documents/novel-0"},
		{"/documents/{id}", "/documents/novel-0?q=" + de},
		{"/passages/{id}", "/passages/novel-0/p100?q=" + de},
		{"/frequency", "/frequency?q=" + de + "&by=doc"},
		{"/collocations", "/collocations?q=" + de},
		{"/words", "/words"},
		{"/parallel", "/parallel?zh=" + de},
		{"/livez", "/livez"},
		{"/metrics", "/metrics"},
		{"/static/{file}", "/static/app.css"},
		{"/favicon.ico", "/favicon.ico"},
		{"/api/search", "/api/search?q=" + de + "&size=100"},
		{"/api/search export", "/api/search?format=jsonl"},
		{"/api/search.csv", "/api/search.csv?q=" + de},
		{"/api/passages/{id}", "/api/passages/novel-0/p100"},
		{"/api/documents", "/api/documents"},
		{"/api/documents/{id}", "/api/documents/novel-0"},
		{"/api/suggest", "/api/suggest?n=10&q=%E7%99%BD"},
		{"/api/openapi.json", "/api/openapi.json"},
		{"/healthz", "/healthz"},
		{"/readyz", "/readyz"},
		{"/api/frequency", "/api/frequency?q=" + de + "&by=doc"},
		{"/api/frequency", "/api/frequency?q=" + de + "&format=csv"},
		{"/api/collocations", "/api/collocations?q=" + de},
		{"/api/words", "/api/words"},
		{"/api/equivalents", "/api/equivalents?q=%E7%99%BD%E5%98%89%E8%BD%A9"},
		{"/api/concordance", "/api/concordance?q=" + de},
		{"/api/concordance", "/api/concordance?q=" + de + "&format=jsonl"},
	} {
		max, ok := bounds[tc.path]
		if !ok {
			t.Fatalf("openapi.json states no bound for %s", tc.path)
		}
		tried[tc.path] = true
		n := len(get(t, ctx, ts.URL+tc.target))
		t.Logf("%-60s %9d bytes, bound %9d (%.1f%%)", tc.target, n, max, 100*float64(n)/float64(max))
		if n > max {
			t.Errorf("GET %s: %d bytes, over the %d openapi.json states for %s", tc.target, n, max, tc.path)
		}
	}
	for p := range bounds {
		if !tried[p] {
			t.Errorf("the bound stated for %s is not tried", p)
		}
	}
}

// testMonolingualPages: the novel (Chinese only, 461 long passages, 1.4 MB)
// reads as one column, in pages under the bound, each linking to the next;
// a passage's page shows a window around it with the search's words marked.
func testMonolingualPages(t *testing.T, live *index.Live) {
	ctx := budget(t)
	ts := realServer(t, live, 0)
	next := regexp.MustCompile(`<a href="([^"]*)" rel="next">`)
	path, pages, seen := "/documents/novel-0", 0, 0
	for path != "" {
		body := get(t, ctx, ts.URL+path)
		pages++
		if len(body) > maxPageBytes {
			t.Errorf("GET %s: %d bytes, over %d", path, len(body), maxPageBytes)
		}
		if strings.Contains(body, "(no text on this side)") || strings.Contains(body, `class="missing"`) || !strings.Contains(body, `class="sides one-column"`) {
			t.Errorf("GET %s: a monolingual document shown in two columns", path)
		}
		seen += strings.Count(body, `<a class="pnum"`)
		path = ""
		if m := next.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	t.Logf("the novel's 461 passages in %d pages", pages)
	if seen != 461 || pages < 2 {
		t.Errorf("%d passages in %d pages, want all 461 in several", seen, pages)
	}
	body := get(t, ctx, ts.URL+"/passages/novel-0/p460?q=%E7%99%BD%E5%98%89%E8%BD%A9")
	if len(body) > maxPageBytes || !strings.Contains(body, `id="p460" aria-current="location"`) || !strings.Contains(body, `id="p450"`) || strings.Contains(body, `id="p449"`) {
		t.Errorf("the last passage's page: %d bytes; want it current among the 10 before it", len(body))
	}
	if !strings.Contains(get(t, ctx, ts.URL+"/passages/novel-0/p005?q=%E7%99%BD%E5%98%89%E8%BD%A9"), "<mark>白嘉轩</mark>") {
		t.Error("a passage page reached from a search for 白嘉轩 does not mark it")
	}
}

// testSlowReaders: twice as many clients as there are slots start exports
// and stop reading; a stream of searches meanwhile is answered (the
// reported p99 is for searches beside the stuck readers). Before, the
// readers held every slot until the write timeout and every search got 503.
func testSlowReaders(t *testing.T, live *index.Live) {
	const slots, readers, searchers, perSearcher = 4, 8, 4, 25
	ctx := budget(t)
	// A generous request timeout: this test is about slots, and a search
	// under -race on a busy machine may take seconds.
	h, err := New(Config{Searcher: live, MaxInFlight: slots, RequestTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// Small send buffers stand for a network path that holds little in
	// flight; on loopback the kernel would otherwise buffer megabytes of
	// each export and no write would block.
	ts := httptestServer(t, h, smallSendBuffers)
	addr := ts.Listener.Addr().String()
	// The readers' exports block once the buffers are full; wait until no
	// request holds or waits for a slot, three polls in a row.
	calm := func() {
		for n := 0; n < 3; {
			var hs apiHealth
			if err := json.Unmarshal([]byte(get(t, ctx, ts.URL+"/healthz")), &hs); err != nil {
				t.Fatal(err)
			}
			if hs.SlotsInUse == 0 && hs.Waiting == 0 {
				n++
			} else {
				n = 0
			}
			select {
			case <-ctx.Done():
				t.Fatalf("exports still hold slots: %+v", hs)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	// One after the other: a reader's export makes rows in a slot until
	// its write blocks, without one; eight making rows at once could
	// fill the slots and the queue, and a reader would be shed.
	for i := range readers {
		r := startSlowReader(t, addr, fmt.Sprintf("/api/search?format=jsonl&q=-x%d", i), 4<<10)
		if err := r.begun(ctx); err != nil {
			t.Fatalf("slow reader %d: no answer began: %v", i, err)
		}
		if !strings.Contains(r.status, " 200 ") {
			t.Fatalf("slow reader %d: %q, want an export (200)", i, r.status)
		}
		calm()
	}
	queries := []string{"/api/search?q=" + "%E7%99%BD%E5%98%89%E8%BD%A9", "/search?q=%E9%B9%BF%E5%AD%90%E9%9C%96", "/api/search?q=%E5%A8%B6&page=2", "/concordance?q=%E5%8E%9F%E4%B8%8A"}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: searchers}}
	t.Cleanup(client.CloseIdleConnections)
	var lat latencies
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for g := range searchers {
		wg.Go(func() {
			for i := range perSearcher {
				target := queries[(g+i)%len(queries)]
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+target, nil)
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("GET %s beside slow readers: %v", target, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat.add(time.Since(start))
				mu.Lock()
				codes[resp.StatusCode]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	t.Logf("%d searches beside %d stopped readers over %d slots: statuses %v; p50 %v, p99 %v, max %v",
		lat.n(), readers, slots, codes, lat.pct(50).Round(time.Microsecond), lat.pct(99).Round(time.Microsecond), lat.pct(100).Round(time.Microsecond))
	if codes[http.StatusOK] != searchers*perSearcher {
		t.Errorf("statuses %v: want all %d searches answered 200 while readers are stuck", codes, searchers*perSearcher)
	}
}

// testSlowExport: a client reading a 1.4 MB export steadily but slowly,
// 64 KiB per third of the write stall, so that the whole download takes
// many times the stall, gets all of it: the server bounds each write, not
// the answer. (cmd/corpus TestSlowClientsProcess reads for longer than the
// former 30 s write timeout.)
func testSlowExport(t *testing.T, live *index.Live) {
	ctx := budget(t)
	const stall = time.Second
	h, err := New(Config{Searcher: live, WriteStall: stall})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptestServer(t, h)
	// The whole export, read at once, to compare with.
	wholeStart := time.Now()
	whole := get(t, ctx, ts.URL+"/api/search.csv?q=-x")
	t.Logf("the export read at once: %d bytes in %v", len(whole), time.Since(wholeStart).Round(time.Millisecond))
	r := startSlowReader(t, ts.Listener.Addr().String(), "/api/search.csv?q=-x", 0)
	br := bufio.NewReaderSize(r.conn, 4<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	var got []byte
	buf := make([]byte, 64<<10)
	// The pause is a pace, not a synchronisation: whatever the machine's
	// speed, the client reads at most 64 KiB per stall/3.
	tick := time.NewTicker(stall / 3)
	defer tick.Stop()
	for {
		n, err := io.ReadFull(resp.Body, buf)
		got = append(got, buf[:n]...)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			t.Fatalf("slow export cut after %d of %d bytes, %v: %v", len(got), len(whole), time.Since(start), err)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	took := time.Since(start)
	t.Logf("slow export: %d bytes in %v (%.0f KB/s), write stall %v", len(got), took.Round(time.Millisecond), float64(len(got))/1000/took.Seconds(), stall)
	if string(got) != string(whole) {
		t.Errorf("slow export: %d bytes, want the %d of the whole export", len(got), len(whole))
	}
}

// testTokenCacheBound: paging through every passage of the novel with a
// word on most of them, the token cache stays within its budget and the
// heap does not grow past the caches' budgets. Bounded in entries (10,000)
// the cache held the tokens of every passage seen.
func testTokenCacheBound(t *testing.T, live *index.Live) {
	ctx := budget(t)
	const tokenBudget = 4 << 20
	live.SetTokenCacheBytes(tokenBudget)
	live.SetCacheBytes(4 << 20)
	h, err := New(Config{Searcher: live, RequestTimeout: time.Minute}) // pages of 100 long passages, maybe under -race
	if err != nil {
		t.Fatal(err)
	}
	ts := httptestServer(t, h)
	// The translation dictionary loads in the background from the first
	// Open; on a busy machine it could land between the two measures.
	if _, err := live.Equivalents("iron curtain"); err != nil {
		t.Fatal(err)
	}
	before := heapInUse()
	pages := 0
	for _, q := range []string{"%E7%9A%84", "-x"} { // 的, and every passage
		for page := 1; ; page++ {
			body := get(t, ctx, fmt.Sprintf("%s/api/search?q=%s&size=25&page=%d", ts.URL, q, page))
			pages++
			if !strings.Contains(body, `"hits":[{`) {
				break
			}
		}
	}
	after := heapInUse()
	var tokens index.CacheStats
	for _, c := range live.Caches() {
		if c.Name == "tokens" {
			tokens = c
		}
	}
	// What the caches really hold: the heap they free when emptied.
	live.SetTokenCacheBytes(0)
	live.SetCacheBytes(0)
	emptied := heapInUse()
	held := after - emptied
	t.Logf("paged %d pages of up to 25 long passages: heap %d MiB before, %d MiB after, %d MiB with the caches emptied: the caches held %.1f MiB; token cache reported %d KiB of %d KiB",
		pages, before>>20, after>>20, emptied>>20, float64(held)/(1<<20), tokens.Bytes>>10, tokens.Max>>10)
	if tokens.Max != tokenBudget || tokens.Bytes > tokens.Max {
		t.Errorf("token cache holds %d bytes with a budget of %d, want at most %d", tokens.Bytes, tokens.Max, tokenBudget)
	}
	// Budgets: tokens 4 MiB, results 4 MiB, browse 1 MiB; the estimates
	// may be off by some, not by the whole novel's tokens (17 MiB).
	if held > 13<<20 {
		t.Errorf("the caches held %.1f MiB after paging the novel, over their budgets of 9 MiB and slack", float64(held)/(1<<20))
	}
	// What paging left on the heap: the caches and nothing else that grows.
	if grew := after - before; grew > 13<<20 {
		t.Errorf("the heap grew by %.1f MiB after paging the novel, over the caches' budgets of 9 MiB and slack", float64(grew)/(1<<20))
	}
	live.SetTokenCacheBytes(index.DefaultTokenCacheBytes)
	live.SetCacheBytes(index.DefaultCacheBytes)
}

// heapInUse returns the live heap after a collection.
func heapInUse() int64 {
	// Three collections: what finalizers hold (the build's, the index's)
	// is freed only at the collection after theirs ran; one collection
	// left 20 MiB of the build in "before" and hid the growth.
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// get fetches url and returns its body; anything but 200 fails the test.
func get(t testing.TB, ctx context.Context, url string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// httptestServer serves h over HTTP as realServer does.
func httptestServer(t testing.TB, h http.Handler, wrap ...func(net.Listener) net.Listener) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(h)
	for _, w := range wrap {
		ts.Listener = w(ts.Listener)
	}
	ts.Config.MaxHeaderBytes = 64 << 10
	ts.Config.ReadHeaderTimeout = 5 * time.Second
	ts.Config.ReadTimeout = 10 * time.Second
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// smallSendBuffers gives every accepted connection a 16 KiB send buffer.
func smallSendBuffers(ln net.Listener) net.Listener { return sndbufListener{ln} }

type sndbufListener struct{ net.Listener }

func (l sndbufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(16 << 10)
	}
	return c, err
}

// TestMalformedParameters: a parameter that cannot be decoded is a 400
// naming it, on every route that reads parameters, never a silently wider
// answer (company=ByteDance% answered every company's hits).
func TestMalformedParameters(t *testing.T) {
	ts := realServer(t, openEssay(t), 0)
	for _, tc := range []struct{ target, name string }{
		{"/search?q=huawei&company=ByteDance%", `"company"`},
		{"/api/search?q=huawei&company=ByteDance%", `"company"`},
		{"/api/search?q=huawei;company=ByteDance", `"q"`},
		{"/api/search?q=%E5%8D%8E%zz", `"q"`},
		{"/concordance?q=huawei&lang=%", `"lang"`},
		{"/api/search.csv?q%=x", `"q%"`},
		{"/documents/huawei-bytedance?q=%4", `"q"`},
		{"/api/documents?page=1;", `"page"`},
	} {
		resp, err := http.Get(ts.URL + tc.target)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), strings.ReplaceAll(tc.name, `"`, "&#34;")) && !strings.Contains(string(b), `\"`+strings.Trim(tc.name, `"`)+`\"`) {
			t.Errorf("GET %s: status %d, body %.300q; want 400 naming %s", tc.target, resp.StatusCode, b, tc.name)
		}
	}
}

// TestHead: HEAD answers wherever GET does, with GET's status and headers
// and no body.
func TestHead(t *testing.T) {
	ts := realServer(t, openEssay(t), 0)
	for _, target := range []string{"/", "/search?q=huawei", "/concordance?q=huawei", "/documents", "/documents/huawei-bytedance",
		"/passages/huawei-bytedance/p001", "/api/search?q=huawei", "/api/search.csv?q=huawei", "/api/documents", "/healthz", "/readyz", "/metrics",
		"/static/app.css", "/favicon.ico", "/api/openapi.json", "/nope", "/api/passages/nope/p000"} {
		get, err := http.Get(ts.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, get.Body)
		get.Body.Close()
		head, err := http.Head(ts.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, head.Body)
		head.Body.Close()
		if head.StatusCode != get.StatusCode || n != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: status %d, %d body bytes, %q; GET: %d, %q", target, head.StatusCode, n, head.Header.Get("Content-Type"), get.StatusCode, get.Header.Get("Content-Type"))
		}
	}
}
