package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

func TestExportCSV(t *testing.T) {
	f := &fakeSearcher{docs: []corpus.Document{{
		ID: "doc",
		Passages: passages("doc",
			corpus.Passage{
				Text:      corpus.Text{EN: `=HYPERLINK("http://evil","x"), said "he"`, ZH: "+1 华为\n第二行"},
				Companies: []string{"-cmd|' /C calc'!A0", "Huawei"}, Years: []int{2009, 2019}, Speakers: []string{"@SUM(A1)"},
			},
			corpus.Passage{Section: corpus.SectionCaption, Text: corpus.Text{EN: "\t=1+1", ZH: "plain 华为"}},
		),
	}}}
	ts := newTestServer(t, f, 0)
	rec := ts.get(t, "/api/search.csv?q=%E5%8D%8E%E4%B8%BA")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	for k, want := range map[string]string{
		"Content-Type":        "text/csv; charset=utf-8",
		"Content-Disposition": `attachment; filename="corpus-search.csv"`,
		"X-Total-Count":       "2",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v\n%s", err, rec.Body.String())
	}
	want := [][]string{
		{"id", "doc", "position", "section", "en", "zh", "companies", "years", "speakers"},
		{"doc/p000", "doc", "0", "body", `'=HYPERLINK("http://evil","x"), said "he"`, "'+1 华为\n第二行", "'-cmd|' /C calc'!A0; Huawei", "2009; 2019", "'@SUM(A1)"},
		{"doc/p001", "doc", "1", "caption", "'\t=1+1", "plain 华为", "", "", ""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("CSV export (-want +got):\n%s", diff)
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x",
		"\t=x": "'\t=x", "\r=x": "'\r=x", "a=b": "a=b", "华为": "华为",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// manyPassages is a document of n passages that all match "word".
func manyPassages(n int) *fakeSearcher {
	ps := make([]corpus.Passage, n)
	for i := range ps {
		ps[i] = corpus.Passage{Text: corpus.Text{EN: "word " + strconv.Itoa(i), ZH: "词"}}
	}
	return &fakeSearcher{docs: []corpus.Document{{ID: "big", Passages: passages("big", ps...)}}}
}

func TestExportPages(t *testing.T) {
	f := manyPassages(250)
	ts := newTestServer(t, f, 0)
	rec := ts.get(t, "/api/search?format=jsonl&q=word&page=7&size=3")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	lines := 0
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		if want := `"id":"big/p` + pad(lines) + `"`; !strings.Contains(sc.Text(), want) {
			t.Errorf("line %d: %s, want %s (all hits in order, not page 7)", lines, sc.Text(), want)
		}
		lines++
	}
	if lines != 250 {
		t.Errorf("JSON lines export of 250 hits: %d lines", lines)
	}
	if n := f.searches.Load(); n != 3 {
		t.Errorf("export of 250 hits made %d searches, want 3 pages of %d", n, index.MaxSize)
	}
}

func pad(i int) string { return corpus.PassageID("", i)[2:] }

func TestExportLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large fake corpus")
	}
	ts := newTestServer(t, manyPassages(index.MaxExport+50), 0)
	rec := ts.get(t, "/api/search.csv?q=word&sort=position")
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != index.MaxExport+1 {
		t.Errorf("export of %d hits: %d rows, want a header and %d", index.MaxExport+50, len(rows), index.MaxExport)
	}
	if got := rec.Header().Get("X-Total-Count"); got != strconv.Itoa(index.MaxExport+50) {
		t.Errorf("X-Total-Count = %s, want %d", got, index.MaxExport+50)
	}
}

// failingScan hands out a few hits, then fails, as an index whose search
// breaks in the middle of an export would.
type failingScan struct {
	*fakeSearcher
	after int
}

func (f failingScan) Scan(ctx context.Context, q index.Query, limit int, fn func(int, index.Hit) error) error {
	n := 0
	err := f.fakeSearcher.Scan(ctx, q, limit, func(total int, h index.Hit) error {
		if n == f.after {
			return errors.New("index went away")
		}
		n++
		return fn(total, h)
	})
	return err
}

// TestExportFailsVisibly: an export that fails after its first rows are
// sent breaks the connection, so the client cannot take the part it got
// for the whole file; one that fails before sends an error status.
func TestExportFailsVisibly(t *testing.T) {
	for _, tc := range []struct {
		after  int
		broken bool
	}{{after: 120, broken: true}, {after: 0}} {
		ts := realServer(t, failingScan{manyPassages(300), tc.after}, 0)
		resp, err := http.Get(ts.URL + "/api/search.csv?q=word&sort=position")
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case tc.broken && (resp.StatusCode != 200 || err == nil):
			t.Errorf("export failing after %d rows: status %d, read error %v; want 200 and a broken body", tc.after, resp.StatusCode, err)
		case !tc.broken && (resp.StatusCode != 500 || err != nil):
			t.Errorf("export failing before any row: status %d, read error %v; want a whole 500", resp.StatusCode, err)
		}
	}
}
