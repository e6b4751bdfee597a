package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/corpus"
)

// twoGens is a data folder with two generations of tinyDocs, built once;
// tests damage copies of it.
var twoGens = sync.OnceValues(func() (twoGensFolder, error) {
	dir, err := sharedTempDir("corpus-index-two-")
	if err != nil {
		return twoGensFolder{}, err
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return twoGensFolder{}, err
	}
	f := twoGensFolder{dir: dir}
	if f.first, err = Build(context.Background(), dir, tinyDocs("one", 20), gaz, BuildOptions{BatchSize: 10}); err != nil {
		return f, err
	}
	f.second, err = Build(context.Background(), dir, tinyDocs("two", 20), gaz, BuildOptions{BatchSize: 10})
	return f, err
})

type twoGensFolder struct {
	dir           string
	first, second BuildStats
}

// twoGenerations returns a new data folder with two generations of
// tinyDocs: the first the fallback, the second live.
func twoGenerations(t testing.TB) (dir string, first, second BuildStats) {
	t.Helper()
	f, err := twoGens()
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(f.dir)); err != nil {
		t.Fatal(err)
	}
	return dir, f.first, f.second
}

// checkServes fails unless live serves generation gen with its passages.
func checkServes(t testing.TB, live *Live, gen, word string) {
	t.Helper()
	if got := live.Stats().Generation; got != gen {
		t.Errorf("serving %s, want %s", got, gen)
	}
	r, err := live.Search(t.Context(), Query{Text: word})
	if err != nil || r.Total != 20 {
		t.Errorf("search %q: %v hits, err %v; want 20", word, r, err)
	}
}

