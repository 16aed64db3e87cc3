package ingest

import (
	"bufio"
	"context"
	"sort"
	"time"
)

// readCtx is what a format reader gets: the decompressed stream, the
// options, and the sink that counts, emits and records skips.
type readCtx struct {
	ctx  context.Context
	path string
	// dir is the folder that relative media paths inside the export are
	// resolved against (the input file's folder); "" for stdin.
	dir  string
	r    *bufio.Reader
	opts *Options
	lim  Limits
	sink *recordSink
	// tz is opts.TZ or UTC.
	tz *time.Location
}

// formatReader reads a whole stream, calling rc.sink.post for each post and
// rc.sink.skip for each malformed record. It returns an error only when the
// read cannot continue (I/O, limits, strict mode, Emit's error).
type formatReader func(rc *readCtx) error

// formatSpec describes one input format.
type formatSpec struct {
	Name string
	// Doc is one line for `chorus formats` and the README.
	Doc  string
	read formatReader
}

// formats lists every reader. Order matters only for display.
var formats = []formatSpec{
	{"twitter-v1", "Twitter API v1.1 tweets: JSONL, JSON array or single object (REST, search, streaming)", readTwitterV1},
	{"twitter-v2", "Twitter API v2 as written by twarc2: response pages, flattened lines, stream lines", readTwitterV2},
	{"telegram-json", "Telegram Desktop export result.json (single chat or full export)", readTelegramJSON},
	{"twarc-csv", "twarc v1 json2csv CSV (37 columns)", readTwarcCSV},
	{"twarc2-csv", "twarc-csv (v2) CSV with dotted column names", readTwarc2CSV},
	{"telethon-csv", "Telethon / 4CAT Telegram CSV (channel_id, msg_id, forward_msg_* …)", readTelethonCSV},
	{"coortweet-csv", "CooRTweet input: object_id, account_id, content_id, timestamp_share", readCooRTweetCSV},
	{"coortweet-multi-csv", "CooRTweet multi-modal: account_id, post_id, url_id, hashtag_id, domain_id, phash_id, timestamp", readCooRTweetMultiCSV},
	{"qut-csv", "QUT coordination-network-toolkit CSV: message_id, user_id, username, repost_id, reply_id, message, timestamp, urls", readQUTCSV},
	{"fifthtribe-csv", "Fifth Tribe \"How ISIS uses Twitter\" CSV (and the IsisFanboy variant with tweetid)", readFifthTribeCSV},
	{"generic-jsonl", "chorus generic JSONL schema (docs/formats.md); --map renames keys", readGenericJSONL},
	{"generic-csv", "chorus generic CSV schema (docs/formats.md); --map renames columns", readGenericCSV},
}

// Formats returns the names and one-line descriptions of all readers.
func Formats() [][2]string {
	out := make([][2]string, len(formats))
	for i, f := range formats {
		out[i] = [2]string{f.Name, f.Doc}
	}
	return out
}

func lookupFormat(name string) (formatSpec, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return formatSpec{}, false
}

// FormatNames returns the reader names, sorted.
func FormatNames() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	sort.Strings(out)
	return out
}
