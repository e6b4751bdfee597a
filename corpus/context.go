package corpus

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Company context: where a name is not a mention (format codes, options,
// identifiers, URLs, longer transliterated words), and where an ambiguous
// name ("Sun", "Orange", 小米) is a company. The rules are listed on
// Extractor.

// inCode reports whether the Latin match text[start:end] is part of code
// rather than prose: a printf conversion (%jd, %Lg), an option or an
// assignment (-ibm, conv=ibm), an identifier or a path (snap_d, meta.json,
// /usr/share/apple), a URL, a shell variable.
func inCode(text string, start, end int) bool {
	prev, _ := utf8.DecodeLastRuneInString(text[:start])
	next, _ := utf8.DecodeRuneInString(text[end:])
	switch {
	case strings.ContainsRune("%=_$@\\#<", prev), strings.ContainsRune("=_(>", next):
		return true
	case prev == '-':
		// An option (-ibm, --meta) starts a word; a hyphen inside one
		// (Fujitsu-Siemens) does not.
		pp, _ := utf8.DecodeLastRuneInString(text[:start-1])
		if pp == '-' || pp == utf8.RuneError || unicode.IsSpace(pp) || pp == '[' || pp == '(' {
			return true
		}
	}
	if printfBefore(text[:start]) {
		return true
	}
	// A path or a dotted identifier: glued to a lower-case word by / or .
	// (IBM/Lenovo and AMD/ATI are lists of vendors).
	lowerWord := func(s string) bool {
		r, _ := utf8.DecodeRuneInString(s)
		return unicode.IsLower(r) || unicode.IsDigit(r)
	}
	if (prev == '/' || prev == '.') && start >= 2 {
		if r, _ := utf8.DecodeLastRuneInString(text[:start-1]); unicode.IsLower(r) {
			return true
		}
	}
	if (next == '/' || next == '.') && end+1 < len(text) && lowerWord(text[end+1:]) && (next == '/' || !isSentenceDot(text, end)) {
		return true
	}
	// A URL: the run of non-space characters holds "://" or starts "www.".
	s := strings.LastIndexFunc(text[:start], unicode.IsSpace) + 1
	e := strings.IndexFunc(text[end:], unicode.IsSpace)
	if e < 0 {
		e = len(text) - end
	}
	run := text[s : end+e]
	return strings.Contains(run, "://") || strings.HasPrefix(run, "www.")
}

// printfBefore reports a printf conversion that runs up to the end of s:
// "%", then flags, width and precision, then length modifiers ("%-10.2l").
func printfBefore(s string) bool {
	i := len(s)
	for i > 0 && strings.IndexByte("0123456789.*+- #'", s[i-1]) >= 0 {
		i--
	}
	return i > 0 && s[i-1] == '%'
}

// isSentenceDot reports whether the "." at text[i] ends a sentence: a
// space or the end follows it.
func isSentenceDot(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i+1:])
	return r == utf8.RuneError || unicode.IsSpace(r)
}

// translitRunes are characters that transliterate foreign names. A Chinese
// company name that ends (or starts) with one, glued to another, is part of
// a longer transliterated name: 海尔德兰 (Gelderland) is not 海尔 (Haier).
var translitRunes = runeSet("阿埃艾奥澳巴拜班邦贝本比波伯布查达戴丹德登迪蒂杜多厄恩法菲费芬丰弗福夫盖冈戈格古圭哈海汉赫亨胡霍基吉加贾杰金卡凯坎康柯科克肯库奎拉莱兰朗劳勒雷里利莉连林琳卢鲁伦罗洛马玛迈麦曼梅蒙米敏莫姆穆纳娜奈南内尼涅纽努诺欧帕潘佩皮珀普奇齐乔切琼萨塞桑森沙舍施什斯松苏索塔泰坦汤特提图托瓦威韦维温沃乌西希锡夏谢休雅亚扬耶伊因尤于约泽扎詹兹尔")

// translitGlued reports whether the Chinese name text[start:end] is glued
// to transliteration characters on a side where it has one itself.
func translitGlued(text string, start, end int) bool {
	first, _ := utf8.DecodeRuneInString(text[start:end])
	last, _ := utf8.DecodeLastRuneInString(text[start:end])
	prev, _ := utf8.DecodeLastRuneInString(text[:start])
	next, _ := utf8.DecodeRuneInString(text[end:])
	return translitRunes[last] && translitRunes[next] || translitRunes[first] && translitRunes[prev]
}

// companyWords after a name make it a company: "Sun Microsystems" is in the
// gazetteer, but "Orange Group", "Target Corporation", "Sun Inc." say so too.
var companyWords = setOf("inc", "corp", "corporation", "ltd", "limited", "co", "company", "gmbh", "ag",
	"plc", "llc", "sa", "computer", "computers", "microsystems", "electronics", "technologies",
	"technology", "labs", "group", "holdings", "international")

// deviceWords after a name are what a vendor makes: "Sun workstation",
// "Apple laptop", "Gateway PC".
var deviceWords = setOf("laptop", "laptops", "notebook", "keyboard", "keyboards", "mouse", "workstation",
	"workstations", "server", "servers", "printer", "printers", "phone", "phones", "smartphone",
	"tablet", "monitor", "pc", "pcs", "rom", "console", "camera", "cameras", "desktop", "router")

// notModels are capitalised words that are no model code: "Canonical ID".
var notModels = setOf("id", "ids", "url", "uri", "api", "ui", "ok", "ip", "os", "io", "faq", "pdf", "html")

