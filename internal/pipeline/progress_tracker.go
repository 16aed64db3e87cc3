package pipeline

import (
	"io"
	"time"
)

// NewTracker returns a Progress that displays nothing and is read with
// Snapshot: the server's background jobs report their phase and posts
// through it. Close is a no-op on it.
func NewTracker() *Progress {
	done := make(chan struct{})
	close(done)
	return &Progress{w: io.Discard, start: time.Now(), stop: make(chan struct{}), done: done}
}

// Snapshot returns the current phase and the posts ingested so far.
func (p *Progress) Snapshot() (phase string, posts int64) {
	if p == nil {
		return "", 0
	}
	p.mu.Lock()
	phase = p.phase
	p.mu.Unlock()
	return phase, p.posts.Load()
}