// TestDamagedManifest damages the live generation's manifest in every way
// we could think of: the damage is named at open, the server falls back
// to the previous generation, and with no previous one it refuses rather
// than serve something unverified.
func TestDamagedManifest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(man []byte) []byte // nil deletes the file
		want   string                  // in Open's error
	}{
		{"deleted", nil, manifestFile},
		{"empty", func([]byte) []byte { return nil }, manifestFile},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, manifestFile},
		{"not JSON", func([]byte) []byte { return []byte("\x00\xff garbage") }, manifestFile},
		{"wrong format", func(b []byte) []byte {
			return bytes.Replace(b, fmt.Appendf(nil, `"format": %d`, manifestFormat), []byte(`"format": 99`), 1)
		}, "format 99"},
		{"wrong count", func(b []byte) []byte { return bytes.Replace(b, []byte(`"passages": 20`), []byte(`"passages": 21`), 1) }, "manifest says 21"},
		{"document twice", func(b []byte) []byte {
			var m manifest
			if err := json.Unmarshal(b, &m); err != nil {
				panic(err)
			}
			m.Documents[0].Passages /= 2
			m.Documents = append(m.Documents, m.Documents[0])
			b, _ = json.Marshal(m)
			return b
		}, "listed twice"},
		{"negative passages", func(b []byte) []byte {
			var m manifest
			if err := json.Unmarshal(b, &m); err != nil {
				panic(err)
			}
			m.Documents = append(m.Documents, docRecord{ID: "other", Passages: -1})
			b, _ = json.Marshal(m)
			return b
		}, "-1 passages"},
		{"documents short", func(b []byte) []byte {
			var m manifest
			if err := json.Unmarshal(b, &m); err != nil {
				panic(err)
			}
			m.Documents[0].Passages--
			b, _ = json.Marshal(m)
			return b
		}, "documents hold 19"},
		{"missing file listed", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"files": {`), []byte(`"files": {"store/000000000099.zap": 5,`), 1)
		}, "000000000099.zap"},
		{"no files listed", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"files": {`), []byte(`"nofiles": {`), 1)
		}, manifestFile},
		{"no checksums", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"crc32c": {`), []byte(`"nocrc": {`), 1)
		}, manifestFile},
		{"wrong checksum", func(b []byte) []byte {
			var m manifest
			if err := json.Unmarshal(b, &m); err != nil {
				panic(err)
			}
			m.Checksums[gazetteerFile]++
			b, _ = json.Marshal(m)
			return b
		}, gazetteerFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, first, second := twoGenerations(t)
			path := filepath.Join(dir, second.Generation, manifestFile)
			man, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tc.damage == nil {
				err = os.Remove(path)
			} else {
				damaged := tc.damage(man)
				if bytes.Equal(damaged, man) {
					t.Fatalf("damage %s changed nothing in %s", tc.name, man)
				}
				err = os.WriteFile(path, damaged, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = Open(filepath.Join(dir, second.Generation))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open with manifest %s: error %v, want one naming %q", tc.name, err, tc.want)
			}
			live, err := OpenLive(dir, nil)
			if err != nil {
				t.Fatalf("OpenLive with manifest %s: %v, want the previous generation", tc.name, err)
			}
			defer live.Close()
			checkServes(t, live, first.Generation, "one")

			// Without a previous generation there is nothing verified to serve.
			os.RemoveAll(filepath.Join(dir, first.Generation))
			if l, err := OpenLive(dir, nil); err == nil {
				l.Close()
				t.Errorf("OpenLive with manifest %s and no fallback succeeded", tc.name)
			} else if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("OpenLive with manifest %s and no fallback: %v, want the error naming %q", tc.name, err, tc.want)
			}
		})
	}
}

// TestDamagedCurrent: a CURRENT that is garbage is refused with its path;
// one that names a generation that is not there falls back to the newest
// verified one; a running server keeps its generation either way.
func TestDamagedCurrent(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		fallback      bool // else refused, naming CURRENT
	}{
		{"empty", "", false},
		{"garbage", "\x00\xff\xfe garbage", false},
		{"path", "gen-x/../../etc", false},
		{"parent", "..", false},
		{"truncated name", "gen-2", true},
		{"absent generation", "gen-20991231T000000.000000000\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _, second := twoGenerations(t)
			live, err := OpenLive(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer live.Close()
			if err := os.WriteFile(filepath.Join(dir, currentFile), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			// A running server refuses the new CURRENT either way and keeps
			// serving what it has.
			if switched, err := live.Reload(); switched || err == nil {
				t.Errorf("Reload with CURRENT %q = %v, %v; want an error and no switch", tc.content, switched, err)
			}
			checkServes(t, live, second.Generation, "two")

			l, err := OpenLive(dir, nil)
			switch {
			case tc.fallback && err != nil:
				t.Errorf("OpenLive with CURRENT %q: %v, want the newest verified generation", tc.content, err)
			case tc.fallback:
				checkServes(t, l, second.Generation, "two")
				l.Close()
			case err == nil:
				l.Close()
				t.Errorf("OpenLive with CURRENT %q succeeded, want a refusal", tc.content)
			case !strings.Contains(err.Error(), filepath.Join(dir, currentFile)):
				t.Errorf("OpenLive with CURRENT %q: %v, want an error naming %s", tc.content, err, currentFile)
			}
		})
	}
}

// generationFiles lists the files of generation gen but its manifest.
func generationFiles(gen string) []string {
	var files []string
	filepath.WalkDir(gen, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != manifestFile {
			files = append(files, path)
		}
		return nil
	})
	return files
}

// flipBytes changes two bytes of the file at path without changing its
// size, as bit rot or a bad copy would, until the test ends.
func flipBytes(t *testing.T, path string) {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile(path, orig, 0o644) })
	bad := bytes.Clone(orig)
	for _, at := range []int{len(bad) / 3, len(bad) / 2} {
		bad[at] ^= 0x20
	}
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptedFilesKeepTheirSize flips bytes in each file of the live
// generation without changing its size, as bit rot or a bad copy would:
// the damage must be found at open and named, never served.
func TestCorruptedFilesKeepTheirSize(t *testing.T) {
	dir, first, second := twoGenerations(t)
	gen := filepath.Join(dir, second.Generation)
	files := generationFiles(gen)
	if len(files) < 3 {
		t.Fatalf("generation has only %v", files)
	}
	for _, path := range files {
		rel, _ := filepath.Rel(gen, path)
		t.Run(rel, func(t *testing.T) {
			flipBytes(t, path)
			ix, err := Open(gen)
			if err == nil {
				ix.Close()
				t.Fatalf("Open with %s corrupted (same size) succeeded", rel)
			}
			if !strings.Contains(err.Error(), filepath.Base(path)) {
				t.Errorf("Open with %s corrupted: %v, want an error naming it", rel, err)
			}
			live, err := OpenLive(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer live.Close()
			checkServes(t, live, first.Generation, "one")
		})
	}
}

// TestCorruptedFilesFoundInBackground is TestCorruptedFilesKeepTheirSize
// for a generation large enough that its big files are verified while it
// serves: the damage is found, named, and the server moves to the previous
// generation by itself.
func TestCorruptedFilesFoundInBackground(t *testing.T) {
	defer func(a, b int64) { verifyInlineBytes, smallFileBytes = a, b }(verifyInlineBytes, smallFileBytes)
	verifyInlineBytes, smallFileBytes = 0, 0 // every file verified in the background

	dir, first, second := twoGenerations(t)
	gen := filepath.Join(dir, second.Generation)
	files := generationFiles(gen)
	backgroundFound := 0
	for _, path := range files {
		rel, _ := filepath.Rel(gen, path)
		t.Run(rel, func(t *testing.T) {
			flipBytes(t, path)
			// Some damage stops Open itself (a bolt page, the gazetteer);
			// the rest must be found by the background check.
			if ix, err := Open(gen); err == nil {
				verr := ix.WaitVerified(t.Context())
				ix.Close()
				if verr == nil || !strings.Contains(verr.Error(), filepath.Base(path)) {
					t.Fatalf("background verification with %s corrupted: %v, want an error naming it", rel, verr)
				}
				backgroundFound++
			}
			live, err := OpenLive(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer live.Close()
			for deadline := time.Now().Add(10 * time.Second); live.Stats().Generation != first.Generation && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			checkServes(t, live, first.Generation, "one")
			// CURRENT still names the damaged generation: Reload must not
			// go back to it.
			if _, err := live.Reload(); err != nil {
				t.Fatal(err)
			}
			checkServes(t, live, first.Generation, "one")
		})
	}
	if backgroundFound == 0 {
		t.Error("no damage was left to the background verification")
	}
}

// essayDocs returns the embedded essay, which is big enough to need real
// disk space.
func essayDocs(t testing.TB) []*corpus.Document {
	t.Helper()
	d, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	return []*corpus.Document{d}
}

// mountTmpfs mounts a tmpfs of size bytes on a new folder, or skips the
// test where mounting is not allowed (not root, no CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a filler file into dir until only about leave bytes are free.
func fillDisk(t *testing.T, dir string, leave int64) string {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * st.Bsize
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := max(free-leave, 0)
	chunk := make([]byte, 64<<10)
	for n > 0 {
		w, err := f.Write(chunk[:min(int64(len(chunk)), n)])
		n -= int64(w)
		if err != nil {
			break // full already: fine
		}
	}
	return path
}

// TestFullDisk builds the essay on a small tmpfs, fills the disk to within
// a few bytes of full and builds again: the build fails saying the disk is
// full, leaves no debris, and the live generation is untouched and
// served; once there is room, the next build succeeds.
func TestFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	docs := essayDocs(t)
	gaz := testGazetteer(t)
	for _, leave := range []int64{0, 64 << 10, 256 << 10} {
		t.Run(fmt.Sprintf("%dKiB free", leave>>10), func(t *testing.T) {
			dir := mountTmpfs(t, 2<<20)
			first, err := Build(t.Context(), dir, docs, gaz, BuildOptions{})
			if err != nil {
				t.Fatalf("first build on an empty 2 MiB tmpfs: %v", err)
			}
			live, err := OpenLive(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer live.Close()
			before, _ := live.Search(t.Context(), Query{Text: "华为"})
			filler := fillDisk(t, dir, leave)

			_, err = Build(t.Context(), dir, docs, gaz, BuildOptions{})
			if err == nil {
				t.Fatal("build on a full disk succeeded")
			}
			t.Logf("build with %d KiB free: %v", leave>>10, err)
			// bleve flattens some errors to text, so errors.Is(err,
			// syscall.ENOSPC) does not always hold; the message does.
			if !strings.Contains(err.Error(), "no space left on device") {
				t.Errorf("build on a full disk: %v, want an error saying no space is left", err)
			}
			if cur, _ := Current(dir); cur != first.Generation {
				t.Errorf("CURRENT = %s after the failed build, want %s", cur, first.Generation)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, buildPrefix+"*")); len(left) > 0 {
				t.Errorf("failed build left %v", left)
			}
			if switched, err := live.Reload(); switched || err != nil {
				t.Errorf("Reload after the failed build = %v, %v", switched, err)
			}
			after, err := live.Search(t.Context(), Query{Text: "华为"})
			if err != nil || before == nil || after.Total != before.Total || after.Total == 0 {
				t.Errorf("search after the failed build: %v hits, err %v; before %v", after, err, before)
			}
			l2, err := OpenLive(dir, nil)
			if err != nil {
				t.Fatalf("reopen after the failed build: %v", err)
			}
			l2.Close()

			os.Remove(filler)
			st, err := Build(t.Context(), dir, docs, gaz, BuildOptions{})
			if err != nil {
				t.Fatalf("build after freeing space: %v", err)
			}
			if cur, _ := Current(dir); cur != st.Generation {
				t.Errorf("CURRENT = %s after the next build, want %s", cur, st.Generation)
			}
		})
	}
}

// TestReadOnlyDataFolder serves from a read-only mount of a data folder
// (root ignores file modes, a read-only mount binds root too): the index
// opens, searches and reloads; a build refuses at once, saying the folder
// is read-only.
func TestReadOnlyDataFolder(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a read-only bind mount needs root")
	}
	dir, _, second := twoGenerations(t)
	ro := t.TempDir()
	if out, err := exec.Command("mount", "--bind", dir, ro).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount: %v %s", err, out)
	}
	defer exec.Command("umount", ro).Run()
	if out, err := exec.Command("mount", "-o", "remount,bind,ro", ro).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(ro, "probe"), nil, 0o644); !errors.Is(err, syscall.EROFS) {
		t.Fatalf("writing to the read-only mount: %v, want EROFS", err)
	}

	live, err := OpenLive(ro, nil)
	if err != nil {
		t.Fatalf("OpenLive on a read-only folder: %v", err)
	}
	defer live.Close()
	checkServes(t, live, second.Generation, "two")
	if _, err := live.Reload(); err != nil {
		t.Errorf("Reload on a read-only folder: %v", err)
	}

	_, err = Build(t.Context(), ro, tinyDocs("three", 3), testGazetteer(t), BuildOptions{})
	t.Logf("build on a read-only folder: %v", err)
	if err == nil || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), ro) {
		t.Errorf("Build on a read-only folder: %v, want an error saying %s is read-only", err, ro)
	}
	checkServes(t, live, second.Generation, "two")
}
