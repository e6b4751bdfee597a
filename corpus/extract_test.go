package corpus

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// annotated builds a document of the given passages (English, Chinese),
// dated date, annotates it and returns its passages.
func annotated(tb testing.TB, date string, texts ...Text) []Passage {
	tb.Helper()
	d := &Document{ID: "t", Date: date}
	for i, t := range texts {
		d.Passages = append(d.Passages, Passage{ID: PassageID("t", i), Doc: "t", Position: i, Section: SectionBody, Text: t})
	}
	NewExtractor(gazForTest(tb)).Annotate(d)
	return d.Passages
}

// en and zh make the passages of a test document; each test looks at the
// facets of the last one.
func en(ss ...string) []Text {
	out := make([]Text, len(ss))
	for i, s := range ss {
		out[i] = Text{EN: s}
	}
	return out
}

func zh(ss ...string) []Text {
	out := make([]Text, len(ss))
	for i, s := range ss {
		out[i] = Text{ZH: s}
	}
	return out
}

func TestAnnotateCompanies(t *testing.T) {
	tests := []struct {
		texts    []Text
		want     []string
		entities []string // checked when not nil
	}{
		{en("Compared with Huawei, byte skipping is much more active."), []string{"ByteDance", "Huawei"}, nil},
		{en("tiktok is popular on youtube and Tiktoks rival is Facebook."), []string{"ByteDance", "Facebook", "Google"},
			[]string{"ByteDance", "Facebook", "Google", "TikTok", "YouTube"}},
		// Groups count for their members; lower-case "bat" only next to one of them.
		{en("BAT is short-sighted."), []string{"Alibaba", "Baidu", "Tencent"}, nil},
		{en("Baidu went public.", "On the other hand, bat is short-sighted."), []string{"Alibaba", "Baidu", "Tencent"}, nil},
		{en("On the other hand, bat is short-sighted."), nil, nil},
		// Weak names need the document to name the entity's family strongly.
		{en("A byte is eight bits."), nil, nil},
		{en("byte will go to U.S. courts.", "TikTok was banned."), []string{"ByteDance"}, nil},
		{en("tiktok grew.", "byte will go to U.S. courts."), []string{"ByteDance"}, nil},
		{en("Ali was listed in New York."), nil, []string{"New York Stock Exchange"}[:0]},
		{en("Alibabas scale grew.", "Ali was listed on the New York Stock Exchange."), []string{"Alibaba"},
			[]string{"Alibaba", "New York Stock Exchange"}},
		{en("After the birth of the 2016 tremble, Tiktok went abroad."), []string{"ByteDance"}, []string{"ByteDance", "Douyin", "TikTok"}},
		// Media, organisations and people are entities, not companies.
		{en("According to the Global Times and CNN, CFIUS ruled against Ren Zhengfei."), nil,
			[]string{"CFIUS", "CNN", "Global Times", "Ren Zhengfei"}},
		{en("HiSilicon designs chips."), []string{"HiSilicon", "Huawei"}, nil},
		{en("Honor sells phones."), []string{"Honor"}, nil},
		{en("wechat users and Alipay users"), []string{"Ant Group", "Tencent"}, nil},
		{zh("字节跳动与华为"), []string{"ByteDance", "Huawei"}, nil},
		{zh("微信用户大多在中国。"), []string{"Tencent"}, []string{"Tencent", "WeChat"}},
		{zh("每个字节八位。"), nil, nil},
		{zh("抖音诞生了。", "字节将诉诸法律。"), []string{"ByteDance"}, nil},
		{zh("據環球時報報道，美國外國投資委員會要求出售。"), nil, []string{"CFIUS", "Global Times"}},
		{zh("華為與騰訊"), []string{"Huawei", "Tencent"}, nil},
		{zh("新浪潮席卷中国移动互联网。"), nil, nil},
		// 考克斯 alone is a surname unless the document names Cox Communications.
		{zh("演员考克斯说了一句话。"), nil, nil},
		{zh("考克斯通信的副总裁。", "华为为考克斯交付网络。"), []string{"Cox", "Huawei"}, nil},
		{zh("诺西收购了资产。"), []string{"Nokia Siemens Networks"}, nil},
		// IT时代周刊 is not Time magazine (issue 20, p078); 〈时代〉 is (p076).
		{zh("8. 《张一鸣硅谷之行》，IT时代周刊，2020年8月6日。"), nil, []string{"IT Times Weekly", "Zhang Yiming"}},
		{zh("6. 《〈时代〉2019年全球最具影响力100人：任正非、张一鸣上榜》，凤凰科技。"), nil,
			[]string{"Phoenix Technology", "Ren Zhengfei", "Time magazine", "Zhang Yiming"}},
		// A weak name on one side is supported by the other side.
		{[]Text{{EN: "byte will go to court.", ZH: "字节跳动将诉诸法律。"}}, []string{"ByteDance"}, nil},
	}
	for _, tt := range tests {
		ps := annotated(t, "2020", tt.texts...)
		p := ps[len(ps)-1]
		if !slices.Equal(p.Companies, tt.want) {
			t.Errorf("Companies(%q) = %q, want %q", tt.texts, p.Companies, tt.want)
		}
		if tt.entities != nil && !slices.Equal(p.Entities, tt.entities) {
			t.Errorf("Entities(%q) = %q, want %q", tt.texts, p.Entities, tt.entities)
		}
		for _, c := range p.Companies {
			if !slices.Contains(p.Entities, c) {
				t.Errorf("Annotate(%q): company %q not among entities %q", tt.texts, c, p.Entities)
			}
		}
	}
}

