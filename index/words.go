package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/corpus-dev/corpus/corpus"
)

// The word index (words.bin) holds the postings of the text fields that
// searches look up by word: the English words (en) and their stems
// (en_stem), the Chinese side's words (zh) and its Latin words (zh_latin).
// They were bleve fields, half of what was left of the index once the
// substring index took the Han characters and bigrams: zap writes a
// frequency and a float32 norm with every posting and five varints with
// every position, where a posting here is a varint or two and a position
// one. It is written like the substring index (substr.go), term by term
// in the same postings, lengths and skips, and read by the same readers
// (substrtfr.go); only its dictionary differs: words, not Han keys,
// front-coded in blocks, which prefix and fuzzy walks read in order
// (wordsread.go).
//
// Layout (all integers little-endian):
//
//	magic "corpusW1"
//	per field: lengths, postings: as in the substring index
//	           dictionary blocks: per term, uvarint(bytes shared with the
//	             previous term of the block, 0 for the first),
//	             uvarint(length of the rest), the rest, uvarint(documents),
//	             uvarint(document bytes), uvarint(position bytes)
//	           block index: per block of substrDictBlock terms,
//	             uvarint(length of its first term), the term, its offset
//	             and the offset of its first term's postings (2×uint64)
//	footer: documents (uint32), per field: lengths offset (uint64),
//	        lensWidth (uint32), block index offset (uint64), block index
//	        length (uint64), blocks (uint32), terms (uint32); then the
//	        magic
const (
	wordsFile  = "words.bin"
	wordsMagic = "corpusW1"
)

var errWords = errors.New("word index damaged")

// wordFields are the fields of the word index, in file order, with the
// analyzer each is cut with, the side it reads and whether phrases read
// its positions. The stems are not cut again: the stem analyzer is the
// English one with stemFilter last, so en_stem's tokens are en's that
// stemFilter keeps (TestSubstrMatchesBleve compares them with bleve's
// analysis), and cutting the English side once saved a tenth of the word
// index's build.
var wordFields = [4]struct {
	name, analyzer string
	lang           corpus.Lang
	positions      bool
	stems          bool // en_stem: the stems of the field before it
}{
	{fieldEN, enAnalyzerName, corpus.English, true, false},
	{fieldENStem, stemAnalyzerName, corpus.English, false, true},
	{fieldZH, zhAnalyzerName, corpus.Chinese, false, false},
	{fieldZHLatin, zhLatinAnalyzer, corpus.Chinese, true, false},
}

// wordTok is a token as the word index keeps it.
type wordTok struct {
	term string
	pos  uint32
}

// wordWindow is how many documents are cut into words at a time: their
// tokens wait in memory for the writers, one window while the next is cut.
const wordWindow = 2048

// writeWords writes the word index of ps, ps[d] being the passage of
// internal document d, to path, cutting the texts with the analyzers of
// m. Each window of documents is cut on every core, then added to the
// fields' writers (a goroutine each) while the next window is cut.
func writeWords(ctx context.Context, path string, ps []*corpus.Passage, m mapping.IndexMapping) error {
	var analyzers [len(wordFields)]analysis.Analyzer
	var ws [len(wordFields)]*postingsWriter[string]
	for i, fld := range wordFields {
		if analyzers[i] = m.AnalyzerNamed(fld.analyzer); analyzers[i] == nil {
			return fmt.Errorf("no analyzer %s", fld.analyzer)
		}
		ws[i] = newPostingsWriter[string](fld.positions)
	}
	windows := make(chan [][len(wordFields)][]wordTok, 1)
	var cut sync.WaitGroup
	cut.Go(func() {
		defer close(windows)
		for start := 0; start < len(ps) && ctx.Err() == nil; start += wordWindow {
			windows <- cutWindow(ps[start:min(start+wordWindow, len(ps))], &analyzers)
		}
	})
	d := uint32(0)
	for win := range windows {
		var wg sync.WaitGroup
		for i, w := range ws {
			wg.Go(func() {
				for j, doc := range win {
					w.add(d+uint32(j), func(f func(string, uint32)) int {
						for _, tk := range doc[i] {
							f(tk.term, tk.pos)
						}
						return len(doc[i])
					})
				}
			})
		}
		wg.Wait()
		d += uint32(len(win))
	}
	cut.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return writeWordsFile(path, len(ps), &ws)
}

// writeWordsFile writes the word index of n documents, whose fields' postings
// ws hold, to path.
func writeWordsFile(path string, n int, ws *[len(wordFields)]*postingsWriter[string]) error {
	return writePostingsFile(path, wordsFormat, n, func(i int, out *countingWriter) (substrFieldInfo, error) {
		return ws[i].write(out,
			func(index []byte, k string) []byte { return append(binary.AppendUvarint(index, uint64(len(k))), k...) },
			func(block []byte, prev, k string, head bool) []byte {
				shared := 0
				if !head {
					shared = commonPrefix(prev, k)
				}
				block = binary.AppendUvarint(block, uint64(shared))
				block = binary.AppendUvarint(block, uint64(len(k)-shared))
				return append(block, k[shared:]...)
			})
	})
}

// cutWindow returns the tokens of each field of each passage of ps, cut on
// every core.
func cutWindow(ps []*corpus.Passage, analyzers *[len(wordFields)]analysis.Analyzer) [][len(wordFields)][]wordTok {
	out := make([][len(wordFields)][]wordTok, len(ps))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := w; j < len(ps); j += workers {
				// Each side is cut by two analyzers.
				en, zh := searchText(ps[j], corpus.English), searchText(ps[j], corpus.Chinese)
				for i, fld := range wordFields {
					if fld.stems {
						out[j][i] = stems(out[j][i-1])
						continue
					}
					text := en
					if fld.lang == corpus.Chinese {
						text = zh
					}
					if text == "" {
						continue
					}
					toks := analyzers[i].Analyze([]byte(text))
					cut := make([]wordTok, len(toks))
					for k, tk := range toks {
						cut[k] = wordTok{string(tk.Term), uint32(tk.Position)}
					}
					out[j][i] = cut
				}
			}
		})
	}
	wg.Wait()
	return out
}

// stems returns the tokens of stemFilter's stems of toks, where they differ
// from the word.
func stems(toks []wordTok) []wordTok {
	var out []wordTok
	for _, tk := range toks {
		if s := stem(tk.term); s != tk.term {
			out = append(out, wordTok{s, tk.pos})
		}
	}
	return out
}

// commonPrefix is the number of leading bytes a and b share.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
