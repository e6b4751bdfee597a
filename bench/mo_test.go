package bench

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// buildMO writes a catalogue in the GNU MO format, as msgfmt would (without
// a hash table), in the given byte order.
func buildMO(order binary.ByteOrder, msgs []Message) []byte {
	n := len(msgs)
	const header = 28
	origTab := header
	transTab := origTab + 8*n
	data := transTab + 8*n
	var strs []byte
	origs := make([][2]uint32, n)
	trans := make([][2]uint32, n)
	for i, m := range msgs {
		origs[i] = [2]uint32{uint32(len(m.ID)), uint32(data + len(strs))}
		strs = append(append(strs, m.ID...), 0)
	}
	for i, m := range msgs {
		trans[i] = [2]uint32{uint32(len(m.Str)), uint32(data + len(strs))}
		strs = append(append(strs, m.Str...), 0)
	}
	b := make([]byte, data)
	order.PutUint32(b[0:], moMagic)
	order.PutUint32(b[4:], 0)
	order.PutUint32(b[8:], uint32(n))
	order.PutUint32(b[12:], uint32(origTab))
	order.PutUint32(b[16:], uint32(transTab))
	for i := range n {
		order.PutUint32(b[origTab+8*i:], origs[i][0])
		order.PutUint32(b[origTab+8*i+4:], origs[i][1])
		order.PutUint32(b[transTab+8*i:], trans[i][0])
		order.PutUint32(b[transTab+8*i+4:], trans[i][1])
	}
	return append(b, strs...)
}

func TestReadMO(t *testing.T) {
	msgs := []Message{
		{ID: "", Str: "Content-Type: text/plain; charset=UTF-8\n"},
		{ID: "Open File", Str: "打开文件"},
		{ID: "menu\x04Quit", Str: "退出"},
		{ID: "%d file\x00%d files", Str: "%d 个文件\x00%d 个文件们"},
		{ID: "Untranslated", Str: ""},
	}
	want := []Message{
		{ID: "Open File", Str: "打开文件"},
		{ID: "Quit", Str: "退出"},
		{ID: "%d file", Str: "%d 个文件"},
		{ID: "Untranslated", Str: ""},
	}
	for name, order := range map[string]binary.ByteOrder{"little-endian": binary.LittleEndian, "big-endian": binary.BigEndian} {
		got, err := ReadMO(buildMO(order, msgs))
		if err != nil {
			t.Fatalf("%s: ReadMO: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: ReadMO(%q) (-want +got):\n%s", name, msgs, diff)
		}
	}
}

func TestReadMOErrors(t *testing.T) {
	good := buildMO(binary.LittleEndian, []Message{{ID: "a", Str: "甲"}})
	bad := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for name, data := range map[string][]byte{
		"empty":          nil,
		"short header":   good[:20],
		"bad magic":      bad(func(b []byte) []byte { b[0] = 0; return b }),
		"revision 2":     bad(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], 2<<16); return b }),
		"huge count":     bad(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 1<<30); return b }),
		"table outside":  bad(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[12:], 1<<30); return b }),
		"string outside": bad(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[28+4:], 1<<30); return b }),
		"truncated text": good[:len(good)-3],
	} {
		if got, err := ReadMO(data); err == nil {
			t.Errorf("%s: ReadMO = %q, want an error", name, got)
		}
	}
}

// TestReadMOSystemCatalogues reads the machine's Chinese catalogues, the
// benchmark corpus's source, when there are any.
func TestReadMOSystemCatalogues(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(DefaultLocaleDir, "*.mo"))
	if len(files) == 0 {
		t.Skip("no catalogues in " + DefaultLocaleDir)
	}
	pairs := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := ReadMO(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
		}
		for _, m := range msgs {
			if hasHan(m.Str) && strings.TrimSpace(m.ID) != "" {
				pairs++
			}
		}
	}
	if pairs == 0 {
		t.Errorf("%d catalogues hold no English–Chinese pair", len(files))
	}
}

func FuzzReadMO(f *testing.F) {
	f.Add(buildMO(binary.LittleEndian, []Message{{ID: "a", Str: "甲"}, {ID: "b\x00bs", Str: "乙\x00乙们"}}))
	f.Add(buildMO(binary.BigEndian, []Message{{ID: "ctx\x04a", Str: "甲"}}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := ReadMO(data)
		if err != nil {
			return
		}
		for _, m := range msgs {
			if m.ID == "" || strings.Contains(m.ID, "\x00") || strings.Contains(m.Str, "\x00") {
				t.Errorf("ReadMO returned %q: empty or with separators", m)
			}
		}
	})
}
