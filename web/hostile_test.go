package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// These tests run the site on the real index of the embedded essay, over
// real HTTP, and throw at it what a hostile or careless client would.

// answerBound is how long any request may take before a test calls it a
// hang. Timings are logged, not asserted: machines are shared.
const answerBound = 10 * time.Second

// essayData is a data folder holding the embedded essay, built once per
// test binary and only read by the tests that share it.
var essayData = sync.OnceValues(func() (string, error) {
	dir, err := sharedTempDir("corpus-web-test-")
	if err != nil {
		return "", err
	}
	if _, err := buildEssay(context.Background(), dir); err != nil {
		return "", err
	}
	return dir, nil
})

func buildEssay(ctx context.Context, dir string) (index.BuildStats, error) {
	doc, err := corpus.Essay()
	if err != nil {
		return index.BuildStats{}, err
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return index.BuildStats{}, err
	}
	return index.Build(ctx, dir, []*corpus.Document{doc}, gaz, index.BuildOptions{})
}

// openEssay opens the shared essay index as the server does.
func openEssay(t testing.TB) *index.Live {
	t.Helper()
	dir, err := essayData()
	if err != nil {
		t.Fatal(err)
	}
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	return live
}

// realServer serves s over HTTP from an http.Server set up as `corpus
// serve` sets up its own (header limit and timeouts).
// Options, when given, adjust the http.Server before it starts.
func realServer(t testing.TB, s Searcher, maxInFlight int, options ...func(*http.Server)) *httptest.Server {
	t.Helper()
	h, err := New(Config{Searcher: s, Version: "test", MaxInFlight: maxInFlight})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(h)
	ts.Config.MaxHeaderBytes = 64 << 10
	ts.Config.ReadHeaderTimeout = 5 * time.Second
	ts.Config.ReadTimeout = 10 * time.Second
	for _, o := range options {
		o(ts.Config)
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// hostileQueries are query texts meant to make a search engine expand,
// backtrack or choke.
var hostileQueries = []struct{ name, q string }{
	{"star", "*"},
	{"a* x200", strings.Repeat("a*", 200)},
	{"a* x100", strings.Repeat("a*", 100)}, // within the byte limit, over the term limit
	{"a* x30", strings.Repeat("a* ", 30)},  // within both
	{"OR chain", "a" + strings.Repeat(" OR a", 31)},
	{"85 Chinese chars", strings.Repeat("华为美国字节跳动芯片", 9)[:255]},
	{"regexp all", "/.*/"},
	{"regexp backtrack", "/.{0,500}x.{0,500}/"},
	{"fuzzy", "word~5"},
	{"10,000 terms", strings.Repeat("a ", 10000)},
	{"257 chars", strings.Repeat("x", 257)},
	{"16,000 Chinese chars", strings.Repeat("华", 16000)},
	{"invalid UTF-8", "华\xff\xfe为"},
	{"NUL", "a\x00b"},
	{"control chars", "\x01\x02\x1b[31m\x7f"},
	{"bleve syntax", `+title:x -_id:* ^5 field:"a" {a TO z}`},
	{"quotes and minus", `"-" -"" - OR OR "`},
	{"unicode oddities", "\u202e\u200b\ufeff\U0001F600華為"},
}

// hostileParams are parameters out of range, malformed or unknown.
var hostileParams = []string{
	"page=-1", "page=0", "page=abc", "page=1e9", "size=-1", "size=0", "size=abc", "size=1e9",
	"page=1000&size=100", "facet=nope", "nope=1", "company=NoSuchCompany", "speaker=%3Cscript%3E",
	"company=" + strings.Repeat("x", 300), "company=" + strings.Repeat("a", 10) + strings.Repeat("&company=b", 60),
	"year=99999", "year=-1", "year_from=abc", "year_from=2020&year_to=2001", "section=bogus", "lang=xx",
	"sort=bogus", "doc=nope", "doc=%ff", "format=xml", "format=csv&size=100", "q=%E5%8D%8E%E4%B8%BA&format=jsonl",
}

// hostileRequest is one request of the hostile test and the statuses it
// may get.
type hostileRequest struct {
	name, method, target string
	body                 []byte
	chunked              bool
	want                 []int
}

func hostileRequests() []hostileRequest {
	var reqs []hostileRequest
	for _, h := range hostileQueries {
		for _, route := range []string{"/search", "/api/search", "/concordance"} {
			target := route + "?q=" + url.QueryEscape(h.q)
			want := []int{200, 400}
			if len(target) > 64<<10 {
				// Over the server's header limit (16,000 Chinese characters
				// are 144 KB escaped): net/http refuses it. FuzzSearch sends
				// such queries past the limit, in process.
				want = []int{414, 431}
			}
			reqs = append(reqs, hostileRequest{name: h.name, method: "GET", target: target, want: want})
		}
	}
	for _, p := range hostileParams {
		for _, route := range []string{"/search", "/api/search"} {
			reqs = append(reqs, hostileRequest{name: p, method: "GET", target: route + "?" + p, want: []int{200, 400}})
		}
	}
	big := strings.Repeat("x", 2<<20)
	body := bytes.Repeat([]byte("q=x&"), 2<<20/4)
	reqs = append(reqs,
		hostileRequest{name: "2 MB URL", method: "GET", target: "/search?q=" + big, want: []int{414, 431}},
		hostileRequest{name: "2 MB URL, API", method: "GET", target: "/api/search?q=" + big, want: []int{414, 431}},
		hostileRequest{name: "2 MB body", method: "POST", target: "/api/search", body: body, want: []int{413}},
		hostileRequest{name: "2 MB body on GET", method: "GET", target: "/search?q=x", body: body, want: []int{413}},
		// Without a length the limit can only act if someone reads the
		// body; no route does, so the answer is whatever the route says.
		hostileRequest{name: "2 MB chunked body", method: "POST", target: "/api/search", body: body, chunked: true, want: []int{405, 413}},
		hostileRequest{name: "passage traversal", method: "GET", target: "/passages/..%2f..%2fetc%2fpasswd", want: []int{404}},
		hostileRequest{name: "document traversal", method: "GET", target: "/api/documents/..%2F..%2Fmanifest.json", want: []int{404}},
		// echo fixed static-path escapes (GHSA-vfp3-v2gw-7wfq) before
		// v4.16.0 and hardened them after: the embedded files stay put.
		hostileRequest{name: "static traversal", method: "GET", target: "/static/..%2fserver.go", want: []int{404}},
		hostileRequest{name: "static traversal, dots", method: "GET", target: "/static/%2e%2e/%2e%2e/go.mod", want: []int{404}},
		hostileRequest{name: "static traversal, backslash", method: "GET", target: "/static/..%5cserver.go", want: []int{404}},
	)
	return reqs
}

// TestHostileRequests sends each hostile request twice to a server on the
// real index: every one is answered promptly with its expected status
// (never a 500), carries the security headers, and the server's heap is
// flat from the first round to the second.
func TestHostileRequests(t *testing.T) {
	ts := realServer(t, openEssay(t), 0)
	reqs := hostileRequests()
	took := make([]time.Duration, len(reqs))
	round := func(record bool) {
		for i, r := range reqs {
			code, hdr, body, d, err := send(ts, r)
			if err != nil {
				t.Errorf("%s %s (%s): %v", r.method, short(r.target), r.name, err)
				continue
			}
			if record {
				took[i] = d
			}
			if !slices.Contains(r.want, code) {
				t.Errorf("%s %s (%s): status %d, want one of %v; body %.300q", r.method, short(r.target), r.name, code, r.want, body)
			}
			if d > answerBound {
				t.Errorf("%s %s (%s): answered after %v", r.method, short(r.target), r.name, d)
			}
			if code == 431 || code == 414 {
				continue // net/http answers these before the site sees them
			}
			checkHeaders(t, r.method+" "+short(r.target), hdr)
			if strings.HasPrefix(r.target, "/api/") && code != 405 {
				if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "application/x-ndjson") {
					t.Errorf("%s %s: Content-Type %q, want JSON", r.method, short(r.target), ct)
				}
			}
		}
	}
	round(false) // warm caches and pools
	before := heapAlloc()
	round(true)
	after := heapAlloc()

	order := make([]int, len(reqs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return took[order[a]] > took[order[b]] })
	over := 0
	for _, i := range order {
		if took[i] > 50*time.Millisecond {
			over++
		}
	}
	var slowest []string
	for _, i := range order[:min(8, len(order))] {
		slowest = append(slowest, fmt.Sprintf("%s %s (%s) %v", reqs[i].method, short(reqs[i].target), reqs[i].name, took[i].Round(time.Microsecond)))
	}
	t.Logf("%d hostile requests, %d over 50 ms (second round); slowest:\n  %s", len(reqs), over, strings.Join(slowest, "\n  "))
	t.Logf("server heap after round 1: %.1f MiB, after round 2: %.1f MiB (%+.1f MiB)", mib(before), mib(after), mib(after)-mib(before))
	if after > before+64<<20 {
		t.Errorf("heap grew from %.1f to %.1f MiB over one round of hostile requests", mib(before), mib(after))
	}
}

// send writes r on a fresh connection while reading the answer, as a
// client that sends a big body without waiting must, and returns the
// status, headers, up to 64 KiB of the body and how long the answer took.
func send(ts *httptest.Server, r hostileRequest) (int, http.Header, string, time.Duration, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
		if r.chunked {
			body = io.MultiReader(body) // hides the length: sent chunked
		}
	}
	req, err := http.NewRequest(r.method, ts.URL+r.target, body)
	if err != nil {
		return 0, nil, "", 0, err
	}
	req.Close = true
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		return 0, nil, "", 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * answerBound))
	start := time.Now()
	// The server may answer and hang up before reading a refused body, so
	// a failed write is no failure; no answer is.
	go req.Write(conn)
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return 0, nil, "", time.Since(start), fmt.Errorf("no answer: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, resp.Header, string(b), time.Since(start), err
}

