package corpus

import (
	"slices"
	"testing"
)

// TestCompanyFalseFriends pins words, codes and longer words that name no
// company (issue 13), on either language side.
func TestCompanyFalseFriends(t *testing.T) {
	tests := []Text{
		{EN: "symbolic link '%.250s' size has changed from %jd to %zd"},
		{EN: "%s: %Lg is not a valid number"},
		{EN: "Input file location in Tcl mode:", ZH: "Tcl 模式下的输入文件位置："},
		{EN: "Use the Meta key as Alt"},
		{EN: "Meta data files for each distribution are stored under dist/codename."},
		{EN: "Very Dark Orange", ZH: "极深橙"},
		{EN: "Orange Walk", ZH: "橘园"},
		{EN: "dd if=a of=b conv=ibm"},
		{EN: "  -ibm  use the IBM character set"[:6]},
		{EN: "For binaries from snapcraft, run them in a snap."},
		{EN: "Gelderland", ZH: "海尔德兰"},
		{ZH: "老大娘熬烧的小米粥"},
		{ZH: "中指上滴滴嗒嗒掉到字画上的血花儿"},
		{ZH: "院子里的苹果树开花了"},
		{EN: "git cherry-pick --continue"},
		{EN: "Cherry-pick currently in progress."},
		{EN: "Trust a key used for signing software"},
		{EN: "Canonical ID", ZH: "Canonical ID"},
		{EN: "the automounter daemon (amd)"},
		{EN: "see http://www.apple.com/support/ and https://sun.example.org/"},
		{EN: "Symbol not found"},
		{EN: "Zoom In"},
		{EN: "Gateway", ZH: "网关"},
		// Placeholders in capitals, parts of a thing after a possessive,
		// another vendor's product (found on held-out catalogues).
		{EN: "Usage: ln [OPTION]... TARGET LINK_NAME", ZH: "用法：ln [选项]... 目标 链接名"},
		{EN: "Usage: run [OPTION]... SHELL COMMAND"},
		{EN: "Offset   Info   Symbol's Value   Symbol's Name + Addend"},
		{EN: "keyboard symbols for Sharp APL on Unix", ZH: "Unix 上 Sharp APL 的键盘符号"},
		{EN: "Sun", ZH: "周日"},
	}
	for _, tt := range tests {
		ps := annotated(t, "2020", tt)
		if p := ps[0]; len(p.Companies) > 0 {
			t.Errorf("Companies(%+v) = %q, want none", tt, p.Companies)
		}
	}
}

