package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chorus-osint/chorus/internal/results"
)

func TestPseudonymizerText(t *testing.T) {
	p, err := newPseudonymizer([]byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	p.learn("12345", "Alice_1")
	alice := p.id("12345")
	if !regexp.MustCompile(`^acct-[a-z2-7]{10}$`).MatchString(alice) {
		t.Fatalf("pseudonym %q has the wrong form", alice)
	}
	for _, tc := range []struct{ in, want string }{
		{"RT @alice_1: hello", "RT @" + alice + ": hello"},
		{"see https://twitter.com/Alice_1/status/99", "see https://twitter.com/" + alice + "/status/99"},
		{"mail bob@example.com", "mail bob@example.com"},
		{"https://twitter.com/i/web/status/1", "https://twitter.com/i/web/status/1"},
		{"no handles here", "no handles here"},
	} {
		if got := p.text(tc.in); got != tc.want {
			t.Errorf("text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if p.handle("@ALICE_1") != alice || p.handle("alice_1") != alice {
		t.Error("a handle must map to its account's pseudonym, whatever its case")
	}
	bob := p.handle("bob")
	if bob == alice || p.handle("Bob") != bob {
		t.Errorf("unknown handles: %q vs %q", bob, p.handle("Bob"))
	}
	q, _ := newPseudonymizer([]byte("other key"))
	if q.id("12345") == alice {
		t.Error("a different key must give different pseudonyms")
	}
}

// sampleDir returns a copy of the analysed bundled sample.
func sampleDir(t *testing.T) string {
	t.Helper()
	dir, _ := sampleCopy(t)
	return dir
}

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = string(b)
	}
	return out
}

func TestPseudonymizeSample(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the bundled sample")
	}
	dir := sampleDir(t)
	res, err := results.ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) == 0 {
		t.Fatal("the sample has no coordinated accounts: nothing to pseudonymize")
	}
	plain := func() map[string]string {
		if err := Render(dir, Options{}); err != nil {
			t.Fatal(err)
		}
		return readAll(t, dir)
	}()
	key := []byte("test key")
	if err := Render(dir, Options{Pseudonymize: true, PseudonymKey: key}); err != nil {
		t.Fatal(err)
	}
	first := readAll(t, dir)
	for _, a := range res.Accounts {
		for _, name := range []string{a.ID, a.Handle} {
			if !strings.Contains(plain["report.html"], name) {
				t.Fatalf("%q is not in the plain report: the test would prove nothing", name)
			}
			re := regexp.MustCompile(`(?i)(^|[^a-z0-9_])` + regexp.QuoteMeta(name) + `($|[^a-z0-9_])`)
			for f, s := range first {
				if loc := re.FindStringIndex(s); loc != nil {
					t.Errorf("%s still names account %q: %q", f, name, around(s, loc[0]))
				}
			}
		}
	}
	if strings.Contains(first["report.html"], string(key)) {
		t.Error("the pseudonym key was written")
	}
	// Same key, same pseudonyms; each account's pseudonym appears in the
	// core-accounts table and in its cluster.
	if err := Render(dir, Options{Pseudonymize: true, PseudonymKey: key}); err != nil {
		t.Fatal(err)
	}
	if again := readAll(t, dir); again["report.json"] != first["report.json"] {
		t.Error("the same key gave different pseudonyms")
	}
	ps, _ := newPseudonymizer(key)
	for _, a := range res.Accounts {
		if n := strings.Count(first["report.md"], ps.id(a.ID)); n < 2 {
			t.Errorf("pseudonym of %s appears %d times in report.md, want it in the cluster and core tables", a.ID, n)
		}
	}
	// A random key (no key given) gives other pseudonyms.
	if err := Render(dir, Options{Pseudonymize: true}); err != nil {
		t.Fatal(err)
	}
	if random := readAll(t, dir); strings.Contains(random["report.md"], ps.id(res.Accounts[0].ID)) {
		t.Error("a random key reproduced the given key's pseudonyms")
	}
}

func TestRedactTextSample(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the bundled sample")
	}
	dir := sampleDir(t)
	opts := Options{RedactText: true}
	opts.defaults()
	if err := Render(dir, Options{RedactText: true}); err != nil {
		t.Fatal(err)
	}
	out := readAll(t, dir)
	src, err := load(dir, &opts)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range src.ev.groups {
		for _, r := range g.rows(opts.EvidencePerGroup) {
			n++
			for _, txt := range []string{r.TextA, r.TextB} {
				probe := txt[:min(len(txt), 40)]
				for f, s := range out {
					if strings.Contains(s, probe) {
						t.Errorf("%s still shows post text %q", f, probe)
					}
				}
				want := "[redacted: " + itoa(utf8.RuneCountInString(txt)) + " characters]"
				if !strings.Contains(out["report.md"], want) {
					t.Errorf("report.md lacks %q", want)
				}
			}
			// Ids and times are kept.
			if !strings.Contains(out["report.html"], r.PostA) || !strings.Contains(out["report.md"], fmtTime(r.TimeA)) {
				t.Errorf("post id %s or its time was removed", r.PostA)
			}
		}
	}
	if n == 0 {
		t.Fatal("no evidence rows in the sample: the test would prove nothing")
	}
}

// TestPrivacyRelays: the relays of media outlets (their posts' texts and
// accounts) follow --redact-text and --pseudonymize like every other
// piece of evidence.
func TestPrivacyRelays(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the bundled sample")
	}
	dir := sampleDir(t)
	const text, handle = "as per Aamaq news agency linked to the group", "RamiAlLolah"
	if err := Render(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	plain := readAll(t, dir)
	for _, f := range []string{"report.html", "report.md", "report.json"} {
		if !strings.Contains(plain[f], text) || !strings.Contains(plain[f], handle) {
			t.Fatalf("%s lacks the first Amaq relay: the test would prove nothing", f)
		}
	}
	if err := Render(dir, Options{RedactText: true, Pseudonymize: true, PseudonymKey: []byte("k")}); err != nil {
		t.Fatal(err)
	}
	for f, s := range readAll(t, dir) {
		if strings.Contains(s, text) {
			t.Errorf("%s still shows the relay's text", f)
		}
		if strings.Contains(strings.ToLower(s), strings.ToLower(handle)) {
			t.Errorf("%s still names %s", f, handle)
		}
	}
}
