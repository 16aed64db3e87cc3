package config

import (
	"errors"
	"testing"
)

func TestMemoryLimitBytes(t *testing.T) {
	const gib = 1 << 30
	cases := []struct {
		in       string
		physical uint64
		want     int64
		bad      bool
	}{
		{"auto", 24 * gib, 24 * gib / 5, false},
		{"", 40 * gib, 8 * gib, false},
		{"auto", 4 * gib, 2 * gib, false}, // floor
		{"auto", 0, 0, false},             // unknown machine: no limit
		{"off", 24 * gib, 0, false},
		{"6GiB", 0, 6 * gib, false},
		{"4500MB", 0, 4500e6, false},
		{"1.5G", 0, gib + gib/2, false},
		{"134217728", 0, 128 << 20, false},
		{"12 parsecs", 0, 0, true},
		{"-3GB", 0, 0, true},
		{"1MB", 0, 0, true}, // below 64 MiB
		{"1e30", 0, 0, true},
	}
	for _, tc := range cases {
		c := Default()
		c.Runtime.MemoryLimit = tc.in
		got, err := c.MemoryLimitBytes(tc.physical)
		if tc.bad {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%q: want ErrInvalid, got %d, %v", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q on %d bytes: got %d, %v; want %d", tc.in, tc.physical, got, err, tc.want)
		}
	}
}
