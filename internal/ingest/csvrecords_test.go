package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// genericOpts forces the generic CSV reader (the simplest mapping), so
// these tests exercise the shared record reader.
var genericOpts = Options{Format: "generic-csv"}

func postIDs(t *testing.T, input string, opts Options) ([]string, FileStats, error) {
	t.Helper()
	posts, st, err := csvPosts(t, "x.csv", []byte(input), opts)
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	return ids, st, err
}

func TestCSVRecordsBadQuoteRecovers(t *testing.T) {
	in := "id,account_id,time,text\n" +
		"1,a,1458633720,one\n" +
		"2,b,1458633720,bare \"quote in the middle\n" + // line 3: bare quote
		"3,c,1458633720,three\n" +
		"4,d,1458633720,\"unterminated quote\n" + // line 5: swallows the next lines until a quote
		"5,e,1458633720,five\n" +
		"6,f,1458633720,six\n" +
		"7,g,1458633720,\"closed\" trailing\n" + // line 8: text after a closing quote
		"8,h,1458633720,\"multi\nline\"\n" + // lines 9-10: a good multi-line record
		"9,i,1458633720,nine\n"
	ids, st, err := postIDs(t, in, genericOpts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1", "3", "5", "6", "8", "9"}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	if st.Skipped != 3 || st.SkipReasons["bad quoting"] != 3 {
		t.Errorf("skipped = %d %v, want 3 bad quoting", st.Skipped, st.SkipReasons)
	}
	var lines []int64
	for _, s := range st.SkipSamples {
		lines = append(lines, s.Line)
		if !strings.HasPrefix(in[s.Offset:], fmt.Sprint((s.Line-1))+",") {
			t.Errorf("skip at line %d: offset %d points at %.10q", s.Line, s.Offset, in[s.Offset:])
		}
	}
	if fmt.Sprint(lines) != "[3 5 8]" {
		t.Errorf("skip lines = %v, want [3 5 8]", lines)
	}

	strict := genericOpts
	strict.Strict = true
	_, st, err = postIDs(t, in, strict)
	if !errors.Is(err, ErrStrict) || st.Posts != 1 {
		t.Errorf("strict: err = %v, posts = %d; want ErrStrict after 1 post", err, st.Posts)
	}
}

func TestCSVRecordsPositions(t *testing.T) {
	in := "\ufeffid,account_id,time,text\r\n" +
		"1,a,1458633720,one\r\n" +
		"\r\n" + // blank line, skipped by encoding/csv
		"2,b,1458633720,\"two\r\nlines\"\r\n" +
		"3,c,1458633720,three"
	posts, st, err := csvPosts(t, "x.csv", []byte(in), genericOpts)
	if err != nil || st.Skipped != 0 {
		t.Fatalf("err = %v, skipped = %d", err, st.Skipped)
	}
	wantLines := []int64{2, 4, 6}
	for i, p := range posts {
		if p.Source.Line != wantLines[i] {
			t.Errorf("post %s: line %d, want %d", p.ID, p.Source.Line, wantLines[i])
		}
		if !strings.HasPrefix(in[p.Source.Offset:], p.ID+",") {
			t.Errorf("post %s: offset %d points at %.10q", p.ID, p.Source.Offset, in[p.Source.Offset:])
		}
	}
	if posts[1].Text != "two\nlines" {
		t.Errorf("CRLF inside a quoted field: text = %q", posts[1].Text)
	}
}

func TestCSVRecordsUnterminatedQuoteReplays(t *testing.T) {
	// A stray quote in a file with no other quotes makes encoding/csv read
	// to the end of the input; replay must recover every later record.
	var b strings.Builder
	b.WriteString("id,account_id,time,text\n1,a,1458633720,\"broken\n")
	for i := 2; i <= 1001; i++ {
		fmt.Fprintf(&b, "%d,a,1458633720,plain text %d\n", i, i)
	}
	ids, st, err := postIDs(t, b.String(), genericOpts)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1000 || ids[0] != "2" || ids[999] != "1001" || st.Skipped != 1 || st.SkipSamples[0].Line != 2 {
		t.Errorf("posts = %d (first %v), skipped = %d %+v; want 1000 posts and 1 skip at line 2", len(ids), ids[:1], st.Skipped, st.SkipSamples)
	}
}