func TestAnnotateYears(t *testing.T) {
	tests := []struct {
		date  string
		texts []Text
		want  []int
	}{
		{"2020", en("In 2001, China joined the WTO."), []int{2001}},
		{"2020", en("They met at Huaweis Dallas Institute on March 30, 2009."), []int{2009}},
		{"2020", en("In September 2014, Ali was listed."), []int{2014}},
		{"2020", en("the action plan for opening up overseas cultural market (2016-2020)."), []int{2016, 2017, 2018, 2019, 2020}},
		{"2020", en("sales grew from 1990 to 2010."), []int{1990, 2010}},
		{"2020", en("between 2016 and 2018 it grew"), []int{2016, 2017, 2018}},
		{"2020", en("In 2016, 2017 and 2019 it grew."), []int{2016, 2017, 2019}},
		{"2020", en("In the late 1990s, Huawei went to Dallas; the 1980's were different."), []int{1980, 1990}},
		{"2020", en("By 2004, Huawei had 46.2 billion sales; at the end of 2002 and in mid-2019 and 2019-03-30."), []int{2002, 2004, 2019}},
		{"2020", en("In the Q1 phase of 2020, Huawei led."), []int{2020}},
		{"2020", en("After the birth of the 2016 tremble, Tiktok left."), []int{2016}},
		// Numbers that are not years.
		{"2020", en("Huawei has nearly 1000 employees, more than 2250 research and development bases, 85000 patents, " +
			"Top 100, the 22nd Expo, US $1.2 billion, 38 US dollars, 353%, 5g, Q1, the 2.0 strategy and 11500 core patents."), nil},
		{"2020", en("nearly 2000 employees in 2000 cities; the 2000 staff; 2019 was hard; $2019 and 2019% and 1,2019."), nil},
		// Relative years resolve against the focus.
		{"2020", en("In 2001, China joined the WTO. Four years later, baidu went public."), []int{2001, 2005}},
		{"2020", en("In September 2014, Ali was listed.", "In September this year, Zhang Yiming appeared."), []int{2014}},
		{"2020", en("In 2016, cultural trade took off (2016-2020).", "The next year, tiktok set sail."), []int{2017}},
		{"2020", en("In January last year, Ren Zhengfei spoke."), []int{2019}},
		{"2020", en("In 2009 it grew.", "The most important thing in this years Internet industry."), []int{2009}},
		{"2020", en("In 2009 it grew.", "The year before, it fell; a year later it rose; the following year it boomed."), []int{2008, 2010}},
		{"2020", en("In 2014, it began.", "a", "b", "c", "announced in April this year"), []int{2020}},
		{"", en("In 2014, it began.", "a", "b", "c", "announced in April this year"), []int{2014}},
		{"2020", en("In 2001 it began.", "No one expected that 10 years after Google returned, it would end."), nil},
		{"2020", en("In 2001 it began.", "Ten years ago it ended."), []int{2010}},
		{"", en("this year and last year"), nil},
		// Chinese.
		{"2020", zh("2001年，中国加入WTO。"), []int{2001}},
		{"2020", zh("2009年3月30日，两位中年男人握手。"), []int{2009}},
		{"2020", zh("《开拓海外文化市场行动计划（2016—2020年）》"), []int{2016, 2017, 2018, 2019, 2020}},
		{"2020", zh("2016年至2018年"), []int{2016, 2017, 2018}},
		{"2020", zh("20世纪90年代末，华为进入达拉斯；九十年代；80年代"), []int{1980, 1990}},
		{"2020", zh("二〇一九年，华为；２０１８年"), []int{2018, 2019}},
		{"2020", zh("华为在北美拥有近1000名员工，拥有90000多项专利，353%，第22届，5G，2.0战略"), nil},
		{"2020", zh("2001年，中国加入WTO。四年后，百度在美国上市。"), []int{2001, 2005}},
		{"2020", zh("2014年9月，阿里巴巴上市。", "同年9月，张一鸣现身美国。"), []int{2014}},
		{"2020", zh("2016年，文化贸易兴起。", "次年，TikTok出海。"), []int{2017}},
		{"2020", zh("2009年，张一鸣创业。", "这一年，谷歌退出中国。"), []int{2009}},
		{"2020", zh("去年1月，任正非接受采访。"), []int{2019}},
		{"2020", zh("今年以来，明年，前年"), []int{2018, 2020, 2021}},
		{"2020", zh("2001年开始。", "谷歌退回美国10年后，美国押注逆全球化。"), nil},
		{"2020", zh("2001年开始。", "十年前，它结束了。"), []int{2010}},
		{"2020", zh("不同年龄的用户，年轻人，年份"), nil},
	}
	for _, tt := range tests {
		ps := annotated(t, tt.date, tt.texts...)
		if got := ps[len(ps)-1].Years; !slices.Equal(got, tt.want) {
			t.Errorf("Years(%q, date %q) = %v, want %v", tt.texts, tt.date, got, tt.want)
		}
	}
}

