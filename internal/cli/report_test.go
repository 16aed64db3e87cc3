package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCommand analyses the bundled sample and re-renders its report
// with both privacy options: the three files appear, handles and texts
// are gone, and usage errors exit 2.
func TestReportCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the bundled sample")
	}
	out := filepath.Join(t.TempDir(), "out")
	runCLI(t, "analyze", "--quiet", "--event", "brussels-2016", "--t0", "2016-03-22T06:58:00Z", "--out", out, "../../sample/fifthtribe-2016-01-04.csv.gz")
	runCLI(t, "report", "--quiet", out)
	plain, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(bytes.ToLower(plain), []byte("ramiallolah")) || !bytes.Contains(plain, []byte("reinforcements arriving southeast")) {
		t.Fatal("the plain report lacks the account and text the privacy options must remove: the test would prove nothing")
	}
	printed := runCLI(t, "report", "--pseudonymize", "--pseudonym-key", "k", "--redact-text", out)
	for _, f := range []string{"report.html", "report.md", "report.json"} {
		if !strings.Contains(printed, filepath.Join(out, f)) {
			t.Errorf("report did not list %s: %q", f, printed)
		}
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		// RamiAlLolah is in a coordinated pair of the sample; the
		// staggered texts mention #Mosul.
		if bytes.Contains(bytes.ToLower(b), []byte("ramiallolah")) {
			t.Errorf("%s names a pseudonymized account", f)
		}
		if bytes.Contains(b, []byte("reinforcements arriving southeast")) {
			t.Errorf("%s shows a redacted text", f)
		}
	}
	for _, args := range [][]string{{"report"}, {"report", "a", "b"}, {"report", "--pseudonym-key", "k", out}} {
		var so, se bytes.Buffer
		if code := RunIO(context.Background(), args, strings.NewReader(""), &so, &se); code != exitUsage {
			t.Errorf("chorus %v: exit %d, want %d (%s)", args, code, exitUsage, se.String())
		}
	}
	var so, se bytes.Buffer
	if code := RunIO(context.Background(), []string{"report", t.TempDir()}, strings.NewReader(""), &so, &se); code != exitError || !strings.Contains(se.String(), "results.json") {
		t.Errorf("a directory without results.json: exit %d, %q", code, se.String())
	}
}
