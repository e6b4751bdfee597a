package corpus

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese personal names a document teaches: a name seen once as a speaker
// ("黑娃说：") is a name everywhere in that document, a surname and a title
// (朱先生, 习旅长) or two surnames and 氏 (白吴氏) name a person wherever
// they stand, and a given name (嘉轩) stands for the full name learned
// with it (白嘉轩). A caller may add a lexicon of names (PersonNames).

// zhNames are the names learned from one document.
type zhNames struct {
	canon   map[string]string // as written -> canonical (full) name
	byFirst map[rune][]string // written forms by first rune, longest first
	gender  map[string]rune   // canonical name -> '他' or '她', where the document tells
}

// zhTitles after a surname make a way of naming a person: 朱先生, 习旅长.
var zhTitles = []string{"先生", "旅长", "师长", "军长", "团长", "营长", "连长", "县长", "乡约", "裁缝",
	"老大", "老二", "老三", "老汉", "大夫", "掌柜", "老师", "校长", "主任", "书记", "司令", "秀才",
	"举人", "总督", "老太太", "太太", "师傅", "大娘", "大爷", "嫂", "经理", "总裁", "董事长", "教授", "医生"}

// zhNotPersons are words that stand where a name stands before a verb of
// saying but name no one: kin terms, roles, groups, pronouns.
var zhNotPersons = setOf("父亲", "母亲", "儿子", "女儿", "妻子", "丈夫", "媳妇", "女人", "男人", "老人",
	"孩子", "娃娃", "儿媳", "媳妇儿", "女婿", "姑父", "二姑父", "姑妈", "舅舅", "妈妈", "爸爸", "大家", "众人", "人们", "有人", "别人", "他们", "她们", "我们", "你们", "咱们", "对方",
	"两人", "二人", "俩人", "后者", "前者", "记者", "老汉", "老者", "姑娘", "小伙", "先生", "太太", "老板",
	"主任", "掌柜", "哥哥", "姐姐", "弟弟", "妹妹", "爷爷", "奶奶", "婆婆", "公公", "伯伯", "叔叔", "阿姨",
	"大哥", "二哥", "老大", "老二", "长工", "县长", "村长", "族长", "乡约", "团丁", "士兵", "军官", "将军",
	"司令", "官员", "农民", "学生", "老师", "校长", "医生", "大夫", "客人", "主人", "乡亲", "族人", "村民",
	"土匪", "同志", "工友", "大娘", "大爷", "老婆", "皮匠", "厨师", "大王", "对此", "随后", "接着", "于是",
	"然后", "终于", "只好", "立即", "马上", "忽然", "突然", "仍然", "依然", "便又", "这时", "此时", "那时",
	"同时", "最后", "首先", "其次", "他俩", "她俩", "两个", "那人", "这人", "此人", "某人", "何人", "谁",
	"郑重", "随之", "而且", "明白", "言语", "洪亮", "巴掌", "师母", "和尚", "法官", "师傅", "老先生",
	"秘书", "小学生", "心里", "嘴里", "口里", "一边", "一面", "笑着", "哭着", "听了", "看了", "报告", "公告", "文章",
	"声明", "通知", "消息", "报道", "新闻", "资料", "数据", "研究", "调查", "报告称", "官方", "政府", "公司")

