//go:build race

package index_test

// raceEnabled is true in a -race build: the oracle tests run fewer queries.
const raceEnabled = true
