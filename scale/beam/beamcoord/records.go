package beamcoord

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"sync/atomic"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// Records that cross stage boundaries (GroupByKey, CoGroupByKey, side
// inputs). Each has a compact hand-written binary coder (varints, no
// reflection): at scale the bytes through the shuffle are the cost.
//
// Keys are strings built by the key* functions: a layer byte followed by
// fixed-width big-endian fields, so that keys are deterministic and, where
// the order matters (post keys, ordinals), byte order is value order.

// Post is one post of one input file after chorus's reader and corpus
// builder: everything later stages need, with strings in place of the
// per-file dense IDs.
type Post struct {
	Key   string // post key: corpus order (time, file, line, index)
	Ident string // duplicate identity (platform, post id, reposted object); unique for derived ids
	Acct  string // account interning key (platform:id or platform:@handle)
	Lang  uint64 // coord.LanguageKey of the post's language (0: null language classes off)
	Objs  []Obj  // objects acted on, per layer
	Info  PostInfo
}

// Obj is one object a post acts on in one layer.
type Obj struct {
	Layer uint8
	Key   string
}

// PostInfo is what evidence.csv shows of a post.
type PostInfo struct {
	ID   string
	T    int64
	File string
	Line int64
	Text string
	// Labels of the layers whose object label comes from the post
	// (hashtag_seq, text, staggered, image), by layer.
	Labels []Obj
}

// Sighting is one account or object as one input file's dictionary holds
// it: its ordinal there (file index << 32 | first-seen ID in the file) and
// its display text (account handle, object label).
type Sighting struct {
	Ord   uint64
	Label string
}

// AcctRef is an account inside a layer: its global ordinal (the local
// engine's dense-ID order) and its activity bucket in the layer.
type AcctRef struct {
	Ord    uint64
	Bucket uint8
}

// LayerPost is a post in one layer, before the null shuffle.
type LayerPost struct {
	Key  string
	T    int64
	Acct AcctRef
	Lang uint64   // Post.Lang
	Objs []string // object keys in the layer
}

// Act is one action on an object with its account in every permutation.
type Act struct {
	Key  string // post key
	T    int64
	Acct AcctRef
	Null []AcctRef // account of the post in permutation i
	// Own is false for a post in a hot slice's overlap: it completes the
	// windows of the slice's posts but starts no pair there.
	Own bool
}

// ObjPair is one account pair on one object: its co-actions there and the
// smallest gap, who went first at it and the posts at it.
type ObjPair struct {
	A, B         uint64 // account ordinals, A < B
	Ord          string // object ordinal (evidence order)
	CoActions    uint32
	Dt           uint32
	AFirst       bool
	PostA, PostB string
	IDF          float64
	BA, BB       uint8 // activity buckets of A and B
}

// ObjPairs is the per-object records of one object (or slice) that fall
// into one pair bucket, in one element: runners pay per element.
type ObjPairs struct {
	Recs []ObjPair
}

// NullWs is the null records of one object (or slice), all permutations,
// that fall into one pair bucket.
type NullWs struct {
	Recs []NullW
}

// Edge is a candidate edge of one layer on its way to the output.
type Edge struct {
	Layer          uint8
	OrdA, OrdB     uint64
	Objects        uint32
	CoActions      uint32
	AFirst, BFirst uint32
	MedianDtMs     int64
	Weight         float64
	BA, BB         uint8
	NullSum        uint64 // null weight summed over permutations
	P, Q           float64
	IDA, IDB       string
	HandleA        string
	HandleB        string
	Evidence       []EvRef
}

// EvRef is one co-action kept as evidence: object ordinal, both posts, gap.
type EvRef struct {
	Ord          string
	PostA, PostB string
	Dt           uint32
}

// AcctAttr is an account's attributes in one layer.
type AcctAttr struct {
	Participation uint64
	ID, Handle    string
}

