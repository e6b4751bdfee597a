package segment

import "testing"

func TestPersonNames(t *testing.T) {
	isName := PersonNames()
	for _, n := range []string{"白嘉轩", "鹿子霖", "黑娃", "白灵"} {
		if !isName(n) {
			t.Errorf("PersonNames()(%q) = false, want true (gse tags it nr)", n)
		}
	}
	for _, w := range []string{"马勺", "小米", "何人", "郑重", "说"} {
		if isName(w) {
			t.Errorf("PersonNames()(%q) = true, want false", w)
		}
	}
}
