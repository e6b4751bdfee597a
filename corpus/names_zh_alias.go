package corpus

import (
	"strings"
	"unicode/utf8"
)

// Nicknames a document teaches. A name learned from its use that carries no
// surname (大拇指) is a nickname of the person whose name it is written
// against: in apposition, right before or after that person's name
// (大拇指芒儿, 芒儿大拇指), or introduced by a word for a nickname
// (郑芒人称大拇指, 郑芒外号叫大拇指, 郑芒绰号“大拇指”). The nickname then
// stands for the full name, as a given name does (芒儿 → 郑芒).

// zhAliasWords introduce a nickname after the person it names.
var zhAliasWords = []string{"人称", "外号叫", "外号", "绰号叫", "绰号", "诨号", "诨名", "浑名", "小名叫", "小名", "乳名", "人送外号"}

// aliases maps each nickname of d to the full name it is written against
// twice in apposition or once after a word for a nickname, and at least
// three times as often as against any other names together.
func (n *zhNames) aliases(d *Document) {
	seen := make(map[string]map[string]int) // nickname -> full name -> times
	note := func(nick, full string, weight int) {
		if seen[nick] == nil {
			seen[nick] = make(map[string]int)
		}
		seen[nick][full] += weight
	}
	for i := range d.Passages {
		text := d.Passages[i].Text.ZH
		if !hasCJK(text) {
			continue
		}
		cands := n.find(text, nil)
		for k, c := range cands {
			if k+1 < len(cands) && cands[k+1].start == c.end {
				next := cands[k+1]
				if n.nickname(text[c.start:c.end]) && n.fullName(next.name) {
					note(text[c.start:c.end], next.name, 1)
				}
				if n.nickname(text[next.start:next.end]) && n.fullName(c.name) {
					note(text[next.start:next.end], c.name, 1)
				}
			}
			if !n.fullName(c.name) {
				continue
			}
			if nick := n.introducedAlias(text[c.end:]); nick != "" {
				note(nick, c.name, 2) // one introduction is enough
			}
		}
	}
	for nick, fulls := range seen {
		best, bc, rest := "", 0, 0
		for full, times := range fulls {
			rest += times
			if times > bc || times == bc && full < best {
				best, bc = full, times
			}
		}
		// 告诉大拇指兆鹏入伙: two names meet across a clause now and then.
		if rest -= bc; bc >= 2 && bc >= 3*rest {
			n.canon[nick] = best
		}
	}
}

// introducedAlias reads a nickname introduced at the start of rest, right
// after a full name: 人称大拇指, 外号叫“大拇指”.
func (n *zhNames) introducedAlias(rest string) string {
	for _, w := range zhAliasWords {
		if !strings.HasPrefix(rest, w) {
			continue
		}
		rest = strings.TrimLeft(rest[len(w):], "：:“「‘『")
		r, _ := utf8.DecodeRuneInString(rest)
		for _, nick := range n.byFirst[r] {
			if strings.HasPrefix(rest, nick) && n.nickname(nick) {
				return nick
			}
		}
		return ""
	}
	return ""
}

// nickname reports a learned name that is its own canonical form and does
// not start with a surname: 大拇指, not 鹿三, 朱先生 or 孝文 (白孝文).
func (n *zhNames) nickname(written string) bool {
	if n.canon[written] != written {
		return false
	}
	r, _ := utf8.DecodeRuneInString(written)
	return !zhSurnames[r] && !zhDoubleSurnames[prefixRunes(written, 2)]
}

// fullName reports a canonical name that starts with a surname and is not
// a title name (朱先生) or a married woman's (白吴氏): 郑芒, 白嘉轩.
func (n *zhNames) fullName(canon string) bool {
	r, _ := utf8.DecodeRuneInString(canon)
	if !zhSurnames[r] && !zhDoubleSurnames[prefixRunes(canon, 2)] || strings.HasSuffix(canon, "氏") {
		return false
	}
	for _, t := range zhTitles {
		if strings.HasSuffix(canon, t) {
			return false
		}
	}
	return true
}