// checkHeaders fails unless h has the headers every answer of the site
// carries against sniffing, framing and injected script.
func checkHeaders(t testing.TB, what string, h http.Header) {
	t.Helper()
	for k, want := range map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Content-Security-Policy": contentSecurityPolicy,
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("%s: CSP does not deny framing", what)
	}
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// short shortens a long target for messages.
func short(s string) string {
	if len(s) > 80 {
		return fmt.Sprintf("%s…(%d bytes)", s[:60], len(s))
	}
	return s
}

// fuzzing reports whether the test binary runs with -test.fuzz, when a
// stricter time limit applies than in a shared CI run.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// FuzzSearch sends any query string to the search routes of the real
// index: each answer is 200 or 400 (never a 500), within a second when
// fuzzing.
func FuzzSearch(f *testing.F) {
	for _, h := range hostileQueries {
		f.Add("q=" + url.QueryEscape(h.q))
	}
	for _, p := range hostileParams {
		f.Add(p)
	}
	f.Add("q=%E5%8D%8E%E4%B8%BA+OR+Huawei+-%22trade+war%22&company=Huawei&year_from=2000&sort=-year")
	h, err := New(Config{Searcher: openEssay(f), MaxInFlight: 1 << 10})
	if err != nil {
		f.Fatal(err)
	}
	limit := answerBound
	if fuzzing() {
		limit = time.Second
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, route := range []string{"/api/search", "/search", "/concordance"} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path, req.URL.RawQuery = route, raw
			req.RequestURI = req.URL.RequestURI()
			rec := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(rec, req)
			if d := time.Since(start); d > limit {
				t.Errorf("GET %s?%q took %v", route, raw, d)
			}
			if rec.Code != 200 && rec.Code != 400 {
				t.Errorf("GET %s?%q: status %d, want 200 or 400; body %.300q", route, raw, rec.Code, rec.Body.String())
			}
		}
	})
}

