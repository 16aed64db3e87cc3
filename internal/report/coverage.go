package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/safefile"
)

// CoverageFile is the file in a result directory that holds the data
// coverage facts measured on the posts. Render writes it when it is given
// the corpus (at the end of `chorus analyze`) and reads it back when it is
// not (`chorus report`), since the posts themselves are not in the
// directory.
const CoverageFile = "coverage.json"

// Coverage is what the posts say about their own completeness: gaps,
// timestamp resolution, concentration, and signs of missing content.
type Coverage struct {
	Posts    int       `json:"posts"`
	Accounts int       `json:"accounts"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	// BinSeconds is the width of Volume's bins (one hour unless the span
	// is too long for hourly bins); Volume[0] starts at VolumeStart, the
	// first post's time truncated to the bin.
	BinSeconds  int64     `json:"bin_s"`
	VolumeStart time.Time `json:"volume_start"`
	Volume      []int     `json:"volume,omitempty"`
	// EmptyBins counts bins inside the span with no post; Gaps are the
	// runs of empty bins that the surrounding rate makes unlikely
	// (expected posts >= GapMinExpected), longest expected first.
	EmptyBins int   `json:"empty_bins"`
	Gaps      []Gap `json:"gaps"`
	GapsTotal int   `json:"gaps_total"`
	// MinuteShare is the share of posts whose time has zero seconds,
	// SecondShare the share with zero milliseconds.
	MinuteShare float64 `json:"minute_share"`
	SecondShare float64 `json:"second_share"`
	// Top10Share is the share of posts written by the 10 most active
	// accounts.
	Top10Share float64 `json:"top10_share"`
	// Reposts counts posts that repost another; RepostsWithID those whose
	// original's id is known, RepostsMissing those among them whose
	// original is not in the data, RepostsInferred those recognised from
	// an "RT @x:" prefix only.
	Reposts          int `json:"reposts"`
	RepostsWithID    int `json:"reposts_with_id"`
	RepostsMissing   int `json:"reposts_missing_original"`
	OriginalsMissing int `json:"originals_missing"`
	RepostsInferred  int `json:"reposts_inferred"`
	// SuspendedLinks counts posts linking to a suspended-account page;
	// DeletedMarkers posts whose text says the content was deleted or is
	// unavailable; EmptyText posts without text; DerivedIDs posts whose
	// export had no id.
	SuspendedLinks int `json:"suspended_links"`
	// SuspensionTalk counts posts that mention a suspension ("…account
	// suspended…", "back after suspension"): a sign of account churn
	// whose earlier content is missing.
	SuspensionTalk int            `json:"suspension_talk"`
	DeletedMarkers int            `json:"deleted_markers"`
	EmptyText      int            `json:"empty_text"`
	DerivedIDs     int            `json:"derived_ids"`
	Platforms      map[string]int `json:"platforms"`
}

// Gap is a run of empty bins.
type Gap struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Hours float64   `json:"hours"`
	// Expected is the number of posts the same hours of the surrounding
	// days (up to three on each side) predict for the gap.
	Expected float64 `json:"expected_posts"`
}

// Coverage thresholds.
const (
	// maxCoverageBins bounds the volume series; longer spans get wider
	// bins.
	maxCoverageBins = 20000
	// GapMinExpected: a run of empty bins is a gap when the same hours of
	// the surrounding days predict at least this many posts in it
	// (P(0 posts) < 1% under Poisson posting).
	GapMinExpected = 5.0
	maxGapsListed  = 20
)

// deletedMarkers are phrases platforms and archivers put in place of
// content that is gone (compared lower case).
var deletedMarkers = []string{
	"this tweet is unavailable", "this tweet was deleted", "this tweet has been deleted",
	"this tweet is from a suspended account", "this tweet is from an account that no longer exists",
	"this post is unavailable", "this post was deleted", "this message was deleted",
	"tweet unavailable", "[deleted]", "[removed]",
}

// ComputeCoverage measures the coverage facts of c. It reads every post
// once and allocates O(bins + distinct reposted originals).
func ComputeCoverage(c *corpus.Corpus) *Coverage {
	n := c.Len()
	cv := &Coverage{Posts: n, Accounts: c.NumAccounts(), Platforms: map[string]int{}, Gaps: []Gap{}, Volume: []int{}}
	if n == 0 {
		return cv
	}
	first, last := c.Time[0], c.Time[n-1]
	cv.First, cv.Last = msTime(first), msTime(last)
	bin := int64(time.Hour / time.Millisecond)
	for _, b := range []time.Duration{6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour} {
		if (last-first)/bin+1 <= maxCoverageBins {
			break
		}
		bin = int64(b / time.Millisecond)
	}
	start := floorDiv(first, bin) * bin
	nb := int((last-start)/bin) + 1
	cv.BinSeconds = bin / 1000
	cv.VolumeStart = msTime(start)
	cv.Volume = make([]int, nb)

	perAcc := make([]int32, c.NumAccounts())
	var minute, second int
	var plat [8]int
	for i := 0; i < n; i++ {
		t := c.Time[i]
		cv.Volume[(t-start)/bin]++
		if t%60000 == 0 {
			minute++
		}
		if t%1000 == 0 {
			second++
		}
		perAcc[c.Account[i]]++
		if p := c.Platform[i]; int(p) < len(plat) {
			plat[p]++
		}
		if c.Flags[i]&corpus.FlagDerivedID != 0 {
			cv.DerivedIDs++
		}
		// Only short texts are read: markers replace the whole text, and
		// touching every text's bytes costs a cache miss per post.
		txt := c.Text.At(i)
		if strings.Contains(txt, "uspen") {
			cv.SuspensionTalk++
		}
		if len(txt) <= maxMarkerText {
			if strings.TrimSpace(txt) == "" {
				cv.EmptyText++
			} else if hasDeletedMarker(txt) {
				cv.DeletedMarkers++
			}
		}
	}
	cv.MinuteShare = float64(minute) / float64(n)
	cv.SecondShare = float64(second) / float64(n)
	for p, k := range plat {
		if k > 0 {
			cv.Platforms[model.Platform(p).String()] = k
		}
	}
	slices.SortFunc(perAcc, func(a, b int32) int { return int(b - a) })
	top := 0
	for _, k := range perAcc[:min(10, len(perAcc))] {
		top += int(k)
	}
	cv.Top10Share = float64(top) / float64(n)
	cv.gaps(bin)
	cv.suspended(c)
	cv.reposts(c)
	return cv
}

// maxMarkerText: texts longer than this are not deleted markers (the
// platforms' markers are under 80 bytes).
const maxMarkerText = 120

func hasDeletedMarker(txt string) bool {
	if len(txt) > maxMarkerText || !hasMarkerWord(txt) {
		return false
	}
	l := strings.ToLower(txt)
	for _, m := range deletedMarkers {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// markerWords are in every deleted marker: a fast, allocation-free
// pre-check (ASCII case folding) before the full comparison.
// Each word starts with a different letter, so a table indexed by the
// folded byte names the one word to compare.
var markerWordOf = func() (t [256]string) {
	for _, w := range []string{"delet", "unavail", "suspend", "remov"} {
		t[w[0]] = w
		t[w[0]-'a'+'A'] = w
	}
	return t
}()

func hasMarkerWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if w := markerWordOf[s[i]]; w != "" && len(s)-i >= len(w) && foldEqualASCII(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// containsFoldASCII reports whether s contains the lower-case ASCII word
// w, ignoring ASCII case, without allocating.
func containsFoldASCII(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if foldEqualASCII(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// foldEqualASCII reports whether s equals the lower-case ASCII word w,
// ignoring ASCII case.
func foldEqualASCII(s, w string) bool {
	for i := 0; i < len(w); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// gaps finds the runs of empty bins and keeps those that the same hours
// of the surrounding days make unlikely: the expected count of a run is
// the mean count of the same clock hours on up to gapContextDays days
// before and after it (so night-time lulls, which recur, are not gaps).
func (cv *Coverage) gaps(bin int64) {
	v := cv.Volume
	perDay := int((24 * time.Hour / time.Millisecond) / time.Duration(bin))
	for i := 0; i < len(v); {
		if v[i] != 0 {
			i++
			continue
		}
		j := i
		for j < len(v) && v[j] == 0 {
			j++
		}
		cv.EmptyBins += j - i
		exp, ok := cv.expected(i, j, perDay)
		if ok && exp >= GapMinExpected {
			s := cv.VolumeStart.Add(time.Duration(int64(i)*bin) * time.Millisecond)
			e := cv.VolumeStart.Add(time.Duration(int64(j)*bin) * time.Millisecond)
			cv.Gaps = append(cv.Gaps, Gap{Start: s, End: e, Hours: e.Sub(s).Hours(), Expected: round2(exp)})
		}
		i = j
	}
	cv.GapsTotal = len(cv.Gaps)
	slices.SortStableFunc(cv.Gaps, func(a, b Gap) int {
		switch {
		case a.Expected > b.Expected:
			return -1
		case a.Expected < b.Expected:
			return 1
		}
		return a.Start.Compare(b.Start)
	})
	if len(cv.Gaps) > maxGapsListed {
		cv.Gaps = cv.Gaps[:maxGapsListed]
	}
}

// gapContextDays is how many days on each side of a run of empty bins
// give its expected count.
const gapContextDays = 3

// expected returns the mean count of bins [i, j) shifted by whole days
// (up to gapContextDays each way, inside the data). With bins of a day
// or longer it uses the neighbouring bins instead.
func (cv *Coverage) expected(i, j, perDay int) (float64, bool) {
	v := cv.Volume
	if perDay < 1 {
		perDay = 1
	}
	sum, days := 0, 0
	for d := -gapContextDays; d <= gapContextDays; d++ {
		if d == 0 {
			continue
		}
		lo, hi := i+d*perDay, j+d*perDay
		if lo < 0 || hi > len(v) {
			continue
		}
		for k := lo; k < hi; k++ {
			sum += v[k]
		}
		days++
	}
	if days == 0 {
		return 0, false
	}
	return float64(sum) / float64(days), true
}

// suspended counts posts linking to a suspended-account page (URLs are
// extracted from the texts at ingest, so the URL dictionary has them).
func (cv *Coverage) suspended(c *corpus.Corpus) {
	if c.URLs == nil {
		return
	}
	bad := make([]bool, c.URLs.Len())
	anyBad := false
	for id, k := range c.URLs.Keys() {
		if containsFoldASCII(k, "/account/suspended") {
			bad[id] = true
			anyBad = true
		}
	}
	if !anyBad {
		return
	}
	for i := 0; i < c.Len(); i++ {
		for _, u := range c.PostURLs(i) {
			if bad[u] {
				cv.SuspendedLinks++
				break
			}
		}
	}
}

// reposts counts reposts whose original is not among the posts.
func (cv *Coverage) reposts(c *corpus.Corpus) {
	if c.Reposted == nil {
		return
	}
	seed := maphash.MakeSeed()
	keyHash := func(pl model.Platform, id string) uint64 {
		var h maphash.Hash
		h.SetSeed(seed)
		h.WriteByte(byte(pl))
		h.WriteString(id)
		return h.Sum64()
	}
	// Originals with an id: hash of (platform, id) → found.
	orig := make([]uint64, c.Reposted.Len())
	hasID := make([]bool, c.Reposted.Len())
	want := map[uint64]bool{}
	for id, k := range c.Reposted.Keys() {
		plName, rest, ok := strings.Cut(k, ":")
		if !ok || rest == "" || rest[0] == '@' {
			continue
		}
		h := keyHash(model.ParsePlatform(plName), rest)
		orig[id], hasID[id] = h, true
		want[h] = false
	}
	if len(want) > 0 {
		for i := 0; i < c.Len(); i++ {
			h := keyHash(c.Platform[i], c.PostID.At(i))
			if _, ok := want[h]; ok {
				want[h] = true
			}
		}
	}
	for _, found := range want {
		if !found {
			cv.OriginalsMissing++
		}
	}
	for i, r := range c.Repost {
		if r == ids.None {
			continue
		}
		cv.Reposts++
		if c.Flags[i]&corpus.FlagRepostInferred != 0 || !hasID[r] {
			cv.RepostsInferred++
			continue
		}
		cv.RepostsWithID++
		if !want[orig[r]] {
			cv.RepostsMissing++
		}
	}
}

// WriteCoverage writes cv to dir/coverage.json atomically.
func WriteCoverage(dir string, cv *Coverage) error {
	return safefile.Write(filepath.Join(dir, CoverageFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(cv)
	})
}

// readCoverage reads dir/coverage.json; (nil, nil) when there is none.
func readCoverage(dir string) (*Coverage, error) {
	b, err := os.ReadFile(filepath.Join(dir, CoverageFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cv Coverage
	if err := json.Unmarshal(b, &cv); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrResultDir, CoverageFile, err)
	}
	return &cv, nil
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
