//go:build race

package live

// raceEnabled: the race detector slows everything (the detector's
// evaluations most) several-fold; the end-to-end tests use a smaller
// event and a looser latency bound under it.
const raceEnabled = true
