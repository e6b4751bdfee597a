package corpus

import (
	"strings"
	"unicode/utf8"
)

// Unnamed subjects: a clause that opens with a kin or role word (师傅咂着
// 烟袋只说了一句, 他爸说) gives the words of someone the text does not name
// there, not of a person named in an earlier clause of the sentence.

// zhRoleNouns name a person by kin or role; with zhPersonNouns they open a
// clause whose subject is nobody the text names.
var zhRoleNouns = []string{"师傅", "师母", "先生", "老婆", "公公", "爸爸", "妈妈", "老头", "老太太", "老太婆",
	"女子", "男子", "汉子", "后生", "小伙子", "大娘", "大爷", "大嫂", "嫂子", "哥哥", "姐姐", "弟弟", "妹妹",
	"叔叔", "伯伯", "舅舅", "姑妈", "姑父", "女婿", "儿媳", "长工", "丫鬟", "徒弟", "家人", "来人", "警察",
	"队长", "团长", "连长", "排长", "县长", "村长", "族长", "乡约", "掌柜", "店主", "车夫", "司机"}

// zhKin after a possessive pronoun name a relative: 他爸, 俺娘, 她婆.
var zhKin = runeSet("爸妈媽娘爹婆哥姐嫂叔伯舅姑爷爺奶媳")

// zhNotKin start with a kin character but name nobody: 他姑且说 is "he
// said for now".
var zhNotKin = []string{"姑且", "姑息"}

// zhKinWordAt reports whether s, which follows a pronoun, starts with a kin
// word: 他爸, 他媳妇, not 他姑且.
func zhKinWordAt(s string) bool {
	for _, w := range zhNotKin {
		if strings.HasPrefix(s, w) {
			return false
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return zhKin[r]
}

// zhClauseOpeners come before a kin or role word: 那女人, 他的师傅, 俺爸.
var zhClauseOpeners = []string{"那个", "这个", "一个", "他的", "她的", "那", "这", "俺", "我", "你", "咱", "他", "她"}

// zhRoleOpens returns where the clause that holds the verb at v starts if
// it opens with a kin or role word (after a demonstrative or a possessive),
// or -1. The clause runs back to the last punctuation, at most 30
// characters.
func zhRoleOpens(text string, v int) int {
	cs := v
	for n := 0; n < 30 && cs > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:cs])
		if strings.ContainsRune("，,：:。！？；!?;“”「」…\n", r) {
			break
		}
		cs -= size
	}
	s := text[cs:v]
	if zhRoleWordAt(s) {
		return cs
	}
	for _, o := range zhClauseOpeners {
		if !strings.HasPrefix(s, o) {
			continue
		}
		rest := s[len(o):]
		if strings.HasPrefix(rest, "老人家") {
			continue // 他老人家说: a polite "he"
		}
		if zhRoleWordAt(rest) {
			return cs
		}
		if zhKinWordAt(rest) && !strings.Contains("那这一", o[:3]) {
			return cs
		}
	}
	return -1
}

// zhPossessorAt reports a pronoun that owns the kin or role word after it
// (他儿子, 他师傅): the owner is not the subject of the clause.
func zhPossessorAt(text string, c zhCand) bool {
	rest := text[c.end:]
	return c.kind == occPronoun && !strings.HasPrefix(rest, "老人家") && (zhRoleWordAt(rest) || zhKinWordAt(rest))
}

func zhRoleWordAt(s string) bool {
	for _, ws := range [][]string{zhPersonNouns, zhRoleNouns} {
		for _, w := range ws {
			if strings.HasPrefix(s, w) {
				return true
			}
		}
	}
	return false
}
