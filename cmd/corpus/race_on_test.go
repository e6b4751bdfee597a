//go:build race

package main

// raceEnabled is true in a -race build, whose shadow memory makes the
// server's RSS no measure of the server's own memory.
const raceEnabled = true
