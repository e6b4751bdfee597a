package corpus

import (
	"io"
	"strings"
)

// tsvLabels are header labels that name a language column, besides
// language tags (en, zh-TW).
var tsvLabels = map[string]Lang{
	"english": English, "英文": English, "英语": English, "英語": English,
	"chinese": Chinese, "中文": Chinese, "汉语": Chinese, "漢語": Chinese,
}

// tsvLang returns the language a header field names.
func tsvLang(field string) (Lang, bool) {
	f := strings.ToLower(strings.TrimSpace(field))
	if l, ok := tsvLabels[f]; ok {
		return l, true
	}
	if len(f) > 16 || strings.ContainsAny(f, " \t") {
		return "", false
	}
	return langOf(f)
}

// readTSV reads tab-separated aligned text: English<TAB>Chinese on each
// line, each line a passage. A first line "#id: ID" gives the document's
// id. An optional first line names the columns
// ("en<TAB>zh", "zh<TAB>en", "id<TAB>English<TAB>Chinese<TAB>note"); then
// every line must have as many fields as it, and only the two language
// columns are read. Empty lines are skipped; a line with only one side is a
// monolingual passage. Errors are *FileError with the line: a line without a
// tab or with the wrong number of fields, invalid UTF-8. notice receives
// what the caller should tell the user.
func readTSV(r io.Reader, name string, notice func(string, ...any)) (*Document, error) {
	lr := newLineReader(r, name)
	d := &Document{}
	width, en, zh := 2, 0, 1
	header := false
	reversed := 0
	afterID := false // the line before was #id:, so this one may be the header
	for first := true; ; first = false {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if first && strings.HasPrefix(line, "#id:") {
			id := strings.TrimSpace(line[len("#id:"):])
			if !validID(id) {
				return nil, fileErr(name, lr.n, "#id: %q: want lower-case words and digits joined by hyphens", id)
			}
			d.ID, afterID = id, true
			continue
		}
		fields := strings.Split(line, "\t")
		if first || afterID {
			afterID = false
			if e, z, ok := tsvHeader(fields); ok {
				width, en, zh, header = len(fields), e, z, true
				continue
			}
		}
		switch {
		case len(fields) == 1:
			return nil, fileErr(name, lr.n, "no tab: want English<TAB>Chinese")
		case len(fields) != width && header:
			return nil, fileErr(name, lr.n, "%d tab-separated fields, want %d as in the header line", len(fields), width)
		case len(fields) != width:
			return nil, fileErr(name, lr.n, "%d tab-separated fields, want 2 (English<TAB>Chinese), or a header line naming the columns", len(fields))
		}
		t := Text{EN: normalize(fields[en]), ZH: normalize(fields[zh])}
		if t.EN == "" && t.ZH == "" {
			continue
		}
		if !header && DetectLang(t.EN) == Chinese && DetectLang(t.ZH) == English {
			reversed++
		}
		for _, piece := range splitAligned(t, maxPassageRunes) {
			d.Passages = append(d.Passages, Passage{Section: SectionBody, Text: piece})
		}
	}
	if len(d.Passages) == 0 {
		return nil, fileErr(name, max(lr.n, 1), "no text")
	}
	if reversed*2 > len(d.Passages) {
		notice("%s: most lines have Chinese in the first column and English in the second: if so, start the file with the header line \"zh<TAB>en\"", name)
	}
	return d, nil
}

// tsvHeader reports whether fields are a header line naming an English
// and a Chinese column, and which.
func tsvHeader(fields []string) (en, zh int, ok bool) {
	en, zh = -1, -1
	for i, f := range fields {
		switch l, _ := tsvLang(f); l {
		case English:
			if en < 0 {
				en = i
			}
		case Chinese:
			if zh < 0 {
				zh = i
			}
		}
	}
	return en, zh, en >= 0 && zh >= 0
}
