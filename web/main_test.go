package web

import (
	"os"
	"sync"
	"testing"
)

// sharedDirs are folders of fixtures built once per test binary and shared
// by its tests. No single test owns them, so t.TempDir cannot clean them
// up; TestMain removes them after the last test.
var sharedDirs struct {
	sync.Mutex
	list []string
}

// sharedTempDir makes a folder that TestMain removes when the tests end.
func sharedTempDir(prefix string) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	sharedDirs.Lock()
	sharedDirs.list = append(sharedDirs.list, dir)
	sharedDirs.Unlock()
	return dir, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	sharedDirs.Lock()
	for _, d := range sharedDirs.list {
		os.RemoveAll(d)
	}
	sharedDirs.Unlock()
	os.Exit(code)
}
