package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadSourcesLinks reads a folder with symbolic links: links to a
// hidden folder and out of the folder are followed, a link to what is read
// anyway is read once, a loop and a broken link are skipped; each with a
// notice saying so.
func TestReadSourcesLinks(t *testing.T) {
	src, outside := t.TempDir(), t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, at string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(src, at)); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(src, "real", "a.md"), "Alpha.\n")
	write(filepath.Join(src, ".store", "h.md"), "Hidden but linked.\n")
	write(filepath.Join(outside, "o.md"), "From outside.\n")
	link(".store", "stored")
	link(filepath.Join("real", "a.md"), "a-again.md")
	link(".", "loop")
	link(outside, "elsewhere")
	link("nowhere.md", "broken.md")
	link("real", "real-again")

	s, err := ReadSources(t.Context(), []Folder{{Name: "src", FS: os.DirFS(src), Dir: src}}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range s.Documents {
		ids = append(ids, d.ID+" "+d.Origin)
	}
	want := []string{"elsewhere-o src/elsewhere/o.md", "real-a src/real/a.md", "stored-h src/stored/h.md"}
	if !slices.Equal(ids, want) {
		t.Errorf("documents %q, want %q", ids, want)
	}
	realOutside, _ := filepath.EvalSymlinks(outside)
	for _, n := range []string{
		"src/a-again.md: skipped: the same file as src/real/a.md",
		"src/loop: skipped: a link to ",
		"src/elsewhere: a link out of the folder, to " + realOutside + ": followed",
		"src/broken.md: skipped: a link that leads nowhere",
		"src/real-again: skipped: a link to the folder src/real, which is read under its own name",
		"src: 1 hidden files and folders",
	} {
		if !slices.ContainsFunc(s.Notices, func(got string) bool { return strings.HasPrefix(got, n) }) {
			t.Errorf("notices lack %q:\n%s", n, strings.Join(s.Notices, "\n"))
		}
	}
	if len(s.Errors) > 0 {
		t.Errorf("errors %v", s.Errors)
	}
}
