package corpus

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese speakers; the rules are listed on Extractor.

type zhCand struct {
	start, end int
	name       string
	kind       occKind
	poss       bool
	she        bool // the pronoun 她
}

// zhCandidates returns the people, pronouns and other entities of a
// Chinese text, in order: the gazetteer's, the names the document taught.
func (x *Extractor) zhCandidates(sc *sideScan) []zhCand {
	var cands []zhCand
	for _, m := range sc.ms {
		kind := occOther
		if x.g.ents[m.ent].Type == EntityPerson {
			kind = occPerson
		}
		cands = append(cands, zhCand{start: m.start, end: m.end, name: x.g.ents[m.ent].Name, kind: kind, poss: m.poss})
	}
	cands = append(cands, sc.names.find(sc.text, cands)...)
	sort.Slice(cands, func(i, j int) bool { return cands[i].start < cands[j].start })
	cands = zhPronouns(sc.text, cands)
	sort.Slice(cands, func(i, j int) bool { return cands[i].start < cands[j].start })
	return cands
}

// zhSentenceSubject returns the first person named as a subject in the
// sentence that ends with the colon at i (after 。！？ or a closing
// quotation mark), or none.
func zhSentenceSubject(text string, i int, cands []zhCand, st *speakerState, names *zhNames) []string {
	s0 := zhSentenceStart(text, i)
	if i-s0 > 80*3 {
		return nil
	}
	first := -1
	for k, c := range cands {
		if c.start < s0 || c.start >= i {
			continue
		}
		if c.kind != occPerson && c.kind != occPronoun || c.poss {
			return nil
		}
		if zhObjectLike(text, c.start, "") {
			continue // 鹿三顺手抽了黑娃一个抹脖子，骂道：
		}
		if prev, _ := utf8.DecodeLastRuneInString(text[:c.start]); zhObjectBefore[prev] || zhCoord[prev] {
			return nil
		}
		first = k
		break
	}
	if first < 0 {
		return nil
	}
	// 白嘉轩气得捞起拐杖，鹿三却扭着腰肢出了门，在院子里挑战：: a later
	// person who opens a clause is the subject of the clauses after it.
	if k := zhClauseOpener(text, s0, i, cands); k > first && !zhObjectLike(text, cands[k].start, "") {
		first = k
	}
	if c := cands[first]; zhPossessorAt(text, c) {
		return nil // 他师傅气得直跺脚：: his master
	} else if c.kind == occPronoun {
		return pronounName(st, names, c)
	}
	return []string{cands[first].name}
}

// zhColonAfter reports a colon that introduces the words of the person
// ending at i: 任正非：, 他信心十足：, 任正非同样态度积极：. A 了 in between
// marks an action (他迅速确定了全球化战略：), not speech, unless the colon
// opens a quotation: 张一鸣就已为全球化做好了准备：“…”.
func zhColonAfter(text string, i int) bool {
	n, action := 0, false
	for j, r := range text[i:] {
		switch {
		case r == '：' || r == ':':
			next, _ := utf8.DecodeRuneInString(text[i+j+len("："):])
			if r == ':' {
				next, _ = utf8.DecodeRuneInString(text[i+j+1:])
			}
			if next == '“' || next == '「' || next == '『' {
				return true
			}
			return !action && n <= 8 && !zhThoughtBefore(text[i:i+j]) // 朱先生想：… is a thought
		case n >= 24 || strings.ContainsRune("，。；！？、“”‘’《》（）,.;!?()", r):
			return false
		case r == '了':
			action = true
		case r == '的':
			return false // 鹿子霖爽快的响应：, 魏老太太和陌生人的对话：
		}
		n++
	}
	return false
}

// inTitle reports whether s ends inside 《…》: a colon in a title is not
// speech (《张一鸣硅谷之行：…》). Titles are short; looking back a few
// hundred bytes keeps this linear on any text.
func inTitle(s string) bool {
	if len(s) > 300 {
		s = s[len(s)-300:]
	}
	return strings.LastIndex(s, "《") > strings.LastIndex(s, "》")
}

