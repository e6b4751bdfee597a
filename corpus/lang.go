package corpus

import "unicode"

// hanWeight is how many Latin letters one Han character counts for when
// DetectLang weighs a text's scripts: a Chinese word is two or three
// characters, an English one five or six letters, so one character carries
// roughly what three letters do. The weight lets a Chinese sentence keep its
// English brand names (TikTok在美国的业务) and still leaves an English
// sentence quoting a Chinese name (Ren Zhengfei (任正非) founded Huawei)
// English.
const hanWeight = 3

// DetectLang returns the language a text is written in, judged by its
// script: Chinese when its Han characters, each counted as hanWeight
// letters, are at least as many as its Latin letters (full-width ones
// included), English when the Latin letters outweigh them, "" when it has
// neither ("2021", "—"). Source readers use it for passages whose language
// their file does not give; it is the one language detection of the
// project.
func DetectLang(s string) Lang {
	var han, latin int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Latin, r) && unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case han == 0 && latin == 0:
		return ""
	case han*hanWeight >= latin:
		return Chinese
	default:
		return English
	}
}

// HanRuns returns the maximal runs of Han characters of s: the Chinese
// strings a query or a dictionary word is searched and segmented by.
func HanRuns(s string) []string {
	var runs []string
	start := -1
	for i, r := range s {
		if unicode.Is(unicode.Han, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			runs = append(runs, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, s[start:])
	}
	return runs
}
