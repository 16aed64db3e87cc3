package cli

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/chorus-osint/chorus/internal/config"
)

// applyMemoryLimit sets the Go runtime's soft memory limit from the
// memory-limit parameter, unless GOMEMLIMIT is set (the operator's
// explicit choice wins). It returns the limit applied (0: none).
func applyMemoryLimit(cfg *config.Config, log *slog.Logger) (int64, error) {
	if os.Getenv("GOMEMLIMIT") != "" {
		log.Debug("memory limit from GOMEMLIMIT", "GOMEMLIMIT", os.Getenv("GOMEMLIMIT"))
		return 0, nil
	}
	n, err := cfg.MemoryLimitBytes(physicalMemory())
	if err != nil || n == 0 {
		return 0, err
	}
	debug.SetMemoryLimit(n)
	log.Debug("memory limit", "bytes", n)
	return n, nil
}

// physicalMemory returns the memory available to this process: the
// smaller of MemTotal in /proc/meminfo and a cgroup v2 memory.max, or 0
// when neither can be read (non-Linux).
func physicalMemory() uint64 {
	var total uint64
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseUint(f[1], 10, 64); err == nil {
					total = kb << 10
				}
				break
			}
		}
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && v > 0 && (total == 0 || v < total) {
			total = v
		}
	}
	return total
}
