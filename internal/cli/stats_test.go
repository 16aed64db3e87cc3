package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/chorus-osint/chorus/internal/ingest"
)

// runStatsCLI runs `chorus ARGS...` in-process and returns its exit code,
// stdout and stderr.
func runStatsCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunIO(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const ingestTestdata = "../ingest/testdata/"

// Independent counts of the fixtures, computed with the standard library
// only (not with the readers under test).

// v1Fixture counts the v1.1 JSONL lines and their distinct user ids.
func v1Fixture(t *testing.T) (posts, accounts int) {
	f, err := os.Open(ingestTestdata + "twitter_v1_sample.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]bool{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var o struct {
			User struct {
				IDStr string `json:"id_str"`
			} `json:"user"`
		}
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		posts++
		users[o.User.IDStr] = true
	}
	return posts, len(users)
}

// telegramFixture counts the regular (non-service) messages.
func telegramFixture(t *testing.T) int {
	b, err := os.ReadFile(ingestTestdata + "telegram_result.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Messages []struct {
			Type string `json:"type"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range doc.Messages {
		if m.Type == "message" {
			n++
		}
	}
	return n
}

// fifthTribeFixture counts the CSV rows and distinct usernames.
func fifthTribeFixture(t *testing.T) (posts, accounts int) {
	b, err := os.ReadFile(ingestTestdata + "fifthtribe_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]bool{}
	for _, r := range recs[1:] {
		users[r[1]] = true
	}
	return len(recs) - 1, len(users)
}

// streamErrorFixture counts the lines that parse as JSON and those that
// do not (the file's last line is truncated on purpose).
func streamErrorFixture(t *testing.T) (good, bad int) {
	b, err := os.ReadFile(ingestTestdata + "twitter_v2_stream_error.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if json.Valid(l) {
			good++
		} else {
			bad++
		}
	}
	return good, bad
}

func TestStatsJSON(t *testing.T) {
	v1Posts, v1Accounts := v1Fixture(t)
	ftPosts, ftAccounts := fifthTribeFixture(t)
	tgPosts := telegramFixture(t)
	v2Good, v2Bad := streamErrorFixture(t)
	want := []struct {
		file, format    string
		posts, skipped  int64
		accounts        int
		skipExampleLine int64
	}{
		{"twitter_v1_sample.jsonl.gz", "twitter-v1", int64(v1Posts), 0, v1Accounts, 0},
		{"fifthtribe_sample.csv", "fifthtribe-csv", int64(ftPosts), 0, ftAccounts, 0},
		{"telegram_result.json", "telegram-json", int64(tgPosts), 0, 1, 0},
		{"twitter_v2_stream_error.jsonl", "twitter-v2", int64(v2Good), int64(v2Bad), -1, int64(v2Good + v2Bad)},
	}
	args := []string{"stats", "--json"}
	for _, w := range want {
		args = append(args, ingestTestdata+w.file)
	}
	code, out, errOut := runStatsCLI(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("--json wrote to stderr: %s", errOut)
	}

	// The documented keys, read generically.
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"posts", "accounts", "skipped", "files", "first", "last"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("top-level key %q missing", k)
		}
	}
	for _, f := range raw["files"].([]any) {
		for _, k := range []string{"path", "format", "posts", "skipped", "accounts", "first", "last"} {
			if _, ok := f.(map[string]any)[k]; !ok {
				t.Errorf("file key %q missing in %v", k, f)
			}
		}
	}

	var rep statsReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != len(want) {
		t.Fatalf("%d files, want %d", len(rep.Files), len(want))
	}
	var posts, skipped int64
	sumAccounts := 0
	for i, w := range want {
		f := rep.Files[i]
		if f.Path != ingestTestdata+w.file || f.Format != w.format || f.Posts != w.posts || f.Skipped != w.skipped || f.Error != "" {
			t.Errorf("%s: path %s format %s posts %d skipped %d error %q; want %s %d %d", w.file, f.Path, f.Format, f.Posts, f.Skipped, f.Error, w.format, w.posts, w.skipped)
		}
		if w.accounts >= 0 && f.Accounts != w.accounts {
			t.Errorf("%s: %d accounts, want %d", w.file, f.Accounts, w.accounts)
		}
		if w.skipExampleLine > 0 && (len(f.SkipSamples) != 1 || f.SkipSamples[0].Line != w.skipExampleLine || f.SkipReasons["invalid JSON"] != 1) {
			t.Errorf("%s: skip examples %+v, reasons %v; want line %d", w.file, f.SkipSamples, f.SkipReasons, w.skipExampleLine)
		}
		if f.First.IsZero() || f.Last.Before(f.First) {
			t.Errorf("%s: span %v .. %v", w.file, f.First, f.Last)
		}
		posts += f.Posts
		skipped += f.Skipped
		sumAccounts += f.Accounts
	}
	// The four files share no account, so the totals are the sums.
	if rep.Posts != posts || rep.Skipped != skipped || rep.Accounts != sumAccounts {
		t.Errorf("totals posts %d skipped %d accounts %d; want %d %d %d", rep.Posts, rep.Skipped, rep.Accounts, posts, skipped, sumAccounts)
	}
	first, last := rep.Files[0].First, rep.Files[0].Last
	for _, f := range rep.Files[1:] {
		if f.First.Before(first) {
			first = f.First
		}
		if f.Last.After(last) {
			last = f.Last
		}
	}
	if rep.First == nil || rep.Last == nil || !rep.First.Equal(first) || !rep.Last.Equal(last) {
		t.Errorf("span %v .. %v; want %v .. %v", rep.First, rep.Last, first, last)
	}

	// The same file twice: accounts are counted once across files.
	code, out, _ = runStatsCLI(t, "", "stats", "--json", ingestTestdata+"fifthtribe_sample.csv", ingestTestdata+"fifthtribe_sample.csv")
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || rep.Posts != int64(2*ftPosts) || rep.Accounts != ftAccounts {
		t.Errorf("same file twice: exit %d, posts %d accounts %d; want %d %d", code, rep.Posts, rep.Accounts, 2*ftPosts, ftAccounts)
	}
}

func TestStatsTable(t *testing.T) {
	code, out, errOut := runStatsCLI(t, "", "stats", ingestTestdata+"twitter_v2_stream_error.jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	good, bad := streamErrorFixture(t)
	for _, want := range []string{"format:   twitter-v2", "posts:    " + strconv.Itoa(good), "skipped:  " + strconv.Itoa(bad), "invalid JSON", "e.g. line 8 (byte ", "total: " + strconv.Itoa(good) + " posts"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The skip is also logged, with file and line, on stderr.
	if !strings.Contains(errOut, "skipped record") || !strings.Contains(errOut, "line=8") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestStatsErrors(t *testing.T) {
	dir := t.TempDir()
	unknown := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(unknown, []byte("tweet_id,user,date,body\n1,alice,2016-03-22 09:00,hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Not a known format: exit 1, the error names the closest guess, and
	// the other files are still read.
	code, out, _ := runStatsCLI(t, "", "stats", "--json", unknown, ingestTestdata+"fifthtribe_sample.csv")
	var rep statsReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != exitError || len(rep.Files) != 2 || !strings.Contains(rep.Files[0].Error, "unknown input format: closest guess") || rep.Files[1].Posts == 0 {
		t.Errorf("exit %d, files %+v", code, rep.Files)
	}
	// A file with no posts has no span rather than the zero time.
	if strings.Contains(out, "0001-01-01") {
		t.Errorf("zero time in the JSON:\n%s", out)
	}

	// --map reads it as the generic schema without --format.
	code, out, errOut := runStatsCLI(t, "", "stats", "--json", "--map", "id=tweet_id,account=user,time=date,text=body", unknown)
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || rep.Posts != 1 || rep.Files[0].Format != "generic-csv" {
		t.Errorf("--map: exit %d, %s %s", code, out, errOut)
	}

	// --strict: the first malformed record is fatal and located.
	code, _, errOut = runStatsCLI(t, "", "stats", "--strict", ingestTestdata+"twitter_v2_stream_error.jsonl")
	if code != exitError || !strings.Contains(errOut, "strict mode: line 8") {
		t.Errorf("--strict: exit %d, stderr %q", code, errOut)
	}

	// Usage errors.
	if code, _, errOut := runStatsCLI(t, "", "stats"); code != exitUsage || !strings.Contains(errOut, "no input files") {
		t.Errorf("no files: exit %d, %q", code, errOut)
	}
	if code, _, _ := runStatsCLI(t, "", "stats", "--format", "nosuch", unknown); code == exitOK {
		t.Errorf("--format nosuch: exit 0")
	}
}

func TestStatsStdin(t *testing.T) {
	in, err := os.ReadFile(ingestTestdata + "generic_sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	records := 0
	for _, l := range bytes.Split(in, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			records++
		}
	}
	code, out, errOut := runStatsCLI(t, string(in), "stats", "--json", "-")
	var rep statsReport
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || rep.Posts != int64(records) || rep.Files[0].Path != "-" || rep.Files[0].Format != "generic-jsonl" {
		t.Errorf("stdin: exit %d, %s %s", code, out, errOut)
	}
}

func TestVersionAndFormats(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runStatsCLI(t, "", args...)
		if code != exitOK || !strings.HasPrefix(out, "chorus ") || !strings.Contains(out, runtime.Version()) {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
	code, out, _ := runStatsCLI(t, "", "formats")
	if code != exitOK {
		t.Fatalf("formats: exit %d", code)
	}
	for _, name := range ingest.FormatNames() {
		if !strings.Contains(out, "\n"+name+" ") && !strings.HasPrefix(out, name+" ") {
			t.Errorf("formats does not list %s:\n%s", name, out)
		}
	}
}
