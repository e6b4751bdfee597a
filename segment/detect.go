package segment

import "github.com/corpus-dev/corpus/corpus"

// hanWeight is how many Latin letters one Han character counts for in Detect.
// An English word averages about five letters and a Chinese word under two
// characters, so one character carries roughly what three letters do; the
// weight lets a Chinese sentence keep its English brand names (TikTok在美国的
// 业务) and still leaves an English sentence quoting a Chinese name (Ren
// Zhengfei (任正非) founded Huawei) English.
const hanWeight = 3

// Detect returns the language a text is written in, judged by its script:
// corpus.Chinese when its Han characters, each counted as hanWeight letters,
// are at least as many as its Latin letters, corpus.English when the Latin
// letters outweigh them, and "" when it has neither (empty, digits and
// punctuation only, or other scripts). Full-width Latin letters count as
// Latin. Ties go to Chinese: "华为 Huawei" is zh.
func Detect(s string) corpus.Lang {
	var han, latin int
	for _, r := range s {
		switch classify(foldRune(r)) {
		case hanClass:
			han++
		case latinClass:
			latin++
		}
	}
	switch {
	case han == 0 && latin == 0:
		return ""
	case han*hanWeight >= latin:
		return corpus.Chinese
	default:
		return corpus.English
	}
}
