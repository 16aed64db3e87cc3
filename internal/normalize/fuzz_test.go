package normalize

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// seedTexts adds every testdata tweet and the benchmark strings.
func seedTexts(f *testing.F) {
	for _, tw := range loadFifthTribe(f) {
		f.Add(tw.Text)
	}
	for _, tw := range loadTTEntities(f) {
		f.Add(tw.Text)
	}
	for _, s := range []string{benchEnglish, benchArabic, benchFrench, benchURL, "", " ", "\u200f", "ﷺ", "E\u0301", "ß", "ᄀ", "한", "क्षि"} {
		f.Add(s)
	}
}

func checkKey(t *testing.T, what, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q: invalid UTF-8", what, in, out)
	}
	if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
		t.Fatalf("%s(%q) = %q: untrimmed or doubled space", what, in, out)
	}
}

func FuzzText(f *testing.F) {
	seedTexts(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		checkKey(t, "Text", s, got)
		if again := Text(got); again != got {
			t.Fatalf("Text not idempotent: %q -> %q -> %q", s, got, again)
		}
		if want := exactText(s); got != want {
			t.Fatalf("Text(%q) = %q, exact path %q", s, got, want)
		}
		if b := AppendText([]byte("x"), s); string(b) != "x"+got {
			t.Fatalf("AppendText with prefix = %q, want %q", b, "x"+got)
		}
		m := MatchText(s)
		checkKey(t, "MatchText", s, m)
		if again := MatchText(m); again != m {
			t.Fatalf("MatchText not idempotent: %q -> %q -> %q", s, m, again)
		}
		if strings.Contains(m, "http://") || strings.Contains(m, "@") {
			t.Fatalf("MatchText(%q) = %q keeps a URL or mention", s, m)
		}
		h := Handle(s)
		checkKey(t, "Handle", s, h)
		if again := Handle(h); again != h {
			t.Fatalf("Handle not idempotent: %q -> %q -> %q", s, h, again)
		}
	})
}

func FuzzHashtag(f *testing.F) {
	seedTexts(f)
	for _, s := range []string{"#Caliphate_State_Strikes_France", "#الدولة_الإسلامية", "＃ＩＳＩＳ", "#_#a", "#a‿b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Hashtag(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Hashtag(%q) = %q: invalid UTF-8", s, got)
		}
		if strings.ContainsAny(got, "#_- ") {
			t.Fatalf("Hashtag(%q) = %q keeps a separator", s, got)
		}
		if again := Hashtag(got); again != got {
			t.Fatalf("Hashtag not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}

func FuzzURL(f *testing.F) {
	for _, tw := range loadTTEntities(f) {
		for _, u := range tw.URLs {
			f.Add(u)
		}
	}
	for _, s := range []string{benchURL, "https://youtu.be/dQw4w9WgXcQ?si=x&t=1", "http://[2001:db8::1]:8080/a/../b?b=1&a=2#!x",
		"HTTP://User:P@ss@WWW.Bücher.DE:443/%7e/./x/?utm_source=y", "javascript:alert(1)", "//example.com", "example.com:8080",
		"https://twitter.com/#!/a/status/1?s=2", "http://iswresearch.blogspot.be/x?m=1", "https://x.com/A/status/1", "https://a.b/%zz%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := URL(s)
		if err != nil {
			if !errors.Is(err, ErrBadURL) {
				t.Fatalf("URL(%q) error %v does not wrap ErrBadURL", s, err)
			}
			return
		}
		c := info.Canonical
		if !strings.HasPrefix(c, "https://") || !utf8.ValidString(c) || info.Domain == "" {
			t.Fatalf("URL(%q) = %+v", s, info)
		}
		for i := 0; i < len(c); i++ {
			if c[i] <= ' ' || c[i] >= 0x7f {
				t.Fatalf("URL(%q) = %q: byte %#x not escaped", s, c, c[i])
			}
		}
		again, err := URL(c)
		if err != nil || again != info {
			t.Fatalf("not a fixed point: URL(%q) = %+v; URL(that) = %+v, %v", s, info, again, err)
		}
		if _, err := url.Parse(c); err != nil {
			t.Fatalf("net/url rejects canonical %q of %q: %v", c, s, err)
		}
	})
}

func FuzzExtract(f *testing.F) {
	seedTexts(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, h := range ExtractHashtags(s, nil) {
			if h == "" || !strings.Contains(s, h) || strings.ContainsAny(h, "# \n") {
				t.Fatalf("ExtractHashtags(%q) gave %q", s, h)
			}
		}
		for _, m := range ExtractMentions(s, nil) {
			if m == "" || len(m) > MaxMentionLen || !strings.Contains(s, "@"+m) && !strings.Contains(s, fullwidthAt+m) {
				t.Fatalf("ExtractMentions(%q) gave %q", s, m)
			}
			for i := 0; i < len(m); i++ {
				if !isHandleByte(m[i]) {
					t.Fatalf("ExtractMentions(%q) gave %q", s, m)
				}
			}
		}
		for _, u := range ExtractURLs(s, nil) {
			lu := strings.ToLower(u)
			if !strings.Contains(s, u) || !(strings.HasPrefix(lu, "http://") && len(u) > 7 || strings.HasPrefix(lu, "https://") && len(u) > 8) {
				t.Fatalf("ExtractURLs(%q) gave %q", s, u)
			}
			if strings.ContainsFunc(u, func(r rune) bool { return r == ' ' || r == '\n' || r == '…' }) {
				t.Fatalf("ExtractURLs(%q) gave %q", s, u)
			}
			if _, err := URL(u); err != nil && !errors.Is(err, ErrBadURL) {
				t.Fatalf("URL(%q): %v", u, err)
			}
		}
	})
}

func FuzzShingles(f *testing.F) {
	seedTexts(f)
	f.Fuzz(func(t *testing.T, s string) {
		m := MatchText(s)
		for _, k := range []int{0, 1, 3, 5, 9} {
			sh := Shingles(m, k, nil)
			kk := k
			if kk <= 0 {
				kk = DefaultShingleK
			}
			if want := refShingles(m, kk); !slices.Equal(sh, want) {
				t.Fatalf("Shingles(%q, %d) = %x, want %x", m, k, sh, want)
			}
			if got, want := SimHash(sh), naiveSimHash(sh); got != want {
				t.Fatalf("SimHash mismatch on %q", m)
			}
		}
		// Raw (possibly invalid) input must not panic either.
		_ = Shingles(s, 4, nil)
		sh := Shingles(m, 5, nil)
		mh := NewMinHasher(64, 3)
		sig := mh.Signature(sh, nil)
		if len(sig) != 64 {
			t.Fatalf("signature length %d", len(sig))
		}
		if len(sh) > 0 && EstimateJaccard(sig, sig) != 1 {
			t.Fatalf("self-similarity below 1 for %q", m)
		}
		set := SortUnique(slices.Clone(sh))
		if len(set) > 0 && Jaccard(set, set) != 1 {
			t.Fatalf("Jaccard(self) != 1")
		}
	})
}
