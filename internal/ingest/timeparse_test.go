package ingest

import (
	"errors"
	"testing"
	"time"
)

// TestParseTime covers every timestamp form the exports use (docs/formats.md,
// "Times"); naive forms are read in the given zone, the result is UTC.
func TestParseTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	for _, c := range []struct {
		in   string
		tz   *time.Location
		want time.Time
	}{
		// RFC 3339 / ISO 8601 with a zone: the zone wins over tz.
		{"2015-11-13T21:20:00Z", paris, utc(2015, 11, 13, 21, 20, 0, 0)},
		{"2015-11-13T22:20:00+01:00", nil, utc(2015, 11, 13, 21, 20, 0, 0)},
		{"2015-11-13T22:20:00.123456+0100", nil, utc(2015, 11, 13, 21, 20, 0, 123456000)},
		{"2024-12-07 12:44:30+00:00", paris, utc(2024, 12, 7, 12, 44, 30, 0)}, // Telethon CSV
		{"2016-03-22 09:58:00 +0100", nil, utc(2016, 3, 22, 8, 58, 0, 0)},
		// Twitter created_at and RFC 1123.
		{"Tue Mar 22 08:00:00 +0000 2016", paris, utc(2016, 3, 22, 8, 0, 0, 0)},
		{"Tue, 22 Mar 2016 09:00:00 +0100", nil, utc(2016, 3, 22, 8, 0, 0, 0)},
		// Naive forms: UTC by default, else tz (Paris is UTC+1 in
		// November, UTC+2 in summer).
		{"2015-11-13 21:20", nil, utc(2015, 11, 13, 21, 20, 0, 0)},
		{"2015-11-13 21:20:05", nil, utc(2015, 11, 13, 21, 20, 5, 0)},
		{"2015-11-13T21:20:05.5", nil, utc(2015, 11, 13, 21, 20, 5, 500000000)},
		{"2015-11-13 22:20", paris, utc(2015, 11, 13, 21, 20, 0, 0)},
		{"2016-07-14T22:40:00", paris, utc(2016, 7, 14, 20, 40, 0, 0)},
		{"1/6/2015 21:07", nil, utc(2015, 1, 6, 21, 7, 0, 0)}, // Fifth Tribe
		{"2016-03-22", nil, utc(2016, 3, 22, 0, 0, 0, 0)},
		// Unix seconds and milliseconds, integer or fractional; tz ignored.
		{"1447449600", paris, utc(2015, 11, 13, 21, 20, 0, 0)},
		{"1447449600.25", nil, utc(2015, 11, 13, 21, 20, 0, 250000000)},
		{"1447449600250", paris, utc(2015, 11, 13, 21, 20, 0, 250000000)},
		{" 1447449600 ", nil, utc(2015, 11, 13, 21, 20, 0, 0)},
	} {
		got, err := ParseTime(c.in, c.tz)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q, %v) = %v, want %v in UTC", c.in, c.tz, got, c.want)
		}
	}
	// Rejected: empty, words, day-first dates, implausibly small unix
	// values (a count, not a time), impossible dates.
	for _, bad := range []string{"", "  ", "yesterday", "NA", "22/03/2016 09:00", "12345", "2016-02-30 10:00", "2016-13-01"} {
		if got, err := ParseTime(bad, nil); !errors.Is(err, errBadTime) {
			t.Errorf("ParseTime(%q) = %v, %v; want errBadTime", bad, got, err)
		}
	}
}
