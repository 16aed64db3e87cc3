package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

var errBadTime = errors.New("unrecognised timestamp")

// zoned layouts carry their own offset; naive layouts are read in tz.
var (
	zonedLayouts = []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999Z0700",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z0700",
		"2006-01-02 15:04:05.999999999 -0700",
		"2006-01-02 15:04:05.999999999 -0700 MST",
		time.RubyDate, // Twitter v1.1 created_at: "Thu Feb 16 20:08:01 +0000 2017"
		time.RFC1123Z,
		time.RFC1123,
	}
	naiveLayouts = []string{
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
		"1/2/2006 15:04:05",
		"1/2/2006 15:04",
	}
)

// ParseTime parses the timestamp forms seen in exports: RFC 3339 / ISO
// 8601 (with or without zone, fractional seconds), the Twitter created_at
// form, "YYYY-MM-DD HH:MM[:SS]", US "M/D/YYYY H:MM" (Fifth Tribe), and unix
// seconds or milliseconds (integer or fractional). Naive times are taken in
// tz. The result is in UTC.
func ParseTime(s string, tz *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: empty", errBadTime)
	}
	if tz == nil {
		tz = time.UTC
	}
	if t, ok := parseUnix(s); ok {
		return t, nil
	}
	// A cheap first-byte test avoids trying layouts that cannot match.
	if c := s[0]; c >= '0' && c <= '9' {
		if len(s) >= 10 && s[4] == '-' {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t.UTC(), nil
			}
		}
	}
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range naiveLayouts {
		if t, err := time.ParseInLocation(l, s, tz); err == nil {
			return t.UTC(), nil
		}
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return time.Time{}, fmt.Errorf("%w: %q (use ISO 8601, Twitter created_at, unix seconds or milliseconds)", errBadTime, s)
}

// Unix timestamps before this many seconds are rejected as implausible
// (1990); values above maxUnixSec are taken as milliseconds.
const (
	minUnixSec = 631152000
	maxUnixSec = 99999999999
)

// parseUnix parses unix seconds or milliseconds, possibly fractional.
func parseUnix(s string) (time.Time, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' {
			return time.Time{}, false
		}
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) < 9 || len(intPart) > 16 {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var nanos int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		for i := len(frac); i < 9; i++ {
			f *= 10
		}
		nanos = f
	}
	if n > maxUnixSec { // milliseconds
		return time.UnixMilli(n).Add(time.Duration(nanos / 1000)).UTC(), true
	}
	if n < minUnixSec {
		return time.Time{}, false
	}
	return time.Unix(n, nanos).UTC(), true
}