func pronounName(st *speakerState, names *zhNames, c zhCand) []string {
	p := '他'
	if c.she {
		p = '她'
	}
	if n := st.soleReferent(func(name string) bool { return names.fits(name, p) }); n != "" {
		return []string{n}
	}
	return nil
}

// zhSpeechVerb rules out verbs that are part of other words.
func zhSpeechVerb(text string, i int, verb string) bool {
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	next, _ := utf8.DecodeRuneInString(text[i+len(verb):])
	if prev == '被' {
		return false // 被宣布为土匪: passive, nobody speaks
	}
	switch verb {
	case "说", "說":
		if prev == '话' || prev == '話' { // 用郭平的话说, not 换句话说
			before := text[:i]
			return strings.HasSuffix(before, "的话") || strings.HasSuffix(before, "的話")
		}
		if strings.HasPrefix(text[i+len(verb):], "不出") {
			return false // 说不出口: unable to say
		}
		return !notSayBefore[prev] && !notSayAfter[next]
	case "称", "稱":
		return !notCallBef[prev] && !notCallAfter[next]
	case "认为", "認為":
		return prev != '被'
	case "看来", "看來":
		return true
	case "问", "問", "喊", "骂", "罵", "嚷", "吼", "答", "道", "讲", "講", "叫":
		// One character that starts many words (问题, 道路, 讲究, 叫做)
		// speaks only before the words it gives.
		rest := text[i+len(verb):]
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "道"), "起来")
		if strings.HasPrefix(rest, "：") || strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "“") ||
			strings.HasPrefix(rest, "「") || strings.HasPrefix(rest, "，“") {
			return true
		}
		// “是谁下的这毒手？”孝文问。: a quotation closes just before the name.
		end, _ := utf8.DecodeRuneInString(rest)
		before := suffixRunes(text[:i], 5)
		return strings.ContainsRune("。，！？", end) && (strings.Contains(before, "”") || strings.Contains(before, "」"))
	}
	return true
}

