package corpus

import (
	"hash/fnv"
	"slices"
)

// Build finishes the corpus: posts are sorted by (time, file, line), and a
// post whose (platform, post id, reposted object) was already seen is
// dropped and counted in Duplicates (the earliest copy is kept). The
// reposted object is part of the identity because some layouts (CooRTweet's)
// write one row per (post, object) under the same post id. The Builder must not be used
// afterwards.
func (b *Builder) Build() *Corpus {
	c := b.c
	b.c = nil
	n := len(c.Time)
	perm := make([]uint32, n)
	for i := range perm {
		perm[i] = uint32(i)
	}
	slices.SortStableFunc(perm, func(x, y uint32) int {
		if c.Time[x] != c.Time[y] {
			if c.Time[x] < c.Time[y] {
				return -1
			}
			return 1
		}
		if c.SrcFile[x] != c.SrcFile[y] {
			return int(c.SrcFile[x]) - int(c.SrcFile[y])
		}
		switch {
		case c.SrcLine[x] < c.SrcLine[y]:
			return -1
		case c.SrcLine[x] > c.SrcLine[y]:
			return 1
		}
		return 0
	})
	keep := dedupe(c, perm)
	if len(keep) != n {
		c.Duplicates = int64(n - len(keep))
	}
	applyPerm(c, keep)
	return c
}

// dedupe returns perm without posts whose (platform, id, repost) appeared
// earlier in perm order. Derived ids (no id in the export) are never duplicates.
func dedupe(c *Corpus, perm []uint32) []uint32 {
	type hk struct {
		h   uint64
		pos uint32 // position in perm
	}
	hs := make([]hk, 0, len(perm))
	for pos, i := range perm {
		if c.Flags[i]&FlagDerivedID != 0 {
			continue
		}
		h := fnv.New64a()
		r := c.Repost[i]
		h.Write([]byte{byte(c.Platform[i]), byte(r), byte(r >> 8), byte(r >> 16), byte(r >> 24)})
		h.Write([]byte(c.PostID.At(int(i))))
		hs = append(hs, hk{h.Sum64(), uint32(pos)})
	}
	slices.SortFunc(hs, func(a, b hk) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return int(a.pos) - int(b.pos)
	})
	var drop []uint32
	for j := 1; j < len(hs); j++ {
		if hs[j].h == hs[j-1].h {
			a, b := perm[hs[j-1].pos], perm[hs[j].pos]
			if c.PostID.At(int(a)) == c.PostID.At(int(b)) && c.Platform[a] == c.Platform[b] && c.Repost[a] == c.Repost[b] {
				drop = append(drop, hs[j].pos)
				hs[j].pos = hs[j-1].pos // compare later copies with the first
			}
		}
	}
	if len(drop) == 0 {
		return perm
	}
	dropSet := make([]bool, len(perm))
	for _, d := range drop {
		dropSet[d] = true
	}
	out := make([]uint32, 0, len(perm)-len(drop))
	for pos, i := range perm {
		if !dropSet[pos] {
			out = append(out, i)
		}
	}
	return out
}

func gather[T any](col []T, perm []uint32) []T {
	out := make([]T, len(perm))
	for j, i := range perm {
		out[j] = col[i]
	}
	return out
}

func gatherCSR(off, vals []uint32, perm []uint32) ([]uint32, []uint32) {
	no := make([]uint32, len(perm)+1)
	total := 0
	for j, i := range perm {
		total += int(off[i+1] - off[i])
		no[j+1] = uint32(total)
	}
	nv := make([]uint32, 0, total)
	for _, i := range perm {
		nv = append(nv, vals[off[i]:off[i+1]]...)
	}
	return no, nv
}

// applyPerm reorders every per-post column by perm.
func applyPerm(c *Corpus, perm []uint32) {
	c.PostID.Permute(perm)
	c.Platform = gather(c.Platform, perm)
	c.Time = gather(c.Time, perm)
	c.Account = gather(c.Account, perm)
	c.Text.Permute(perm)
	c.TextHash = gather(c.TextHash, perm)
	c.Lang = gather(c.Lang, perm)
	c.Client = gather(c.Client, perm)
	c.Repost = gather(c.Repost, perm)
	c.RepostAcc = gather(c.RepostAcc, perm)
	c.Quote = gather(c.Quote, perm)
	c.Reply = gather(c.Reply, perm)
	c.Flags = gather(c.Flags, perm)
	c.SrcFile = gather(c.SrcFile, perm)
	c.SrcLine = gather(c.SrcLine, perm)
	c.SrcOffset = gather(c.SrcOffset, perm)
	c.TagOff, c.TagIDs = gatherCSR(c.TagOff, c.TagIDs, perm)
	c.URLOff, c.URLIDs = gatherCSR(c.URLOff, c.URLIDs, perm)
	c.MentionOff, c.MentionIDs = gatherCSR(c.MentionOff, c.MentionIDs, perm)
	c.MediaOff, c.MediaIDs = gatherCSR(c.MediaOff, c.MediaIDs, perm)
}
