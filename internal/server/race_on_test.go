//go:build race

package server

// raceEnabled: the race detector slows everything ~10x; timing-bound tests
// (load, browser) skip under it.
const raceEnabled = true
