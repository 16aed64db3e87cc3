package eventlib

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// The library file (`chorus events export` / `import`) is one JSON
// document:
//
//	{"format": "chorus-event-library", "version": 1,
//	 "chorus_version": "…", "exported": "2026-…Z",
//	 "events": [ {Event}, … ]}
//
// A bare JSON array of events is accepted on import too, for hand-written
// files. Runs are not exported: they point at result directories on the
// machine that ran them.
const (
	LibraryFormat  = "chorus-event-library"
	LibraryVersion = 1
	// MaxLibraryBytes bounds the size of an imported library file.
	MaxLibraryBytes = 256 << 20
)

// Library is the library file.
type Library struct {
	Format        string    `json:"format"`
	Version       int       `json:"version"`
	ChorusVersion string    `json:"chorus_version,omitempty"`
	Exported      time.Time `json:"exported,omitzero"`
	Events        []Event   `json:"events"`
}

// NewLibrary wraps events for export.
func NewLibrary(evs []Event, chorusVersion string, exported time.Time) *Library {
	if evs == nil {
		evs = []Event{}
	}
	return &Library{Format: LibraryFormat, Version: LibraryVersion, ChorusVersion: chorusVersion, Exported: exported.UTC(), Events: evs}
}

// Encode writes the library as indented JSON.
func (l *Library) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		return fmt.Errorf("encode event library: %w", err)
	}
	return nil
}

// Decode reads a library file (at most MaxLibraryBytes), rejects
// unknown fields, other formats and newer versions, and returns its
// events validated and normalized (see Event.Normalized). Errors wrap
// ErrInvalid and name the offending event.
func Decode(r io.Reader) (*Library, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxLibraryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read event library: %w", err)
	}
	if len(b) > MaxLibraryBytes {
		return nil, fmt.Errorf("read event library: %w: larger than %d bytes", ErrInvalid, MaxLibraryBytes)
	}
	b = bytes.TrimSpace(b)
	var lib Library
	if len(b) > 0 && b[0] == '[' {
		lib.Format, lib.Version = LibraryFormat, LibraryVersion
		if err := strictUnmarshal(b, &lib.Events); err != nil {
			return nil, err
		}
	} else {
		// The header is read first so that a newer file is refused for
		// its version, not for a field this chorus does not know.
		var head struct {
			Format  string `json:"format"`
			Version int    `json:"version"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return nil, fmt.Errorf("read event library: %w: %v", ErrInvalid, err)
		}
		if head.Format != LibraryFormat {
			return nil, fmt.Errorf("read event library: %w: \"format\" is %q, want %q (is this a `chorus events export` file?)", ErrInvalid, head.Format, LibraryFormat)
		}
		if head.Version < 1 || head.Version > LibraryVersion {
			return nil, fmt.Errorf("read event library: %w: version %d, this chorus reads version 1..%d (export it again with this chorus's version, or upgrade)", ErrInvalid, head.Version, LibraryVersion)
		}
		if err := strictUnmarshal(b, &lib); err != nil {
			return nil, err
		}
	}
	seen := make(map[string]int, len(lib.Events))
	for i := range lib.Events {
		n, _, err := lib.Events[i].Normalized()
		if err != nil {
			return nil, fmt.Errorf("read event library: event %d: %w", i+1, err)
		}
		if j, ok := seen[n.Name]; ok {
			return nil, fmt.Errorf("read event library: %w: event %q appears twice (entries %d and %d)", ErrInvalid, n.Name, j+1, i+1)
		}
		seen[n.Name] = i
		// In a file, an empty vector and an absent one are the same
		// (import replaces both with "none").
		if len(n.Indicators) == 0 {
			n.Indicators = nil
		}
		if len(n.Lists) == 0 {
			n.Lists = nil
		}
		lib.Events[i] = n
	}
	if lib.Events == nil {
		lib.Events = []Event{}
	}
	return &lib, nil
}

// strictUnmarshal decodes one JSON value, refusing unknown fields and
// trailing data.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("read event library: %w: %v", ErrInvalid, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("read event library: %w: data after the JSON document", ErrInvalid)
	}
	return nil
}
