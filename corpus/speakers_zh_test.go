package corpus

import (
	"slices"
	"testing"
)

// TestSpeakerAttributionZH pins who speaks a quotation in Chinese narrative
// (issue 13: quotations given to the wrong person of a sentence, pronouns
// resolved to someone the passage does not name). The sentences are written
// for this test. Each case is a document: its first passages teach the
// names (a name in front of quoted words), the last one is checked.
func TestSpeakerAttributionZH(t *testing.T) {
	teach := []string{"周明远说：“好。”", "林小河说：“嗯。”"}
	tests := []struct {
		name  string
		paras []string
		want  []string
	}{
		{"the subject of the clause, not the object of a verb",
			[]string{"周明远顺手推了林小河一把，骂道：“快走！”"}, []string{"周明远"}},
		{"the one spoken to is no speaker",
			[]string{"周明远对林小河说：“你先走。”"}, []string{"周明远"}},
		{"an object after 在 is no speaker",
			[]string{"林小河在周明远身边坐下，说：“天凉了。”"}, []string{"林小河"}},
		{"the person right after a quotation who goes on speaking",
			[]string{"“你来了？”周明远站起来，“坐吧。”"}, []string{"周明远"}},
		{"an unnamed person speaks",
			[]string{"周明远在院里坐着。那女人冷冷地说：“天黑了。”"}, nil},
		{"old people said, not the one who remembers it",
			[]string{"周明远又想起老人们常说的那句话。"}, nil},
		{"a clause that opens with a role word speaks for nobody named",
			[]string{"周明远蹲在门口，师傅咂着烟袋只说了一句：“好。”"}, nil},
		{"a kin word after a pronoun is not the pronoun's person",
			[]string{"周明远走进院子，他爸说：“累了吧。”"}, nil},
		{"a kin word after a possessive opens the clause",
			[]string{"林小河坐下来，俺娘笑着说：“吃饭。”"}, nil},
		{"a kin word after a pronoun that opens the clause (他儿子): not the pronoun's person",
			[]string{"周明远走进院子，他儿子笑着说：“回来了。”"}, nil},
		{"a kin word after a pronoun (他媳妇)",
			[]string{"周明远走进院子，他媳妇说：“饭好了。”"}, nil},
		{"a role word after a pronoun (他师傅)",
			[]string{"周明远走进院子，他师傅笑着说：“来了？”"}, nil},
		{"a role word after a pronoun that opens the sentence",
			[]string{"周明远走进院子。他师傅说：“来了？”"}, nil},
		{"a word that starts with a kin character is no kin word (姑且): the pronoun speaks",
			[]string{"周明远走进院子，他姑且说：“也好。”"}, []string{"周明远"}},
		{"a polite pronoun (他老人家) is the pronoun's person",
			[]string{"周明远走进院子，他老人家说：“也好。”"}, []string{"周明远"}},
		{"a role word after a possessive pronoun (他的师傅)",
			[]string{"周明远走进院子，他的师傅说：“来了？”"}, nil},
		{"a colon after a pronoun and a role word, no verb (他师傅…：)",
			[]string{"周明远走进院子，他师傅气得直跺脚：“晚了！”"}, nil},
		{"an unnamed person's colon is not the first person's of the sentence",
			[]string{"周明远走进院子，那女人冷冷地说：“天黑了。”"}, nil},
		{"a person noun inside the clause is spoken to: the colon is the subject's",
			[]string{"周明远回过头拦住女儿说：“先别走。”"}, []string{"周明远"}},
		{"a verb of saying in fiction after a bare quotation (劝慰)",
			[]string{"“算了。”周明远心平气和地劝慰林小河。"}, []string{"周明远"}},
		{"a thought is not speech",
			[]string{"周明远想：明天该走了。"}, nil},
		{"a thought after a pronoun is not speech",
			[]string{"林小河端上饭来，他心里鄙夷地想：晚了。"}, nil},
		{"a verb that opens its clause belongs to the person who opened the chain, not to one inside a clause",
			[]string{"周明远低头听着，再不怀疑林小河是不是骗他，问：“真的？”"}, []string{"周明远"}},
		{"a later person who opens a clause is the subject of the colon's words",
			[]string{"周明远气得站起来，林小河却出了门，在院里挑战：“来呀！”"}, []string{"林小河"}},
		{"a person before 之后 is a time, not the subject of a chain",
			[]string{"周明远走进院子。周明远之后又来了一位孙老师，说他明天再来。"}, nil},
		{"a passive verb speaks for nobody",
			[]string{"周明远被宣布为村长。"}, nil},
		{"a negated verb speaks for nobody",
			[]string{"林小河看着周明远，不知说什么好。"}, nil},
		{"a pronoun with one person named before it",
			[]string{"周明远走进院子，他说：“累了。”"}, []string{"周明远"}},
		{"a pronoun with two people named before it is left unresolved",
			[]string{"周明远和林小河走进院子。他说：“累了。”"}, nil},
		{"a pronoun resolves into the passage before when that named one person",
			[]string{"周明远走进院子。", "他说：“累了。”"}, []string{"周明远"}},
		{"but not when it named two",
			[]string{"周明远对林小河笑了笑。", "他说：“走吧。”"}, nil},
		{"and not two passages back",
			[]string{"周明远走进院子。", "院子里很静。", "他说：“累了。”"}, nil},
		{"a quotation reports speech without words: only its speaker",
			[]string{"周明远说：“林小河给我说过了。”"}, []string{"周明远"}},
		{"a quotation that gives reported words gives their speaker too",
			[]string{"周明远说：“林小河说，明天一早就走。”"}, []string{"周明远", "林小河"}},
		{"a pet name stands for the full name usual with it",
			[]string{"郑芒说：“走。”", "郑芒来了。", "芒儿说：“好。”", "芒儿说：“行。”", "芒儿说：“对。”"}, []string{"郑芒"}},
	}
	for _, tt := range tests {
		var texts []Text
		for _, p := range append(slices.Clone(teach), tt.paras...) {
			texts = append(texts, Text{ZH: p})
		}
		ps := annotated(t, "", texts...)
		got := ps[len(ps)-1].Speakers
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: Speakers(%s) = %q, want %q", tt.name, tt.paras[len(tt.paras)-1], got, want)
		}
	}
}

