package corpus

import "testing"

// TestParsePassageID: the IDs PassageID makes parse back to their
// document and position; anything else is not a passage ID.
func TestParsePassageID(t *testing.T) {
	for _, tc := range []struct {
		id  string
		doc string
		pos int
		ok  bool
	}{
		{"essay/p000", "essay", 0, true},
		{"essay/p042", "essay", 42, true},
		{"news-2021/p1234", "news-2021", 1234, true},
		{"华为/p007", "华为", 7, true},
		{"a/p1/p002", "a/p1", 2, true},
		{"essay/p0", "", 0, false},
		{"essay/p0042", "", 0, false},
		{"essay/p-01", "", 0, false},
		{"essay/p+01", "", 0, false},
		{"essay/px01", "", 0, false},
		{"essay/p", "", 0, false},
		{"/p000", "", 0, false},
		{"essay", "", 0, false},
		{"", "", 0, false},
	} {
		doc, pos, ok := ParsePassageID(tc.id)
		if doc != tc.doc || pos != tc.pos || ok != tc.ok {
			t.Errorf("ParsePassageID(%q) = %q, %d, %v; want %q, %d, %v", tc.id, doc, pos, ok, tc.doc, tc.pos, tc.ok)
		}
	}
}

func FuzzParsePassageID(f *testing.F) {
	f.Add("essay", 3)
	f.Add("a/p", 1000)
	f.Fuzz(func(t *testing.T, doc string, pos int) {
		if doc == "" || pos < 0 {
			return
		}
		id := PassageID(doc, pos)
		if d, p, ok := ParsePassageID(id); !ok || d != doc || p != pos {
			t.Errorf("ParsePassageID(%q) = %q, %d, %v", id, d, p, ok)
		}
	})
}
