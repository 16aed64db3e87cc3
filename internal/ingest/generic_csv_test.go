package ingest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestGenericCSVFixture(t *testing.T) {
	in := csvTestdata(t, "generic_sample.csv")
	if got := sniff(in).Format; got != "generic-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil || st.Posts != 4 || st.Reposts != 2 || st.Inferred != 1 || st.Replies != 1 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	p := posts[0]
	if p.ID != "p1" || p.Platform != model.PlatformTwitter || p.AccountID != "u1" || p.Handle != "alice" || p.Client != "web" ||
		!p.Time.Equal(time.Date(2016, 3, 22, 8, 0, 0, 0, time.UTC)) || !slices.Equal(p.Hashtags, []string{"Brussels", "BrusselsAttacks"}) ||
		len(p.Media) != 1 || !strings.HasPrefix(p.Media[0].Hash, "sha256:") {
		t.Errorf("p1 = %+v", p)
	}
	if p := posts[1]; !slices.Equal(p.Hashtags, []string{"Brussels", "BrusselsAttacks"}) || p.RepostOf != (model.Link{Handle: "alice", Inferred: true}) || !slices.Equal(p.Mentions, []string{"alice"}) {
		t.Errorf("p2 = %+v", p)
	}
	if p := posts[2]; p.Platform != model.PlatformTelegram || p.RepostOf != (model.Link{PostID: "p1", AccountID: "u1"}) ||
		!slices.Equal(p.URLs, []string{"https://a.example/x", "https://b.example/y"}) || p.Media[0].Ref != "https://cdn.example/img.jpg" || !p.Time.Equal(time.Unix(1458633720, 0)) {
		t.Errorf("p3 = %+v", p)
	}
	if p := posts[3]; p.ID != "" || p.ReplyTo != (model.Link{PostID: "p1", AccountID: "u1"}) || !slices.Equal(p.Mentions, []string{"alice", "bob"}) || !p.Time.Equal(time.UnixMilli(1458633780000)) {
		t.Errorf("p4 = %+v", p)
	}
}

func TestGenericCSVMap(t *testing.T) {
	in := "tweet_id;user;date;body\n42;someone;2016-03-22 09:00;hello #x\n"
	opts := Options{Format: "generic-csv", Map: map[string]string{"id": "tweet_id", "account": "user", "time": "date", "text": "body"}}
	posts, _, err := csvPosts(t, "x.csv", []byte(in), opts)
	if err != nil || len(posts) != 1 || posts[0].ID != "42" || posts[0].AccountID != "someone" || posts[0].Text != "hello #x" {
		t.Fatalf("err = %v, posts = %+v", err, posts)
	}

	// Missing required columns: the error names them, lists the header
	// and shows the --map syntax.
	_, _, err = csvPosts(t, "x.csv", []byte(in), Options{Format: "generic-csv"})
	if !errorsIs(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	for _, want := range []string{"an account", "a time", "tweet_id, user, date, body", "--map account="} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	opts.Map = map[string]string{"account": "nosuch", "time": "date"}
	if _, _, err = csvPosts(t, "x.csv", []byte(in), opts); err == nil || !strings.Contains(err.Error(), `no column "nosuch"`) {
		t.Errorf("unknown mapped column: err = %v", err)
	}
	opts.Map = map[string]string{"acount": "user", "time": "date"}
	if _, _, err = csvPosts(t, "x.csv", []byte(in), opts); err == nil || !strings.Contains(err.Error(), `unknown field "acount"`) {
		t.Errorf("unknown field: err = %v", err)
	}
}

func TestGenericCSVBadRows(t *testing.T) {
	in := "account_id,time,text\n,2016-03-22T08:00:00Z,no account\na,yesterday,bad time\nb,2016-03-22T08:00:00Z,ok\n"
	posts, st, err := csvPosts(t, "x.csv", []byte(in), Options{})
	if err != nil || len(posts) != 1 || st.SkipReasons["missing account"] != 1 || st.SkipReasons["bad time"] != 1 {
		t.Errorf("err = %v, posts = %d, reasons = %v", err, len(posts), st.SkipReasons)
	}
}

func TestSplitListCell(t *testing.T) {
	for _, c := range []struct {
		in     string
		commas bool
		prefix byte
		want   []string
	}{
		{"a b|c", true, 0, []string{"a", "b", "c"}},
		{"#a, #b,#c", true, '#', []string{"a", "b", "c"}},
		{"https://x/a,b https://y", false, 0, []string{"https://x/a,b", "https://y"}},
		{`["@x", "@y"]`, true, '@', []string{"x", "y"}},
		{"  ", true, 0, nil},
		{"# | #", true, '#', nil},
	} {
		if got := splitListCell(c.in, nil, c.commas, c.prefix); !slices.Equal(got, c.want) {
			t.Errorf("splitListCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzGenericCSV(f *testing.F) {
	f.Add(csvTestdata(f, "generic_sample.csv"))
	f.Add([]byte("account_id,time\na,1458633720\n"))
	f.Add([]byte("id;account_id;time;text\n1;a;1458633720;\"x\"\"y\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCSVReader(t, in, "generic-csv") })
}
