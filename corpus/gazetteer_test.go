package corpus

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func gazForTest(tb testing.TB) *Gazetteer {
	tb.Helper()
	g, err := DefaultGazetteer()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

func TestGazetteerCompanies(t *testing.T) {
	g := gazForTest(t)
	n := 0
	for _, e := range g.Entities() {
		if e.Type == EntityCompany {
			n++
		}
	}
	if n < 150 {
		t.Errorf("gazetteer has %d companies, want at least 150", n)
	}
	t.Logf("%d entities, %d companies", len(g.Entities()), n)
}

// TestGazetteerReferences checks that every parent and group member names a
// company of the gazetteer, so the company facet never holds a dangling name.
func TestGazetteerReferences(t *testing.T) {
	g := gazForTest(t)
	for _, e := range g.Entities() {
		if e.Type == EntityProduct && e.Parent == "" {
			t.Errorf("product %q has no parent", e.Name)
		}
		refs := e.Members
		if e.Parent != "" {
			refs = append(slices.Clone(refs), e.Parent)
		}
		for _, r := range refs {
			p, ok := g.Entity(r)
			if !ok || p.Type != EntityCompany {
				t.Errorf("%s %q refers to %q, which is not a company of the gazetteer", e.Type, e.Name, r)
			}
		}
		if e.Type == EntityGroup && len(e.Members) < 2 {
			t.Errorf("group %q has %d members", e.Name, len(e.Members))
		}
	}
}

// TestGazetteerEssayEntities pins the canonical names and types the essay
// needs; other packages and the UI show these names.
func TestGazetteerEssayEntities(t *testing.T) {
	g := gazForTest(t)
	want := map[EntityType][]string{
		EntityCompany: {"Huawei", "ByteDance", "Tencent", "Alibaba", "Baidu", "Google", "Facebook",
			"Twitter", "Cisco", "3Com", "Motorola", "Nokia", "Ericsson", "Lucent", "Siemens", "ZTE",
			"Cox", "Leap Wireless", "Sprint Nextel", "Yahoo", "Amazon", "eBay", "Airbnb", "Tesla",
			"Y Combinator", "Nokia Siemens Networks", "Huatai Securities", "Piper Sandler", "IDC",
			"Haina Asia", "99house", "Xiaomi", "Lenovo", "Oppo", "Vivo", "OnePlus", "Honor",
			"HiSilicon", "SMIC", "TSMC", "Foxconn", "Qualcomm", "Intel", "Apple", "Microsoft",
			"Samsung", "IBM", "Meituan", "Didi", "JD.com", "Pinduoduo", "NetEase", "Kuaishou", "DJI",
			"BYD", "CATL", "Sony", "Panasonic", "SoftBank", "LG", "SK Hynix", "MediaTek", "ASUS",
			"Acer", "Infosys", "Tata Consultancy Services", "Wipro", "Reliance Jio", "Nvidia", "AMD",
			"Oracle", "SAP", "ASML", "Arm", "Vodafone", "Deutsche Telekom", "Orange", "China Mobile",
			"China Unicom", "China Telecom", "Sina", "Sohu", "iFlytek", "SenseTime", "Ant Group",
			"Xiaohongshu", "Bilibili", "Zoom", "Uber", "Netflix"},
		EntityProduct: {"TikTok", "Douyin", "Toutiao", "WeChat", "YouTube", "Flipagram", "Instagram",
			"WhatsApp", "Weibo", "Alipay", "Taobao", "Tmall", "QQ"},
		EntityPerson: {"Ren Zhengfei", "Zhang Yiming", "Guo Ping", "Hu Houkun", "Xu Zhijun",
			"Kai-Fu Lee", "Mike Pompeo", "Zhang Xin", "Qiu Hao", "Li Ziqi", "Jack Ma", "Donald Trump",
			"Qian Yingyi", "Wang Qiong", "Stephen Bye"},
		EntityMedia: {"China Business Daily", "Economic Observer", "Economic Reference Daily",
			"Global Times", "CNN", "GeekPark", "Time magazine", "IT Times Weekly"},
		EntityOrg:   {"CFIUS"},
		EntityGroup: {"BAT"},
	}
	for typ, names := range want {
		for _, n := range names {
			e, ok := g.Entity(n)
			if !ok {
				t.Errorf("Entity(%q) missing", n)
				continue
			}
			if e.Type != typ {
				t.Errorf("Entity(%q).Type = %q, want %q", n, e.Type, typ)
			}
		}
	}
	parents := map[string]string{"TikTok": "ByteDance", "Douyin": "ByteDance", "Toutiao": "ByteDance",
		"Flipagram": "ByteDance", "WeChat": "Tencent", "YouTube": "Google", "HiSilicon": "Huawei",
		"Alipay": "Ant Group", "Taobao": "Alibaba", "Tmall": "Alibaba", "QQ": "Tencent", "Weibo": "Sina",
		"Instagram": "Facebook", "WhatsApp": "Facebook", "Honor": ""}
	for n, want := range parents {
		if e, _ := g.Entity(n); e.Parent != want {
			t.Errorf("Entity(%q).Parent = %q, want %q", n, e.Parent, want)
		}
	}
	if e, _ := g.Entity("BAT"); !reflect.DeepEqual(e.Members, []string{"Baidu", "Alibaba", "Tencent"}) {
		t.Errorf("BAT members = %v", e.Members)
	}
}

// mention is a wanted Find result: the entity and the text it covers.
type mention struct{ entity, text string }

func TestFind(t *testing.T) {
	g := gazForTest(t)
	tests := []struct {
		text string
		want []mention
	}{
		{"Huawei and Cisco signed.", []mention{{"Huawei", "Huawei"}, {"Cisco", "Cisco"}}},
		{"HUAWEI, huawei, Ｈｕａｗｅｉ", []mention{{"Huawei", "HUAWEI"}, {"Huawei", "huawei"}, {"Huawei", "Ｈｕａｗｅｉ"}}},
		// Possessives: apostrophe-less on the word, with an apostrophe before it.
		{"Huaweis share, Ciscos rival, Tiktoks users", []mention{{"Huawei", "Huaweis"}, {"Cisco", "Ciscos"}, {"TikTok", "Tiktoks"}}},
		{"Huawei's and Huawei’s", []mention{{"Huawei", "Huawei"}, {"Huawei", "Huawei"}}},
		{"Ren Zhengfeis eyes", []mention{{"Ren Zhengfei", "Ren Zhengfeis"}}},
		// Whole words only, and no stripped s on short names.
		{"a combat in the alibi of Alibis and bats", nil},
		{"Ali was listed; bat is short-sighted; BAT firms", []mention{{"Alibaba", "Ali"}, {"BAT", "bat"}, {"BAT", "BAT"}}},
		{"Ali Baba and Alibaba", []mention{{"Alibaba", "Ali Baba"}, {"Alibaba", "Alibaba"}}},
		// Garbled machine translations.
		{"byte beat, byte skipping, Byte hop, byte jump, bytes strategy", []mention{
			{"ByteDance", "byte beat"}, {"ByteDance", "byte skipping"}, {"ByteDance", "Byte hop"},
			{"ByteDance", "byte jump"}, {"ByteDance", "bytes"}}},
		{"the foundation for todays headlines and today’s headlines", []mention{{"Toutiao", "todays headlines"}, {"Toutiao", "today’s headlines"}}},
		{"Kai-Fu Lee, Kai Fu Lee and Kaifu Lee", []mention{{"Kai-Fu Lee", "Kai-Fu Lee"}, {"Kai-Fu Lee", "Kai Fu Lee"}, {"Kai-Fu Lee", "Kaifu Lee"}}},
		// Longest name wins; joiners must agree ("at T" is not AT&T).
		{"Nokia Siemens Networks and Nokia", []mention{{"Nokia Siemens Networks", "Nokia Siemens Networks"}, {"Nokia", "Nokia"}}},
		{"AT&T, AT & T, and at T-Mobile", []mention{{"AT&T", "AT&T"}, {"AT&T", "AT & T"}, {"T-Mobile", "T-Mobile"}}},
		{"y combinator, sprint Nextel, 3Com, 99house", []mention{{"Y Combinator", "y combinator"},
			{"Sprint Nextel", "sprint Nextel"}, {"3Com", "3Com"}, {"99house", "99house"}}},
		// Cased names.
		{"an apple pie, a sprint, Apple and APPLE", []mention{{"Apple", "Apple"}, {"Apple", "APPLE"}}},
		// Chinese: substrings, leftmost-longest, traditional forms, Latin next to Han.
		{"字节跳动与字节", []mention{{"ByteDance", "字节跳动"}, {"ByteDance", "字节"}}},
		{"華為與騰訊，張一鳴和任正非", []mention{{"Huawei", "華為"}, {"Tencent", "騰訊"}, {"Zhang Yiming", "張一鳴"}, {"Ren Zhengfei", "任正非"}}},
		{"TikTok的用户和抖音的用户", []mention{{"TikTok", "TikTok"}, {"Douyin", "抖音"}}},
		{"新浪微博和新浪", []mention{{"Weibo", "新浪微博"}, {"Sina", "新浪"}}},
		{"京东方和京东", []mention{{"BOE", "京东方"}, {"JD.com", "京东"}}},
		{"B站", []mention{{"Bilibili", "B站"}}},
		// Blockers: a new wave is not Sina, China's mobile internet is not China Mobile.
		{"新浪潮与中国移动互联网", nil},
		{"In vivo tests, a meta-analysis and the trump card; Meta bought it.", []mention{{"Facebook", "Meta"}}},
		{"intel on Intel", []mention{{"Intel", "Intel"}}},
		// Short and variant forms (issue 20).
		{"诺西收购了摩托罗拉无线业务", []mention{{"Nokia Siemens Networks", "诺西"}, {"Motorola", "摩托罗拉"}}},
		{"庞佩奥和蓬佩奥", []mention{{"Mike Pompeo", "庞佩奥"}, {"Mike Pompeo", "蓬佩奥"}}},
		{"考克斯通信和考克斯", []mention{{"Cox", "考克斯通信"}, {"Cox", "考克斯"}}},
		// Time is a bracketed title; a publication name that ends a longer
		// name is not that publication.
		{"《〈时代〉2019年全球最具影响力100人》，美国《时代》周刊，《时代周刊》", []mention{
			{"Time magazine", "〈时代〉"}, {"Time magazine", "《时代》周刊"}, {"Time magazine", "时代周刊"}}},
		{"新时代的中国", nil},
		{"IT时代周刊，ABC时代周刊，《财经时代周刊》", []mention{{"IT Times Weekly", "IT时代周刊"}}},
		{"", nil},
	}
	for _, tt := range tests {
		got := g.Find(tt.text)
		if err := checkMentions(tt.text, got, tt.want); err != nil {
			t.Errorf("Find(%q) = %v: %v", tt.text, got, err)
		}
	}
}

// checkMentions compares got with want, each wanted text being the next
// occurrence after the previous mention.
func checkMentions(text string, got []Mention, want []mention) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d mentions, want %d %v", len(got), len(want), want)
	}
	from := 0
	for i, w := range want {
		at := strings.Index(text[from:], w.text)
		if at < 0 {
			return fmt.Errorf("test bug: %q not in text after %d", w.text, from)
		}
		start := from + at
		g := got[i]
		if g.Entity != w.entity || g.Start != start || g.End != start+len(w.text) {
			return fmt.Errorf("mention %d = %q [%d,%d) %q, want %q [%d,%d) %q", i, g.Entity, g.Start, g.End,
				text[g.Start:g.End], w.entity, start, start+len(w.text), w.text)
		}
		from = g.End
	}
	return nil
}