// TestAnnotateReferenceYears: a reference's year is its date's year plus the
// years of its title; its "this year" is the year it was published.
func TestAnnotateReferenceYears(t *testing.T) {
	d := &Document{ID: "t", Date: "2020"}
	// The body passage after the references is within focusReach of 2016:
	// the references' years do not move the focus.
	texts := []string{
		"In 2016 it began.",
		"1. Huaweis global enclosure war will usher in a critical moment of transformation this year, China business daily;",
		"The next year it grew.",
		"6. Time: Top 100 most influential people in the world in 2019: Ren Zhengfei and Zhang Yiming on the list, Phoenix technology;",
		"7. Huaweis war this year, global times, March 7, 2019;",
	}
	for i, s := range texts {
		sec := SectionReference
		if i == 0 || i == 2 {
			sec = SectionBody
		}
		d.Passages = append(d.Passages, Passage{ID: PassageID("t", i), Section: sec, Text: Text{EN: s}})
	}
	d.References = []Reference{
		{Number: 1, Date: "2000-04-20", Passage: PassageID("t", 1)},
		{Number: 6, Date: "2019-04-18", Passage: PassageID("t", 3)},
		{Number: 7, Passage: PassageID("t", 4)},
	}
	NewExtractor(gazForTest(t)).Annotate(d)
	want := [][]int{{2016}, {2000}, {2017}, {2019}, {2019}}
	for i, p := range d.Passages {
		if !slices.Equal(p.Years, want[i]) {
			t.Errorf("passage %d %q: Years = %v, want %v", i, p.Text.EN, p.Years, want[i])
		}
	}
}

