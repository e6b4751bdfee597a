package index

import (
	"time"

	"github.com/corpus-dev/corpus/corpus"
)

// manifest is written last into a generation; a generation without one is
// incomplete and never opened.
type manifest struct {
	Format     int         `json:"format"`
	Generation string      `json:"generation"`
	Built      time.Time   `json:"built"`
	Passages   int         `json:"passages"`
	Documents  []docRecord `json:"documents"`
	// Files maps each file of the bleve index to its size, so a truncated
	// or deleted segment is found at open instead of served as empty.
	Files map[string]int64 `json:"files"`
	// Checksums maps every file of the generation but the manifest (paths
	// relative to the generation) to its CRC-32C, so damage that keeps a
	// file's size (bit rot, a bad copy) is found at open too: bleve reads
	// a flipped byte as different text without complaint.
	Checksums map[string]uint32 `json:"crc32c"`
}

// manifestFormat 2 added Checksums; 3 indexes positions and year bounds
// as keyword terms instead of numbers; 4 folds both languages with
// corpus.Fold (OpenCC variants, mnemonics, English width); 5 keeps English
// stop words and adds the stem, Han character and Han bigram fields; 6
// keeps the passages' records in the passage store (passages.bin) instead
// of bleve's stored fields; 7 drops the positions of the Chinese words
// (zh) and indexes those of the Latin words of the Chinese side (zh_latin);
// 8 writes the passage store's version 2 (small blocks and a dictionary),
// which an older program cannot read, so the format tells it so; 9 keeps
// the Han characters and bigrams in the substring index (substr.bin)
// instead of bleve's fields zh1 and zh2, which it still reads in older
// generations; 10 keeps the words (en, en_stem, zh, zh_latin) in the word
// index (words.bin), likewise; 11 writes the substring index's version 2,
// whose zh1 holds only the characters that end a run (substrchar.go), no
// doc values (every search sorts and counts from the facet table), and
// indexes each passage under its rank in reading order (rankID) without
// its position; its passage store (version 3) leaves out each record's
// document, position and ID, which its place and the manifest say.
const manifestFormat = 11

// oldestFormat is the oldest format this program still reads: a format 7
// generation differs only in its passage store's version, format 8 in
// keeping zh1 and zh2 in bleve, format 9 the words, format 10 in its
// substring index's and passage store's versions, its bleve IDs (the
// passages' own), positions and doc values; all are read.
const oldestFormat = 7

type docRecord struct {
	ID            string      `json:"id"`
	TitleEN       string      `json:"title_en,omitempty"`
	TitleZH       string      `json:"title_zh,omitempty"`
	Date          string      `json:"date,omitempty"`
	Source        string      `json:"source,omitempty"`
	Author        string      `json:"author,omitempty"`
	Editor        string      `json:"editor,omitempty"`
	PictureSource string      `json:"picture_source,omitempty"`
	Note          string      `json:"note,omitempty"`
	Origin        string      `json:"origin,omitempty"`
	Passages      int         `json:"passages"`
	References    []refRecord `json:"references,omitempty"`
}

type refRecord struct {
	Number      int    `json:"number"`
	TitleEN     string `json:"title_en,omitempty"`
	TitleZH     string `json:"title_zh,omitempty"`
	Publication string `json:"publication,omitempty"`
	Date        string `json:"date,omitempty"`
	Passage     string `json:"passage,omitempty"`
}

func toDocRecord(d *corpus.Document) docRecord {
	r := docRecord{
		ID: d.ID, TitleEN: d.Title.EN, TitleZH: d.Title.ZH, Date: d.Date,
		Source: d.Source, Author: d.Author, Editor: d.Editor, PictureSource: d.PictureSource,
		Note: d.Note, Origin: d.Origin, Passages: len(d.Passages),
	}
	for _, ref := range d.References {
		r.References = append(r.References, refRecord{
			Number: ref.Number, TitleEN: ref.Title.EN, TitleZH: ref.Title.ZH,
			Publication: ref.Publication, Date: ref.Date, Passage: ref.Passage,
		})
	}
	return r
}

func (r docRecord) info() DocumentInfo {
	d := corpus.Document{
		ID: r.ID, Title: corpus.Text{EN: r.TitleEN, ZH: r.TitleZH}, Date: r.Date,
		Source: r.Source, Author: r.Author, Editor: r.Editor, PictureSource: r.PictureSource,
		Note: r.Note, Origin: r.Origin,
	}
	for _, ref := range r.References {
		d.References = append(d.References, corpus.Reference{
			Number: ref.Number, Title: corpus.Text{EN: ref.TitleEN, ZH: ref.TitleZH},
			Publication: ref.Publication, Date: ref.Date, Passage: ref.Passage,
		})
	}
	return DocumentInfo{Document: d, Passages: r.Passages}
}
