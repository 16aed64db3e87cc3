package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Automatic memory limit: a fifth of physical memory, at least
// autoMemoryFloor. The limit is soft (the Go GC collects more often as the
// heap nears it; a live heap above it is allowed, never an out-of-memory
// kill), so it trades a little GC CPU for a process that leaves room to
// the rest of the machine: without it the heap grows to twice the live
// data (GOGC=100) plus free pages not yet returned, ~2.7× the live heap
// at 10M posts (docs/benchmarks.md). A fifth rather than a quarter: at
// 10M posts on a 24 GiB machine (live heap 2.6 GB at its peak) a quarter
// held RSS at 6.2 GB, 4.5 GiB held it at 4.75 GB for 1 % more CPU.
const (
	autoMemoryShare = 5
	autoMemoryFloor = 2 << 30
)

// MemoryLimitBytes resolves the memory-limit parameter against the
// machine's physical memory (bytes; 0 when unknown). It returns 0 for
// "off", and for "auto" when physical memory is unknown.
func (c *Config) MemoryLimitBytes(physical uint64) (int64, error) {
	s := strings.TrimSpace(c.Runtime.MemoryLimit)
	switch strings.ToLower(s) {
	case "", "auto":
		if physical == 0 {
			return 0, nil
		}
		return int64(max(physical/autoMemoryShare, autoMemoryFloor)), nil
	case "off", "0":
		return 0, nil
	}
	n, err := parseSize(s)
	if err != nil {
		return 0, fmt.Errorf("%w: memory-limit %q: %v (use auto, off, or a size such as 6GiB)", ErrInvalid, s, err)
	}
	if n < 64<<20 {
		return 0, fmt.Errorf("%w: memory-limit %q is below 64MiB", ErrInvalid, s)
	}
	return n, nil
}

// parseSize parses "123", "4500MB", "6GiB", "1.5G" (decimal units
// KB/MB/GB/TB, binary KiB/MiB/GiB/TiB; a bare K/M/G/T is binary).
func parseSize(s string) (int64, error) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("not a size")
	}
	mult := map[string]float64{
		"": 1, "b": 1,
		"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("unknown unit %q", unit)
	}
	v := f * mult
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("too large")
	}
	return int64(v), nil
}