func TestLookup(t *testing.T) {
	g := gazForTest(t)
	tests := []struct {
		in   string
		want []string
	}{
		{"华为", []string{"Huawei"}},
		{"華為", []string{"Huawei"}},
		{"Huawei", []string{"Huawei"}},
		{"HUAWEI", []string{"Huawei"}},
		{"Huaweis", []string{"Huawei"}},
		{"Huawei's", []string{"Huawei"}},
		{"huawei’s", []string{"Huawei"}},
		{" Ｈｕａｗｅｉ ", []string{"Huawei"}},
		{"byte beat", []string{"ByteDance"}},
		{"Byte   Beat", []string{"ByteDance"}},
		{"byte", []string{"ByteDance"}},
		{"字节 跳动", []string{"ByteDance"}},
		{"抖音", []string{"Douyin"}},
		{"TikTok", []string{"TikTok"}},
		{"tiktoks", []string{"TikTok"}},
		{"Kai Fu Lee", []string{"Kai-Fu Lee"}},
		{"lee kai-fu", []string{"Kai-Fu Lee"}},
		{"任正非", []string{"Ren Zhengfei"}},
		{"bat", []string{"BAT"}},
		{"apple", []string{"Apple"}},
		{"b站", []string{"Bilibili"}},
		{"bats", nil},
		{"Alis", nil},
		{"nothing at all", nil},
		{"", nil},
		{"新浪潮", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range g.Lookup(tt.in) {
			got = append(got, e.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Lookup(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLabelAndChineseNames(t *testing.T) {
	g := gazForTest(t)
	for name, want := range map[string]string{"Huawei": "华为", "ByteDance": "字节跳动", "Ren Zhengfei": "任正非",
		"Oppo": "", "No Such Entity": ""} {
		if got := g.Label(name); got != want {
			t.Errorf("Label(%q) = %q, want %q", name, got, want)
		}
	}
	names := g.ChineseNames()
	if !slices.IsSorted(names) {
		t.Error("ChineseNames not sorted")
	}
	for _, want := range []string{"字节跳动", "字节", "華為", "任正非", "张一鸣", "張一鳴", "抖音", "B站"} {
		if _, ok := slices.BinarySearch(names, want); !ok {
			t.Errorf("ChineseNames lacks %q", want)
		}
	}
	for _, n := range names {
		if !hasCJK(n) {
			t.Errorf("ChineseNames has %q, which has no Chinese", n)
		}
	}
}

func TestLoadGazetteerErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"syntax", `[{"name": "A", "type": "company"`, "parse gazetteer"},
		{"no entities", `{"about": "x"}`, "no entities"},
		{"unknown field", `[{"name": "Acme", "type": "company", "zhs": ["x"]}]`, `"Acme"`},
		{"unknown type", `[{"name": "Acme", "type": "firm"}]`, `"Acme": unknown type`},
		{"empty name", `[{"name": " ", "type": "company"}]`, "empty name"},
		{"twice", `[{"name": "Acme", "type": "company"}, {"name": "Acme", "type": "company"}]`, "defined twice"},
		{"product without parent", `[{"name": "Widget", "type": "product"}]`, `"Widget": a product needs a parent`},
		{"parent not company", `[{"name": "Widget", "type": "product", "parent": "Bob"}, {"name": "Bob", "type": "person"}]`, `parent "Bob"`},
		{"member unknown", `[{"name": "AB", "type": "group", "members": ["A", "B"]}, {"name": "A", "type": "company"}]`, `member "B"`},
		{"shared name", `[{"name": "Acme", "type": "company", "aliases": ["ACME Corp"]}, {"name": "Acme Corp", "type": "company"}]`, `also names`},
		{"blocker is a name", `{"blockers": ["Acme"], "entities": [{"name": "Acme", "type": "company"}]}`, "blocker"},
		{"cycle", `[{"name": "A", "type": "company", "parent": "B"}, {"name": "B", "type": "company", "parent": "A"}]`, "cycle"},
		{"cased Chinese", `[{"name": "Acme", "type": "company", "cased": ["艾克米"]}]`, "not Latin"},
	}
	for _, tt := range tests {
		_, err := LoadGazetteer(strings.NewReader(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: LoadGazetteer error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestGazetteerJSONRoundTrip(t *testing.T) {
	g := gazForTest(t)
	var buf bytes.Buffer
	if err := g.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	g2, err := LoadGazetteer(&buf)
	if err != nil {
		t.Fatalf("LoadGazetteer(WriteJSON output): %v", err)
	}
	if !reflect.DeepEqual(g.Entities(), g2.Entities()) {
		t.Error("entities differ after WriteJSON and LoadGazetteer")
	}
	if !slices.Equal(g.blockers, g2.blockers) {
		t.Errorf("blockers = %v, want %v", g2.blockers, g.blockers)
	}
	arr, err := LoadGazetteer(strings.NewReader(`[{"name": "Acme", "type": "company", "zh": ["艾克米"]}]`))
	if err != nil {
		t.Fatalf("array form: %v", err)
	}
	if got := arr.Find("艾克米 and ACME"); len(got) != 2 {
		t.Errorf("array-form gazetteer Find = %v, want 2 mentions", got)
	}
}

func TestMerge(t *testing.T) {
	g := gazForTest(t)
	m := g.Merge([]Entity{
		{Name: "Huawei", Type: EntityCompany, ZH: []string{"华为公司"}},
		{Name: "Beat Labs", Type: EntityCompany, Aliases: []string{"byte beat"}},
		{Name: "", Type: EntityCompany},
	})
	if e, _ := m.Entity("Huawei"); !slices.Equal(e.ZH, []string{"华为公司"}) {
		t.Errorf("merged Huawei ZH = %v, want the extra's", e.ZH)
	}
	if got := m.Find("byte beat"); len(got) != 1 || got[0].Entity != "Beat Labs" {
		t.Errorf("merged Find(byte beat) = %v, want Beat Labs", got)
	}
	if got := m.Find("华为"); len(got) != 0 {
		t.Errorf("merged Find(华为) = %v, want none: the extra Huawei replaced its names", got)
	}
	if len(m.Entities()) != len(g.Entities())+1 {
		t.Errorf("merged has %d entities, want %d", len(m.Entities()), len(g.Entities())+1)
	}
	if got := g.Find("byte beat"); len(got) != 1 || got[0].Entity != "ByteDance" {
		t.Errorf("Merge changed the original: Find(byte beat) = %v", got)
	}
}

// TestEntitiesAreCopies checks that callers cannot change the gazetteer.
func TestEntitiesAreCopies(t *testing.T) {
	g := gazForTest(t)
	e, _ := g.Entity("Huawei")
	e.ZH[0] = "changed"
	if g.Label("Huawei") != "华为" {
		t.Error("changing a returned Entity changed the gazetteer")
	}
}

func FuzzFind(f *testing.F) {
	g := gazForTest(f)
	for _, s := range []string{"Huawei's byte beat and 字节跳动", "Huaweis", "華為与BAT", "Kai-Fu Lee", "AT&T",
		"新浪潮", "B站", "Ｈｕａｗｅｉ", "\xff\xfeHuawei", "ali\u0301", "byte\u00a0beat"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms := g.Find(text)
		// Rune boundaries as decoding sees them: an invalid byte is a rune of its own.
		bounds := map[int]bool{len(text): true}
		for i := range text {
			bounds[i] = true
		}
		end := 0
		for _, m := range ms {
			if m.Start < end || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("Find(%q): bad or overlapping span %v in %v", text, m, ms)
			}
			if !bounds[m.Start] || !bounds[m.End] {
				t.Fatalf("Find(%q): span %v not on rune boundaries", text, m)
			}
			if _, ok := g.Entity(m.Entity); !ok {
				t.Fatalf("Find(%q): unknown entity %q", text, m.Entity)
			}
			end = m.End
		}
	})
}

func BenchmarkFind(b *testing.B) {
	g := gazForTest(b)
	data, err := os.ReadFile("data/essay.en.txt")
	if err != nil {
		b.Fatal(err)
	}
	paras := strings.Split(string(data), "\n\n")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for _, p := range paras {
			g.Find(p)
		}
	}
}
