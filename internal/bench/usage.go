package bench

import (
	"os/exec"
	"syscall"
)

// usage returns a finished command's CPU time and peak RSS.
func usage(cmd *exec.Cmd) (measurement, bool) {
	if cmd.ProcessState == nil {
		return measurement{}, false
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return measurement{}, false
	}
	return measurement{cpu: tvSeconds(ru.Utime) + tvSeconds(ru.Stime), rssMB: float64(ru.Maxrss) / 1024}, true
}