// TestSpeakerGenderZH: a document that tells who is 她 lets 她说 pick her
// out of two people; without it the pronoun stays unresolved.
func TestSpeakerGenderZH(t *testing.T) {
	base := []string{"苏晓梅说：“好。”", "周明远说：“嗯。”"}
	told := []string{"苏晓梅回到家，她累了。", "苏晓梅看了看天，她笑了。", "苏晓梅放下碗，她站起来。",
		"周明远进了门，他坐下了。", "周明远点上烟，他不说话。", "周明远抬起头，他笑了。"}
	last := "周明远和苏晓梅坐在门口。她说：“饿了。”"
	for _, tt := range []struct {
		name  string
		paras []string
		want  []string
	}{
		{"told", append(append(slices.Clone(base), told...), last), []string{"苏晓梅"}},
		{"not told", append(slices.Clone(base), last), nil},
	} {
		var texts []Text
		for _, p := range tt.paras {
			texts = append(texts, Text{ZH: p})
		}
		ps := annotated(t, "", texts...)
		if got := ps[len(ps)-1].Speakers; !slices.Equal(got, tt.want) {
			t.Errorf("%s: Speakers(%s) = %q, want %q", tt.name, last, got, tt.want)
		}
	}
}

// TestSpeakerAliasZH pins nicknames (issue 13: 大拇指 is 郑芒 in the
// novel): a name learned from its use, without a surname, stands for the
// full name it is written against in apposition twice or once after a word
// for a nickname; written against two people, or once, it stays itself.
func TestSpeakerAliasZH(t *testing.T) {
	teach := []string{"周明远说：“好。”", "林小河说：“嗯。”", "野驴说：“走。”", "野驴说：“快。”", "野驴说：“等等。”"}
	last := "野驴说：“饿了。”"
	for _, tt := range []struct {
		name  string
		paras []string
		want  []string
	}{
		{"apposition twice", []string{"野驴周明远回来了。", "天黑了，野驴周明远还没睡。"}, []string{"周明远"}},
		{"apposition after the name", []string{"周明远野驴回来了。", "周明远野驴又来了。"}, []string{"周明远"}},
		{"introduced once by 人称", []string{"周明远人称野驴，是个赶脚的。"}, []string{"周明远"}},
		{"introduced once by 外号叫 and a quotation mark", []string{"周明远外号叫“野驴”。"}, []string{"周明远"}},
		{"apposition once is not enough", []string{"野驴周明远回来了。"}, []string{"野驴"}},
		{"written against two people", []string{"野驴周明远回来了。", "野驴林小河回来了。"}, []string{"野驴"}},
	} {
		var texts []Text
		for _, p := range append(append(slices.Clone(teach), tt.paras...), last) {
			texts = append(texts, Text{ZH: p})
		}
		ps := annotated(t, "", texts...)
		if got := ps[len(ps)-1].Speakers; !slices.Equal(got, tt.want) {
			t.Errorf("%s: Speakers(%s) = %q, want %q", tt.name, last, got, tt.want)
		}
	}
}

// TestCompanyInsideNameZH: a company name that starts inside a name the
// document taught is no company (鹿三洋洋自得 in the novel gave Sanyo).
func TestCompanyInsideNameZH(t *testing.T) {
	texts := []Text{{ZH: "林三说：“好。”"}, {ZH: "林三说：“走。”"}, {ZH: "林三说：“对。”"},
		{ZH: "林三洋洋得意地走了。"}, {ZH: "他买了一台三洋电视机。"}}
	ps := annotated(t, "", texts...)
	if got := ps[3].Companies; len(got) > 0 {
		t.Errorf("Companies(%s) = %q, want none", texts[3].ZH, got)
	}
	if got := ps[4].Companies; !slices.Equal(got, []string{"Sanyo"}) {
		t.Errorf("Companies(%s) = %q, want Sanyo", texts[4].ZH, got)
	}
}