// learnZHNames reads the Chinese sides of d for names: x's lexicon, names
// in front of a verb of saying or a colon that opens a quotation (learned
// when they start with a surname or recur), title names and 氏 names.
func (x *Extractor) learnZHNames(d *Document) *zhNames {
	n := &zhNames{canon: make(map[string]string), byFirst: make(map[rune][]string)}
	seen := make(map[string]int)
	for i := range d.Passages {
		text := d.Passages[i].Text.ZH
		if !hasCJK(text) {
			continue
		}
		for j := 0; j < len(text); {
			r, size := utf8.DecodeRuneInString(text[j:])
			if v := zhSpeechAt(text, j); v > 0 {
				// Only where words are quoted: 黑娃说：“…”, “…”孝文问。
				if name := zhSubjectName(text, j, x.personName); name != "" && quotedAround(text, j-len(name), j+v) {
					seen[name]++
				}
				j += v
				continue
			}
			if zhSurnames[r] {
				if name := zhTitleName(text, j); name != "" {
					n.add(name, name)
				}
			}
			j += size
		}
	}
	for name, c := range seen {
		r, _ := utf8.DecodeRuneInString(name)
		full := utf8.RuneCountInString(name) == 3 && (zhSurnames[r] || zhDoubleSurnames[prefixRunes(name, 2)])
		if x.personName(name) || !strings.ContainsAny(name, zhNotInNames) && !reduplicated(name) && (full || c >= 3) {
			n.add(name, name)
		}
	}
	n.fullNames(d)
	n.byGiven()
	for r, ws := range n.byFirst {
		sort.Slice(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
		n.byFirst[r] = ws
	}
	n.aliases(d)
	n.learnGender(d)
	return n
}

// learnGender learns who is 他 and who is 她 from the document: in a
// sentence that names one person, a pronoun that opens a clause after the
// name is mostly that person (白灵回到家，她…; 鹿兆鹏…，他…). A name is given a gender when its
// sentences say so at least three times and three times more often than
// the other.
func (n *zhNames) learnGender(d *Document) {
	he, she := make(map[string]int), make(map[string]int)
	for i := range d.Passages {
		text := d.Passages[i].Text.ZH
		if !hasCJK(text) {
			continue
		}
		for sent := range strings.FieldsFuncSeq(text, func(r rune) bool { return strings.ContainsRune("。！？；…", r) }) {
			names := n.find(sent, nil)
			if len(names) == 0 {
				continue
			}
			who := names[0].name
			if slices.ContainsFunc(names, func(c zhCand) bool { return c.name != who }) {
				continue
			}
			for _, c := range zhPronouns(sent, names) {
				if c.kind == occPronoun && c.start > names[0].end && !c.poss && strings.HasSuffix(sent[:c.start], "，") {
					if c.she {
						she[who]++
					} else {
						he[who]++
					}
				}
			}
		}
	}
	n.gender = make(map[string]rune)
	for name := range n.canon {
		name = n.canon[name]
		switch h, s := he[name], she[name]; {
		case h >= 3 && h >= 3*s:
			n.gender[name] = '他'
		case s >= 3 && s >= 3*h:
			n.gender[name] = '她'
		}
	}
}

// fits reports whether the pronoun p (他 or 她) can refer to name: the
// document gave name the other gender.
func (n *zhNames) fits(name string, p rune) bool {
	if n == nil {
		return true
	}
	g, ok := n.gender[name]
	return !ok || g == p
}

// zhNotInNames are characters that a name learned from its use does not
// hold: negations, adverbs, prepositions (没有, 再甭, 对白灵, 回过头).
const zhNotInNames = "没不甭再也都还就又很太已曾把被对向给让跟从在过头住着了的地得看"

// zhVerbEnders end a verb, not a name: 白灵问(道), 鹿三刚(说), 白灵笑(着说).
const zhVerbEnders = "问问笑惊刚责喊叫骂答讲想听说道"

// reduplicated reports a word of one character twice (孙孙): a form of
// address, not a name.
func reduplicated(s string) bool {
	rs := []rune(s)
	return len(rs) == 2 && rs[0] == rs[1]
}

// fullNames learns the full name of a learned given name (孝文 → 白孝文):
// the surname most often written before it in d. A name of one character
// and 儿 is a pet form of the full name of that character (芒儿 → 郑芒).
func (n *zhNames) fullNames(d *Document) {
	for name := range n.canon {
		if utf8.RuneCountInString(name) != 2 {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(name); zhSurnames[r] {
			continue
		}
		given := name
		if strings.HasSuffix(name, "儿") {
			given = strings.TrimSuffix(name, "儿")
		}
		count := make(map[rune]int)
		for i := range d.Passages {
			text := d.Passages[i].Text.ZH
			for j := strings.Index(text, given); j >= 0; {
				r, _ := utf8.DecodeLastRuneInString(text[:j])
				if zhSurnames[r] && (given == name || !strings.HasPrefix(text[j+len(given):], "儿")) {
					count[r]++
				}
				k := strings.Index(text[j+len(given):], given)
				if k < 0 {
					break
				}
				j += len(given) + k
			}
		}
		best, bc := rune(0), 0
		for r, c := range count {
			if c > bc || c == bc && r < best {
				best, bc = r, c
			}
		}
		// The full form must be a usual way to name the person, at least
		// one time in 25: 孝文 is often 白孝文, 小娥 now and then 田小娥,
		// 黑娃 hardly ever 鹿黑娃 (9 times in 1160).
		if bc >= 2 && bc*25 >= n.uses(d, name) {
			full := string(best) + given
			n.canon[name] = full
			n.add(full, full)
		}
	}
}

// uses counts the occurrences of s in d's Chinese text.
func (n *zhNames) uses(d *Document, s string) int {
	c := 0
	for i := range d.Passages {
		c += strings.Count(d.Passages[i].Text.ZH, s)
	}
	return c
}

// byGiven lets a given name stand for the one full name learned with it.
func (n *zhNames) byGiven() {
	given := make(map[string][]string)
	for name := range n.canon {
		if rs := []rune(name); len(rs) == 3 && zhSurnames[rs[0]] {
			given[string(rs[1:])] = append(given[string(rs[1:])], name)
		}
	}
	for g, full := range given {
		if len(full) == 1 && !zhNotPersons[g] && !zhNotNames[g] {
			n.add(g, full[0])
		}
	}
}

func (n *zhNames) add(written, canon string) {
	if _, ok := n.canon[written]; ok {
		return
	}
	n.canon[written] = canon
	r, _ := utf8.DecodeRuneInString(written)
	n.byFirst[r] = append(n.byFirst[r], written)
}

// find returns the learned names in text, leftmost-longest, skipping the
// spans of taken (the gazetteer's matches).
func (n *zhNames) find(text string, taken []zhCand) []zhCand {
	if n == nil || len(n.canon) == 0 {
		return nil
	}
	var out []zhCand
	k := 0
	for i := 0; i < len(text); {
		for k < len(taken) && taken[k].end <= i {
			k++
		}
		if k < len(taken) && taken[k].start <= i {
			i = taken[k].end
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		found := false
		for _, w := range n.byFirst[r] {
			if strings.HasPrefix(text[i:], w) {
				end := i + len(w)
				next, _ := utf8.DecodeRuneInString(text[end:])
				out = append(out, zhCand{start: i, end: end, name: n.canon[w], kind: occPerson, poss: next == '的'})
				i = end
				found = true
				break
			}
		}
		if !found {
			i += size
		}
	}
	return out
}

// zhSpeechAt returns the length of a verb of saying at text[j:] that gives
// words (说, 问：, 道：, 喊道) or of a colon that opens a quotation, or 0.
func zhSpeechAt(text string, j int) int {
	if strings.HasPrefix(text[j:], "：“") || strings.HasPrefix(text[j:], "：「") {
		return len("：")
	}
	r, _ := utf8.DecodeRuneInString(text[j:])
	for _, v := range zhVerbs[r] {
		if strings.HasPrefix(text[j:], v) && zhSpeechVerb(text, j, v) {
			return len(v)
		}
	}
	return 0
}

// zhSubjectName reads the name right before text[v:] (a verb or a colon):
// two or three Han characters after a boundary (the start, punctuation or
// a marker such as 对/向 is not one), not a word that names no one.
func zhSubjectName(text string, v int, lexicon func(string) bool) string {
	for _, k := range []int{3, 2} {
		s := suffixRunes(text[:v], k)
		if utf8.RuneCountInString(s) != k || !allHan(s) || zhNotPersons[s] || zhNotNames[s] || notAName(s) {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(s)
		if zhNameEnders[last] || strings.ContainsRune("们人者地着声忙然便却得过道", last) || strings.ContainsRune(zhVerbEnders, last) {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(text[:v-len(s)])
		if before == utf8.RuneError || !unicode.Is(unicode.Han, before) || lexicon(s) {
			return s
		}
	}
	return ""
}

// zhTitleName reads a surname and a title at text[j:]: 朱先生, 习旅长.
func zhTitleName(text string, j int) string {
	_, size := utf8.DecodeRuneInString(text[j:])
	rest := text[j+size:]
	prev, _ := utf8.DecodeLastRuneInString(text[:j])
	if unicode.Is(unicode.Han, prev) && !zhNameIntro[prev] {
		return "" // inside a word: 阴阳先生
	}
	for _, t := range zhTitles {
		if strings.HasPrefix(rest, t) {
			return text[j : j+size+len(t)]
		}
	}
	// Two surnames and 氏: a married woman (白吴氏).
	if r2, s2 := utf8.DecodeRuneInString(rest); zhSurnames[r2] && strings.HasPrefix(rest[s2:], "氏") {
		return text[j : j+size+s2+len("氏")]
	}
	return ""
}

// quotedAround reports quotation marks around a name and verb at
// text[start:end]: opening within a few characters after, or closing right
// before.
func quotedAround(text string, start, end int) bool {
	after := prefixRunes(text[end:], 4)
	before := suffixRunes(text[:start], 2)
	return strings.ContainsAny(after, "“「『") || strings.ContainsAny(before, "”」』")
}

// notAName reports a word that starts with a word that is no name or is a
// verb of saying: 包括全 (包括全称), 警告 (a warning label), 比如.
func notAName(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	for _, v := range zhVerbs[r] {
		if strings.HasPrefix(s, v) {
			return true
		}
	}
	return zhNotNames[prefixRunes(s, 2)] || zhNotPersons[prefixRunes(s, 2)]
}

func suffixRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

func prefixRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// dropStraddling drops the gazetteer's matches that straddle a name the
// document taught: in 鹿三洋洋自得, 三洋 (Sanyo) starts inside 鹿三.
func (n *zhNames) dropStraddling(text string, ms []match) []match {
	if n == nil || len(ms) == 0 || !hasCJK(text) {
		return ms
	}
	spans := n.find(text, nil)
	return slices.DeleteFunc(ms, func(m match) bool {
		for _, c := range spans {
			if c.start < m.end && m.start < c.end && (c.start < m.start || c.end > m.end) {
				return true
			}
		}
		return false
	})
}