func TestAnnotateSpeakers(t *testing.T) {
	tests := []struct {
		texts []Text
		want  []string
	}{
		{en("Ren Zhengfei, who came back from an inspection tour in the United States, wrote an essay entitled notes. " +
			"He said: if the Chinese do not go out, they will fall behind."), []string{"Ren Zhengfei"}},
		{en("Guo Ping, Huaweis chairman in office, was outspoken in a press conference with foreign media."), []string{"Guo Ping"}},
		{en("Zhang Xin (pseudonym), an overseas analyst of tiktok, believes that tiktok will surpass Facebook."), []string{"Zhang Xin"}},
		{en("According to Qiu Hao, a researcher at ZTE Research Institute, quoted by the economic reference daily, Nokia gains."), []string{"Qiu Hao"}},
		{en("In the words of Guo Ping, vice chairman of Huawei, going to Russia is a black eye."), []string{"Guo Ping"}},
		{en("On August 4, Kaifu Lee responded directly: it is inconceivable."), []string{"Kai-Fu Lee"}},
		{en("In January last year, Ren Zhengfei, in frequent interviews with Chinese and foreign journalists, specially " +
			"expressed his gratitude to trump for his propaganda. He also promised that Huawei is confident."), []string{"Ren Zhengfei"}},
		{en("Unlike Ren Zhengfei, who expressed his anxiety through his essays, Zhang Yiming summed up the trip and shared his feelings."), []string{"Zhang Yiming"}},
		{en("In an interview with CNN, Ren Zhengfei was equally positive: the bill violated the law."), []string{"Ren Zhengfei"}},
		{en("In Ren Zhengfeis eyes, the United States is the real global market."), []string{"Ren Zhengfei"}},
		{en("On August 5, U.S. Secretary of state pompeio announced the expansion."), []string{"Mike Pompeo"}},
		{en("In June 2018, Zhang Yiming delivered a speech at the 22nd expo, saying that Huawei is a model."), []string{"Zhang Yiming"}},
		{en("Ren Zhengfei and Zhang Yiming said they would not give up."), []string{"Ren Zhengfei", "Zhang Yiming"}},
		{en("The market will recover, said Kenji Tanaka."), []string{"Kenji Tanaka"}},
		// Not speakers: organisations, statements, people merely named.
		{en("Tencent issued a clarification notice in the HKEx, claiming that it was reviewing the order."), nil},
		{en("According to the White House, the executive order is limited to wechat."), nil},
		{en("If the government fails, byte will go to U.S. courts, the statement said."), nil},
		{en("4. Professor Qian Yingyi, Dean of Tsinghua Institute, talks with Zhang Yiming, founder of todays headlines"), nil},
		{en("Ren Zhengfei"), nil},
		{en("In this 20-year war, Ren Zhengfei rarely spoke out."), nil},
		{en("He said it would rain."), nil},
		{en("The New York Times said so, and Silicon Valley said so."), nil},
		// Names not in the gazetteer.
		{en("Kenji Tanaka said the market would recover."), []string{"Kenji Tanaka"}},
		{en("Analyst Zhao Ting said sales fell, and analyst Mary-Ann Smith told reporters otherwise."), []string{"Mary-Ann Smith", "Zhao Ting"}},
		{en("According to Rajiv Menon, the ban will hurt."), []string{"Rajiv Menon"}},
		// Pronouns and surnames continue from earlier passages.
		// Paying tribute and saying nothing quote nobody (issue 20, p024).
		{en("Zhang Yiming paid a long-distance tribute to Huawei."), nil},
		{en("Ren Zhengfei said nothing about it. He says little."), nil},
		// A pronoun reaches back one passage, or further through a passage
		// that is the person's words (first person, or a quotation).
		{en("Zhang Yiming paid a long-distance tribute to Huawei.", "On the other hand, bat is short-sighted. We should fly at low altitude.",
			"At the same time, he gave Huawei praise. He also said that he hoped to go to sea."), []string{"Zhang Yiming"}},
		{en("Zhang Yiming paid a long-distance tribute to Huawei.", "On the other hand, bat is short-sighted."), nil},
		{en("Zhang Yiming founded 99house.", "The company grew.", "The market changed.", "He said it was fine."), nil},
		{en("Ren Zhengfei visited Dallas.", "Ren said the market was open."), []string{"Ren Zhengfei"}},
		{en("Zhang Yiming founded 99house.", "He met Wang Qiong, a partner of Haina Asia.", "He said it was fine."), []string{"Zhang Yiming"}},
		{en("The reporter met Ren Zhengfei in Shenzhen. He said Huawei would survive."), []string{"Ren Zhengfei"}},
		// Chinese.
		{zh("任正非表示，华为不会放弃。"), []string{"Ren Zhengfei"}},
		{zh("從美國考察歸來的任正非寫道：中國人如果不出去看一看，就會落後。"), []string{"Ren Zhengfei"}},
		{zh("华为轮值董事长郭平在面向外媒的发布会上直言不讳：美国无法提供证据。"), []string{"Guo Ping"}},
		{zh("张欣（化名）认为，TikTok会超过Facebook。"), []string{"Zhang Xin"}},
		{zh("据中兴通讯研究院研究员邱浩称，诺基亚将打击华为。"), []string{"Qiu Hao"}},
		{zh("用华为副董事长郭平的话说，去俄罗斯是两眼一抹黑。"), []string{"Guo Ping"}},
		{zh("《经济参考报》援引研究员邱浩的话称，诺基亚将打击华为。"), []string{"Qiu Hao"}},
		{zh("去年1月，任正非在密集接受中外记者采访时，特别对特朗普表示感谢。他还承诺，华为有信心。"), []string{"Ren Zhengfei"}},
		{zh("在接受美国CNN采访时，任正非同样态度积极：这项法案是违法的。"), []string{"Ren Zhengfei"}},
		{zh("在任正非看来，美国才是真正的全球市场；在任正非眼中也是。"), []string{"Ren Zhengfei"}},
		{zh("李开复直接回应：美国无证据指控TikTok不可思议。"), []string{"Kai-Fu Lee"}},
		{zh("任正非、张一鸣都表示不会放弃。"), []string{"Ren Zhengfei", "Zhang Yiming"}},
		{zh("张一鸣在乌镇向华为致敬。"), nil},
		{zh("张一鸣在乌镇向华为致敬。", "“另一方面，BAT很短视。我们应该低空飞行。”", "他还表示，希望积极出海。"), []string{"Zhang Yiming"}},
		{zh("张一鸣在乌镇向华为致敬。", "BAT很短视。", "公司很大。", "他还表示，希望积极出海。"), nil},
		// A colon that opens a quotation after the person (issue 20, p036).
		{zh("2012年，字节跳动成立之初，张一鸣就已为全球化做好了准备：“如果我们不出海，就无法竞争。”"), []string{"Zhang Yiming"}},
		{zh("分析师赵婷表示，市场将复苏。"), []string{"赵婷"}},
		{zh("王小明说：我们会赢。"), []string{"王小明"}},
		{zh("印度分析师拉维·梅农表示，禁令影响有限。"), []string{"拉维·梅农"}},
		{zh("腾讯在港交所发布澄清公告称，正在评估影响。"), nil},
		{zh("声明称，字节跳动将诉诸法律。公司表示，业绩良好。华为方面表示，不予置评。"), nil},
		{zh("据白宫方面称，该行政令仅限于微信。文章称，高管表示，方面表示。"), nil},
		{zh("1994年，任正非带队赴美考察。他迅速确定了全球化战略：三到五年内与国际接轨。"), nil},
		{zh("据说华为很强，这部小说称它为巨头，任正非的女儿表示支持。"), nil},
		{zh("这是任正非和张一鸣的态度。"), nil},
		{zh("《张一鸣硅谷之行：中国科技公司的黄金时代正在到来》"), nil},
		{zh("任正非"), nil},
		// Both sides name the same speaker once.
		{[]Text{{EN: "Ren Zhengfei said it.", ZH: "任正非说了。"}}, []string{"Ren Zhengfei"}},
		// A person the gazetteer lacks, named on both sides of an aligned
		// passage, is one speaker under the English name...
		{[]Text{{EN: `"Service kept us there," said Priya Raman, an analyst.`, ZH: "“服务让我们留了下来。”分析师普丽娅·拉曼说。"}}, []string{"Priya Raman"}},
		{[]Text{{EN: "Ren Zhengfei said the market was open. Analyst Zhao Ting said sales fell.", ZH: "任正非说市场是开放的。分析师赵婷表示，销量下降。"}}, []string{"Ren Zhengfei", "Zhao Ting"}},
		// ... but with two unknown people on a side, who is whom is not
		// known: every name stays.
		{[]Text{{EN: "Analyst Zhao Ting said sales fell, and analyst Mary-Ann Smith told reporters otherwise.", ZH: "分析师赵婷表示销量下降。"}}, []string{"Mary-Ann Smith", "Zhao Ting", "赵婷"}},
	}
	for _, tt := range tests {
		ps := annotated(t, "2020", tt.texts...)
		if got := ps[len(ps)-1].Speakers; !slices.Equal(got, tt.want) {
			t.Errorf("Speakers(%q) = %q, want %q", tt.texts, got, tt.want)
		}
	}
}

