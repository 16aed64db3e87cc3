package ingest

import (
	stdjson "encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestTelegramSample(t *testing.T) {
	tz := time.FixedZone("UTC+3", 3*3600)
	posts, st, err := readPosts(t, "testdata/telegram_result.json", nil, Options{TZ: tz})
	if err != nil {
		t.Fatal(err)
	}
	if st.Format != "telegram-json" || len(posts) != 18 || st.Skipped != 0 {
		t.Fatalf("%s %d posts %v", st.Format, len(posts), st.SkipReasons)
	}
	byID := map[string]model.Post{}
	for _, p := range posts {
		if p.Platform != model.PlatformTelegram || p.AccountID != "channel1292077344" || p.Handle != "test" {
			t.Errorf("post %s: %v %s %s", p.ID, p.Platform, p.AccountID, p.Handle)
		}
		byID[p.ID] = p
	}
	p2 := byID["1292077344/2"]
	// "2020-11-12T12:54:07" is naive local time, read in the given zone.
	if p2.Text != "test text post" || !p2.Time.Equal(time.Date(2020, 11, 12, 9, 54, 7, 0, time.UTC)) || p2.Time.Location() != time.UTC {
		t.Errorf("post 2: %q %v", p2.Text, p2.Time)
	}
	if p := byID["1292077344/5"]; p.Text != "italic\n\nbold\n\nunderline\n\nstrikethrough\n\nmonospace" {
		t.Errorf("post 5 text %q", p.Text)
	}
	if p := byID["1292077344/14"]; !slices.Equal(p.URLs, []string{"http://example.com/", "example.com"}) || p.Text != "text link\n\nexample.com\n\nexample@example.com" {
		t.Errorf("post 14: %q %v", p.Text, p.URLs)
	}
	if p := byID["1292077344/3"]; !reflect.DeepEqual(p.Media, []model.Media{{Type: model.MediaPhoto, Ref: "photos/photo_1@12-11-2020_12-57-31.jpg"}}) {
		t.Errorf("post 3 media %+v", p.Media)
	}
	if p := byID["1292077344/7"]; len(p.Media) != 1 || p.Media[0].Type != model.MediaAudio || p.Media[0].Ref != "voice_messages/audio_1@12-11-2020_13-01-05.ogg" {
		t.Errorf("post 7 media %+v", p.Media)
	}
	if p := byID["1292077344/26"]; len(p.Media) != 1 || p.Media[0].Type != model.MediaDocument {
		t.Errorf("post 26 media %+v", p.Media)
	}
	if _, ok := byID["1292077344/1"]; ok {
		t.Errorf("the service message was emitted as a post")
	}
	if full := sharedData(t, "telegram-desktop-export-sample/result.json"); full != "" {
		_, st, err := readPosts(t, full, nil, Options{})
		if err != nil || st.Posts != 18 || st.Format != "telegram-json" {
			t.Errorf("real sample: %v %s %d posts", err, st.Format, st.Posts)
		}
	}
}

