package server

import (
	"sync"
	"time"
)

// limiter is a keyed token bucket: each key holds up to burst tokens and
// regains burst tokens per period, continuously. It is used for login
// attempts per client address and per user name. Memory is bounded: when
// more than maxKeys keys are held, full buckets are dropped first, and if
// that is not enough the oldest are.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	maxKeys int
	keys    map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(burst int, period time.Duration, maxKeys int) *limiter {
	if burst < 1 {
		burst = 1
	}
	return &limiter{burst: float64(burst), perSec: float64(burst) / period.Seconds(), maxKeys: maxKeys, keys: map[string]*bucket{}}
}

// allow takes one token of key at now; false (with the wait until the
// next token) when there is none.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.keys[key]
	if !ok {
		if len(l.keys) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.keys[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.perSec)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
	return false, wait
}

// reset gives key a full bucket again (a successful login clears the
// user's failures).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.keys, key)
	l.mu.Unlock()
}

// evict drops buckets that have refilled (they equal a new bucket), then,
// if still over the bound, half of the rest by age.
func (l *limiter) evict(now time.Time) {
	for k, b := range l.keys {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.keys, k)
		}
	}
	if len(l.keys) < l.maxKeys {
		return
	}
	var cutoff time.Time
	n := 0
	for _, b := range l.keys {
		if n == 0 || b.last.Before(cutoff) {
			cutoff = b.last
		}
		n++
	}
	// Drop everything at or before the median age estimate: the oldest
	// half approximately (two passes keep it O(n)).
	mid := cutoff.Add(now.Sub(cutoff) / 2)
	for k, b := range l.keys {
		if !b.last.After(mid) {
			delete(l.keys, k)
		}
	}
}
