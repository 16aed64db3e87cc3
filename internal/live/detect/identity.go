package detect

import (
	"cmp"
	"hash/fnv"
	"slices"
	"time"
)

// identities keeps cluster identities across evaluations: a cluster found
// now takes the ID of the remembered cluster whose membership it overlaps
// most (Jaccard >= minJaccard, each remembered cluster matched at most
// once per evaluation), else a new ID. Remembered clusters hold account
// key hashes (account ids are reused after expiry); the keep most
// recently seen are remembered, so a cluster that fades and returns keeps
// its ID and is not reported twice.
type identities struct {
	minJaccard float64
	keep       int
	next       int
	evals      int64
	known      []knownCluster
}

type knownCluster struct {
	id       int
	members  []uint64 // sorted account key hashes
	reported bool
	lastSeen int64 // evaluation number
	seen     time.Time
}

func keyHash(k string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(k))
	return h.Sum64()
}

func jaccard(a, b []uint64) float64 {
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	u := len(a) + len(b) - inter
	if u == 0 {
		return 0
	}
	return float64(inter) / float64(u)
}

// assign gives each found cluster its identity and returns the clusters
// (largest first) and the new ones to report: first seen, never reported,
// and (with a T0) with a co-action at or after T0.
func (ids *identities) assign(fs []found, t0 time.Time, acctKey, acctName []string) (all, fresh []Cluster) {
	ids.evals++
	slices.SortStableFunc(fs, func(x, y found) int { return cmp.Compare(len(y.accounts), len(x.accounts)) })
	used := make([]bool, len(ids.known))
	for _, f := range fs {
		members := make([]uint64, len(f.accounts))
		for i, a := range f.accounts {
			members[i] = keyHash(acctKey[a])
		}
		slices.Sort(members)
		best, bestJ := -1, ids.minJaccard
		for k := range ids.known {
			if used[k] {
				continue
			}
			if j := jaccard(members, ids.known[k].members); j >= bestJ {
				best, bestJ = k, j
			}
		}
		if best < 0 {
			ids.known = append(ids.known, knownCluster{id: ids.next})
			used = append(used, false)
			ids.next++
			best = len(ids.known) - 1
		}
		used[best] = true
		kc := &ids.known[best]
		kc.members, kc.lastSeen = members, ids.evals
		c := f.cluster(kc.id, acctName)
		all = append(all, c)
		if !kc.reported && (t0.IsZero() || !c.LastCoAction.Before(t0)) {
			kc.reported = true
			fresh = append(fresh, c)
		}
	}
	if len(ids.known) > ids.keep {
		slices.SortStableFunc(ids.known, func(x, y knownCluster) int { return cmp.Compare(y.lastSeen, x.lastSeen) })
		ids.known = ids.known[:ids.keep]
	}
	return all, fresh
}

func (f *found) cluster(id int, acctName []string) Cluster {
	c := Cluster{ID: id, Edges: f.edges, FirstCoAction: msTime(f.first), LastCoAction: msTime(f.last), TopObjects: f.top}
	if f.first < 0 {
		c.LastCoAction = time.Time{}
	}
	if f.seen != 0 {
		c.FirstPostSeen = time.Unix(0, f.seen).UTC()
	}
	for _, l := range f.layers {
		c.Layers = append(c.Layers, l.String())
	}
	for _, a := range f.accounts {
		c.Accounts = append(c.Accounts, acctName[a])
	}
	return c
}