// EvRow is one evidence.csv row being assembled: the co-action, then its
// object label and both posts joined in. Sort orders the rows like the
// local engine (layer, edge, object order); Role says which post a half
// row carries through the post join (1: A, 2: B).
type EvRow struct {
	Sort   string
	Layer  uint8
	IDA    string
	IDB    string
	ObjOrd string
	KeyA   string
	KeyB   string
	Dt     uint32
	Label  string
	Role   uint8
	A, B   PostInfo
}

// NullW is one account pair's weight in one permutation: W objects, plus
// the distinct hot objects in Hot (an object split into slices may see
// the pair in two slices).
type NullW struct {
	Perm    uint32
	A, B    uint64
	W       uint32
	Stratum uint16
	Hot     []string
}

// ---- coder plumbing ----

// Encoded bytes per record type, process-wide: in a loopback run (Prism)
// this is what crossed stage boundaries, the shuffle.
var (
	encBytes [numKinds]atomic.Int64
	encCount [numKinds]atomic.Int64
)

const (
	kindPost = iota
	kindLayerPost
	kindAct
	kindObjPair
	kindEdge
	kindNullW
	kindOther
	numKinds
)

var kindNames = [numKinds]string{"Post", "LayerPost", "Act", "ObjPairs", "Edge", "NullWs", "other"}

// ShuffleStat is the bytes and records encoded for one record type.
type ShuffleStat struct {
	Type    string
	Records int64
	Bytes   int64
}

// ShuffleStats returns the encoded bytes per record type since the last
// reset (process-wide; meaningful for in-process runners).
func ShuffleStats() []ShuffleStat {
	out := make([]ShuffleStat, numKinds)
	for i := range out {
		out[i] = ShuffleStat{Type: kindNames[i], Records: encCount[i].Load(), Bytes: encBytes[i].Load()}
	}
	return out
}

// ResetShuffleStats zeroes the counters.
func ResetShuffleStats() {
	for i := range encBytes {
		encBytes[i].Store(0)
		encCount[i].Store(0)
	}
}

func counted(kind int, b []byte) []byte {
	encBytes[kind].Add(int64(len(b)))
	encCount[kind].Add(1)
	return b
}

var errShort = errors.New("beamcoord: truncated record")

type wbuf []byte

func (b wbuf) u(v uint64) wbuf     { return binary.AppendUvarint(b, v) }
func (b wbuf) i(v int64) wbuf      { return binary.AppendVarint(b, v) }
func (b wbuf) f(v float64) wbuf    { return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }
func (b wbuf) s(v string) wbuf     { return append(b.u(uint64(len(v))), v...) }
func (b wbuf) by(v []byte) wbuf    { return append(b.u(uint64(len(v))), v...) }
func (b wbuf) bo(v bool) wbuf      { return append(b, b2u(v)) }
func (b wbuf) acct(a AcctRef) wbuf { return append(b.u(a.Ord), a.Bucket) }

func b2u(v bool) byte {
	if v {
		return 1
	}
	return 0
}

type rbuf struct {
	b   []byte
	err error
}

