// LucenePeer is the benchmark's second peer: the passages corpus-bench
// generates, indexed and searched by Lucene 8 as Elasticsearch would set it
// up (EnglishAnalyzer on English, SmartChineseAnalyzer on Chinese, texts
// stored, offsets in the postings for highlighting, facets as
// SortedSetDocValues). corpus-bench compiles it with javac at run time
// against the jars Debian installs (liblucene8-java); it is no part of the
// product. Two modes:
//
//   java LucenePeer build PASSAGES DIR   index the passages file, print a JSON report
//   java LucenePeer serve DIR TOPN       answer queries read from stdin, one per line
//                                        (TOPN: companies and speakers listed per facet)
//
// Fields of a passages line and of a query line are separated by tabs,
// lists inside a field by \u001f, parts of a list item by \u001e; text has
// backslash, tab, newline and carriage return escaped as \\ \t \n \r.
//
// Passage line: id, English, Chinese, entity tokens (space-separated),
// companies, speakers, years, section, languages.
//
// Query commands (replies are one line each):
//   Q <tab> query             R <tab> total <tab> ids <tab> facets <tab> nanoseconds
//   T <tab> ms <tab> n, then n query lines: run them in turn for ms
//                             milliseconds (each at least once); L <tab> nanoseconds, comma-separated
//   C <tab> ms <tab> n <tab> threads <tab> permits, then n query lines: the
//                             same from threads at once, permits of them searching
//                             and the others queued in order; L as for T (waits included)
// A query is: size <tab> clauses <tab> filters. A clause is its text and
// its entity tokens (text \u001e tokens); every clause must match, on the
// English or the Chinese text as a phrase, or on one of its entities. A
// filter is dimension \u001e value; values of one dimension are ORed.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.facet.DrillDownQuery;
import org.apache.lucene.facet.DrillSideways;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

public final class LucenePeer {
	static final String LIST = "\u001f", PART = "\u001e";
	static final String[] DIMS = {"company", "speaker", "year", "section", "lang"};
	// Facet values reported per dimension, as our index reports them: the
	// top N companies and speakers (N is serve's argument), every year,
	// section and language.
	static int[] TOP = {1000, 1000, 1000, 1000, 1000};

	public static void main(String[] args) throws Exception {
		if (args.length == 3 && args[0].equals("build")) {
			build(Paths.get(args[1]), Paths.get(args[2]));
		} else if (args.length == 3 && args[0].equals("serve")) {
			int n = Integer.parseInt(args[2]);
			TOP[0] = n;
			TOP[1] = n;
			serve(Paths.get(args[1]));
		} else {
			System.err.println("usage: LucenePeer build PASSAGES DIR | serve DIR TOPN");
			System.exit(2);
		}
	}

	static FacetsConfig facetsConfig() {
		FacetsConfig c = new FacetsConfig();
		for (String d : new String[] {"company", "speaker", "year", "lang"}) {
			c.setMultiValued(d, true);
		}
		return c;
	}

	static Analyzer analyzer() {
		Map<String, Analyzer> m = new HashMap<>();
		m.put("en", new EnglishAnalyzer());
		m.put("zh", new SmartChineseAnalyzer());
		return new PerFieldAnalyzerWrapper(new WhitespaceAnalyzer(), m);
	}

