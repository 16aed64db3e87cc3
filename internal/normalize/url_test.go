package normalize

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct {
		name, in  string
		canonical string // "" means an error is expected
		domain    string
		shortener bool
	}{
		// Real links from the ISIS fanboy expanded-URL export.
		{"utm parameters dropped", "http://foreignpolicy.com/2016/03/09/its-time-to-seriously-consider-partitioning-syria/?utm_content=bufferaf137&utm_medium=social&utm_source=twitter.com&utm_campaign=buffer",
			"https://foreignpolicy.com/2016/03/09/its-time-to-seriously-consider-partitioning-syria", "foreignpolicy.com", false},
		{"blogspot country domain and ?m=1", "http://iswresearch.blogspot.be/2016/01/russian-airstrikes-in-syria-january-8.html?utm_source=Russian+Airstrikes&m=1",
			"https://iswresearch.blogspot.com/2016/01/russian-airstrikes-in-syria-january-8.html", "iswresearch.blogspot.com", false},
		{"real query kept", "http://rudaw.net/NewsDetails.aspx?pageid=196819", "https://rudaw.net/NewsDetails.aspx?pageid=196819", "rudaw.net", false},
		{"query without value kept", "http://gulfupz.com/?mFs8aM", "https://gulfupz.com/?mFs8aM", "gulfupz.com", false},
		{"double slash in path", "http://news.trust.org//item/20160210154342-lukdx/?source=shtw", "https://news.trust.org/item/20160210154342-lukdx?source=shtw", "trust.org", false},
		{"subdomain domain key", "http://uk.reuters.com/?utm_source=twitter", "https://uk.reuters.com/", "reuters.com", false},
		{"mobile nytimes kept", "http://mobile.nytimes.com/2016/01/16/world/x.html?referer=&_r=0", "https://mobile.nytimes.com/2016/01/16/world/x.html?_r=0&referer=", "nytimes.com", false},
		{"justpaste", "https://justpaste.it/MESSAGETOTHETRUTHFULINSYRIA", "https://justpaste.it/MESSAGETOTHETRUTHFULINSYRIA", "justpaste.it", false},
		// Shorteners: canonicalised, never expanded, flagged.
		{"t.co", "https://t.co/CSYd70va6W", "https://t.co/CSYd70va6W", "t.co", true},
		{"t.co over http", "http://t.co/CSYd70va6W", "https://t.co/CSYd70va6W", "t.co", true},
		{"bit.ly keeps path case", "bit.ly/2AbCdEf", "https://bit.ly/2AbCdEf", "bit.ly", true},
		{"linkis wrapper", "http://linkis.com/www.youtube.com/jinXo", "https://linkis.com/www.youtube.com/jinXo", "linkis.com", true},
		// Twitter.
		{"x.com to twitter.com, s and t dropped, path lower-cased", "https://x.com/ISIS_News/status/864311935910772740?s=20&t=AbC", "https://twitter.com/isis_news/status/864311935910772740", "twitter.com", false},
		{"mobile.twitter.com", "https://mobile.twitter.com/Terror_Monitor/status/1", "https://twitter.com/terror_monitor/status/1", "twitter.com", false},
		{"twitter hashbang", "http://twitter.com/#!/GunsandCoffee70/status/1", "https://twitter.com/gunsandcoffee70/status/1", "twitter.com", false},
		{"suspended account page", "https://twitter.com/account/suspended", "https://twitter.com/account/suspended", "twitter.com", false},
		// YouTube.
		{"youtu.be", "https://youtu.be/dQw4w9WgXcQ?si=AbCdEf&t=42", "https://youtube.com/watch?t=42&v=dQw4w9WgXcQ", "youtube.com", false},
		{"youtube watch with feature", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share", "https://youtube.com/watch?v=dQw4w9WgXcQ", "youtube.com", false},
		{"m.youtube.com", "https://m.youtube.com/watch?feature=youtu.be&v=dQw4w9WgXcQ", "https://youtube.com/watch?v=dQw4w9WgXcQ", "youtube.com", false},
		{"youtube shorts", "https://youtube.com/shorts/dQw4w9WgXcQ", "https://youtube.com/watch?v=dQw4w9WgXcQ", "youtube.com", false},
		{"youtube embed", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://youtube.com/watch?v=dQw4w9WgXcQ", "youtube.com", false},
		// Generic rules.
		{"uppercase scheme and host, default port", "HTTP://WWW.EXAMPLE.COM:80/Path", "https://example.com/Path", "example.com", false},
		{"https default port", "https://example.com:443/", "https://example.com/", "example.com", false},
		{"443 on http removed too", "http://example.com:443/x", "https://example.com/x", "example.com", false},
		{"other port kept, leading zeros", "http://example.com:08080/x", "https://example.com:8080/x", "example.com", false},
		{"fragment dropped", "https://example.com/a#section-2", "https://example.com/a", "example.com", false},
		{"hashbang fragment kept", "https://example.com/#!/page", "https://example.com/#!/page", "example.com", false},
		{"trailing slash", "https://example.com/a/b/", "https://example.com/a/b", "example.com", false},
		{"root and empty path", "https://example.com", "https://example.com/", "example.com", false},
		{"dot segments", "https://example.com/a/./b/../../c/%2E%2E/d", "https://example.com/d", "example.com", false},
		{"dot segments above root", "https://example.com/../../a", "https://example.com/a", "example.com", false},
		{"percent-encoding normalised", "https://example.com/%7euser/%e2%82%ac?q=%41%2f", "https://example.com/~user/%E2%82%AC?q=A%2F", "example.com", false},
		{"bad percent escape", "https://example.com/100%/x", "https://example.com/100%25/x", "example.com", false},
		{"unicode path encoded", "https://ar.wikipedia.org/wiki/الدولة", "https://ar.wikipedia.org/wiki/%D8%A7%D9%84%D8%AF%D9%88%D9%84%D8%A9", "wikipedia.org", false},
		{"same page pre-encoded", "https://ar.wikipedia.org/wiki/%D8%A7%D9%84%D8%AF%D9%88%D9%84%D8%A9", "https://ar.wikipedia.org/wiki/%D8%A7%D9%84%D8%AF%D9%88%D9%84%D8%A9", "wikipedia.org", false},
		{"space in path", "https://example.com/a b", "https://example.com/a%20b", "example.com", false},
		{"backslash as slash", "https://example.com\\a\\b", "https://example.com/a/b", "example.com", false},
		{"query sorted, duplicates kept once", "https://example.com/?b=2&a=1&b=1&a=1&&", "https://example.com/?a=1&b=1&b=2", "example.com", false},
		{"tracking keys any case", "https://example.com/x?UTM_Source=a&FBCLID=b&id=3&gclid=c", "https://example.com/x?id=3", "example.com", false},
		{"userinfo stripped", "http://user:pass@example.com/x", "https://example.com/x", "example.com", false},
		{"userinfo with @ trick", "http://good.com@evil.com/x", "https://evil.com/x", "evil.com", false},
		{"unicode host to punycode", "http://Bücher.de/x", "https://xn--bcher-kva.de/x", "xn--bcher-kva.de", false},
		{"punycode kept", "http://xn--bcher-kva.de/x", "https://xn--bcher-kva.de/x", "xn--bcher-kva.de", false},
		{"arabic host", "http://موقع.وزارة-الاتصالات.مصر/", "https://xn--4gbrim.xn----ymcbaaajlc6dj7bxne2c.xn--wgbh1c/", "xn----ymcbaaajlc6dj7bxne2c.xn--wgbh1c", false},
		{"IPv6 host", "http://[2001:DB8:0:0::1]:8080/x", "https://[2001:db8::1]:8080/x", "2001:db8::1", false},
		{"IPv4 host", "http://192.0.2.1/x", "https://192.0.2.1/x", "192.0.2.1", false},
		{"missing scheme", "example.com/path?utm_medium=x", "https://example.com/path", "example.com", false},
		{"missing scheme with www", "www.aljazeera.com/news", "https://aljazeera.com/news", "aljazeera.com", false},
		{"scheme-relative", "//example.com/x", "https://example.com/x", "example.com", false},
		{"missing scheme with port", "example.com:8080/x", "https://example.com:8080/x", "example.com", false},
		{"surrounding space and bidi marks", "\u200f https://example.com/x \n", "https://example.com/x", "example.com", false},
		{"newline inside removed", "https://exam\nple.com/x", "https://example.com/x", "example.com", false},
		{"trailing dot host", "https://example.com./x", "https://example.com/x", "example.com", false},
		{"www only once is not a domain", "https://www.com/", "https://www.com/", "www.com", false},
		{"telegram.me alias", "https://telegram.me/s/channel", "https://t.me/s/channel", "t.me", false},
		{"facebook mobile", "https://m.facebook.com/story.php?story_fbid=1&id=2&fbclid=x", "https://facebook.com/story.php?id=2&story_fbid=1", "facebook.com", false},
		// Errors.
		{"empty", "", "", "", false},
		{"spaces only", "   ", "", "", false},
		{"javascript", "javascript:alert(1)", "", "", false},
		{"mailto", "mailto:a@example.com", "", "", false},
		{"ftp", "ftp://example.com/x", "", "", false},
		{"data", "data:text/html,<script>", "", "", false},
		{"scheme only", "https://", "", "", false},
		{"not a host", "hello", "", "", false},
		{"localhost without scheme", "localhost:8080", "", "", false},
		{"bad port", "http://example.com:99999/", "", "", false},
		{"non-numeric port", "http://example.com:http/", "", "", false},
		{"space in host", "http://exa mple.com/", "", "", false},
		{"percent in host", "http://%65xample.com/", "", "", false},
		{"empty label", "http://a..b.com/", "", "", false},
		{"empty last label", "http:0..", "", "", false}, // fuzz: "0.." was canonicalised to the non-fixed-point "0."
		{"IPv6 with zone", "http://[fe80::1%25eth0]/", "", "", false},
		{"unclosed IPv6", "http://[::1/x", "", "", false},
		{"control char", "http://example.com/a\x00b", "", "", false},
		{"very long", "https://example.com/" + strings.Repeat("a", MaxURLLen), "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := URL(tt.in)
			if tt.canonical == "" {
				if err == nil {
					t.Fatalf("URL(%q) = %+v, want an error", tt.in, got)
				}
				if !errors.Is(err, ErrBadURL) {
					t.Fatalf("error %v does not wrap ErrBadURL", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("URL(%q): %v", tt.in, err)
			}
			want := URLInfo{Canonical: tt.canonical, Domain: tt.domain, Shortener: tt.shortener}
			if got != want {
				t.Fatalf("URL(%q)\n got %+v\nwant %+v", tt.in, got, want)
			}
			// Fixed point.
			again, err := URL(got.Canonical)
			if err != nil || again != got {
				t.Fatalf("canonical form is not a fixed point: %+v, %v", again, err)
			}
			// The canonical form is a valid URL for net/url.
			if _, err := url.Parse(got.Canonical); err != nil {
				t.Fatalf("net/url rejects %q: %v", got.Canonical, err)
			}
		})
	}
}

func TestURLHTTPAndHTTPSShareAKey(t *testing.T) {
	a, _ := URL("http://a.example.org/x")
	b, _ := URL("https://a.example.org/x/")
	if a.Canonical != b.Canonical {
		t.Fatalf("%q != %q", a.Canonical, b.Canonical)
	}
}

func TestAppendURLErrorKeepsDst(t *testing.T) {
	dst := []byte("keep")
	out, err := AppendURL(dst, "javascript:alert(1)")
	if err == nil || string(out) != "keep" {
		t.Fatalf("AppendURL on error = %q, %v", out, err)
	}
	out, err = AppendURL(dst, "http://example.com:99999/")
	if err == nil || string(out) != "keep" {
		t.Fatalf("AppendURL on port error = %q, %v", out, err)
	}
}

func TestAppendURLNoAllocs(t *testing.T) {
	buf := make([]byte, 0, 512)
	for _, u := range []string{"https://t.co/CSYd70va6W", benchURL, "https://youtu.be/dQw4w9WgXcQ?si=AbCdEf&t=42", "https://x.com/A/status/1?s=20"} {
		if n := testing.AllocsPerRun(100, func() { buf, _ = AppendURL(buf[:0], u) }); n != 0 {
			t.Errorf("AppendURL(%q) allocates %.0f times", u, n)
		}
	}
}

// Every link in the TT slice's entities canonicalises, and the canonical
// form is a fixed point.
func TestURLOnDatasetLinks(t *testing.T) {
	n := 0
	for _, tw := range loadTTEntities(t) {
		for _, u := range tw.URLs {
			info, err := URL(u)
			if err != nil {
				t.Errorf("URL(%q): %v", u, err)
				continue
			}
			if !info.Shortener || info.Domain != "t.co" {
				t.Errorf("URL(%q) = %+v, want a t.co shortener", u, info)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d links in testdata", n)
	}
}
