package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
	"github.com/corpus-dev/corpus/web"
)

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", "[flags] QUERY...", `  corpus search 华为
  corpus search --company ByteDance --year 2020 tiktok
  corpus search --lang en '"iron curtain"'
  corpus search --json --size 100 任正非 | jq '.hits[].id'
`, stderr)
	data := fs.String("data", envOr("CORPUS_DATA", defaultDataDir()), "data folder holding index generations (env CORPUS_DATA)")
	var companies, speakers, years, sections multiFlag
	fs.Var(&companies, "company", "only passages naming this company (repeatable)")
	fs.Var(&speakers, "speaker", "only passages quoting this person (repeatable)")
	fs.Var(&years, "year", "only passages about this year (repeatable)")
	fs.Var(&sections, "section", "only this section: title, body, caption or reference (repeatable)")
	lang := fs.String("lang", "all", "side the words must match: en, zh or all")
	sort := fs.String("sort", "", "relevance, position, year or -year")
	size := fs.Int("size", 10, "passages to show (at most 100)")
	page := fs.Int("page", 1, "page of results")
	asJSON := fs.Bool("json", false, "print the JSON API's answer instead of a table")
	// Longer than the server's 5 s: the one asking waits at the terminal
	// and can stop it, and a cold process on a large corpus needs more.
	timeout := fs.Int("timeout", 30, "seconds the search may take before it gives up")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usageError{fmt.Sprintf("--timeout %d: give a number of seconds above 0", *timeout)}
	}
	q := index.Query{
		Text: strings.Join(fs.Args(), " "), Companies: companies, Speakers: speakers,
		Sort: index.Sort(*sort), Size: *size, Page: *page,
	}
	switch *lang {
	case "all", "":
	case "en", "zh":
		q.Lang = corpus.Lang(*lang)
	default:
		return usageError{fmt.Sprintf("--lang %q: use en, zh or all", *lang)}
	}
	for _, y := range years {
		n, err := strconv.Atoi(y)
		if err != nil {
			return usageError{fmt.Sprintf("--year %q is not a year", y)}
		}
		q.Years = append(q.Years, n)
	}
	for _, s := range sections {
		q.Sections = append(q.Sections, corpus.Section(s))
	}

	live, err := index.OpenLive(*data, nil)
	if errors.Is(err, index.ErrNoIndex) {
		return fmt.Errorf("no index in %s: run 'corpus index' first", *data)
	}
	if err != nil {
		return err
	}
	defer live.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Duration(*timeout)*time.Second)
	defer cancel()
	r, err := live.Search(ctx, q)
	if errors.Is(err, index.ErrBadQuery) {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		if err := web.WriteSearchJSON(stdout, r, live.LabelZH); err != nil {
			return err
		}
	} else {
		printTable(stdout, r)
	}
	if r.Total == 0 {
		return errNoMatch
	}
	return nil
}

// printTable prints hits for a reader: a header line per passage with its
// facets, then each side shortened around its first match.
func printTable(w io.Writer, r *index.Results) {
	if r.Total == 0 {
		fmt.Fprintf(w, "no passage matches %q\n", r.Query.Text)
		return
	}
	first := (r.Query.Page-1)*r.Query.Size + 1
	fmt.Fprintf(w, "%d passages match %q (showing %d–%d)\n", r.Total, r.Query.Text, first, first+len(r.Hits)-1)
	for _, h := range r.Hits {
		p := h.Passage
		fmt.Fprintf(w, "\n%s  %s", p.ID, p.Section)
		if len(p.Years) > 0 {
			ys := make([]string, len(p.Years))
			for i, y := range p.Years {
				ys[i] = strconv.Itoa(y)
			}
			fmt.Fprintf(w, "  %s", strings.Join(ys, ","))
		}
		if len(p.Companies) > 0 {
			fmt.Fprintf(w, "  %s", strings.Join(p.Companies, ", "))
		}
		if len(p.Speakers) > 0 {
			fmt.Fprintf(w, "  [%s]", strings.Join(p.Speakers, ", "))
		}
		fmt.Fprintln(w)
		for _, l := range corpus.Langs {
			if t := p.Text.Get(l); t != "" {
				fmt.Fprintf(w, "  %s  %s\n", strings.ToUpper(string(l)), excerpt(t, h.Matches[l], 110))
			}
		}
	}
}

// excerpt shortens text to about n runes around the first match, marking
// matches with [brackets].
func excerpt(text string, spans []index.Span, n int) string {
	start := 0
	if len(spans) > 0 {
		start = spans[0].Start
		for k := 0; k < n/4 && start > 0; k++ {
			_, w := utf8.DecodeLastRuneInString(text[:start])
			start -= w
		}
	}
	end := start
	for k := 0; k < n && end < len(text); k++ {
		_, w := utf8.DecodeRuneInString(text[end:])
		end += w
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, s := range spans {
		if s.Start < start || s.End > end {
			continue
		}
		b.WriteString(text[at:s.Start])
		b.WriteString("[" + text[s.Start:s.End] + "]")
		at = s.End
	}
	b.WriteString(text[at:end])
	if end < len(text) {
		b.WriteString("…")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
