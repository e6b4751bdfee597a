package index

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
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
	wordsFile      = "words.bin"
	wordsMagic     = "corpusW1"
	wordsFieldFoot = 8 + 4 + 8 + 8 + 4 + 4
	wordsFooter    = 4 + len(wordFields)*wordsFieldFoot + len(wordsMagic)
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
	return createSynced(path, func(f *os.File) error {
		out := &countingWriter{w: bufio.NewWriterSize(f, 1<<20)}
		out.Write([]byte(wordsMagic))
		foot := binary.LittleEndian.AppendUint32(nil, uint32(n))
		for i, w := range ws {
			info, indexLen, err := writeWordField(out, w)
			if err != nil {
				return fmt.Errorf("write %s: %w", wordFields[i].name, err)
			}
			foot = binary.LittleEndian.AppendUint64(foot, info.lensOff)
			foot = binary.LittleEndian.AppendUint32(foot, info.lensWidth)
			foot = binary.LittleEndian.AppendUint64(foot, info.indexOff)
			foot = binary.LittleEndian.AppendUint64(foot, indexLen)
			foot = binary.LittleEndian.AppendUint32(foot, info.blocks)
			foot = binary.LittleEndian.AppendUint32(foot, info.terms)
		}
		out.Write(foot)
		if _, err := out.Write([]byte(wordsMagic)); err != nil {
			return err
		}
		return out.w.Flush()
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
				var text [2]string // by side, each cut by two analyzers
				for i, fld := range wordFields {
					if fld.stems {
						out[j][i] = stems(out[j][i-1])
						continue
					}
					side := 0
					if fld.lang == corpus.Chinese {
						side = 1
					}
					if text[side] == "" {
						text[side] = searchText(ps[j], fld.lang)
					}
					if text[side] == "" {
						continue
					}
					toks := analyzers[i].Analyze([]byte(text[side]))
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

// writeWordField writes one field's lengths, postings, dictionary and block
// index, and returns the length of the block index with what the footer
// says of the field.
func writeWordField(out *countingWriter, w *postingsWriter[string]) (substrFieldInfo, uint64, error) {
	info, keys, postOff := w.writePostings(out)
	var index, block []byte
	for i := 0; i < len(keys); i += substrDictBlock {
		index = binary.AppendUvarint(index, uint64(len(keys[i])))
		index = append(index, keys[i]...)
		index = binary.LittleEndian.AppendUint64(index, out.n)
		index = binary.LittleEndian.AppendUint64(index, postOff[i])
		block = block[:0]
		prev := ""
		for _, k := range keys[i:min(i+substrDictBlock, len(keys))] {
			shared := commonPrefix(prev, k)
			block = binary.AppendUvarint(block, uint64(shared))
			block = binary.AppendUvarint(block, uint64(len(k)-shared))
			block = append(block, k[shared:]...)
			block = appendEntry(block, w.terms[k])
			prev = k
		}
		out.Write(block)
		info.blocks++
	}
	info.indexOff = out.n
	info.terms = uint32(len(keys))
	_, err := out.Write(index)
	return info, uint64(len(index)), err
}

// commonPrefix is the number of leading bytes a and b share.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