// zhPronouns adds 他 and 她 used as "he"/"she" (not 其他, 他们, 他人) to
// cands, which are sorted and do not overlap.
func zhPronouns(text string, cands []zhCand) []zhCand {
	n, k := len(cands), 0
	for i, r := range text {
		if r != '他' && r != '她' {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		next, _ := utf8.DecodeRuneInString(text[i+3:])
		if strings.ContainsRune("其吉利排旁", prev) || strings.ContainsRune("们們人国國乡鄉处處日者方", next) ||
			zhKinWordAt(text[i+3:]) {
			continue // 其他, 他们, 他爸 (his father: not "he")
		}
		for k < n && cands[k].end <= i {
			k++
		}
		if k < n && cands[k].start <= i {
			continue // inside a name
		}
		cands = append(cands, zhCand{start: i, end: i + 3, kind: occPronoun, poss: next == '的', she: r == '她'})
	}
	return cands
}

// zhSubject finds who speaks through the verb at v: an unknown name right
// before it, else the nearest person, pronoun or organisation before it in
// the same sentence, skipping objects (对X) and phrases (在接受采访时).
// unnamed reports a clause that opens with a kin or role word (师傅…说了
// 一句：), whose words are nobody's, not the sentence's first person's.
func (x *Extractor) zhSubject(text string, v int, verb string, cands []zhCand, st *speakerState, names *zhNames) (who []string, unnamed bool) {
	k := sort.Search(len(cands), func(i int) bool { return cands[i].end > v }) - 1
	floor := 0
	if k >= 0 {
		floor = cands[k].end
	}
	if name, start := zhNameBefore(text, v); name != "" && start >= floor &&
		!strings.ContainsAny(name, zhNotInNames+"声脸住") && !reduplicated(name) {
		return []string{name}, false
	}
	role := zhRoleOpens(text, v) // 师傅…说, 他爸说: a person before it is no subject
	if zhUnnamedSubject(text, v, floor) {
		// 老人们常说, 那女人说: someone the text does not name; when the
		// noun opens the clause, a colon after the verb is theirs too
		// (not in 回过头禁止女儿说：, where the daughter is spoken to).
		return nil, role >= 0
	}
	if who, ok := zhChainSubject(text, v, cands, st, names); ok && role < 0 {
		return who, false // 黑娃…听着，再不怀疑兆鹏…，问：
	}
	var coord []string
	for ; k >= 0; k-- {
		c := cands[k]
		gap := text[c.end:v]
		if len(gap) > 30*4 || strings.ContainsAny(gap, "。！？；!?;\n") || utf8.RuneCountInString(gap) > 30 {
			break
		}
		if zhNegated(gap) {
			return nil, false // 鹿三再没有发生发疯说鬼话的事
		}
		if (verb == "眼里" || verb == "眼中" || verb == "眼裡") && gap != "" && gap != "的" {
			return nil, false // 言语和眉眼里: nobody's eyes
		}
		adverbial := zhOnlyAdverbs(gap)
		prev, _ := utf8.DecodeLastRuneInString(text[:c.start])
		switch c.kind {
		case occPronoun:
			if zhObjectLike(text, c.start, verb) {
				continue // 对他说, 在她身上: an object
			}
			// The pronoun that opens a clause with a role word (他儿子说,
			// 他的师傅说: his son, his master) is not its subject.
			if role >= 0 && c.start == role && len(coord) == 0 {
				return nil, true
			}
			if c.poss {
				return nil, false
			}
			if role >= 0 && c.end <= role && len(coord) == 0 {
				return nil, true
			}
			return append(coord, pronounName(st, names, c)...), false
		case occOther:
			if adverbial && len(coord) == 0 && !zhObjectBefore[prev] {
				return nil, false // 华为表示: the company speaks
			}
			continue
		}
		if c.poss || strings.HasPrefix(gap, "之") {
			rest := strings.TrimPrefix(gap, "的")
			if (rest == "话" || rest == "话来" || rest == "話" || rest == "話來") && quotesBefore(text[:c.start]) {
				return []string{c.name}, false // 用郭平的话说, 援引邱浩的话称
			}
			return nil, false // 任正非的女儿表示: someone else speaks
		}
		if zhCoord[prev] {
			coord = append(coord, c.name)
			continue
		}
		if zhObjectBefore[prev] || zhObjectLike(text, c.start, verb) {
			continue
		}
		if role >= 0 && c.end <= role && len(coord) == 0 {
			return nil, true
		}
		return append(coord, c.name), false
	}
	return nil, false
}

// quotesBefore reports 用 (in the words of) or 援引 (quoting) in the clause
// that ends with s: 用华为副董事长郭平的话说.
func quotesBefore(s string) bool {
	n := 0
	for len(s) > 0 && n < 16 {
		for _, w := range []string{"用", "援引", "引用", "引述", "借用"} {
			if strings.HasSuffix(s, w) {
				return true
			}
		}
		r, size := utf8.DecodeLastRuneInString(s)
		if strings.ContainsRune("，。；！？,.;!?", r) {
			return false
		}
		s = s[:len(s)-size]
		n++
	}
	return false
}

// zhOnlyAdverbs reports whether gap holds nothing but adverbs (or nothing).
func zhOnlyAdverbs(gap string) bool {
	gap = strings.TrimSpace(gap)
	for n := 0; gap != "" && n < 4; n++ {
		found := false
		for _, a := range zhAdverbs {
			if strings.HasPrefix(gap, a) {
				gap = strings.TrimSpace(gap[len(a):])
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return gap == ""
}

// zhNameBefore reads a personal name not in the gazetteer that ends right
// before v, after adverbs: a name with a middle dot (拉维·梅农), or a common
// surname and one or two characters (赵婷, 王小明) after a title, a marker or
// punctuation. It returns "" if there is none.
func zhNameBefore(text string, v int) (string, int) {
	p := v
	for range 3 {
		found := false
		for _, a := range zhAdverbs {
			if strings.HasSuffix(text[:p], a) {
				p -= len(a)
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	if name, start := dottedNameBefore(text, p); name != "" {
		return name, start
	}
	type rp struct {
		r   rune
		pos int
	}
	var rs [4]rp // rs[0] is nearest to p
	q := p
	for n := range rs {
		r, size := utf8.DecodeLastRuneInString(text[:q])
		if size == 0 {
			rs[n] = rp{0, q}
			continue
		}
		q -= size
		rs[n] = rp{r, q}
	}
	han := func(n int) bool { return rs[n].r != 0 && unicode.Is(unicode.Han, rs[n].r) }
	intro := func(n int) bool { return rs[n].r == 0 || !han(n) || zhNameIntro[rs[n].r] }
	if !han(0) || !han(1) || zhNameEnders[rs[0].r] || strings.ContainsRune(zhVerbEnders, rs[0].r) {
		return "", 0
	}
	two := text[rs[1].pos:p]
	twoOK := zhSurnames[rs[1].r] && !zhNotNames[two] && !zhNotNames[string(rs[1].r)] && !notAName(two)
	three := ""
	threeOK := false
	if han(2) {
		three = text[rs[2].pos:p]
		threeOK = !zhNotNames[three] && !notAName(three) && !zhNotNames[text[rs[2].pos:rs[0].pos]] &&
			(zhSurnames[rs[2].r] && !zhNameEnders[rs[1].r] || zhDoubleSurnames[text[rs[2].pos:rs[0].pos]]) && intro(3)
	}
	switch {
	case twoOK && han(2) && zhNameIntro[rs[2].r]:
		return two, rs[1].pos
	case threeOK:
		return three, rs[2].pos
	case twoOK && intro(2):
		return two, rs[1].pos
	}
	return "", 0
}

// dottedNameBefore reads a transliterated name with a middle dot ending at p:
// 印度分析师拉维·梅农 gives 拉维·梅农.
func dottedNameBefore(text string, p int) (string, int) {
	q, dots, runes := p, 0, 0
	for runes < 14 {
		r, size := utf8.DecodeLastRuneInString(text[:q])
		if size == 0 {
			break
		}
		if r == '·' || r == '•' || r == '‧' || r == '・' {
			if runes == 0 {
				return "", 0
			}
			dots++
		} else if !unicode.Is(unicode.Han, r) {
			break
		}
		q -= size
		runes++
	}
	if dots == 0 {
		return "", 0
	}
	s := text[q:p]
	first, _, _ := strings.Cut(s, "·")
	if strings.ContainsAny(first, "•‧・") {
		return "", 0
	}
	// Keep at most four characters of the first part, and none of a title before it.
	keep := 0
	for t := first; t != "" && keep < 4; keep++ {
		r, size := utf8.DecodeLastRuneInString(t)
		if zhNameIntro[r] {
			break
		}
		t = t[:len(t)-size]
	}
	cut := len(first)
	for n := 0; n < keep; n++ {
		_, size := utf8.DecodeLastRuneInString(first[:cut])
		cut -= size
	}
	if cut == len(first) {
		return "", 0
	}
	return s[cut:], q + cut
}

// zhQuoteResumes reports a comma that opens a quotation at i after a
// clause that names its speaker: “…”朱先生怀疑了，“…” or 黑娃惊诧起来，
// “你是……”. Only a short clause right after a closing quotation mark or
// at the start of a sentence counts, so that the first person of the
// sentence is the one who speaks.
func zhQuoteResumes(text string, i int) bool {
	if !strings.HasPrefix(text[i:], "，“") && !strings.HasPrefix(text[i:], "，「") {
		return false
	}
	clause := suffixRunes(text[:i], 17)
	for _, p := range []string{"。", "！", "？", "”", "」", "；", "，"} {
		if k := strings.LastIndex(clause, p); k >= 0 {
			clause = clause[k+len(p):]
		}
	}
	return utf8.RuneCountInString(clause) <= 16 && (len(clause) < len(suffixRunes(text[:i], 17)) || len(clause) == i)
}

// zhPersonNouns name people without naming them: kin, roles, groups.
var zhPersonNouns = []string{"老人们", "老人", "人们", "众人", "大家", "有人", "别人", "旁人", "他们", "她们",
	"女人", "男人", "父亲", "母亲", "儿子", "女儿", "媳妇", "妻子", "丈夫", "孩子", "娃娃", "老汉", "老者",
	"姑娘", "小伙", "弟兄", "兄弟", "团丁", "卫兵", "哨兵", "士兵", "军官", "官员", "村民", "乡民", "乡亲",
	"族人", "庄稼人", "土匪", "客人", "掌柜的", "老板", "伙计", "和尚", "娘子", "奶奶", "爷爷", "婆婆", "对方"}

// zhUnnamedSubject reports a person noun right before the verb at v, after
// adverbs and a manner phrase (老人们常说, 那女人冷冷地说), after floor (the
// end of the last candidate): the speaker is someone the text does not
// name. A noun after 对 or 向 is spoken to, and one before 的 is an owner.
func zhUnnamedSubject(text string, v, floor int) bool {
	p := v
	for range 4 {
		found := false
		for _, a := range zhAdverbs {
			if strings.HasSuffix(text[:p], a) && p-len(a) >= floor {
				p -= len(a)
				found = true
				break
			}
		}
		if !found && strings.HasSuffix(text[:p], "地") {
			// a manner phrase: 冷冷地, 心平气和地
			for q, n := p-len("地"), 0; n < 6 && q > floor; n++ {
				if zhPersonNounEnd(text[:q]) {
					p, found = q, true
					break
				}
				r, size := utf8.DecodeLastRuneInString(text[:q])
				if !unicode.Is(unicode.Han, r) {
					break
				}
				q -= size
			}
		}
		if !found {
			break
		}
	}
	for _, w := range zhPersonNouns {
		if strings.HasSuffix(text[:p], w) && p-len(w) >= floor {
			prev, _ := utf8.DecodeLastRuneInString(text[:p-len(w)])
			return !zhObjectBefore[prev] && prev != '在'
		}
	}
	return false
}

func zhPersonNounEnd(s string) bool {
	for _, w := range zhPersonNouns {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// zhNegated reports a negation in the last clause of gap, the words
// between a person and a verb of saying: 没有…说, 从未…提到.
func zhNegated(gap string) bool {
	if k := strings.LastIndexAny(gap, "，,、："); k >= 0 {
		gap = gap[k:]
	}
	for _, w := range []string{"没有", "没", "沒", "未曾", "不曾", "从未", "從未", "从不", "從不", "不知", "不会", "不會", "不敢", "不能"} {
		if strings.Contains(gap, w) {
			return true
		}
	}
	return false
}

// zhObjectLike reports a person at start who is the object of a verb or a
// preposition of its clause, not its subject: 抽了黑娃, 对身旁的白嘉轩, 在她
// 身上, 递给黑娃, 找鹿子霖, 竟是鹿兆海. The clause runs back to the last
// punctuation. In 在X看来 (verb 看来) X is the one whose view is given.
func zhObjectLike(text string, start int, verb string) bool {
	// The clause back to the last punctuation, at most 40 characters (a
	// clause is shorter; this keeps the scan linear).
	s0 := start
	for n := 0; n < 40 && s0 > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:s0])
		if strings.ContainsRune("，。！？；：“”「」,…", r) {
			break
		}
		s0 -= size
	}
	prefix := text[s0:start]
	if verb == "看来" || verb == "看來" {
		prefix = strings.TrimSuffix(prefix, "在")
	}
	return strings.ContainsAny(prefix, "了着著过過把对對向给給被让讓跟找在是")
}

// zhSpans are the byte spans of the quotations of a text, in order.
type zhSpans [][2]int

// zhQuotations finds the spans inside “…” and 「…」 (an unclosed one runs to
// the end of the text).
func zhQuotations(text string) zhSpans {
	var out zhSpans
	open := -1
	for i, r := range text {
		switch {
		case (r == '“' || r == '「') && open < 0:
			open = i
		case (r == '”' || r == '」') && open >= 0:
			out = append(out, [2]int{open, i})
			open = -1
		}
	}
	if open >= 0 {
		out = append(out, [2]int{open, len(text)})
	}
	return out
}

// in reports whether byte i lies inside a quotation.
func (q zhSpans) in(i int) bool {
	k := sort.Search(len(q), func(k int) bool { return q[k][1] > i })
	return k < len(q) && q[k][0] < i
}

// zhWordsFollow reports words given right after a verb of saying (after 道
// or 来): a colon, a comma or a quotation mark; 说过了 gives none.
func zhWordsFollow(rest string) bool {
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, "道"), "来")
	r, _ := utf8.DecodeRuneInString(rest)
	return strings.ContainsRune("：:，,“「‘『", r)
}
