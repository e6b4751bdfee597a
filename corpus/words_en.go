package corpus

import (
	"strings"
)

var abbreviations = setOf("mr", "mrs", "ms", "dr", "st", "inc", "corp", "co", "ltd", "jr", "sr",
	"no", "vs", "prof", "gov", "sen", "rep", "gen")

// speechVerbs introduce a person's words or views.
var speechVerbs = setOf("said", "says", "wrote", "writes", "believes", "believed", "mentioned",
	"mentions", "responded", "responds", "announced", "announces", "claimed", "claims", "promised",
	"promises", "expressed", "expresses", "stated", "states", "told", "tells", "added", "adds",
	"noted", "notes", "explained", "explains", "argued", "argues", "insisted", "insists", "stressed",
	"stresses", "emphasized", "emphasised", "emphasizes", "emphasises", "revealed", "reveals",
	"admitted", "admits", "warned", "warns", "replied", "replies", "recalled", "recalls",
	"commented", "comments", "acknowledged", "acknowledges", "suggested", "suggests", "predicted",
	"predicts", "confirmed", "confirms", "denied", "denies", "declared", "declares", "remarked",
	"observed", "observes", "urged", "urges", "asserted", "asserts", "vowed", "vows", "pledged",
	"pledges", "conceded", "concedes", "countered", "counters", "concluded", "concludes",
	"complained", "complains", "thinks", "asked", "asks", "answered", "answers", "disclosed",
	"discloses", "tweeted", "praised", "praises", "criticized", "criticised", "criticizes",
	"criticises", "thanked", "thanks", "joked", "quipped", "boasted", "lamented", "laments",
	"stated", "hinted", "speculated", "recounted", "reiterated", "reiterates")

// silent words after a verb of saying mean nothing was said: "said
// nothing", "says little" ("said no" is an answer).
var silent = setOf("nothing", "little")

// firstPerson words make an unquoted passage someone's words.
var firstPerson = setOf("i", "we", "our", "us", "my")

// invertedVerbs stand before the name in ", said Ren Zhengfei".
var invertedVerbs = setOf("said", "says", "added", "wrote", "noted", "explained", "continued",
	"asked", "replied", "recalled")

// speechAdjectives after "was" report speech: "was outspoken".
var speechAdjectives = setOf("outspoken", "blunt", "frank", "candid", "vocal", "adamant",
	"emphatic", "unequivocal", "explicit")

var speechNouns = setOf("speech", "talk", "address", "statement", "interview", "presentation",
	"keynote", "lecture", "remarks", "speeches", "talks")

var adverbs = setOf("also", "once", "then", "further", "again", "still", "even", "later", "soon",
	"recently", "previously", "has", "had", "have", "would", "will", "did", "does", "do", "too",
	"just", "himself", "herself", "earlier", "thus", "therefore", "however", "once", "now")

var notAdverbs = setOf("family", "reply", "supply", "apply", "italy", "july", "rely", "ally",
	"assembly", "monopoly", "anomaly", "early", "holy", "jelly", "belly", "bully", "silly", "fly",
	"only")

func isAdverbWord(w string) bool {
	return adverbs[w] || len(w) >= 5 && strings.HasSuffix(w, "ly") && !notAdverbs[w]
}

// objectWords before a name make it an object or a contrast, not the one
// who speaks: "expressed his gratitude to Trump", "talks with Zhang Yiming",
// "Unlike Ren Zhengfei, who …".
var objectWords = setOf("unlike", "like", "with", "to", "from", "for", "by", "about", "against",
	"than", "at", "on", "of", "between", "among", "toward", "towards", "into", "onto", "upon",
	"without", "despite", "including", "via", "over", "under", "behind", "beyond", "near",
	"around", "through", "thank", "thanked", "thanks", "met", "meet", "meets", "meeting",
	"visited", "visit", "visits", "interviewed", "praised", "criticized", "criticised", "accused",
	"sued", "invited", "told", "asked", "called", "named", "appointed", "replaced", "succeeded",
	"versus", "vs", "whom", "and", "or")

// subjectWords before a name let it be the subject of its clause.
var subjectWords = setOf("that", "when", "while", "but", "and", "as", "because", "although",
	"though", "so", "then", "whereas", "if", "where")

