package pipeline

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Progress shows phases and throughput on a terminal. A nil *Progress is
// valid and silent, so library code calls it unconditionally.
type Progress struct {
	w       io.Writer
	posts   atomic.Int64
	mu      sync.Mutex
	phase   string
	start   time.Time
	phStart time.Time
	stop    chan struct{}
	done    chan struct{}
}

// NewProgressIsTTY reports whether f is a terminal.
func NewProgressIsTTY(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// NewProgress returns a Progress writing to w when w is a terminal, and
// nil otherwise (quiet when not a TTY).
func NewProgress(w io.Writer) *Progress {
	f, ok := w.(*os.File)
	if !ok || !NewProgressIsTTY(f) {
		return nil
	}
	p := &Progress{w: w, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

// Phase starts a named phase.
func (p *Progress) Phase(name string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.phase, p.phStart = name, time.Now()
	p.mu.Unlock()
}

// AddPosts counts ingested posts.
func (p *Progress) AddPosts(n int64) {
	if p == nil {
		return
	}
	p.posts.Add(n)
}

// Close stops the display.
func (p *Progress) Close() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
	fmt.Fprint(p.w, "\r\033[K")
}

func (p *Progress) loop() {
	defer close(p.done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			ph, since := p.phase, time.Since(p.phStart)
			p.mu.Unlock()
			n := p.posts.Load()
			el := time.Since(p.start).Seconds()
			rate := 0.0
			if el > 0 {
				rate = float64(n) / el
			}
			fmt.Fprintf(p.w, "\r\033[K%-14s %6.1fs | %d posts ingested (%.0f posts/s) | total %.1fs", ph, since.Seconds(), n, rate, el)
		}
	}
}