// TestAnnotateRepeatable: Annotate replaces facets, it does not add to them.
func TestAnnotateRepeatable(t *testing.T) {
	d := &Document{ID: "t", Date: "2020", Passages: []Passage{
		{ID: "t/p000", Text: Text{EN: "In 2001, Ren Zhengfei said Huawei grew.", ZH: "2001年，任正非说华为成长了。"},
			Companies: []string{"Stale"}, Years: []int{1}, Speakers: []string{"Stale"}, Entities: []string{"Stale"}},
	}}
	x := NewExtractor(gazForTest(t))
	x.Annotate(d)
	first := slices.Clone(d.Passages)
	x.Annotate(d)
	if !reflect.DeepEqual(first, d.Passages) {
		t.Errorf("second Annotate changed the facets: %+v, then %+v", first, d.Passages)
	}
	p := d.Passages[0]
	if !slices.Equal(p.Companies, []string{"Huawei"}) || !slices.Equal(p.Years, []int{2001}) ||
		!slices.Equal(p.Speakers, []string{"Ren Zhengfei"}) || !slices.Equal(p.Entities, []string{"Huawei", "Ren Zhengfei"}) {
		t.Errorf("facets = %q %v %q %q", p.Companies, p.Years, p.Speakers, p.Entities)
	}
	NewExtractor(nil).Annotate(d) // no gazetteer: no change, no panic
	(*Extractor)(nil).Annotate(nil)
}

