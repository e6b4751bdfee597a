package index

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// TestStoreRoundTrip writes the essay's passages, several times over so
// that they fill many blocks, in both versions of the store, and reads
// every record back one at a time, in runs, and across block boundaries.
func TestStoreRoundTrip(t *testing.T) {
	docs, err := essayCopies(12)
	if err != nil {
		t.Fatal(err)
	}
	ps := storeOrder(docs)
	want := make([]corpus.Passage, len(ps))
	for i, p := range ps {
		want[i] = *p
	}
	for _, version := range []int{1, 2, 3} {
		path := filepath.Join(t.TempDir(), storeFile)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := encodeStore(f, ps, version); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		s, err := openStore(path, len(ps))
		if err != nil {
			t.Fatalf("version %d: %v", version, err)
		}
		if version >= 2 && (len(s.dict) == 0 || len(s.dict) > storeDict) {
			t.Errorf("version %d: dictionary of %d bytes", version, len(s.dict))
		}
		if s.placed != (version == 3) {
			t.Fatalf("version %d: records placed by the manifest: %v", version, s.placed)
		}
		if version == 3 {
			if _, err := s.passage(0); !errors.Is(err, errStore) {
				t.Errorf("version 3 without the documents' places: %v", err)
			}
			s.places = placesOf(ps)
		}
		if len(s.firsts) < 10 {
			t.Fatalf("version %d: %d blocks; the test needs many", version, len(s.firsts))
		}
		// Every record alone, from the last to the first (no block
		// read in order).
		for i := len(ps) - 1; i >= 0; i-- {
			got, err := s.passage(i)
			if err != nil {
				t.Fatalf("version %d: record %d: %v", version, i, err)
			}
			if diff := cmp.Diff(want[i], got); diff != "" {
				t.Fatalf("version %d: record %d (-want +got):\n%s", version, i, diff)
			}
		}
		// Runs across block boundaries.
		for _, r := range [][2]int{{0, len(ps)}, {int(s.firsts[3]) - 2, int(s.firsts[5]) + 1}, {7, 7}} {
			got, err := s.passages(r[0], r[1])
			if err != nil {
				t.Fatalf("version %d: records %v: %v", version, r, err)
			}
			var ids, wantIDs []string
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			for _, p := range want[r[0]:r[1]] {
				wantIDs = append(wantIDs, p.ID)
			}
			if diff := cmp.Diff(wantIDs, ids); diff != "" {
				t.Errorf("version %d: records %v (-want +got):\n%s", version, r, diff)
			}
		}
		s.Close()
	}
}

// TestStoreDamaged checks that a store whose dictionary or block index is
// damaged is refused when opened, not read wrong.
func TestStoreDamaged(t *testing.T) {
	docs, err := essayCopies(3)
	if err != nil {
		t.Fatal(err)
	}
	ps := storeOrder(docs)
	var good bytes.Buffer
	if err := encodeStore(&good, ps, 3); err != nil {
		t.Fatal(err)
	}
	dictLen := binary.BigEndian.Uint32(good.Bytes()[len(storeMagic):])
	cases := map[string]func(b []byte){
		"dictionary longer than DEFLATE's window": func(b []byte) {
			binary.BigEndian.PutUint32(b[len(storeMagic):], storeDict+1)
		},
		"dictionary shorter than written": func(b []byte) {
			binary.BigEndian.PutUint32(b[len(storeMagic):], dictLen-1)
		},
		"dictionary past the end": func(b []byte) {
			binary.BigEndian.PutUint32(b[len(storeMagic):], 1<<31)
		},
		"unknown version": func(b []byte) {
			copy(b[len(b)-len(storeMagic):], "corpusP9")
		},
	}
	for name, damage := range cases {
		b := bytes.Clone(good.Bytes())
		damage(b)
		path := filepath.Join(t.TempDir(), storeFile)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := openStore(path, len(ps))
		if err == nil {
			s.Close()
			t.Errorf("%s: opened", name)
			continue
		}
		if !errors.Is(err, errStore) {
			t.Errorf("%s: %v, want errStore", name, err)
		}
	}
}

// TestFormat7Generation opens a generation as the previous version wrote
// it (manifest format 7, passage store version 1) and serves it: this
// program reads both, and only writes the new ones.
func TestFormat7Generation(t *testing.T) {
	dir, _, second := twoGenerations(t)
	gen := filepath.Join(dir, second.Generation)
	manPath := filepath.Join(gen, manifestFile)
	man, err := readManifest(gen)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(filepath.Join(gen, storeFile), man.Passages)
	if err != nil {
		t.Fatal(err)
	}
	st.places = manifestPlaces(man)
	ps, err := st.passages(0, man.Passages)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var v1 bytes.Buffer
	ptrs := make([]*corpus.Passage, len(ps))
	for i := range ps {
		ptrs[i] = &ps[i]
	}
	if err := encodeStore(&v1, ptrs, 1); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gen, storeFile), v1.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := fileCRC(t.Context(), filepath.Join(gen, storeFile))
	if err != nil {
		t.Fatal(err)
	}
	man.Format, man.Checksums[storeFile] = 7, sum
	if _, ok := man.Files[storeFile]; ok {
		man.Files[storeFile] = int64(v1.Len())
	}
	b, err := json.Marshal(man)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(gen)
	if err != nil {
		t.Fatalf("format 7 generation: %v", err)
	}
	defer ix.Close()
	if err := ix.WaitVerified(t.Context()); err != nil {
		t.Fatalf("format 7 generation: %v", err)
	}
	r, err := ix.Search(t.Context(), Query{Text: ps[0].Text.Get(corpus.English)})
	if err != nil || r.Total == 0 {
		t.Fatalf("format 7 generation: search: %v, %v", r, err)
	}
	got, err := ix.st.passages(0, man.Passages)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ps, got); diff != "" {
		t.Errorf("format 7 generation: passages differ (-written +read):\n%s", diff)
	}
	// Older formats are refused with ErrFormat.
	man.Format = 6
	b, _ = json.Marshal(man)
	if err := os.WriteFile(manPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(gen); !errors.Is(err, ErrFormat) {
		t.Errorf("format 6 generation: %v, want ErrFormat", err)
	}
}

// TestForeignStore: a generation whose passage store is another
// generation's, of as many passages (its checksum made to match, as if
// the manifest had been written for it), is refused at open: the records'
// words are not those the index holds for their passages.
func TestForeignStore(t *testing.T) {
	dir, first, second := twoGenerations(t)
	gen := filepath.Join(dir, second.Generation)
	b, err := os.ReadFile(filepath.Join(dir, first.Generation, storeFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gen, storeFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	resealManifest(t, gen, 0, storeFile)
	ix, err := Open(gen)
	if err == nil {
		ix.Close()
		t.Fatal("opened a generation with another's passage store")
	}
	if !errors.Is(err, errStore) {
		t.Errorf("%v, want errStore", err)
	}
}

// resealManifest rewrites the manifest of the generation in gen for files
// rewritten since it was written: their checksums and sizes, and the
// format, unless 0.
func resealManifest(t *testing.T, gen string, format int, files ...string) {
	t.Helper()
	man, err := readManifest(gen)
	if err != nil {
		t.Fatal(err)
	}
	if format != 0 {
		man.Format = format
	}
	for _, f := range files {
		path := filepath.Join(gen, f)
		if man.Checksums[f], err = fileCRC(t.Context(), path); err != nil {
			t.Fatal(err)
		}
		if _, ok := man.Files[f]; ok {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			man.Files[f] = fi.Size()
		}
	}
	b, err := json.Marshal(man)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gen, manifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
