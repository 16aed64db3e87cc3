package ingest

import (
	"bytes"
	"fmt"
)

// Limits bound the resources one input may use. Every limit is documented
// in docs/security.md, overridable from the config, and tested at its edge.
type Limits struct {
	// MaxRecordBytes bounds one line (JSONL, CSV record) or one JSON
	// document that must be held whole (Telegram result.json, a JSON array
	// element).
	MaxRecordBytes int
	// MaxDocumentBytes bounds a whole-file JSON document (a Telegram
	// Desktop export or a top-level JSON array).
	MaxDocumentBytes int64
	// MaxDepth bounds JSON nesting.
	MaxDepth int
	// MaxDecompressed bounds the decompressed size of one file.
	MaxDecompressed int64
	// MaxRatio bounds decompressed/compressed size once RatioAfter bytes
	// have been decompressed (a decompression bomb guard).
	MaxRatio int64
	// RatioAfter is how many decompressed bytes pass before MaxRatio
	// applies (small files compress extremely well legitimately).
	RatioAfter int64
	// MaxCSVFields bounds the number of fields in one CSV record.
	MaxCSVFields int
	// MaxFiles bounds the number of input files in one run.
	MaxFiles int
}

// Default limits: generous for real exports (the largest real record seen
// is a v2 page of ~1 MB; Telegram exports of a busy channel reach a few
// hundred MB), small enough that a hostile file cannot exhaust memory.
const (
	DefaultMaxRecordBytes   = 16 << 20
	DefaultMaxDocumentBytes = 2 << 30
	DefaultMaxDepth         = 128
	DefaultMaxDecompressed  = 256 << 30
	DefaultMaxRatio         = 2000
	DefaultMaxCSVFields     = 4096
	DefaultMaxFiles         = 100000
	DefaultRatioAfter       = 64 << 20
)

// DefaultLimits returns the documented defaults.
func DefaultLimits() Limits {
	return Limits{
		MaxRecordBytes:   DefaultMaxRecordBytes,
		MaxDocumentBytes: DefaultMaxDocumentBytes,
		MaxDepth:         DefaultMaxDepth,
		MaxDecompressed:  DefaultMaxDecompressed,
		MaxRatio:         DefaultMaxRatio,
		RatioAfter:       DefaultRatioAfter,
		MaxCSVFields:     DefaultMaxCSVFields,
		MaxFiles:         DefaultMaxFiles,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxRecordBytes <= 0 {
		l.MaxRecordBytes = d.MaxRecordBytes
	}
	if l.MaxDocumentBytes <= 0 {
		l.MaxDocumentBytes = d.MaxDocumentBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxDecompressed <= 0 {
		l.MaxDecompressed = d.MaxDecompressed
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.RatioAfter <= 0 {
		l.RatioAfter = d.RatioAfter
	}
	if l.MaxCSVFields <= 0 {
		l.MaxCSVFields = d.MaxCSVFields
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = d.MaxFiles
	}
	return l
}

// CheckDepth reports ErrLimit when the JSON text b nests deeper than max.
// It scans bytes once, skipping string contents, and runs before decoding so
// that no decoder recurses on hostile nesting. String bodies are skipped
// with bytes.IndexByte (vectorised), so the check costs a fraction of the
// decode on real tweets.
func CheckDepth(b []byte, max int) error {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			end := stringEnd(b, i+1)
			if end < 0 {
				return nil // unterminated string: no structure follows
			}
			i = end
		case '{', '[':
			depth++
			if depth > max {
				return fmt.Errorf("%w: JSON nesting deeper than %d at byte %d (raise --max-depth if the file is genuine)", ErrLimit, max, i)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// stringEnd returns the index of the quote closing a JSON string whose body
// starts at b[from], or -1 when the string is unterminated. A quote is
// escaped when an odd run of backslashes precedes it.
func stringEnd(b []byte, from int) int {
	j := from
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		j += k
		n := 0
		for m := j - 1; m >= from && b[m] == '\\'; m-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
		j++
	}
}
