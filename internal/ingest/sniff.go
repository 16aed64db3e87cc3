package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
)

// sniffResult is the outcome of format detection.
type sniffResult struct {
	Format string
	// Guess is the closest format when Format is empty, with why it was
	// rejected, for the error message.
	Guess string
	Why   string
}

// sniff decides the format from the first bytes of the decompressed stream.
func sniff(head []byte) sniffResult {
	head = bytes.TrimPrefix(head, utf8BOM)
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 {
		return sniffResult{Why: "the file is empty"}
	}
	switch t[0] {
	case '{', '[':
		return sniffJSON(t)
	}
	if !looksText(t) {
		return sniffResult{Why: "the file is binary (not JSON or CSV text, not gzip or zstd)"}
	}
	return sniffCSV(t)
}

// looksText reports whether b looks like text (few control bytes).
func looksText(b []byte) bool {
	n := min(len(b), 4096)
	bad := 0
	for _, c := range b[:n] {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			bad++
		}
	}
	return bad*100 <= n
}

// sniffJSON classifies JSON input by the top-level keys of its first
// record (the first object, or the first element of a top-level array),
// whether compact or pretty-printed. When the record does not end within
// the sniffed head (a v2 page line can be megabytes), the keys seen so far
// are completed with key names found anywhere in the head.
func sniffJSON(t []byte) sniffResult {
	keys, complete := firstRecordKeys(t)
	if !complete {
		for _, k := range []string{"messages", "chats", "personal_information", "data", "includes", "id_str", "user", "author_id", "edit_history_tweet_ids", "account_id", "handle", "time", "text", "created_at", "retweeted_status", "delete", "date_unixtime", "from_id", "statuses", "search_metadata"} {
			if bytes.Contains(t, []byte(`"`+k+`"`)) {
				keys[k] = true
			}
		}
	}
	return classifyJSONKeys(keys)
}

func classifyJSONKeys(k map[string]bool) sniffResult {
	switch {
	case k["messages"] || k["personal_information"] || (k["chats"] && !k["data"]):
		return sniffResult{Format: "telegram-json"}
	case k["data"] && (k["includes"] || k["meta"] || k["matching_rules"] || k["errors"] || k["__twarc"]):
		return sniffResult{Format: "twitter-v2"}
	case k["delete"] || k["limit"] || k["scrub_geo"] || k["status_withheld"] || k["user_withheld"]:
		return sniffResult{Format: "twitter-v1"}
	case k["statuses"] || k["search_metadata"]:
		return sniffResult{Format: "twitter-v1"}
	case k["id_str"] && (k["user"] || k["created_at"]):
		return sniffResult{Format: "twitter-v1"}
	case k["retweeted_status"] || k["full_text"] || k["extended_tweet"]:
		return sniffResult{Format: "twitter-v1"}
	case (k["author_id"] || k["edit_history_tweet_ids"] || k["author"] || k["referenced_tweets"]) && k["text"]:
		return sniffResult{Format: "twitter-v2"}
	case k["data"]:
		return sniffResult{Format: "twitter-v2"}
	case (k["account_id"] || k["handle"] || k["account"]) && (k["time"] || k["timestamp"]):
		return sniffResult{Format: "generic-jsonl"}
	case k["text"] && k["created_at"]:
		return sniffResult{Guess: "twitter-v1", Why: "it has text and created_at but neither id_str nor author_id"}
	}
	return sniffResult{Guess: "generic-jsonl", Why: "no key names an account (account_id/handle) and a time (time/timestamp); map them with --map account=COL,time=COL --format generic-jsonl"}
}

// firstRecordKeys returns the top-level keys of the first JSON object in
// t (entering a top-level array), as far as t goes; complete reports
// whether the object ended within t. Values are skipped, not decoded.
func firstRecordKeys(t []byte) (keys map[string]bool, complete bool) {
	keys = map[string]bool{}
	sc := newJSONScanner(bufio.NewReader(bytes.NewReader(t)), 0, DefaultMaxDepth)
	c, err := sc.peek()
	if err == nil && c == '[' {
		sc.discard(1)
		c, err = sc.peek()
	}
	if err != nil || c != '{' {
		return keys, false
	}
	err = sc.object(func(k string) (bool, error) {
		keys[k] = true
		return false, nil
	})
	return keys, err == nil
}

// csvHeader parses the first CSV record of t and returns its lower-cased,
// trimmed fields and the delimiter (comma, tab or semicolon, whichever is
// most frequent outside quotes in the first line).
func csvHeader(t []byte) ([]string, rune, error) {
	delim := detectDelimiter(t)
	r := csv.NewReader(bytes.NewReader(t))
	r.Comma = delim
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err != nil {
		return nil, delim, err
	}
	for i := range rec {
		rec[i] = strings.ToLower(strings.TrimSpace(rec[i]))
	}
	return rec, delim, nil
}

// csvLayouts are the known CSV headers, most specific first. A layout
// matches when every required column is present.
var csvLayouts = []struct {
	format   string
	required []string
}{
	{"twarc2-csv", []string{"id", "conversation_id", "author_id", "created_at", "text"}},
	{"twarc-csv", []string{"id", "tweet_url", "created_at", "user_screen_name", "text", "tweet_type"}},
	{"twarc2-csv", []string{"id", "author.username", "created_at", "text", "referenced_tweets.retweeted.id"}},
	{"telethon-csv", []string{"channel_id", "msg_id", "date"}},
	// 4CAT's Telegram export; read by the same reader.
	{"telethon-csv", []string{"thread_id", "chat", "author", "body", "unix_timestamp", "author_forwarded_from_name"}},
	{"coortweet-csv", []string{"object_id", "account_id", "content_id", "timestamp_share"}},
	{"coortweet-multi-csv", []string{"account_id", "post_id", "timestamp"}},
	{"qut-csv", []string{"message_id", "user_id", "username", "repost_id", "message", "timestamp"}},
	{"fifthtribe-csv", []string{"name", "username", "time", "tweets"}},
}

// sniffCSV classifies CSV input by its header.
func sniffCSV(t []byte) sniffResult {
	hdr, _, err := csvHeader(t)
	if err != nil || len(hdr) < 2 {
		return sniffResult{Why: "the first line is not a CSV header with two or more columns"}
	}
	have := map[string]bool{}
	for _, h := range hdr {
		have[h] = true
	}
	bestFormat, bestHit, bestTotal := "", -1, 0
	for _, l := range csvLayouts {
		hit := 0
		for _, c := range l.required {
			if have[c] {
				hit++
			}
		}
		if hit == len(l.required) {
			return sniffResult{Format: l.format}
		}
		if hit*bestTotal > bestHit*len(l.required) || bestHit < 0 {
			bestFormat, bestHit, bestTotal = l.format, hit, len(l.required)
		}
	}
	if genericCSVMatches(have) {
		return sniffResult{Format: "generic-csv"}
	}
	return sniffResult{Guess: bestFormat, Why: fmt.Sprintf("its header matches %d of the %d columns %s needs; for other layouts use --format generic-csv --map account=COL,time=COL,text=COL", bestHit, bestTotal, bestFormat)}
}

// genericCSVMatches reports whether a header has the generic schema's
// required columns (an account and a time).
func genericCSVMatches(have map[string]bool) bool {
	acct := have["account_id"] || have["handle"] || have["account"]
	tm := have["time"] || have["timestamp"]
	return acct && tm
}
