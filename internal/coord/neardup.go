package coord

// NearDup assigns posts to near-duplicate text clusters (the near_text
// layer's objects): Cluster[i] is post i's cluster or ids.None.
type NearDup struct {
	Cluster     []uint32
	NumClusters int
}