// FuzzAnnotate checks that any text annotates without panic into sorted,
// deduplicated facets whose companies and gazetteer speakers are entities.
func FuzzAnnotate(f *testing.F) {
	g := gazForTest(f)
	for _, s := range [][2]string{
		{"In 2001, Ren Zhengfei said: byte beat (2016-2020).", "2001年，任正非说：字节跳动（2016—2020年）。"},
		{"He also said", "他还表示"}, {"Kenji Tanaka, CEO, said", "分析师赵婷表示"}, {"the 1990s", "20世纪90年代"},
		{"Four years later", "四年后，二〇一九年，十年前"}, {"According to", "据"}, {"拉维·", "·梅农表示"},
		{"\xffbyte", "用郭平的话说"}, {"In Ren Zhengfeis eyes", "在任正非看来"},
	} {
		f.Add(s[0], s[1])
	}
	x := NewExtractor(g)
	f.Fuzz(func(t *testing.T, en, zh string) {
		d := &Document{ID: "f", Date: "2020", Passages: []Passage{
			{ID: "f/p000", Text: Text{EN: en, ZH: zh}},
			{ID: "f/p001", Section: SectionReference, Text: Text{EN: zh, ZH: en}},
		}}
		d.References = []Reference{{Number: 1, Date: "2019-01-01", Passage: "f/p001"}}
		x.Annotate(d)
		for _, p := range d.Passages {
			for _, list := range [][]string{p.Companies, p.Speakers, p.Entities} {
				if !slices.IsSorted(list) || len(slices.Compact(slices.Clone(list))) != len(list) {
					t.Fatalf("Annotate(%q, %q): facet %q not sorted and unique", en, zh, list)
				}
			}
			if !slices.IsSorted(p.Years) {
				t.Fatalf("Annotate(%q, %q): years %v not sorted", en, zh, p.Years)
			}
			for _, y := range p.Years {
				if y < minYear || y > maxYear {
					t.Fatalf("Annotate(%q, %q): year %d out of range", en, zh, y)
				}
			}
			for _, c := range p.Companies {
				if e, ok := g.Entity(c); !ok || e.Type != EntityCompany || !slices.Contains(p.Entities, c) {
					t.Fatalf("Annotate(%q, %q): company %q is not a company entity of the passage", en, zh, c)
				}
			}
		}
	})
}

// longTexts are inputs on which scans that grew with the square of the text
// took seconds to minutes before they were bounded; they take tens of
// milliseconds now.
var longTexts = map[string]Text{
	"pronouns":    {ZH: strings.Repeat("他说任正非：", 20000)},
	"titles":      {ZH: strings.Repeat("《任正非：", 20000)},
	"coordinated": {EN: strings.Repeat("and Ren Zhengfei said ", 20000)},
	"years":       {EN: strings.Repeat("In 2019, (2016-2020) this year ", 10000), ZH: strings.Repeat("2019年至2020年今年十年后", 10000)},
	"names":       {EN: strings.Repeat("Kenji Tanaka, a, b, (c) ", 20000), ZH: strings.Repeat("拉·维·梅·农表示", 20000)},
}