// TestCompanyFoundInContext pins vendors the gazetteer lacked or that a
// product or a context names (issue 13).
func TestCompanyFoundInContext(t *testing.T) {
	tests := []struct {
		text Text
		want []string
	}{
		{Text{EN: "German (Sun Type 6/7)", ZH: "德语（Sun Type 6/7）"}, []string{"Sun Microsystems"}},
		{Text{EN: "Sun RPC services need to be active for NFS."}, []string{"Sun Microsystems"}},
		{Text{EN: "Dolby Digital 5.1 audio"}, []string{"Dolby"}},
		{Text{EN: "Commodore 64 audio", ZH: "Commodore 64 音频"}, []string{"Commodore"}},
		{Text{EN: "Logitech Cordless Desktop", ZH: "罗技 Cordless Desktop"}, []string{"Logitech"}},
		{Text{EN: "Compaq Armada laptop", ZH: "康柏 Armada 笔记本电脑"}, []string{"Compaq"}},
		{Text{EN: "Atari 2600 ROM", ZH: "雅达利 2600 ROM"}, []string{"Atari"}},
		{Text{EN: "Sega CD disc image"}, []string{"Sega"}},
		{Text{EN: "Lotus 1-2-3 spreadsheet"}, []string{"Lotus"}},
		{Text{EN: "Portuguese (Brazil, IBM/Lenovo ThinkPad)", ZH: "葡萄牙语（巴西，IBM/联想 ThinkPad）"}, []string{"IBM", "Lenovo"}},
		{Text{EN: "Apple laptop", ZH: "苹果笔记本电脑"}, []string{"Apple"}},
		{Text{ZH: "小米公司发布了新手机。"}, []string{"Xiaomi"}},
		{Text{ZH: "华为、小米和滴滴出行都在其中。"}, []string{"Didi", "Huawei", "Xiaomi"}},
		{Text{EN: "Orange Group announced a deal."}, []string{"Orange"}},
		{Text{EN: "Trust Direct Access keyboard"}, []string{"Trust"}},
		{Text{EN: "Chicony KU-0420", ZH: "群光 KU-0420"}, []string{"Chicony"}},
		{Text{EN: "SGI image", ZH: "SGI 图像"}, []string{"Silicon Graphics"}},
		{Text{EN: "Unrecognized TI COFF target id"}, []string{"Texas Instruments"}},
	}
	for _, tt := range tests {
		ps := annotated(t, "2020", tt.text)
		if got := ps[0].Companies; !slices.Equal(got, tt.want) {
			t.Errorf("Companies(%+v) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestCompanyFromDocumentContext: in a catalogue whose messages make an
// ambiguous name a company (Sun Type 6, Cherry CyMotion), a short label that
// starts with it is one too (issue 13: "Sun key", "Cherry Blue Line"); alone,
// or in a sentence, it is not.
func TestCompanyFromDocumentContext(t *testing.T) {
	tests := []struct {
		texts []Text
		want  []string // of the last passage
	}{
		{[]Text{{EN: "Sun Type 6 (Japanese)"}, {EN: "Sun key compatibility", ZH: "Sun 键盘兼容性"}}, []string{"Sun Microsystems"}},
		{[]Text{{EN: "Sun key compatibility", ZH: "Sun 键盘兼容性"}}, nil},
		{[]Text{{EN: "Sun Type 6 (Japanese)"}, {EN: "Sun rises in the east. It sets in the west."}}, nil},
		{[]Text{{EN: "Sun Type 6 (Japanese)"}, {EN: "SUN"}}, nil},
		{[]Text{{EN: "Cherry CyMotion Expert"}}, []string{"Cherry"}},
		{[]Text{{EN: "Cherry Blue Line CyBo@rd"}}, []string{"Cherry"}},
		{[]Text{{EN: "Cherry CyMotion Expert"}, {EN: "Cherry B.UNLIMITED"}}, []string{"Cherry"}},
		{[]Text{{EN: "Cherry B.UNLIMITED"}}, nil},
		{[]Text{{EN: "Sun Type 6 (Japanese)"}, {EN: "Use the Meta key as Alt"}}, nil},
	}
	for _, tt := range tests {
		ps := annotated(t, "", tt.texts...)
		if got := ps[len(ps)-1].Companies; !slices.Equal(got, tt.want) {
			t.Errorf("Companies(%+v) = %q, want %q", tt.texts, got, tt.want)
		}
	}
}

// TestNoSpeakersInUIStrings: labels and messages of software quote nobody
// (issue 13: "Exit Status", "Processor Specific", "Domain Name" on "DLL
// Name:").
func TestNoSpeakersInUIStrings(t *testing.T) {
	texts := []Text{
		{EN: "Group commands as a unit.\n\nExit Status:\nReturns the status of the last command executed."},
		{EN: "DLL Name: %s\n", ZH: "DLL 名称：%s\n"},
		{EN: "Processor Specific: %d", ZH: "处理器特定：%d"},
		{EN: "Domain Name:", ZH: "域名："},
		{EN: "Other Information:\n", ZH: "其它信息：\n"},
		{EN: `WARNING: "%s" is a deprecated command`, ZH: "警告：“%s” 命令已被弃用"},
		{EN: "for example: POP uses APOP", ZH: "比如说：POP 使用 APOP"},
		{EN: "Background color as a string", ZH: "以字符串方式表示的背景色"},
		{EN: "Label:", ZH: "标签："},
		{EN: "Reply from server: %s", ZH: "服务器回复：%s"},
		{EN: "Usage: %s [OPTION]... TARGET", ZH: "用法：%s [选项]... 目标"},
		{EN: "Translator: Wang Ming", ZH: "译者：王明"},
		{EN: "He said: %s", ZH: "他说：%s"},
	}
	var d Document
	d.ID = "ui"
	for i, tt := range texts {
		d.Passages = append(d.Passages, Passage{ID: PassageID("ui", i), Text: tt})
	}
	NewExtractor(gazForTest(t)).Annotate(&d)
	for _, p := range d.Passages {
		if len(p.Speakers) > 0 {
			t.Errorf("Speakers(%+v) = %q, want none", p.Text, p.Speakers)
		}
	}
}

// TestSpeakersInFiction pins Chinese speakers a novel names its own way:
// names without a listed surname learned from their speech (黑娃), a surname
// and a title (冷先生), a given name for the full name (孝文 → 白孝文), a
// sentence whose person gives the quoted words after other verbs.
func TestSpeakersInFiction(t *testing.T) {
	paras := []string{
		"黑娃说：“我一个人去。”",
		"黑娃说：“走。”孝文说：“好。”鹿兆海说：“我也去。”",
		"黑娃说：“行。”",
		"黑娃气躁躁地问：“你到底要干啥？”",
		"黑娃点点头连声说：“对对的！”",
		"白孝文找到冷先生。冷先生爽朗地说：“你也就圆了面子了！”",
		"“是谁下的这毒手？”孝文问。",
		"孝文说：“我知道。”白孝文又说：“走吧。”孝文笑了。",
		"鹿子霖附和道：“这是实实在在的话。”",
		"鹿兆海吃惊地看见朱先生中指上的血，扑通一声跪下去：“朱先生放心。”",
		"鹿三说：“你出远门到哪达？”",
		"鹿三说：“回来。”",
	}
	want := [][]string{{"黑娃"}, {"白孝文", "鹿兆海", "黑娃"}, {"黑娃"}, {"黑娃"}, {"黑娃"}, {"冷先生"}, {"白孝文"}, {"白孝文"}, {"鹿子霖"}, {"鹿兆海"}, {"鹿三"}, {"鹿三"}}
	var texts []Text
	for _, p := range paras {
		texts = append(texts, Text{ZH: p})
	}
	ps := annotated(t, "", texts...)
	for i, p := range ps {
		if !slices.Equal(p.Speakers, want[i]) {
			t.Errorf("Speakers(%s) = %q, want %q", p.Text.ZH, p.Speakers, want[i])
		}
	}
}

// TestNoJunkSpeakers pins values the surname rule made of ordinary words
// (issue 13: 马勺却, 何人, 郑重).
func TestNoJunkSpeakers(t *testing.T) {
	for _, s := range []string{
		"炉头用马勺却说：“再敲你的脑袋。”",
		"何人说：“谁也不知道。”",
		"朱先生郑重其事地说：“我跟他一搭去。”",
	} {
		ps := annotated(t, "", Text{ZH: s})
		for _, n := range ps[0].Speakers {
			if n == "马勺却" || n == "何人" || n == "郑重" || n == "郑重其" {
				t.Errorf("Speakers(%s) = %q: %q is no name", s, ps[0].Speakers, n)
			}
		}
	}
}