func (r *rbuf) u() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *rbuf) i() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *rbuf) f() float64 {
	if len(r.b) < 8 {
		r.err = errShort
		r.b = nil
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

func (r *rbuf) raw(n uint64) []byte {
	if uint64(len(r.b)) < n {
		r.err = errShort
		r.b = nil
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *rbuf) s() string  { return string(r.raw(r.u())) }
func (r *rbuf) by() []byte { return append([]byte(nil), r.raw(r.u())...) }
func (r *rbuf) byte1() byte {
	v := r.raw(1)
	if v == nil {
		return 0
	}
	return v[0]
}
func (r *rbuf) bo() bool { return r.byte1() == 1 }
func (r *rbuf) acct() AcctRef {
	o := r.u()
	return AcctRef{Ord: o, Bucket: r.byte1()}
}

func (b wbuf) info(p *PostInfo) wbuf {
	b = b.s(p.ID).i(p.T).s(p.File).i(p.Line).s(p.Text).u(uint64(len(p.Labels)))
	for _, o := range p.Labels {
		b = append(b, o.Layer)
		b = b.s(o.Key)
	}
	return b
}

func (r *rbuf) info() PostInfo {
	p := PostInfo{ID: r.s(), T: r.i(), File: r.s(), Line: r.i(), Text: r.s()}
	n := r.u()
	if n > uint64(len(r.b)) {
		r.err = errShort
		return p
	}
	for k := uint64(0); k < n; k++ {
		l := r.byte1()
		p.Labels = append(p.Labels, Obj{Layer: l, Key: r.s()})
	}
	return p
}

func encPost(p Post) []byte {
	b := wbuf(nil).s(p.Key).s(p.Ident).s(p.Acct).u(p.Lang).u(uint64(len(p.Objs)))
	for _, o := range p.Objs {
		b = append(b, o.Layer)
		b = b.s(o.Key)
	}
	return counted(kindPost, b.info(&p.Info))
}

func decPost(in []byte) (Post, error) {
	r := &rbuf{b: in}
	p := Post{Key: r.s(), Ident: r.s(), Acct: r.s(), Lang: r.u()}
	n := r.u()
	if n > uint64(len(r.b)) {
		return p, errShort
	}
	p.Objs = make([]Obj, 0, n)
	for k := uint64(0); k < n; k++ {
		l := r.byte1()
		p.Objs = append(p.Objs, Obj{Layer: l, Key: r.s()})
	}
	p.Info = r.info()
	return p, r.err
}

func encPostInfo(p PostInfo) []byte { return counted(kindOther, wbuf(nil).info(&p)) }
func decPostInfo(in []byte) (PostInfo, error) {
	r := &rbuf{b: in}
	p := r.info()
	return p, r.err
}

func encSighting(s Sighting) []byte { return counted(kindOther, wbuf(nil).u(s.Ord).s(s.Label)) }
func decSighting(in []byte) (Sighting, error) {
	r := &rbuf{b: in}
	s := Sighting{Ord: r.u(), Label: r.s()}
	return s, r.err
}

func encLayerPost(p LayerPost) []byte {
	b := wbuf(nil).s(p.Key).i(p.T).acct(p.Acct).u(p.Lang).u(uint64(len(p.Objs)))
	for _, o := range p.Objs {
		b = b.s(o)
	}
	return counted(kindLayerPost, b)
}

func decLayerPost(in []byte) (LayerPost, error) {
	r := &rbuf{b: in}
	p := LayerPost{Key: r.s(), T: r.i(), Acct: r.acct(), Lang: r.u()}
	n := r.u()
	if n > uint64(len(r.b)) {
		return p, errShort
	}
	p.Objs = make([]string, n)
	for k := range p.Objs {
		p.Objs[k] = r.s()
	}
	return p, r.err
}

func encAct(a Act) []byte {
	b := wbuf(make([]byte, 0, 40+10*len(a.Null))).s(a.Key).i(a.T).acct(a.Acct).bo(a.Own).u(uint64(len(a.Null)))
	for _, n := range a.Null {
		b = b.acct(n)
	}
	return counted(kindAct, b)
}

func decAct(in []byte) (Act, error) {
	r := &rbuf{b: in}
	a := Act{Key: r.s(), T: r.i(), Acct: r.acct(), Own: r.bo()}
	n := r.u()
	if n > uint64(len(r.b)) {
		return a, errShort
	}
	a.Null = make([]AcctRef, n)
	for k := range a.Null {
		a.Null[k] = r.acct()
	}
	return a, r.err
}

func (b wbuf) objPair(p *ObjPair) wbuf {
	b = b.u(p.A).u(p.B).s(p.Ord).u(uint64(p.CoActions)).u(uint64(p.Dt)).bo(p.AFirst).s(p.PostA).s(p.PostB).f(p.IDF)
	return append(b, p.BA, p.BB)
}

func (r *rbuf) objPair() ObjPair {
	p := ObjPair{A: r.u(), B: r.u(), Ord: r.s(), CoActions: uint32(r.u()), Dt: uint32(r.u()), AFirst: r.bo(), PostA: r.s(), PostB: r.s(), IDF: r.f()}
	p.BA, p.BB = r.byte1(), r.byte1()
	return p
}

// encBatch encodes a batch of records: their count, then each record
// (perRec: a size estimate for the buffer).
func encBatch[T any](kind int, recs []T, perRec int, enc func(wbuf, *T) wbuf) []byte {
	b := wbuf(make([]byte, 0, 16+perRec*len(recs))).u(uint64(len(recs)))
	for i := range recs {
		b = enc(b, &recs[i])
	}
	return counted(kind, b)
}

// decBatch decodes what encBatch wrote; a count larger than the bytes
// left is refused before anything is allocated.
func decBatch[T any](in []byte, dec func(*rbuf) T) ([]T, error) {
	r := &rbuf{b: in}
	n := r.u()
	if n > uint64(len(r.b)) {
		return nil, errShort
	}
	recs := make([]T, n)
	for i := range recs {
		recs[i] = dec(r)
	}
	return recs, r.err
}

func encObjPairs(ps ObjPairs) []byte { return encBatch(kindObjPair, ps.Recs, 90, wbuf.objPair) }

func decObjPairs(in []byte) (ObjPairs, error) {
	recs, err := decBatch(in, (*rbuf).objPair)
	return ObjPairs{Recs: recs}, err
}

func (b wbuf) ev(e *EvRef) wbuf { return b.s(e.Ord).s(e.PostA).s(e.PostB).u(uint64(e.Dt)) }
func (r *rbuf) ev() EvRef {
	return EvRef{Ord: r.s(), PostA: r.s(), PostB: r.s(), Dt: uint32(r.u())}
}

func encEdge(e Edge) []byte {
	b := wbuf(nil)
	b = append(b, e.Layer)
	b = b.u(e.OrdA).u(e.OrdB).u(uint64(e.Objects)).u(uint64(e.CoActions)).u(uint64(e.AFirst)).u(uint64(e.BFirst)).i(e.MedianDtMs).f(e.Weight)
	b = append(b, e.BA, e.BB)
	b = b.u(e.NullSum).f(e.P).f(e.Q).s(e.IDA).s(e.IDB).s(e.HandleA).s(e.HandleB).u(uint64(len(e.Evidence)))
	for k := range e.Evidence {
		b = b.ev(&e.Evidence[k])
	}
	return counted(kindEdge, b)
}

func decEdge(in []byte) (Edge, error) {
	r := &rbuf{b: in}
	e := Edge{Layer: r.byte1(), OrdA: r.u(), OrdB: r.u(), Objects: uint32(r.u()), CoActions: uint32(r.u()), AFirst: uint32(r.u()), BFirst: uint32(r.u()), MedianDtMs: r.i(), Weight: r.f()}
	e.BA, e.BB = r.byte1(), r.byte1()
	e.NullSum, e.P, e.Q = r.u(), r.f(), r.f()
	e.IDA, e.IDB, e.HandleA, e.HandleB = r.s(), r.s(), r.s(), r.s()
	n := r.u()
	if n > uint64(len(r.b)) {
		return e, errShort
	}
	for k := uint64(0); k < n; k++ {
		e.Evidence = append(e.Evidence, r.ev())
	}
	return e, r.err
}

func encAcctAttr(a AcctAttr) []byte {
	return counted(kindOther, wbuf(nil).u(a.Participation).s(a.ID).s(a.Handle))
}
func decAcctAttr(in []byte) (AcctAttr, error) {
	r := &rbuf{b: in}
	a := AcctAttr{Participation: r.u(), ID: r.s(), Handle: r.s()}
	return a, r.err
}

func encEvRow(e EvRow) []byte {
	b := wbuf(nil).s(e.Sort)
	b = append(b, e.Layer)
	b = b.s(e.IDA).s(e.IDB).s(e.ObjOrd).s(e.KeyA).s(e.KeyB).u(uint64(e.Dt)).s(e.Label)
	b = append(b, e.Role)
	return counted(kindOther, b.info(&e.A).info(&e.B))
}

func decEvRow(in []byte) (EvRow, error) {
	r := &rbuf{b: in}
	e := EvRow{Sort: r.s(), Layer: r.byte1(), IDA: r.s(), IDB: r.s(), ObjOrd: r.s(), KeyA: r.s(), KeyB: r.s(), Dt: uint32(r.u()), Label: r.s(), Role: r.byte1()}
	e.A, e.B = r.info(), r.info()
	return e, r.err
}

func (b wbuf) nullW(n *NullW) wbuf {
	b = b.u(uint64(n.Perm)).u(n.A).u(n.B).u(uint64(n.W)).u(uint64(n.Stratum)).u(uint64(len(n.Hot)))
	for _, h := range n.Hot {
		b = b.s(h)
	}
	return b
}

func (r *rbuf) nullW() NullW {
	n := NullW{Perm: uint32(r.u()), A: r.u(), B: r.u(), W: uint32(r.u()), Stratum: uint16(r.u())}
	k := r.u()
	if k > uint64(len(r.b)) {
		r.err = errShort
		return n
	}
	for i := uint64(0); i < k; i++ {
		n.Hot = append(n.Hot, r.s())
	}
	return n
}

func encNullWs(ns NullWs) []byte { return encBatch(kindNullW, ns.Recs, 16, wbuf.nullW) }

func decNullWs(in []byte) (NullWs, error) {
	recs, err := decBatch(in, (*rbuf).nullW)
	return NullWs{Recs: recs}, err
}

func encHotKey(h HotKey) []byte {
	return counted(kindOther, wbuf(nil).s(h.Ord).s(h.Label).i(h.Accts))
}
func decHotKey(in []byte) (HotKey, error) {
	r := &rbuf{b: in}
	h := HotKey{Ord: r.s(), Label: r.s(), Accts: r.i()}
	return h, r.err
}

func encTally(t Tally) []byte {
	b := wbuf(nil).u(t.N).u(uint64(len(t.Hot)))
	for _, h := range t.Hot {
		b = b.s(h)
	}
	return counted(kindOther, b)
}
func decTally(in []byte) (Tally, error) {
	r := &rbuf{b: in}
	t := Tally{N: r.u()}
	n := r.u()
	if n > uint64(len(r.b)) {
		return t, errShort
	}
	for k := uint64(0); k < n; k++ {
		t.Hot = append(t.Hot, r.s())
	}
	return t, r.err
}

func encPartnerHist(h PartnerHist) []byte {
	b := wbuf(nil).u(uint64(len(h.N)))
	for _, v := range h.N {
		b = b.i(v)
	}
	return counted(kindOther, b)
}

func decPartnerHist(in []byte) (PartnerHist, error) {
	r := &rbuf{b: in}
	n := r.u()
	if n > uint64(len(r.b)) {
		return PartnerHist{}, errShort
	}
	h := PartnerHist{N: make([]int64, n)}
	for i := range h.N {
		h.N[i] = r.i()
	}
	return h, r.err
}

func encLayerInfo(li LayerInfo) []byte {
	return counted(kindOther, wbuf(nil).u(uint64(li.MaxPartners)).u(uint64(li.NumAccounts)))
}

func decLayerInfo(in []byte) (LayerInfo, error) {
	r := &rbuf{b: in}
	li := LayerInfo{MaxPartners: int(r.u()), NumAccounts: int(r.u())}
	return li, r.err
}

func encInc(x Inc) []byte {
	b := wbuf(nil).u(uint64(len(x.Idx)))
	for i, idx := range x.Idx {
		b = b.u(uint64(idx)).i(x.N[i])
	}
	b = b.u(uint64(len(x.Hot)))
	for _, h := range x.Hot {
		b = b.s(h)
	}
	return counted(kindOther, b)
}

func decInc(in []byte) (Inc, error) {
	r := &rbuf{b: in}
	var x Inc
	n := r.u()
	if n > uint64(len(r.b)) {
		return x, errShort
	}
	for k := uint64(0); k < n; k++ {
		x.Idx = append(x.Idx, uint32(r.u()))
		x.N = append(x.N, r.i())
	}
	m := r.u()
	if m > uint64(len(r.b)) {
		return x, errShort
	}
	for k := uint64(0); k < m; k++ {
		x.Hot = append(x.Hot, r.s())
	}
	return x, r.err
}

func encKeyStat(k KeyStat) []byte { return counted(kindOther, wbuf(nil).i(k.N).s(k.Min)) }
func decKeyStat(in []byte) (KeyStat, error) {
	r := &rbuf{b: in}
	k := KeyStat{N: r.i(), Min: r.s()}
	return k, r.err
}

func init() {
	beam.RegisterCoder(reflect.TypeOf(Post{}), encPost, decPost)
	beam.RegisterCoder(reflect.TypeOf(PostInfo{}), encPostInfo, decPostInfo)
	beam.RegisterCoder(reflect.TypeOf(Sighting{}), encSighting, decSighting)
	beam.RegisterCoder(reflect.TypeOf(LayerPost{}), encLayerPost, decLayerPost)
	beam.RegisterCoder(reflect.TypeOf(Act{}), encAct, decAct)
	beam.RegisterCoder(reflect.TypeOf(ObjPairs{}), encObjPairs, decObjPairs)
	beam.RegisterCoder(reflect.TypeOf(Edge{}), encEdge, decEdge)
	beam.RegisterCoder(reflect.TypeOf(AcctAttr{}), encAcctAttr, decAcctAttr)
	beam.RegisterCoder(reflect.TypeOf(EvRow{}), encEvRow, decEvRow)
	beam.RegisterCoder(reflect.TypeOf(NullWs{}), encNullWs, decNullWs)
	beam.RegisterCoder(reflect.TypeOf(HotKey{}), encHotKey, decHotKey)
	beam.RegisterCoder(reflect.TypeOf(Tally{}), encTally, decTally)
	beam.RegisterCoder(reflect.TypeOf(Inc{}), encInc, decInc)
	beam.RegisterCoder(reflect.TypeOf(KeyStat{}), encKeyStat, decKeyStat)
	beam.RegisterCoder(reflect.TypeOf(LayerAcc{}), encLayerAcc, decLayerAcc)
	beam.RegisterCoder(reflect.TypeOf(PartnerHist{}), encPartnerHist, decPartnerHist)
	beam.RegisterCoder(reflect.TypeOf(LayerInfo{}), encLayerInfo, decLayerInfo)
}

// ---- keys ----

// postKey encodes corpus order: time (sign-flipped so that bytes order
// like values), input file index, line, index in the file's corpus.
func postKey(t int64, file uint32, line int64, idx uint32) string {
	var b [28]byte
	binary.BigEndian.PutUint64(b[0:], uint64(t)^(1<<63))
	binary.BigEndian.PutUint32(b[8:], file)
	binary.BigEndian.PutUint64(b[12:], uint64(line)^(1<<63))
	binary.BigEndian.PutUint64(b[20:], uint64(idx))
	return string(b[:])
}

func ordKey(ord uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], ord)
	return string(b[:])
}

func layerKey(l uint8, rest string) string { return string([]byte{l}) + rest }

func layerOrdKey(l uint8, ord uint64) string {
	var b [9]byte
	b[0] = l
	binary.BigEndian.PutUint64(b[1:], ord)
	return string(b[:])
}

func pairKey(l uint8, a, b uint64) string {
	var k [17]byte
	k[0] = l
	binary.BigEndian.PutUint64(k[1:], a)
	binary.BigEndian.PutUint64(k[9:], b)
	return string(k[:])
}

// pairBucket is the (layer, bucket) key of an account pair: pairs are
// grouped into buckets, not one key per pair (runners pay per key).
func pairBucket(l uint8, a, b uint64, buckets int) uint64 {
	h := (a*0x9E3779B97F4A7C15 ^ b*0xC2B2AE3D27D4EB4F) >> 17
	return uint64(l)<<32 | h%uint64(max(buckets, 1))
}

// blockKey is (layer, null block).
func blockKey(l uint8, block int64) uint64 { return uint64(l)<<56 | uint64(block) }