// TestAnnotateLongText runs the extractor over longTexts. It asserts no
// time (a busy machine makes any limit flaky): a quadratic scan is caught
// by the test binary's deadline, and BenchmarkAnnotateLongText measures.
func TestAnnotateLongText(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	x := NewExtractor(gazForTest(t))
	for name, tx := range longTexts {
		d := &Document{ID: "p", Date: "2020", Passages: []Passage{{ID: "p/p000", Text: tx}}}
		start := time.Now()
		x.Annotate(d)
		t.Logf("%s: Annotate of %d bytes took %v", name, len(tx.EN)+len(tx.ZH), time.Since(start))
	}
}

func BenchmarkAnnotateLongText(b *testing.B) {
	x := NewExtractor(gazForTest(b))
	for name, tx := range longTexts {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(tx.EN) + len(tx.ZH)))
			for b.Loop() {
				x.Annotate(&Document{ID: "p", Date: "2020", Passages: []Passage{{ID: "p/p000", Text: tx}}})
			}
		})
	}
}

// rawEssay reads data/essay.en.txt paragraph by paragraph into a document:
// a stand-in for the real parser, enough to test the extractor on the
// essay's machine-translated English.
func rawEssay(tb testing.TB) *Document {
	tb.Helper()
	data, err := os.ReadFile("data/essay.en.txt")
	if err != nil {
		tb.Fatal(err)
	}
	d := &Document{ID: "essay", Date: "2020"}
	for para := range strings.SplitSeq(string(data), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" || strings.HasPrefix(para, "(function") {
			continue
		}
		sec := SectionBody
		if n, _, ok := strings.Cut(para, ". "); ok && len(n) <= 2 && allDigits(n) {
			sec = SectionReference
		}
		d.Passages = append(d.Passages, Passage{ID: PassageID(d.ID, len(d.Passages)), Doc: d.ID,
			Position: len(d.Passages), Section: sec, Text: Text{EN: para}})
	}
	return d
}

