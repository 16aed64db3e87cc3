package ingest

import (
	"slices"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestScanTextEntities(t *testing.T) {
	for _, c := range []struct {
		text                 string
		tags, mentions, urls []string
	}{
		{"RT @Abu_X: #ISIS #الدولة_الإسلامية news http://t.co/abc.", []string{"ISIS", "الدولة_الإسلامية"}, []string{"Abu_X"}, []string{"http://t.co/abc"}},
		{"mail me@example.com C# &#39; #123 #a1", []string{"a1"}, nil, nil},
		{"see https://example.com/page#frag?x=@y and (https://a.org/b)", nil, nil, []string{"https://example.com/page#frag?x=@y", "https://a.org/b"}},
		{"truncated https://t.co/abc…", nil, nil, nil},
		{"arabic harakat #سُوريا end", []string{"سُوريا"}, nil, nil},
		{"@" + "abcdefghijklmnopqrstuvwxyz0123456789 too long", nil, nil, nil},
		{"wiki https://en.wikipedia.org/wiki/Foo_(bar), ok", nil, nil, []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}},
		{"http:// empty https:///nohost", nil, nil, nil},
	} {
		var p model.Post
		scanTextEntities(&p, c.text, entHashtags|entMentions|entURLs)
		if !slices.Equal(p.Hashtags, c.tags) || !slices.Equal(p.Mentions, c.mentions) || !slices.Equal(p.URLs, c.urls) {
			t.Errorf("%q: tags %q mentions %q urls %q; want %q %q %q", c.text, p.Hashtags, p.Mentions, p.URLs, c.tags, c.mentions, c.urls)
		}
	}
}

func TestCSVTimeFastPaths(t *testing.T) {
	for in, want := range map[string]time.Time{
		"1/6/2015 21:07":     time.Date(2015, 1, 6, 21, 7, 0, 0, time.UTC),
		"12/31/2016 0:00:59": time.Date(2016, 12, 31, 0, 0, 59, 0, time.UTC),
	} {
		got, ok := parseUSMinute(in, time.UTC)
		if !ok || !got.Equal(want) {
			t.Errorf("parseUSMinute(%q) = %v %v", in, got, ok)
		}
		if pt, err := ParseTime(in, time.UTC); err != nil || !pt.Equal(got) {
			t.Errorf("ParseTime disagrees on %q: %v %v", in, pt, err)
		}
	}
	for _, bad := range []string{"2/31/2016 1:00", "13/1/2016 1:00", "1/1/2016", "1/1/2016 24:00", "1//2016 1:00", "1/1/2016 1:00:00:00", "11111/1/2016 1:00"} {
		if _, ok := parseUSMinute(bad, time.UTC); ok {
			t.Errorf("parseUSMinute(%q) accepted", bad)
		}
	}
	for in, want := range map[string]time.Time{"0": time.Unix(0, 0), "59": time.Unix(59, 0), "1606451170.518101": time.Unix(1606451170, 518101000), "1623881091": time.Unix(1623881091, 0)} {
		if got, ok := parseUnixField(in); !ok || !got.Equal(want) {
			t.Errorf("parseUnixField(%q) = %v %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "-1", "1.", ".5", "1e9", "12a", "NA", "9999999999999"} {
		if _, ok := parseUnixField(bad); ok {
			t.Errorf("parseUnixField(%q) accepted", bad)
		}
	}
}
