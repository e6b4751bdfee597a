package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/corpus-dev/corpus/index"
)

func hasLucene(r *report) bool {
	for _, s := range r.Sizes {
		if len(s.Lucene) > 0 {
			return true
		}
	}
	return false
}

// luceneKinds groups Lucene 8's files by what they hold, as DiskUsage
// groups ours.
var luceneKinds = []struct {
	kind string
	exts []string
}{
	{index.DiskStored, []string{".fdt", ".fdx", ".fdm"}},
	{index.DiskPostings, []string{".doc", ".nvd", ".nvm"}},
	{index.DiskLocations, []string{".pos", ".pay"}},
	{index.DiskDictionary, []string{".tim", ".tip", ".tmd"}},
	{index.DiskDocValues, []string{".dvd", ".dvm"}},
}

// writeBytes writes where the bytes of each index go.
func writeBytes(p printf, r *report) {
	have := false
	for _, s := range r.Sizes {
		have = have || s.Usage != nil
	}
	if !have {
		return
	}
	p("## Where the bytes go\n\n")
	p("Our index (the last build of each corpus), read segment by segment from bleve's zap files and file by file from our own by `index.DiskUsageOf`: stored fields are the passage records (since index format 6 in our own passage store, `passages.bin`: JSON in DEFLATE blocks, 16 KB each until store version 2, 4 KB each since, compressed against a preset dictionary of sampled records; before, bleve's stored fields, snappy-compressed per document) and bleve's stored document IDs; postings are the document lists with frequencies and norms; positions and offsets are what bleve keeps when a field has term vectors (phrase searches read the positions; the highlighter analyses the passages it shows); the facet table is our own `facets.bin`. Since index format 9 the Han characters (`zh1`) and bigrams (`zh2`) are in our own substring index, `substr.bin`, and since format 10 the words (`en`, `en_stem`, `zh`, `zh_latin`) in our own word index, `words.bin`, counted under the same parts: each field's lengths (its norms), skip entries and document lists as postings, positions as positions, its dictionary blocks and their index as term dictionaries. Lucene's files are grouped the same way by extension (stored .fdt/.fdx/.fdm, postings .doc with norms .nvd/.nvm, positions .pos and offsets .pay, dictionaries .tim/.tip/.tmd, doc values .dvd/.dvm).\n\n")
	for _, s := range r.Sizes {
		if s.Usage != nil {
			writeBytesOf(p, s)
		}
	}
}

// writeBytesOf writes one corpus's table of where the bytes go.
func writeBytesOf(p printf, s *sizeReport) {
	u := s.Usage
	byKind := map[string]int64{}
	byField := map[string]map[string]int64{}
	for _, part := range u.Parts {
		byKind[part.Kind] += part.Bytes
		if byField[part.Kind] == nil {
			byField[part.Kind] = map[string]int64{}
		}
		byField[part.Kind][part.Field] += part.Bytes
	}
	luc, lucTotal := luceneByKind(s)
	p("### %s\n\n| Part | Ours | Share | Largest fields | Lucene | Ours ÷ Lucene |\n|---|---:|---:|---|---:|---:|\n", s.Name)
	for _, k := range []string{index.DiskStored, index.DiskPostings, index.DiskLocations, index.DiskDictionary, index.DiskDocValues, index.DiskFacets, index.DiskOther} {
		n := byKind[k]
		l, rat := "—", "—"
		if luc != nil {
			l = fmt.Sprintf("%.1f MB", float64(luc[k])/1e6)
			if luc[k] > 0 {
				rat = fmt.Sprintf("%.2f", float64(n)/float64(luc[k]))
			}
		}
		p("| %s | %.1f MB | %.1f%% | %s | %s | %s |\n", k, float64(n)/1e6, 100*float64(n)/float64(u.Total), strings.Join(largestFields(byField[k], n), ", "), l, rat)
	}
	l, rat := "—", "—"
	if luc != nil {
		l = fmt.Sprintf("%.1f MB", float64(lucTotal)/1e6)
		rat = fmt.Sprintf("%.2f", float64(u.Total)/float64(lucTotal))
	}
	p("| **total** | %.1f MB | 100%% | | %s | %s |\n\n", float64(u.Total)/1e6, l, rat)
	if st := byField[index.DiskStored][index.DiskPassageStore]; st > 0 {
		p("Stored fields: the passage store %.1f MB (the records in DEFLATE blocks), bleve's stored document IDs %.1f MB.\n\n", float64(st)/1e6, float64(byKind[index.DiskStored]-st)/1e6)
	} else if u.StoredRaw > 0 {
		p("Stored fields uncompressed: %.1f MB (bleve's snappy, one passage at a time, saves %.0f%%); compressed in 16 KB blocks with DEFLATE, as Lucene packs many documents per block, they would take %.1f MB: the index would be %.1f MB.\n\n",
			float64(u.StoredRaw)/1e6, 100*(1-float64(byKind[index.DiskStored])/float64(u.StoredRaw)), float64(u.StoredBlocked)/1e6, float64(u.Total-byKind[index.DiskStored]+u.StoredBlocked)/1e6)
	}
}

