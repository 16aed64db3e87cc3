//go:build unix

package ingest

import "syscall"

// processCPU returns the CPU time (user + system) this process has used,
// in seconds. Benchmarks report throughput per CPU second as well as per
// wall second, because the shared 2-core machine is often busy.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