var nameStops = setOf("the", "this", "that", "these", "those", "it", "its", "he", "she", "we",
	"they", "i", "in", "on", "at", "according", "however", "but", "and", "for", "from", "since",
	"by", "after", "before", "when", "while", "if", "as", "of", "to", "with", "during", "under",
	"until", "unlike", "like", "although", "though", "our", "their", "his", "her", "my", "your",
	"a", "an", "there", "here", "then", "so", "yet", "also", "both", "all", "some", "many",
	"most", "why", "what", "who", "how", "where", "which", "january", "february", "march",
	"april", "may", "june", "july", "august", "september", "october", "november", "december",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "compared",
	"different", "according", "once", "over", "up", "now", "today", "yesterday", "meanwhile",
	"besides", "moreover", "still", "even", "only", "just", "no", "not", "one", "two", "every",
	"each", "such", "under", "behind", "between", "within", "without", "through", "because",
	"picture", "source", "video", "photo", "image", "editor", "time")

var titles = setOf("analyst", "professor", "prof", "dr", "mr", "mrs", "ms", "miss", "president",
	"ceo", "cfo", "cto", "coo", "chairman", "chairwoman", "chair", "founder", "cofounder",
	"director", "minister", "secretary", "senator", "governor", "ambassador", "spokesman",
	"spokeswoman", "spokesperson", "economist", "researcher", "expert", "manager", "chief",
	"executive", "vice", "deputy", "general", "premier", "lawyer", "attorney", "judge",
	"reporter", "journalist", "engineer", "scientist", "representative", "rep", "sen", "gov",
	"mayor", "commissioner", "officer", "head", "partner", "investor", "entrepreneur", "sir",
	"lord", "dean", "former", "senior", "co", "founding")

// notNameWords mark a capitalised run as an organisation or a place.
var notNameWords = setOf("times", "post", "journal", "news", "daily", "weekly", "group", "inc",
	"corp", "corporation", "company", "bank", "house", "ministry", "university", "institute",
	"agency", "council", "committee", "department", "office", "court", "congress", "senate",
	"association", "capital", "securities", "research", "review", "street", "exchange",
	"network", "networks", "technologies", "technology", "systems", "holdings", "partners",
	"fund", "foundation", "party", "government", "administration", "federal", "national",
	"international", "global", "united", "states", "america", "american", "americans", "china",
	"chinese", "kingdom", "union", "commission", "board", "authority", "service", "services",
	"media", "press", "channel", "radio", "magazine", "herald", "tribune", "telegraph",
	"guardian", "economist", "motors", "airlines", "labs", "lab", "software", "electronics",
	"silicon", "valley", "wall", "york", "hong", "kong", "beijing", "shanghai", "shenzhen",
	"europe", "european", "africa", "african", "asia", "asian", "pacific", "india", "indian",
	"japan", "japanese", "korea", "korean", "russia", "russian", "germany", "german", "france",
	"french", "britain", "british", "canada", "congo", "moscow", "dallas", "washington",
	"white", "north", "south", "east", "west", "middle", "internet", "app", "apps", "store",
	"expo", "city", "province", "county", "district", "state", "republic", "republican",
	"democrat", "democratic", "ministry", "centre", "center", "school", "college", "academy",
	"hospital", "museum", "airport", "station", "bridge", "river", "lake", "mountain", "island",
	"road", "avenue", "square", "park", "tower", "plaza", "hotel", "conference", "forum",
	"summit", "award", "awards", "prize", "report", "program", "programme", "project", "act",
	"law", "bill", "order", "initiative", "plan", "strategy", "war", "day", "week", "month",
	"year", "google", "apple", "microsoft", "taiwan", "singapore", "israel", "italy", "spain",
	"brazil", "australia", "mexico", "vietnam", "indonesia", "thailand", "malaysia", "wuzhen",
	"tsinghua", "peking", "harvard", "stanford", "oxford", "cambridge", "game", "software",
	"cloud", "data", "ai", "phone", "phones", "mobile", "wireless", "telecom", "communications",
	"security", "cyber", "trade", "economic", "economy", "financial", "finance", "market")

// pinyinSurnames mark a romanised Chinese name, whose surname comes first
// ("Ren Zhengfei" is "Ren" for short, "Mike Pompeo" is "Pompeo").
var pinyinSurnames = setOf("wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu",
	"zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao", "zheng", "liang",
	"xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong",
	"pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren",
	"yao", "shen", "zhong", "cui", "tan", "fan", "wan", "liao", "shi", "jin", "jia", "xia", "fu",
	"fang", "zou", "xiong", "bai", "meng", "qin", "qiu", "hou", "yin", "xue", "duan", "lei",
	"long", "tao", "mao", "hao", "gu", "gong", "shao", "qian", "dai", "yan", "kong", "kang",
	"yi", "qiao", "lai", "wen", "shi", "hong", "xin", "ke", "zhuang", "ge", "qi", "ni", "niu",
	"lan", "yin", "zhu", "ou", "mo", "lei")