// corporateVerbs after a name make it an actor of business: "Sun announced".
var corporateVerbs = setOf("announced", "announces", "acquired", "acquires", "released", "releases",
	"launched", "launches", "sued", "sues", "shipped", "ships", "unveiled", "unveils", "bought",
	"buys", "sold", "sells", "makes", "made", "introduced", "introduces", "designed", "designs",
	"developed", "develops", "manufactures", "manufactured", "produces", "produced", "filed",
	"reported", "reports", "said", "says", "licensed", "licenses", "owns", "owned", "invested")

// zhCompanyAfter after a Chinese name make it a company: 小米公司, 苹果手机,
// 滴滴出行, 苹果笔记本电脑.
var zhCompanyAfter = []string{"公司", "集团", "集團", "科技", "手机", "手機", "电脑", "電腦", "笔记本",
	"筆記本", "平板", "股价", "股價", "股份", "旗下", "官方", "发布", "發佈", "推出", "宣布", "宣佈",
	"创始人", "創始人", "董事长", "董事長", "首席", "CEO", "品牌", "门店", "門店", "出行", "打车",
	"打車", "用户", "用戶", "生态", "生態", "系统", "系統", "商店", "产品", "產品", "总部", "總部", "市值",
	"财报", "財報", "营收", "營收", "上市", "收购", "收購", "员工", "員工"}

// listSeparators join the names of a list of vendors: "IBM/Lenovo", "Dell,
// HP and Sun", 华为、小米.
var listSeparators = setOf("/", ",", "、", "，", "&", "and", "or", "和", "与", "與", "及", "或", "-")

// ambiguousOK reports whether the ambiguous match ms[k] of sc is a company
// by its own context: a company word, a device, a model ("Sun Type 6", "Sega
// CD"), a verb of business or a possessive after it, or a list of vendors
// around it (a neighbouring company name that is not ambiguous).
func (g *Gazetteer) ambiguousOK(sc *sideScan, k int) bool {
	m := sc.ms[k]
	text := sc.text
	if raw := text[m.start:m.end]; !hasCJK(raw) && len(raw) > 1 && raw == strings.ToUpper(raw) && raw != g.ents[m.ent].Name {
		return false // TARGET, SHELL: a placeholder in a usage line, not Target
	}
	if m.poss && !commonNounAfter(text, sc.toks, m.end) {
		return true
	}
	if hasCJK(text[m.start:m.end]) {
		rest := text[m.end:]
		for _, w := range zhCompanyAfter {
			if strings.HasPrefix(rest, w) {
				return true
			}
		}
	} else if latinCompanyAfter(text, sc.toks, m.end) {
		return true
	}
	listed := func(j int, between string) bool {
		o := sc.ms[j]
		if o.mode == modeAmbiguous || o.mode == modeWeak || len(g.companies[o.ent]) == 0 {
			return false
		}
		sep := strings.ToLower(strings.TrimSpace(between))
		return listSeparators[sep]
	}
	return k > 0 && listed(k-1, text[sc.ms[k-1].end:m.start]) ||
		k+1 < len(sc.ms) && listed(k+1, text[m.end:sc.ms[k+1].start])
}

// latinCompanyAfter reads the words after a Latin name ending at end.
func latinCompanyAfter(text string, toks []token, end int) bool {
	i := 0
	for i < len(toks) && toks[i].start < end {
		i++
	}
	if i >= len(toks) || toks[i].kind != tokWord || strings.TrimSpace(text[end:toks[i].start]) != "" {
		return false
	}
	w := toks[i].fold
	if companyWords[w] || deviceWords[w] || corporateVerbs[w] {
		return true
	}
	// A model: up to three capitalised words, then a number, a code or a
	// device ("Trust Direct Access keyboard").
	for n := 0; n < 4 && i < len(toks) && toks[i].kind == tokWord; n++ {
		raw := text[toks[i].start:toks[i].end]
		if strings.ContainsAny(raw, "0123456789") || len(raw) >= 2 && raw == strings.ToUpper(raw) && !notModels[toks[i].fold] ||
			n > 0 && deviceWords[toks[i].fold] {
			return true
		}
		r, _ := utf8.DecodeRuneInString(raw)
		if !unicode.IsUpper(r) || n == 3 {
			return false
		}
		if camelCase(raw) {
			return true // a product's name: Cherry CyMotion, Cherry Blue Line CyBo@rd
		}
		i++
	}
	return false
}

// camelCase reports a word with a capital after a small letter (CyMotion,
// XPress, iPaq): a product's name, not an English word.
func camelCase(w string) bool {
	lower := false
	for _, r := range w {
		if unicode.IsUpper(r) && lower {
			return true
		}
		lower = unicode.IsLower(r)
	}
	return false
}

// ownedNouns after a possessive are the parts of a thing, not a company's
// goods: "Symbol's Name", "Target's Value" in a table's header.
var ownedNouns = setOf("name", "names", "value", "values", "type", "types", "size", "address", "index",
	"table", "section", "number", "list", "offset", "info", "flags", "version", "length", "id")

// commonNounAfter reports one of ownedNouns as the word after a possessive
// ending at end.
func commonNounAfter(text string, toks []token, end int) bool {
	i := sort.Search(len(toks), func(i int) bool { return toks[i].start >= end })
	for _, t := range toks[i:] {
		if t.kind == tokWord {
			if t.fold == "s" { // the s of an apostrophe the lexer split off
				continue
			}
			return ownedNouns[t.fold]
		}
	}
	return false
}
