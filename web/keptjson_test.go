package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
)

// tookValue matches took_ms and its value in a search's JSON.
var tookValue = regexp.MustCompile(`("took_ms": ?)[0-9.e+-]+,`)

// TestKeptJSON: an answer the index keeps is sent from its kept JSON,
// byte for byte what encoding it afresh gives, but for took_ms, and with
// the query each client wrote.
func TestKeptJSON(t *testing.T) {
	live := openEssay(t)
	s, e, err := newServer(Config{Searcher: live, Version: "kept-test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(headAsGet(e))
	defer srv.Close()
	for _, q := range []url.Values{
		{"q": {"华为"}}, {"q": {"  华为 "}}, {"q": {`"the iron curtain"`}},
		{"q": {"Huawei"}, "company": {"Huawei"}, "page": {"2"}, "size": {"3"}},
		{"q": {`"took_ms":0, 美国`}}, {"q": {"华为"}, "pretty": {""}}, {},
	} {
		var bodies [][]byte
		for range 3 {
			resp, err := http.Get(srv.URL + "/api/search?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("%v: %s, Content-Type %q", q, resp.Status, resp.Header.Get("Content-Type"))
			}
			if !tookValue.Match(b) {
				t.Fatalf("%v: no took_ms in %.200s", q, b)
			}
			bodies = append(bodies, tookValue.ReplaceAll(b, []byte(`${1}0,`)))
		}
		// What encoding the index's answer afresh gives.
		parsed, err := parseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := live.Search(t.Context(), parsed)
		if err != nil {
			t.Fatal(err)
		}
		if res.Answer == 0 {
			t.Errorf("%v: the answer is not kept", q)
		}
		v := toAPIResults(res, live.LabelZH)
		v.TookMS = 0
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		if q.Has("pretty") {
			enc.SetIndent("", "  ")
		}
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		s.kept.mu.Lock()
		kept := len(s.kept.m)
		s.kept.mu.Unlock()
		if kept == 0 {
			t.Errorf("%v: no JSON kept", q)
		}
		for i, b := range bodies {
			if !bytes.Equal(b, want.Bytes()) {
				t.Errorf("%v: response %d differs from a fresh encoding:\n%.300s\nwant\n%.300s", q, i, b, want.Bytes())
			}
		}
	}
}
