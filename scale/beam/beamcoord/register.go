package beamcoord

import (
	"context"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

// Registration of every DoFn, function, combiner, emitter and iterator:
// workers look them up by name, and registered ones run without
// reflection.
func init() {
	beam.RegisterType(reflect.TypeOf(Input{}))

	register.DoFn5x1[context.Context, Input, func(string, Post), func(string, Sighting), func(string, Sighting), error](&readFileFn{})
	register.DoFn5x0[Post, func(string, LayerPost), func(int, int64), func(string, KeyStat), func(string, PostInfo)](&explodeFn{})
	register.DoFn8x0[string, func(*LayerPost) bool, func(*Sighting) bool, func(int) func(*int64) bool, func(uint64, LayerPost), func(string, int64), func(string, AcctAttr), func(int, Inc)](&acctFn{})
	register.DoFn3x0[string, []int64, func(string, int64)](&evergreenFn{})
	register.DoFn4x0[string, func(*KeyStat) bool, func(*Sighting) bool, func(string, HotKey)](&hotFn{})
	register.DoFn7x0[uint64, func(*LayerPost) bool, func(string) func(*HotKey) bool, func(string) func(*int64) bool, func(string, Act), func(string, int64), func(string)](&blockFn{})
	register.DoFn3x0[string, Sighting, func(string)](&firstLayerFn{})
	register.DoFn3x0[string, func(*int64) bool, func(int, Inc)](&partnerHistFn{})
	register.DoFn4x0[int, PartnerHist, int, func(int, LayerInfo)](&layerInfoFn{})
	register.DoFn10x0[context.Context, string, func(*Act) bool, func(*Sighting) bool, func(string) func(*HotKey) bool, func(int) func(*LayerInfo) bool, func(uint64, ObjPairs), func(string, Tally), func(uint64, NullWs), func(int, Inc)](&sweepFn{})
	register.DoFn4x0[uint64, func(*ObjPairs) bool, func(string, Edge), func(int, Inc)](&pairFn{})
	register.DoFn5x0[string, func(*Edge) bool, func(*AcctAttr) bool, func(string, Edge), func(uint64, Edge)](&joinAcctFn{})
	register.DoFn5x0[uint64, func(*NullWs) bool, func(*Edge) bool, func(int, Edge), func(int, Inc)](&nullFn{})
	register.DoFn7x1[int, func(*Edge) bool, func(*LayerAcc) bool, func(int) func(*LayerInfo) bool, func(int, Edge), func(int, string), func(string, EvRow), error](&finalizeFn{})
	register.DoFn5x1[context.Context, int, func(*Edge) bool, func(*string) bool, func(*EvRow) bool, error](&writeFn{})

	register.Function3x0(dedupeFn)
	register.Function2x1(minInt64)
	register.Function2x2(labelKeyFn)
	register.Function1x2(hotAcctOne)
	register.Function4x0(hotAcctsFn)
	register.Function4x0(attrFn)
	register.Function4x0(labelFn)
	register.Function4x0(postJoinFn)
	register.Function3x0(mergeHalvesFn)
	register.Function2x0(startWriter)

	register.Combiner2[LayerAcc, Inc](&layerAccFn{})
	register.Combiner2[PartnerHist, Inc](&partnerHistCombineFn{})
	register.Combiner1[Tally](&tallyFn{})
	register.Combiner1[KeyStat](&keyStatFn{})
	register.Combiner1[Sighting](&sightingMinFn{})
	register.Combiner2[[]int64, int64](&blockSetFn{})

	register.Emitter1[Post]()
	register.Emitter1[string]()
	register.Emitter2[string, Post]()
	register.Emitter2[string, Sighting]()
	register.Emitter2[string, LayerPost]()
	register.Emitter2[int, int64]()
	register.Emitter2[string, KeyStat]()
	register.Emitter2[string, PostInfo]()
	register.Emitter2[uint64, LayerPost]()
	register.Emitter2[string, AcctAttr]()
	register.Emitter2[int, Inc]()
	register.Emitter2[string, HotKey]()
	register.Emitter2[string, Act]()
	register.Emitter2[uint64, ObjPairs]()
	register.Emitter2[uint64, Edge]()
	register.Emitter2[string, Tally]()
	register.Emitter2[uint64, NullWs]()
	register.Emitter2[string, Edge]()
	register.Emitter2[int, LayerInfo]()
	register.Emitter2[string, uint64]()
	register.Emitter2[string, int64]()
	register.Emitter2[int, Edge]()
	register.Emitter2[int, string]()
	register.Emitter2[string, EvRow]()
	register.Emitter2[int, EvRow]()

	register.Iter1[Post]()
	register.Iter1[LayerPost]()
	register.Iter1[Sighting]()
	register.Iter1[int64]()
	register.Iter1[KeyStat]()
	register.Iter1[HotKey]()
	register.Iter1[Act]()
	register.Iter1[ObjPairs]()
	register.Iter1[Tally]()
	register.Iter1[NullWs]()
	register.Iter1[AcctAttr]()
	register.Iter1[Edge]()
	register.Iter1[LayerInfo]()
	register.Iter1[uint64]()
	register.Iter1[LayerAcc]()
	register.Iter1[string]()
	register.Iter1[EvRow]()
	register.Iter1[PostInfo]()
}
