package eventlib

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDecodeLibraryTestdata(t *testing.T) {
	f, err := os.Open("testdata/library.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lib, err := Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.Events) != 3 {
		t.Fatalf("%d events", len(lib.Events))
	}
	b := lib.Events[1]
	if b.Name != "brussels-2016-03-22" || !b.T0.Equal(time.Date(2016, 3, 22, 6, 58, 0, 0, time.UTC)) ||
		b.Watch.Accounts[1] != "thefiamesofhaqq" || b.Indicators["coordinated_accounts"] != 12 ||
		len(b.Lists["top_hashtags"]) != 8 || !strings.HasPrefix(b.Watch.Hashes[0], "sha256:0f3c") {
		t.Fatalf("brussels decoded as %+v", b)
	}
	if !lib.Events[2].Watch.IsZero() || lib.Events[2].Indicators != nil {
		t.Fatalf("nice should have no watch lists or indicators: %+v", lib.Events[2])
	}
}

func TestDecodeLibraryErrors(t *testing.T) {
	ok := `{"name":"a","t0":"2016-03-22T06:58:00Z"}`
	cases := map[string]string{
		"not json":        `{"format":`,
		"wrong format":    `{"format":"something-else","version":1,"events":[]}`,
		"no format":       `{"events":[` + ok + `]}`,
		"newer version":   `{"format":"chorus-event-library","version":2,"events":[],"new_field":1}`,
		"unknown field":   `{"format":"chorus-event-library","version":1,"events":[{"name":"a","t0":"2016-03-22T06:58:00Z","colour":"red"}]}`,
		"trailing data":   `{"format":"chorus-event-library","version":1,"events":[]} {}`,
		"duplicate names": `[` + ok + `,` + ok + `]`,
		"missing t0":      `[{"name":"a"}]`,
		"bad time":        `[{"name":"a","t0":"22/03/2016"}]`,
		"bad regex":       `[{"name":"a","t0":"2016-03-22T06:58:00Z","watch":{"branding":["(("]}}]`,
		"bad indicator":   `[{"name":"a","t0":"2016-03-22T06:58:00Z","indicators":{"x":"high"}}]`,
	}
	for name, in := range cases {
		_, err := Decode(strings.NewReader(in))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	lib, err := Decode(strings.NewReader(`[` + ok + `]`))
	if err != nil || len(lib.Events) != 1 || lib.Events[0].Name != "a" {
		t.Fatalf("bare array: %+v %v", lib, err)
	}
	lib, err = Decode(strings.NewReader(`{"format":"chorus-event-library","version":1}`))
	if err != nil || lib.Events == nil || len(lib.Events) != 0 {
		t.Fatalf("empty library: %+v %v", lib, err)
	}
}

// FuzzDecodeLibrary: decoding never panics; whatever decodes is
// normalized (normalizing again changes nothing) and survives an
// encode/decode round trip unchanged.
func FuzzDecodeLibrary(f *testing.F) {
	seed, err := os.ReadFile("testdata/library.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`[{"name":"a","t0":"2016-03-22T06:58:00Z","languages":["EN","en"],"watch":{"accounts":["@X"]}}]`))
	f.Add([]byte(`{"format":"chorus-event-library","version":1,"events":[{"name":" b ","t0":"2016-03-22T06:58:00.123456+01:00","indicators":{"x":1e300,"y":-0}}]}`))
	f.Add([]byte(`[{"name":"c","t0":"2016-03-22T06:58:00Z","watch":{"hashes":["SHA256:ABCDEF0123","https://justpaste.it/AbC"],"branding":["\\[Nashir\\]"]},"lists":{"top_hashtags":["#a","#a"]}}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lib, err := Decode(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		for _, ev := range lib.Events {
			again, _, err := ev.Normalized()
			if err != nil {
				t.Fatalf("decoded event fails validation: %v", err)
			}
			if !reflect.DeepEqual(again, ev) {
				t.Fatalf("normalization not idempotent:\n%+v\n%+v", ev, again)
			}
		}
		var buf bytes.Buffer
		if err := NewLibrary(lib.Events, "fuzz", time.Unix(0, 0)).Encode(&buf); err != nil {
			t.Fatalf("encode: %v", err)
		}
		lib2, err := Decode(&buf)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, buf.Bytes())
		}
		if len(lib2.Events) != len(lib.Events) {
			t.Fatalf("round trip: %d events, want %d", len(lib2.Events), len(lib.Events))
		}
		for i := range lib.Events {
			if !sameEvent(lib.Events[i], lib2.Events[i]) {
				t.Fatalf("round trip changed event %d:\n%+v\n%+v", i, lib.Events[i], lib2.Events[i])
			}
		}
	})
}

// sameEvent compares the content, ignoring Created/Updated.
func sameEvent(a, b Event) bool {
	a.Created, a.Updated, b.Created, b.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}
