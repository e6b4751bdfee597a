package corpus

import (
	"strings"
	"unicode"
)

// finish numbers the passages of d and sets its origin.
func finish(d *Document, origin string) {
	d.Origin = origin
	for i := range d.Passages {
		p := &d.Passages[i]
		p.ID, p.Doc, p.Position = PassageID(d.ID, i), d.ID, i
	}
}

// slugID makes a document ID from a path without extension: its letters
// and digits, lower case, in words joined by hyphens ("News/Huawei_2021"
// gives "news-huawei-2021"). Chinese names stay Chinese.
func slugID(stem, name string) (string, error) {
	var b strings.Builder
	hyphen := false
	for _, c := range stem {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(c))
			continue
		}
		hyphen = true
	}
	if b.Len() == 0 {
		return "", fileErr(name, 0, "cannot make a document id from the file name; give one with id: in front matter")
	}
	return b.String(), nil
}

// idHow says how each format gives a document its id.
const idHow = "id: in front matter for Markdown and text, an X-Corpus-Id: line in a PO header, <prop type=\"x-corpus-id\"> in a TMX header, a first line #id: ID in a TSV file"

// validID reports whether id is a document ID as slugID makes them.
func validID(id string) bool {
	if id == "" {
		return false
	}
	for w := range strings.SplitSeq(id, "-") {
		if w == "" {
			return false
		}
		for _, c := range w {
			if !(unicode.IsDigit(c) || unicode.IsLetter(c) && !unicode.IsUpper(c)) {
				return false
			}
		}
	}
	return true
}

// langOf returns the language a language tag names: en, en-US, EN-GB, zh,
// zh-CN, zh_Hant, … in any case. Only English and Chinese are known.
func langOf(tag string) (Lang, bool) {
	primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	primary, _, _ = strings.Cut(primary, "_")
	switch primary {
	case "en", "eng":
		return English, true
	case "zh", "zho", "chi", "cmn":
		return Chinese, true
	}
	return "", false
}

// looksLikeLangTag reports whether a file name part such as "fr" or
// "pt-BR" is a language tag rather than part of a name like "v2" or "old".
func looksLikeLangTag(s string) bool {
	primary, rest, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	if len(primary) != 2 {
		return false
	}
	for _, c := range primary + strings.ReplaceAll(rest, "-", "") {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || rest != "" && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
