package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Layout of a data folder:
//
//	CURRENT              name of the live generation, replaced atomically
//	gen-<time>/          one complete generation
//	    bleve/           the bleve index
//	    gazetteer.json   the entities the generation was built with
//	    manifest.json    written last: counts and file sizes for verification
//	.build-<time>/       a build in progress (or the debris of a killed one)
//	build.lock           held (flock) by the one build that may run
const (
	currentFile   = "CURRENT"
	genPrefix     = "gen-"
	buildPrefix   = ".build-"
	lockFile      = "build.lock"
	bleveDir      = "bleve"
	manifestFile  = "manifest.json"
	gazetteerFile = "gazetteer.json"
	// keepGenerations is how many generations a build leaves: the new live
	// one and the one before it, the fallback if the live one is damaged.
	keepGenerations = 2
)

// ErrNoIndex is returned when a data folder holds no usable generation.
var ErrNoIndex = errors.New("no index")

// ErrFormat is returned (wrapped) for a generation written by a version of
// this program that laid the index out differently: it must be rebuilt.
var ErrFormat = errors.New("index written in an older format")

// ErrInUse is returned when another process is building in the data folder.
var ErrInUse = errors.New("index in use")

// newGenerationName returns a name that sorts after every earlier one.
func newGenerationName(now time.Time) string {
	return now.UTC().Format("20060102T150405.000000000")
}

// Current returns the name of the live generation of dataDir, or ErrNoIndex.
func Current(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: %w", dataDir, ErrNoIndex)
	}
	if err != nil {
		return "", fmt.Errorf("read current generation: %w", err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("%s: bad generation name %q", filepath.Join(dataDir, currentFile), name)
	}
	return name, nil
}

// LiveDocuments returns the IDs of the documents in the live generation of
// dataDir, read from its manifest whatever the manifest's format, so that a
// caller can tell what a generation it cannot open held.
func LiveDocuments(dataDir string) ([]string, error) {
	name, err := Current(dataDir)
	if err != nil {
		return nil, err
	}
	docs, err := manifestOrigins(dataDir, name)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.id
	}
	return ids, nil
}

// docOrigin is a document of a manifest: its id and the files it came from.
type docOrigin struct{ id, origin string }

// manifestOrigins reads the documents of generation name's manifest.
func manifestOrigins(dataDir, name string) ([]docOrigin, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, name, manifestFile))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var man struct {
		Documents []struct {
			ID     string `json:"id"`
			Origin string `json:"origin"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		return nil, fmt.Errorf("read manifest of %s: %w", name, err)
	}
	out := make([]docOrigin, len(man.Documents))
	for i, d := range man.Documents {
		out[i] = docOrigin{d.ID, d.Origin}
	}
	return out, nil
}

// generations lists the complete generations of dataDir, newest first.
func generations(dataDir string) ([]string, error) {
	ents, err := os.ReadDir(dataDir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), genPrefix) {
			out = append(out, e.Name())
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out, nil
}

// setCurrent points dataDir at generation gen, atomically: readers see the
// old name or the new one, never a partial file.
func setCurrent(dataDir, gen string) error {
	tmp := filepath.Join(dataDir, currentFile+".tmp")
	if err := writeFileSync(tmp, []byte(gen+"\n")); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dataDir, currentFile)); err != nil {
		return fmt.Errorf("switch generation: %w", err)
	}
	return syncDir(dataDir)
}

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}

func writeJSONSync(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return writeFileSync(path, b)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// lock takes the build lock of dataDir without waiting: builds are rare and
// a second one should say so at once rather than queue.
func lock(dataDir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dataDir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission) {
		return nil, fmt.Errorf("data folder %s is read-only (or not writable by this user); a server can serve from it, a build cannot write to it: %w", dataDir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: another build is running: %w", dataDir, ErrInUse)
		}
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// cleanup removes the debris of killed builds and all but the newest
// generations. The caller holds the build lock, so no build is running.
func cleanup(dataDir, live string) error {
	ents, err := os.ReadDir(dataDir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), buildPrefix) {
			errs = append(errs, os.RemoveAll(filepath.Join(dataDir, e.Name())))
		}
	}
	gens, err := generations(dataDir)
	if err != nil {
		return err
	}
	kept := 0
	for _, g := range gens {
		if g == live || kept < keepGenerations {
			kept++
			continue
		}
		// A server may still have this generation open: on Unix its open
		// files stay readable after removal, and it switches away soon.
		errs = append(errs, os.RemoveAll(filepath.Join(dataDir, g)))
	}
	return errors.Join(errs...)
}

// fileSizes records the size of every file under dir, relative paths.
func fileSizes(dir string) (map[string]int64, error) {
	sizes := map[string]int64{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		sizes[filepath.ToSlash(rel)] = info.Size()
		return nil
	})
	return sizes, err
}

// checkFiles compares the files under dir with the sizes in the manifest.
// Generations are never written after their build and servers open them
// read-only, so any difference means damage.
func checkFiles(dir string, want map[string]int64) error {
	for name, size := range want {
		path := filepath.Join(dir, filepath.FromSlash(name))
		info, err := os.Stat(path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if info.Size() != size {
			return fmt.Errorf("%s: size %d, manifest says %d: file damaged", path, info.Size(), size)
		}
	}
	return nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksums returns the CRC-32C of every file under dir but the manifest,
// by slash-separated path relative to dir.
func checksums(dir string) (map[string]uint32, error) {
	sums := map[string]uint32{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == manifestFile {
			return err
		}
		sum, err := fileCRC(context.Background(), path)
		sums[filepath.ToSlash(rel)] = sum
		return err
	})
	return sums, err
}

// checkSums compares the files under dir with the checksums in the
// manifest. It reads every byte: about 60 ms for 190 MB in the page cache
// on our machines. It stops early when ctx is done.
func checkSums(ctx context.Context, dir string, want map[string]uint32) error {
	for name, sum := range want {
		path := filepath.Join(dir, filepath.FromSlash(name))
		got, err := fileCRC(ctx, path)
		if err != nil {
			return err
		}
		if got != sum {
			return fmt.Errorf("%s: checksum %08x, manifest says %08x: file damaged", path, got, sum)
		}
	}
	return nil
}

func fileCRC(ctx context.Context, path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return h.Sum32(), nil
		}
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", path, err)
		}
	}
}