// TestTelegramExport reads a full export (chats.list and left_chats.list)
// with hostile media paths.
func TestTelegramExport(t *testing.T) {
	posts, st, err := readPosts(t, "testdata/telegram_export/result.json", nil, Options{TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]model.Post{}
	var ids []string
	for _, p := range posts {
		byID[p.ID] = p
		ids = append(ids, p.ID)
	}
	wantIDs := []string{"1001/2", "1001/3", "1001/4", "1001/5", "1001/6", "1001/7", "1001/8", "1001/9", "3003/1", "2002/10"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("ids %v, want %v", ids, wantIDs)
	}
	// ../, absolute, ..-in-the-middle and a Windows drive path: 4 unsafe.
	if st.SkipReasons["unsafe media path"] != 4 || st.Skipped != 4 {
		t.Errorf("skips %v", st.SkipReasons)
	}
	for _, s := range st.SkipSamples {
		if !strings.Contains(s.Detail, ErrUnsafePath.Error()) {
			t.Errorf("skip %+v does not name ErrUnsafePath", s)
		}
	}
	p := byID["1001/2"]
	if p.Text != "Breaking #Attack by @reporter see https://example.com/a and this" ||
		!slices.Equal(p.Hashtags, []string{"Attack"}) || !slices.Equal(p.Mentions, []string{"reporter"}) ||
		!slices.Equal(p.URLs, []string{"https://example.com/a", "https://example.org/b"}) ||
		!p.Time.Equal(time.Unix(1709287500, 0)) || p.AccountID != "channel1001" || p.Handle != "Alpha News" {
		t.Errorf("post 1001/2 %+v", p)
	}
	if m := byID["1001/3"].Media; len(m) != 1 || m[0].Ref != "photos/ok.jpg" || m[0].Type != model.MediaPhoto {
		t.Errorf("safe photo %+v", m)
	}
	for _, id := range []string{"1001/4", "1001/5", "1001/7", "1001/8"} {
		if m := byID[id].Media; len(m) != 1 || m[0].Ref != "" {
			t.Errorf("post %s: unsafe media kept as %+v", id, m)
		}
	}
	if m := byID["1001/5"].Media; len(m) != 1 || m[0].Type != model.MediaVideo {
		t.Errorf("post 1001/5 media type %+v", m)
	}
	if m := byID["1001/6"].Media; len(m) != 1 || m[0].Ref != "" || m[0].Type != model.MediaAudio {
		t.Errorf("placeholder media %+v", m)
	}
	p7 := byID["1001/7"]
	if p7.RepostOf != (model.Link{Handle: "Some Other Channel"}) || p7.ReplyTo != (model.Link{PostID: "1001/2"}) {
		t.Errorf("forward/reply %+v %+v", p7.RepostOf, p7.ReplyTo)
	}
	if p8 := byID["1001/8"]; p8.AccountID != "channel1001" || p8.Handle != "Alpha News" {
		t.Errorf("channel post without from_id: %s %s", p8.AccountID, p8.Handle)
	}
	// Paths that do not exist and stay inside are kept.
	if m := byID["1001/9"].Media; len(m) != 2 || m[0].Ref != "photos/link.jpg" || m[1].Ref != "escape/x.jpg" || m[1].Type != model.MediaDocument {
		t.Errorf("post 1001/9 media %+v", m)
	}
	if g := byID["3003/1"]; g.AccountID != "user303" || !slices.Equal(g.Hashtags, []string{"late"}) {
		t.Errorf("messages before the chat id: %+v", g)
	}
	b := byID["2002/10"]
	if b.AccountID != "777" || b.Handle != "Bob" || b.ReplyTo != (model.Link{PostID: "1001/3"}) || !b.Time.Equal(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("left chat post %+v", b)
	}
	if _, _, err := readPosts(t, "testdata/telegram_export/result.json", nil, Options{Strict: true}); !errors.Is(err, ErrStrict) || !strings.Contains(err.Error(), "unsafe media path") {
		t.Errorf("strict: err %v, want ErrStrict for the unsafe path", err)
	}
}

// TestTelegramSymlinkEscape copies the export and plants symlinks that
// lead out of it: the paths that were safe in testdata become unsafe.
func TestTelegramSymlinkEscape(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	export := filepath.Join(root, "export")
	for _, d := range []string{outside, filepath.Join(export, "photos")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(outside, "secret.jpg")
	if err := os.WriteFile(secret, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/telegram_export/result.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(export, "result.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(export, "photos", "ok.jpg"), []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(export, "photos", "link.jpg")); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	if err := os.Symlink(outside, filepath.Join(export, "escape")); err != nil {
		t.Fatal(err)
	}
	posts, st, err := readPosts(t, filepath.Join(export, "result.json"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.SkipReasons["unsafe media path"] != 6 {
		t.Errorf("skips %v, want 6 unsafe media paths", st.SkipReasons)
	}
	for _, p := range posts {
		switch p.ID {
		case "1001/9":
			if len(p.Media) != 2 || p.Media[0].Ref != "" || p.Media[1].Ref != "" {
				t.Errorf("symlinked media followed: %+v", p.Media)
			}
		case "1001/3":
			if len(p.Media) != 1 || p.Media[0].Ref != "photos/ok.jpg" {
				t.Errorf("safe media lost: %+v", p.Media)
			}
		}
	}
}

func TestExportPath(t *testing.T) {
	base := t.TempDir()
	cases := []struct {
		raw, want string
		unsafe    bool
	}{
		{"photos/a.jpg", "photos/a.jpg", false},
		{"./files/b.ogg", "files/b.ogg", false},
		{"files//c", "files/c", false},
		{"(File not included. Change data exporting settings to download.)", "", false},
		{"", "", false},
		{"../a.jpg", "", true},
		{"photos/../../a.jpg", "", true},
		{"photos/..", "", true},
		{"/etc/passwd", "", true},
		{`..\..\win.ini`, "", true},
		{`C:\Windows\win.ini`, "", true},
		{"c:/x", "", true},
		{`\\server\share\x`, "", true},
		{"a\x00b", "", true},
	}
	for _, c := range cases {
		got, err := exportPath(base, c.raw)
		if c.unsafe != (err != nil) || got != c.want {
			t.Errorf("exportPath(%q) = %q, %v; want %q unsafe=%v", c.raw, got, err, c.want, c.unsafe)
		}
		if err != nil && !errors.Is(err, ErrUnsafePath) {
			t.Errorf("exportPath(%q): %v is not ErrUnsafePath", c.raw, err)
		}
	}
	// Without a folder (stdin) the lexical checks still apply.
	if _, err := exportPath("", "../x"); !errors.Is(err, ErrUnsafePath) {
		t.Errorf("stdin ../x: %v", err)
	}
}

func TestTelegramBadInput(t *testing.T) {
	cases := []struct {
		in      string
		posts   int
		reasons map[string]int
		fatal   bool
	}{
		{`{"id":1,"messages":[{"id":1,"type":"message","date":"2024-01-01T00:00:00","from_id":"user1","text":"a"},{"id":2,"type":"message","date":"garbage","from_id":"user1","text":"b"},{"type":"message","date":"2024-01-01T00:00:00","text":"no id"},{"id":4,"type":"message","date":"2024-01-01T00:00:00","from_id":"user1","text":{"bad":1}}]}`,
			1, map[string]int{"missing or bad field": 2, "invalid JSON": 1}, false},
		{`{"id":1,"messages":[{"id":1,"type":"message","date":"2024-01-01T00:00:00","from_id":"user1","text":"a"},`, 1, map[string]int{"truncated JSON": 1}, false},
		{`{"id":1,"messages":[{"id":1} {"id":2}]}`, 0, nil, false},
		{`["not", "an", "export"]`, 0, nil, true},
		{``, 0, nil, false},
		{`{"messages":"not an array","id":5}`, 0, nil, false},
	}
	for _, c := range cases {
		posts, st, err := readPosts(t, "", []byte(c.in), Options{Format: "telegram-json"})
		if (err != nil) != c.fatal {
			t.Errorf("%.40q: err %v, fatal=%v", c.in, err, c.fatal)
		}
		if len(posts) != c.posts {
			t.Errorf("%.40q: %d posts, want %d", c.in, len(posts), c.posts)
		}
		for r, n := range c.reasons {
			if st.SkipReasons[r] != n {
				t.Errorf("%.40q: skips %v, want %s=%d", c.in, st.SkipReasons, r, n)
			}
		}
	}
}

// TestTelegramDecodersAgree decodes every fixture message with goccy and
// with encoding/json into the reader's struct.
func TestTelegramDecodersAgree(t *testing.T) {
	for _, path := range []string{"testdata/telegram_result.json", "testdata/telegram_export/result.json"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var msgs [][]byte
		var walk func(sc *jsonScanner) error
		walk = func(sc *jsonScanner) error {
			return sc.object(func(key string) (bool, error) {
				switch key {
				case "messages":
					return true, sc.array(func(int64) error {
						b, _, err := sc.value(nil, 1<<20)
						msgs = append(msgs, b)
						return err
					})
				case "chats", "left_chats":
					return true, sc.object(func(k string) (bool, error) {
						if k != "list" {
							return false, nil
						}
						return true, sc.array(func(int64) error { return walk(sc) })
					})
				}
				return false, nil
			})
		}
		if err := walk(newJSONScannerForTest(data)); err != nil {
			t.Fatal(err)
		}
		if len(msgs) < 10 {
			t.Fatalf("%s: only %d messages found", path, len(msgs))
		}
		for i, m := range msgs {
			var a, b tgMessage
			if err := json.Unmarshal(m, &a); err != nil {
				t.Fatalf("%s message %d: goccy %v", path, i, err)
			}
			if err := stdjson.Unmarshal(m, &b); err != nil {
				t.Fatalf("%s message %d: encoding/json %v", path, i, err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s message %d: decoders differ:\n%+v\n%+v", path, i, a, b)
			}
		}
	}
}