	static String unescape(String s) {
		if (s.indexOf('\\') < 0) {
			return s;
		}
		StringBuilder b = new StringBuilder(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c != '\\' || i + 1 == s.length()) {
				b.append(c);
				continue;
			}
			char n = s.charAt(++i);
			switch (n) {
				case 't': b.append('\t'); break;
				case 'n': b.append('\n'); break;
				case 'r': b.append('\r'); break;
				default: b.append(n);
			}
		}
		return b.toString();
	}

	static String escape(String s) {
		return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
	}

	static String[] list(String s) {
		return s.isEmpty() ? new String[0] : s.split(LIST, -1);
	}

	static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	// peakRSS is this process's VmHWM in bytes.
	static long peakRSS() throws Exception {
		for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
			if (l.startsWith("VmHWM:")) {
				return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return 0;
	}

	static void build(Path passages, Path dir) throws Exception {
		List<String> lines = Files.readAllLines(passages, StandardCharsets.UTF_8);
		Analyzer an = analyzer();
		// Load SmartChineseAnalyzer's dictionaries before the clock starts,
		// as corpus-bench loads gse's before timing either of the others.
		try (TokenStream ts = an.tokenStream("zh", "中华人民共和国")) {
			ts.reset();
			while (ts.incrementToken()) {
			}
			ts.end();
		}
		FieldType text = new FieldType();
		text.setStored(true);
		text.setTokenized(true);
		text.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
		text.freeze();
		FieldType ent = new FieldType();
		ent.setTokenized(true);
		ent.setOmitNorms(true);
		ent.setIndexOptions(IndexOptions.DOCS);
		ent.freeze();
		FacetsConfig config = facetsConfig();

		long cpu0 = cpuNanos(), t0 = System.nanoTime();
		IndexWriterConfig iwc = new IndexWriterConfig(an);
		iwc.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
		iwc.setRAMBufferSizeMB(128);
		// Files by kind rather than compound files, so that the report can
		// say where the bytes go (the sizes are the same either way).
		iwc.setUseCompoundFile(false);
		TieredMergePolicy mp = new TieredMergePolicy();
		mp.setNoCFSRatio(0.0);
		iwc.setMergePolicy(mp);
		AtomicReference<Exception> failed = new AtomicReference<>();
		try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, iwc)) {
			AtomicInteger next = new AtomicInteger();
			int n = Runtime.getRuntime().availableProcessors();
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < n; t++) {
				Thread th = new Thread(() -> {
					try {
						for (int i; (i = next.getAndIncrement()) < lines.size(); ) {
							String[] f = lines.get(i).split("\t", -1);
							if (f.length != 9) {
								throw new IllegalArgumentException(passages + ":" + (i + 1) + ": " + f.length + " fields, want 9");
							}
							Document doc = new Document();
							doc.add(new StoredField("id", f[0]));
							doc.add(new NumericDocValuesField("ord", i));
							doc.add(new Field("en", unescape(f[1]), text));
							doc.add(new Field("zh", unescape(f[2]), text));
							if (!f[3].isEmpty()) {
								doc.add(new Field("ent", f[3], ent));
							}
							for (int k = 0; k < DIMS.length; k++) {
								for (String v : list(f[4 + k])) {
									doc.add(new SortedSetDocValuesFacetField(DIMS[k], v));
								}
							}
							w.addDocument(config.build(doc));
						}
					} catch (Exception e) {
						failed.compareAndSet(null, e);
					}
				});
				th.start();
				threads.add(th);
			}
			for (Thread th : threads) {
				th.join();
			}
			if (failed.get() != null) {
				throw failed.get();
			}
			w.commit();
		}
		double wall = (System.nanoTime() - t0) / 1e9, cpu = (cpuNanos() - cpu0) / 1e9;
		long bytes = 0;
		try (var files = Files.list(dir)) {
			for (Path p : (Iterable<Path>) files::iterator) {
				bytes += Files.size(p);
			}
		}
		System.out.printf("{\"engine\":\"lucene\",\"passages\":%d,\"wall_s\":%.4f,\"cpu_s\":%.4f,\"bytes\":%d,\"max_rss\":%d}%n",
				lines.size(), wall, cpu, bytes, peakRSS());
	}

	static final class Searcher {
		final IndexSearcher s;
		final SortedSetDocValuesReaderState state;
		final FacetsConfig config = facetsConfig();
		final Analyzer an = analyzer();
		final QueryBuilder qb = new QueryBuilder(an);
		final UnifiedHighlighter hl;
		final Sort byOrd = new Sort(new SortField("ord", SortField.Type.LONG));

		Searcher(Path dir) throws Exception {
			s = new IndexSearcher(DirectoryReader.open(FSDirectory.open(dir)));
			state = new DefaultSortedSetDocValuesReaderState(s.getIndexReader());
			hl = new UnifiedHighlighter(s, an);
		}

		// text is the query of a clauses field, null for none.
		Query text(String clauses) {
			if (clauses.isEmpty()) {
				return null;
			}
			BooleanQuery.Builder all = new BooleanQuery.Builder();
			int n = 0;
			for (String c : list(clauses)) {
				String[] p = c.split(PART, -1);
				String t = unescape(p[0]);
				BooleanQuery.Builder any = new BooleanQuery.Builder();
				int m = 0;
				for (String f : new String[] {"en", "zh"}) {
					Query q = qb.createPhraseQuery(f, t);
					if (q != null) {
						any.add(q, BooleanClause.Occur.SHOULD);
						m++;
					}
				}
				if (p.length > 1) {
					for (String e : p[1].split(" ")) {
						if (!e.isEmpty()) {
							any.add(new TermQuery(new Term("ent", e)), BooleanClause.Occur.SHOULD);
							m++;
						}
					}
				}
				if (m > 0) { // a clause of stop words only is no condition
					all.add(any.build(), BooleanClause.Occur.MUST);
					n++;
				}
			}
			return n == 0 ? null : all.build();
		}

		String search(String line) throws Exception {
			String[] f = line.split("\t", -1);
			if (f.length != 3) {
				throw new IllegalArgumentException("query line with " + f.length + " fields, want 3");
			}
			int size = Integer.parseInt(f[0]);
			Query tq = text(f[1]);
			String[] filters = list(f[2]);
			DrillDownQuery ddq = new DrillDownQuery(config, tq == null ? new MatchAllDocsQuery() : tq);
			for (String x : filters) {
				String[] p = x.split(PART, -1);
				ddq.add(p[0], p[1]);
			}
			Sort sort = tq == null ? byOrd : null;
			TopDocs top;
			Facets facets;
			if (filters.length > 0) {
				DrillSideways ds = new DrillSideways(s, config, state);
				DrillSideways.DrillSidewaysResult r = ds.search(ddq, null, null, size, sort, false);
				top = r.hits;
				facets = r.facets;
			} else {
				FacetsCollector fc = new FacetsCollector();
				top = sort == null ? FacetsCollector.search(s, ddq, size, fc) : FacetsCollector.search(s, ddq, size, sort, fc);
				facets = new SortedSetDocValuesFacetCounts(state, fc);
			}
			StringBuilder out = new StringBuilder();
			out.append(top.totalHits.value).append('\t');
			String[] ids = new String[top.scoreDocs.length];
			for (int i = 0; i < ids.length; i++) {
				ids[i] = s.doc(top.scoreDocs[i].doc).get("id");
			}
			if (tq != null && top.scoreDocs.length > 0) {
				// The shown passages highlighted, as ours returns them.
				Map<String, String[]> h = hl.highlightFields(new String[] {"en", "zh"}, tq, top, new int[] {1, 1});
				if (h.get("en").length != ids.length) {
					throw new IllegalStateException("highlights for " + h.get("en").length + " of " + ids.length + " hits");
				}
			} else {
				for (ScoreDoc sd : top.scoreDocs) {
					s.doc(sd.doc).get("en");
				}
			}
			out.append(String.join(LIST, ids)).append('\t');
			boolean first = true;
			for (int k = 0; k < DIMS.length; k++) {
				FacetResult r;
				try {
					r = facets.getTopChildren(TOP[k], DIMS[k]);
				} catch (IllegalArgumentException e) { // a dimension no passage has
					continue;
				}
				if (r == null) {
					continue;
				}
				for (LabelAndValue lv : r.labelValues) {
					if (!first) {
						out.append(LIST);
					}
					first = false;
					out.append(DIMS[k]).append(PART).append(lv.label).append(PART).append(lv.value);
				}
			}
			return out.toString();
		}
	}

	static void serve(Path dir) throws Exception {
		Searcher s = new Searcher(dir);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
		for (String line; (line = in.readLine()) != null; ) {
			try {
				answer(s, in, out, line);
			} catch (Exception e) {
				out.println("E\t" + escape(String.valueOf(e)));
			}
			out.flush();
		}
	}

	// concurrently runs qs from threads at once for ms milliseconds (each
	// thread at least one search, starting at its own query), permits of
	// them searching and the others waiting their turn in order, and
	// returns the latencies, waits included, as an L line.
	static String concurrently(Searcher s, String[] qs, long ms, int threads, int permits) throws Exception {
		long end = System.nanoTime() + ms * 1000000;
		Semaphore gate = new Semaphore(permits, true);
		List<List<Long>> lats = new ArrayList<>();
		List<Thread> ths = new ArrayList<>();
		AtomicReference<Throwable> failed = new AtomicReference<>();
		for (int t = 0; t < threads; t++) {
			List<Long> mine = new ArrayList<>();
			lats.add(mine);
			final int first = t;
			Thread th = new Thread(() -> {
				try {
					int i = first;
					do {
						long t0 = System.nanoTime();
						gate.acquire();
						try {
							s.search(qs[i++ % qs.length]);
						} finally {
							gate.release();
						}
						mine.add(System.nanoTime() - t0);
					} while (System.nanoTime() < end);
				} catch (Throwable e) {
					failed.compareAndSet(null, e);
				}
			});
			ths.add(th);
			th.start();
		}
		for (Thread th : ths) {
			th.join();
		}
		if (failed.get() != null) {
			throw new Exception("a search thread failed", failed.get());
		}
		StringBuilder lat = new StringBuilder("L\t");
		for (List<Long> mine : lats) {
			for (long ns : mine) {
				if (lat.length() > 2) {
					lat.append(',');
				}
				lat.append(ns);
			}
		}
		return lat.toString();
	}

	static void answer(Searcher s, BufferedReader in, PrintWriter out, String line) throws Exception {
		{
			if (line.startsWith("Q\t")) {
				long t = System.nanoTime();
				String r = s.search(line.substring(2));
				out.println("R\t" + r + "\t" + (System.nanoTime() - t));
			} else if (line.startsWith("T\t")) {
				String[] f = line.split("\t");
				long ms = Long.parseLong(f[1]);
				int n = Integer.parseInt(f[2]);
				String[] qs = new String[n];
				for (int i = 0; i < n; i++) {
					qs[i] = in.readLine();
				}
				StringBuilder lat = new StringBuilder("L\t");
				long end = System.nanoTime() + ms * 1000000;
				for (int i = 0; i < n || System.nanoTime() < end; i++) {
					long t = System.nanoTime();
					s.search(qs[i % n]);
					if (i > 0) {
						lat.append(',');
					}
					lat.append(System.nanoTime() - t);
				}
				out.println(lat);
			} else if (line.startsWith("C\t")) {
				String[] f = line.split("\t");
				long ms = Long.parseLong(f[1]);
				int n = Integer.parseInt(f[2]);
				int threads = Integer.parseInt(f[3]);
				int permits = Integer.parseInt(f[4]);
				String[] qs = new String[n];
				for (int i = 0; i < n; i++) {
					qs[i] = in.readLine();
				}
				out.println(concurrently(s, qs, ms, threads, permits));
			} else {
				out.println("E\tunknown command " + escape(line.length() > 40 ? line.substring(0, 40) : line));
			}
		}
	}
}