func TestCSVRecordsTooLong(t *testing.T) {
	long := strings.Repeat("x", 5000)
	in := "id,account_id,time,text\n" +
		"1,a,1458633720,short\n" +
		"2,a,1458633720," + long + "\n" + // one long line
		"3,a,1458633720,\"" + strings.Repeat("y\n", 2500) + "\"\n" + // a long multi-line field
		"4,a,1458633720,short\n"
	opts := genericOpts
	opts.Limits.MaxRecordBytes = 1024
	ids, st, err := postIDs(t, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	if st.SkipReasons["record too long"] != 2 || st.Skipped != 2 {
		t.Errorf("skip reasons = %v, want 2 too long", st.SkipReasons)
	}
	// Both long records are skipped whole; the records around them survive.
	if ids[0] != "1" || ids[len(ids)-1] != "4" || len(ids) != 2 {
		t.Errorf("ids = %v, want [1 4]", ids)
	}
}

func TestCSVRecordsFieldLimits(t *testing.T) {
	in := "id,account_id,time\n1,a,1458633720\n2,a,1458633720,extra\n3,a\n" + "4" + strings.Repeat(",x", 20) + "\n5,a,1458633720\n"
	opts := genericOpts
	opts.Limits.MaxCSVFields = 10
	ids, st, err := postIDs(t, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "1,5" || st.SkipReasons["wrong field count"] != 2 || st.SkipReasons["too many fields"] != 1 {
		t.Errorf("ids = %v, reasons = %v", ids, st.SkipReasons)
	}
	opts.Limits.MaxCSVFields = 2
	if _, _, err := postIDs(t, in, opts); !errors.Is(err, ErrLimit) {
		t.Errorf("header wider than the limit: err = %v, want ErrLimit", err)
	}
}

func TestCSVRecordsDelimiters(t *testing.T) {
	for _, d := range []string{",", "\t", ";"} {
		in := strings.ReplaceAll("id,account_id,time,text\n1,a,1458633720,\"x, y; z\"\n", ",", d)
		// Put the commas back inside the quoted text.
		in = strings.Replace(in, "\"x"+d+" y; z\"", "\"x, y; z\"", 1)
		posts, _, err := csvPosts(t, "x.csv", []byte(in), genericOpts)
		if err != nil || len(posts) != 1 || posts[0].Text != "x, y; z" {
			t.Errorf("delimiter %q: err = %v, posts = %+v", d, err, posts)
		}
		if got := detectDelimiter([]byte(in)); string(got) != d {
			t.Errorf("detectDelimiter = %q, want %q", got, d)
		}
	}
}

func TestCSVRecordsHeaderErrors(t *testing.T) {
	for name, in := range map[string]string{"empty": "", "bad header": "a,\"b\"c,d\n1,2,3\n"} {
		opts := genericOpts
		if _, _, err := csvPosts(t, "x.csv", []byte(in), opts); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func TestCSVRecordsTruncated(t *testing.T) {
	full := csvTestdata(t, "fifthtribe_sample.csv")
	// Cut inside the multi-line quoted text of the 5th record.
	i := bytes.Index(full, []byte("\n\""))
	if i < 0 {
		i = bytes.Index(full, []byte("\n"))
	}
	all, _, err := csvPosts(t, "x.csv", full, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var cutRecord int
	for k, p := range all {
		if strings.Contains(p.Text, "\n") {
			cutRecord = k
			break
		}
	}
	start := all[cutRecord].Source.Offset
	nl := int64(bytes.IndexByte(full[start:], '\n'))
	cut := full[:start+nl+5]
	posts, st, err := csvPosts(t, "x.csv", cut, Options{Format: "fifthtribe-csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != cutRecord || st.Skipped < 1 || st.SkipSamples[0].Line != all[cutRecord].Source.Line {
		t.Errorf("truncated: %d posts (want %d), skips %+v (want the first at line %d)", len(posts), cutRecord, st.SkipSamples, all[cutRecord].Source.Line)
	}
}

// TestCSVRecordsGuardLimitsMemory feeds a record far larger than the
// feed's buffer, so the feed's guard (not the after-the-fact check) stops
// encoding/csv from buffering it.
func TestCSVRecordsGuardLimitsMemory(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,account_id,time,text\n1,a,1458633720,\"open quote and no close\n")
	line := strings.Repeat("z", 99) + "\n"
	for b.Len() < 4<<20 {
		b.WriteString(line)
	}
	b.WriteString("2,a,1458633720,after\n")
	opts := genericOpts
	opts.Limits.MaxRecordBytes = 256 << 10
	ids, st, err := postIDs(t, b.String(), opts)
	if err != nil {
		t.Fatal(err)
	}
	// The swallowed "zzz" lines are replayed as one-field records (wrong
	// field count); the record after them is read.
	if len(ids) != 1 || ids[0] != "2" || st.SkipReasons["record too long"] != 1 {
		t.Errorf("ids = %v, reasons = %v", ids, st.SkipReasons)
	}
}