// TestEssayFacetsRaw checks key facets of the raw essay and, with -v, prints
// every paragraph's facets for review.
func TestEssayFacetsRaw(t *testing.T) {
	d := rawEssay(t)
	NewExtractor(gazForTest(t)).Annotate(d)
	var withCompany, withYear, withSpeaker int
	for _, p := range d.Passages {
		if len(p.Companies) > 0 {
			withCompany++
		}
		if len(p.Years) > 0 {
			withYear++
		}
		if len(p.Speakers) > 0 {
			withSpeaker++
		}
		t.Logf("%s %-62.62q C=%v Y=%v S=%v", p.ID, p.Text.EN, p.Companies, p.Years, p.Speakers)
	}
	t.Logf("%d paragraphs: %d with a company, %d with a year, %d with a speaker",
		len(d.Passages), withCompany, withYear, withSpeaker)

	type facets struct {
		companies []string
		years     []int
		speakers  []string
	}
	tests := []struct {
		prefix string
		want   facets
	}{
		{"The history of Huawei and byte", facets{[]string{"ByteDance", "Huawei"}, nil, nil}},
		{"Ren Zhengfei, who came back", facets{nil, nil, []string{"Ren Zhengfei"}}},
		{"In 2001, China joined the WTO", facets{[]string{"Baidu", "Huawei"}, []int{2001, 2005}, nil}},
		{"Two middle-aged men", facets{[]string{"Cox", "Huawei"}, []int{2009}, []string{"Hu Houkun"}}},
		{"Huawei has nearly 1000 employees", facets{[]string{"Huawei"}, nil, nil}},
		{"In September 2014, Ali was listed", facets{[]string{"Alibaba"}, []int{2014}, nil}},
		{"In September this year", facets{[]string{"Airbnb", "ByteDance", "Facebook", "Google", "Tesla", "Y Combinator"}, []int{2014}, nil}},
		{"Unlike Ren Zhengfei", facets{nil, nil, []string{"Zhang Yiming"}}},
		{"During this period, he was asked", facets{nil, nil, []string{"Zhang Yiming"}}},
		{"In 2016, cultural trade", facets{nil, []int{2016, 2017, 2018, 2019, 2020}, nil}},
		{"On August 5, U.S. Secretary", facets{nil, []int{2020}, []string{"Mike Pompeo"}}},
		{"On the other hand, bat is short-sighted", facets{[]string{"Alibaba", "Baidu", "Tencent"}, nil, nil}},
		{"At the same time, he gave Huawei", facets{[]string{"Huawei"}, nil, []string{"Zhang Yiming"}}},
		{"In the words of Guo Ping", facets{[]string{"Huawei"}, nil, []string{"Guo Ping"}}},
		{"Compared with Huawei, byte skipping", facets{[]string{"ByteDance", "Huawei"}, nil, nil}},
		{"Up to now, tiktok has downloaded", facets{[]string{"ByteDance", "Facebook", "Google"}, []int{2020}, []string{"Zhang Xin"}}},
		{"In July 2010, Huawei took part", facets{[]string{"Huawei", "Motorola", "Nokia", "Nokia Siemens Networks", "ZTE"}, []int{2010}, []string{"Qiu Hao"}}},
		{"In this 20-year offensive", facets{[]string{"Huawei", "IDC"}, []int{2020}, nil}},
		{"In January last year", facets{[]string{"Huawei"}, []int{2019}, []string{"Ren Zhengfei"}}},
		{"Guo Ping, Huaweis chairman", facets{[]string{"Huawei"}, nil, []string{"Guo Ping"}}},
		{"In an interview with CNN", facets{[]string{"Huawei"}, nil, []string{"Ren Zhengfei"}}},
		{"This is Ren Zhengfeis and Zhang Yimings", facets{[]string{"ByteDance"}, nil, []string{"Kai-Fu Lee"}}},
		{"On the evening of August 6", facets{[]string{"Tencent"}, nil, nil}},
		{"According to the White House", facets{[]string{"Tencent"}, nil, nil}},
		{"1. Huaweis global enclosure war", facets{[]string{"Huawei"}, []int{2000}, nil}},
		{"4. Professor Qian Yingyi", facets{[]string{"ByteDance"}, []int{2018}, nil}},
	}
	for _, tt := range tests {
		i := slices.IndexFunc(d.Passages, func(p Passage) bool { return strings.HasPrefix(p.Text.EN, tt.prefix) })
		if i < 0 {
			t.Errorf("no paragraph starts with %q", tt.prefix)
			continue
		}
		p := d.Passages[i]
		got := facets{p.Companies, p.Years, p.Speakers}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("paragraph %q:\n got C=%q Y=%v S=%q\nwant C=%q Y=%v S=%q", tt.prefix,
				got.companies, got.years, got.speakers, tt.want.companies, tt.want.years, tt.want.speakers)
		}
		if p := d.Passages[i]; strings.HasPrefix(tt.prefix, "In January last year") && !slices.Contains(p.Entities, "Donald Trump") {
			t.Errorf("paragraph %q: Entities = %q, want Donald Trump among them", tt.prefix, p.Entities)
		}
	}
}

// benchDocument is n passages made of the essay's paragraphs, English with
// Chinese when the translation is there.
func benchDocument(tb testing.TB, n int) *Document {
	tb.Helper()
	ens := rawEssay(tb).Passages
	var zhs []string
	if data, err := os.ReadFile("data/essay.zh.txt"); err == nil {
		for s := range strings.SplitSeq(string(data), "\n\n") {
			if s = strings.TrimSpace(s); s != "" {
				zhs = append(zhs, s)
			}
		}
	}
	d := &Document{ID: "bench", Date: "2020"}
	for i := range n {
		p := Passage{ID: PassageID("bench", i), Section: SectionBody, Text: Text{EN: ens[i%len(ens)].Text.EN}}
		if len(zhs) > 0 {
			p.Text.ZH = zhs[i%len(zhs)]
		}
		d.Passages = append(d.Passages, p)
	}
	return d
}

// BenchmarkAnnotate10k times Annotate on 10k bilingual passages; it
// replaces a test that asserted a time budget (a busy machine made it fail).
// A pathological slowdown (a regexp per call, a quadratic scan) shows here
// as ns/op far above the ~0.1 s per 10k passages measured.
func BenchmarkAnnotate10k(b *testing.B) {
	x := NewExtractor(gazForTest(b))
	d := benchDocument(b, 10000)
	for b.Loop() {
		x.Annotate(d)
	}
	b.ReportMetric(float64(b.N*len(d.Passages))/b.Elapsed().Seconds(), "passages/s")
}