// FuzzRawRequest writes any bytes as a request to a real server on the
// real index: net/http or the site may refuse it, but the site never
// answers with a 5xx, and there is always an answer or a hang-up within
// the time bound.
func FuzzRawRequest(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /search?q=%E5%8D%8E%E4%B8%BA HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /search?q=%ff%00 HTTP/1.1\r\nHost: x\r\nAccept-Language: zh;q=\xff\r\n\r\n",
		"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
		"POST /api/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"GET /passages/../../etc/passwd HTTP/1.0\r\n\r\n",
		"GET http://evil.example/ HTTP/1.1\r\nHost: y\r\n\r\n",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
		"GET /api/documents/%2e%2e HTTP/1.1\r\nHost: x\r\nX: \x00\r\n\r\n",
		"HEAD /concordance?q=a&sort=left HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /static/../../go.mod HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 70<<10) + "\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	// The client does not half-close its side (net/http takes that for a
	// client gone and cancels the request), so the server must hang up on
	// an incomplete request or an idle connection itself, soon.
	ts := realServer(f, openEssay(f), 1<<10, func(s *http.Server) {
		s.ReadHeaderTimeout = 300 * time.Millisecond
		s.ReadTimeout = time.Second
		s.IdleTimeout = 50 * time.Millisecond
	})
	addr := ts.Listener.Addr().String()
	f.Fuzz(func(t *testing.T, raw []byte) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(answerBound))
		if _, err := conn.Write(raw); err != nil {
			return // the server may close on garbage before reading it all
		}
		br := bufio.NewReader(conn)
		for {
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					t.Fatalf("request %q: no answer and no close within %v", raw, answerBound)
				}
				return // closed: no (further) answer
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			// The site's answers carry its headers; net/http answers
			// protocol errors itself, and 501 (unknown transfer coding)
			// and 505 (HTTP version) are the right answers there.
			site := resp.Header.Get("X-Content-Type-Options") != ""
			if resp.StatusCode >= 500 && (site || resp.StatusCode != 501 && resp.StatusCode != 505) {
				t.Fatalf("request %q: status %d (from the site: %v)", raw, resp.StatusCode, site)
			}
		}
	})
}

// TestLiteralQueries: what looks like another engine's syntax is searched
// as the words in it, not run as a wildcard, regexp or fuzzy query.
func TestLiteralQueries(t *testing.T) {
	ts := realServer(t, openEssay(t), 0)
	total := func(q string) int {
		t.Helper()
		resp, err := ts.Client().Get(ts.URL + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct{ Total int }
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET /api/search?q=%q: %s, %v", q, resp.Status, err)
		}
		return r.Total
	}
	all := total("")
	for _, tc := range []struct{ q, same string }{
		{"*", ""},    // no word: browses everything, as an empty query
		{"/.*/", ""}, // likewise
		{"huawei*", "huawei"},
		{"huawei~5", "huawei 5"},
		{"/huawei/", "huawei"},
		{"华为*", "华为"},
	} {
		if got, want := total(tc.q), total(tc.same); got != want {
			t.Errorf("q=%q: %d hits, want %d as for %q (literal words)", tc.q, got, want, tc.same)
		}
	}
	if n := total("zzyzx*"); n != 0 {
		t.Errorf("q=zzyzx*: %d hits, want 0: a star must not expand", n)
	}
	if all == 0 {
		t.Error("the empty query browses nothing")
	}
}