// largestFields names at most three fields of a part, largest first, each
// holding at least 5% of the part's n bytes.
func largestFields(byField map[string]int64, n int64) []string {
	type fv struct {
		f string
		n int64
	}
	var fs []fv
	for f, b := range byField {
		if f != "" {
			fs = append(fs, fv{f, b})
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].n > fs[j].n })
	var top []string
	for i, x := range fs {
		if i == 3 || float64(x.n) < 0.05*float64(n) {
			break
		}
		top = append(top, fmt.Sprintf("%s %.1f MB", x.f, float64(x.n)/1e6))
	}
	return top
}

// luceneByKind groups the Lucene index's bytes as DiskUsage groups ours;
// nil when Lucene did not build this corpus.
func luceneByKind(s *sizeReport) (map[string]int64, int64) {
	if len(s.Lucene) == 0 || s.LuceneFiles == nil {
		return nil, 0
	}
	luc := map[string]int64{}
	var total int64
	for ext, n := range s.LuceneFiles {
		total += n
		k := index.DiskOther
		for _, lk := range luceneKinds {
			if slices.Contains(lk.exts, ext) {
				k = lk.kind
			}
		}
		luc[k] += n
	}
	return luc, total
}

// writeLuceneQueries writes the Lucene columns of one corpus's in-process
// latencies, and how its answers differ from ours.
func writeLuceneQueries(p printf, s *sizeReport) {
	if !timed(s, func(l typeLatency) stats { return l.Lucene }) {
		return
	}
	p("\n\nAgainst Lucene (BM25, top 10 highlighted by the UnifiedHighlighter from the offsets in the postings, all five facets counted from SortedSetDocValues, filters by DrillSideways; timed inside the JVM, after the same warm-up):\n\n")
	p("| Type | Ours p50 | p99 | Lucene p50 | p90 | p99 | Ours ÷ Lucene p50 | p99 | Samples (Lucene) | Load after |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, l := range s.Latency {
		p("| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %d | %s |\n", l.Type, dur(l.Ours.P50), dur(l.Ours.P99), dur(l.Lucene.P50), dur(l.Lucene.P90), dur(l.Lucene.P99), ratio(l.Ours.P50, l.Lucene.P50), ratio(l.Ours.P99, l.Lucene.P99), l.Lucene.N, l.Load)
	}
	same, facets, n := 0, 0, 0
	var diffs []string
	for _, a := range s.Agreement {
		if !a.LuceneRan {
			continue
		}
		n++
		if a.OursTotal == a.LuceneTotal {
			same++
		}
		if a.LuceneFacetsEqual {
			facets++
		}
		if a.OursTotal != a.LuceneTotal || !a.LuceneFacetsEqual {
			d := fmt.Sprintf("`%s` (%s): %d vs %d hits", a.Query, a.Type, a.OursTotal, a.LuceneTotal)
			if !a.LuceneFacetsEqual {
				d += "; facets differ: " + a.LuceneFacetDiff
			}
			diffs = append(diffs, d)
		}
	}
	p("\nLucene: same number of hits on %d of %d queries, same facet counts on %d of %d.", same, n, facets, n)
	if len(diffs) > 0 {
		p(" Differences (ours vs Lucene; why: see *Lucene's answers* in the notes):\n\n")
		for _, d := range diffs {
			p("- %s\n", d)
		}
	}
}

// writeConcurrent writes the in-process latencies with eight searches at
// once, ours and Lucene's, where measured.
func writeConcurrent(p printf, s *sizeReport) {
	if !timed(s, func(l typeLatency) stats { return l.OursC8 }) {
		return
	}
	p("\n\nEight searches at once (%d goroutines calling `index.Live.Search`, %d threads in the JVM, each engine on its own), as the HTTP figures' eight connections ask for them, without HTTP: one search per core runs, the others wait their turn in order, and a search's latency includes its wait.\n\n", concurrency, concurrency)
	p("| Type | Ours p50 | p90 | p99 | Lucene p50 | p90 | p99 | Ours ÷ Lucene p99 | Searches/s: ours | Lucene |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range s.Latency {
		luc, r, qps := "— | — | —", "—", "—"
		if l.LuceneC8.N > 0 {
			luc = dur(l.LuceneC8.P50) + " | " + dur(l.LuceneC8.P90) + " | " + dur(l.LuceneC8.P99)
			r = fmt.Sprintf("%.2f", ratio(l.OursC8.P99, l.LuceneC8.P99))
			qps = fmt.Sprintf("%.0f", rate(l.LuceneC8))
		}
		p("| %s | %s | %s | %s | %s | %s | %.0f | %s |\n", l.Type, dur(l.OursC8.P50), dur(l.OursC8.P90), dur(l.OursC8.P99), luc, r, rate(l.OursC8), qps)
	}
}

// rate is the searches per second of a concurrent timing: its searches
// over the time they took, eight at once.
func rate(st stats) float64 {
	if st.Sum <= 0 {
		return 0
	}
	return float64(st.N) * concurrency / st.Sum.Seconds()
}

// timed reports whether some query type of s has samples in the timing
// that of picks.
func timed(s *sizeReport, of func(typeLatency) stats) bool {
	for _, l := range s.Latency {
		if of(l).N > 0 {
			return true
		}
	}
	return false
}
