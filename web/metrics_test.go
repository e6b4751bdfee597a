package web

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestMetricsSeparateWriting: /metrics gives the time a request held a
// search slot (corpus_http_search_duration_seconds) apart from the whole
// request's (corpus_http_request_duration_seconds), which includes writing
// to the client: a page whose client stops reading takes at least the
// write stall in the second and not in the first. Before, there was only
// the whole request's, in which a slow reader looked like a slow search.
func TestMetricsSeparateWriting(t *testing.T) {
	const stall = 300 * time.Millisecond
	ctx := budget(t)
	h, err := New(Config{Searcher: openEssay(t), WriteStall: stall, RequestTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptestServer(t, h, smallSendBuffers)
	const searches = 5
	for range searches {
		get(t, ctx, ts.URL+"/api/search?q=huawei")
	}
	// The essay's page (tens of KB) does not fit the 16 KiB send buffer
	// and the 4 KB receive buffer: its write blocks until the stall cuts it.
	r := startSlowReader(t, ts.Listener.Addr().String(), "/documents/huawei-bytedance-abroad", 4<<10)
	if err := r.begun(ctx); err != nil {
		t.Fatal(err)
	}
	var m map[string]float64
	for {
		m = scrape(t, get(t, ctx, ts.URL+"/metrics"))
		if m[`corpus_http_request_duration_seconds_count{route="/documents/:id"}`] == 1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the stuck page's request was never counted: %v", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	for _, route := range []string{"/api/search", "/documents/:id"} {
		req := m[fmt.Sprintf(`corpus_http_request_duration_seconds_sum{route=%q}`, route)]
		srch := m[fmt.Sprintf(`corpus_http_search_duration_seconds_sum{route=%q}`, route)]
		nreq := m[fmt.Sprintf(`corpus_http_request_duration_seconds_count{route=%q}`, route)]
		nsrch := m[fmt.Sprintf(`corpus_http_search_duration_seconds_count{route=%q}`, route)]
		t.Logf("%s: %v requests, %.4f s in all, %.4f s of it in a search slot", route, nreq, req, srch)
		if nreq == 0 || nsrch != nreq {
			t.Errorf("%s: %v requests timed whole, %v timed in a slot; want the same, not 0", route, nreq, nsrch)
		}
		if srch > req {
			t.Errorf("%s: %.4f s in a slot, more than the %.4f s of the whole requests", route, srch, req)
		}
	}
	req := m[`corpus_http_request_duration_seconds_sum{route="/documents/:id"}`]
	srch := m[`corpus_http_search_duration_seconds_sum{route="/documents/:id"}`]
	// The slot is given up before the page goes out, so the stall is in
	// the whole request's time and not in the slot's.
	if req < stall.Seconds() || srch > req-stall.Seconds() {
		t.Errorf("the page whose client stopped reading: %.4f s whole, %.4f s in a slot; want the write stall (%v) in the first only", req, srch, stall)
	}
}

// scrape reads the samples of a Prometheus text answer, by name with labels.
func scrape(t testing.TB, body string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z_]+(?:\{[^}]*\})?) (\S+)$`).FindAllStringSubmatch(body, -1) {
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			t.Fatalf("metrics: %q: %v", m[0], err)
		}
		out[m[1]] = v
	}
	return out
}
