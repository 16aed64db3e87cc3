package cli

import (
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// startCPUProfile starts pprof CPU profiling into path.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// peakHeapSample is how often startPeakHeapProfile looks at the heap.
const peakHeapSample = 250 * time.Millisecond

// startPeakHeapProfile writes a pprof heap profile to path each time the
// live heap reaches a new maximum (by at least 5 %), so the file left at
// the end shows what held memory at the peak — the figure that decides
// whether a run fits, which an end-of-run profile misses. The profile is
// written to a temporary file and renamed, so the file is always whole.
// The returned function stops sampling (writing a profile if none was yet).
func startPeakHeapProfile(path string) func() {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(peakHeapSample)
		defer t.Stop()
		for {
			last := false
			select {
			case <-done:
				last = true
			case <-t.C:
			}
			metrics.Read(s)
			if s[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			// At the end, a run shorter than one sample still gets its
			// profile.
			if v := s[0].Value.Uint64(); v > peak+peak/20 || (last && peak == 0) {
				peak = v
				writeHeapProfile(path)
			}
			if last {
				return
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// writeHeapProfile writes the current heap profile to path atomically;
// a profiling aid, so a failure only leaves the previous profile.
func writeHeapProfile(path string) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".heap-*.tmp")
	if err != nil {
		return
	}
	if err := pprof.Lookup("heap").WriteTo(tmp, 0); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
	}
}
