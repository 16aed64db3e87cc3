//go:build race

package store

// raceEnabled scales the heavy tests down under the race detector, which
// slows the transpiled SQLite about tenfold.
const raceEnabled = true
