package beamcoord

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// Input is one input file and its position in the argument list (the
// local engine orders equal-time posts by it).
type Input struct {
	Index int
	Path  string
}

// readFileFn reads one input with chorus's readers into a corpus of that
// file alone (normalisation, interning, in-file duplicate removal), then
// emits its posts with string keys, and the file's dictionary entries as
// sightings: the global order of an account or object in the local engine
// is its first sighting in input order, that is the smallest (file index,
// first-seen ID in the file).
type readFileFn struct {
	Params Params
	Ingest IngestOptions
}

func isRemote(path string) bool { return strings.Contains(path, "://") }

// readInput streams one input's posts to add, from a local path or any
// file system Beam knows (gs://, s3://, …).
func (fn *readFileFn) readInput(ctx context.Context, in Input, add func(*model.Post)) error {
	opts, err := fn.Ingest.options()
	if err != nil {
		return err
	}
	emit := func(p *model.Post) error { add(p); return nil }
	if !isRemote(in.Path) {
		_, err := ingest.ReadFile(ctx, in.Path, opts, emit)
		return err
	}
	fs, err := filesystem.New(ctx, in.Path)
	if err != nil {
		return fmt.Errorf("open %s: %w", in.Path, err)
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, in.Path)
	if err != nil {
		return fmt.Errorf("open %s: %w", in.Path, err)
	}
	defer rc.Close()
	_, err = ingest.ReadStream(ctx, "-", io.Reader(rc), opts, func(p *model.Post) error {
		p.Source.File = in.Path
		return emit(p)
	})
	return err
}

func (fn *readFileFn) ProcessElement(ctx context.Context, in Input, emitPost func(string, Post), emitAcct func(string, Sighting), emitObj func(string, Sighting)) error {
	b := corpus.NewBuilder(1 << 14)
	if err := fn.readInput(ctx, in, func(p *model.Post) { b.Add(p) }); err != nil {
		return err
	}
	c := b.Build()
	file := uint64(in.Index) << 32
	for a := 0; a < c.NumAccounts(); a++ {
		s := Sighting{Ord: file | uint64(a), Label: c.AccountHandle[a]}
		for _, l := range fn.Params.Layers {
			emitAcct(layerKey(l, c.Accounts.Key(uint32(a))), s)
		}
	}
	for _, l := range fn.Params.Layers {
		d := layerDict(c, model.Layer(l))
		if d == nil {
			continue
		}
		for o := 0; o < d.Len(); o++ {
			emitObj(objectKey(l, d.Key(uint32(o))), Sighting{Ord: file | uint64(o), Label: pipeline.ObjectLabel(c, model.Layer(l), uint32(o), 0)})
		}
	}
	for i := 0; i < c.Len(); i++ {
		p := Post{
			Key:  postKey(c.Time[i], uint32(in.Index), c.SrcLine[i], uint32(i)),
			Acct: c.Accounts.Key(c.Account[i]),
			Info: PostInfo{ID: c.PostID.At(i), T: c.Time[i], File: c.Files[c.SrcFile[i]], Line: c.SrcLine[i], Text: c.Text.At(i)},
		}
		if fn.Params.NullByLanguage {
			lang := ""
			if l := c.Lang[i]; int(l) < c.Langs.Len() {
				lang = c.Langs.Key(l)
			}
			p.Lang = coord.LanguageKey(lang)
		}
		if c.Flags[i]&corpus.FlagDerivedID == 0 {
			p.Ident = "i" + identity(c, i)
		} else {
			p.Ident = "d" + p.Key // never a duplicate: a group of one
		}
		for _, l := range fn.Params.Layers {
			n := len(p.Objs)
			p.Objs = appendObjects(p.Objs, c, model.Layer(l), i, fn.Params.MinHashtagSeq)
			if len(p.Objs) > n && postLabelled(model.Layer(l)) {
				p.Info.Labels = append(p.Info.Labels, Obj{Layer: l, Key: pipeline.ObjectLabel(c, model.Layer(l), 0, uint32(i))})
			}
		}
		emitPost(p.Ident, p)
	}
	return nil
}

// identity is the duplicate identity the corpus builder uses: platform,
// post id and reposted object.
func identity(c *corpus.Corpus, i int) string {
	rep := "\x00"
	if r := c.Repost[i]; r != ids.None {
		rep = "\x01" + c.Reposted.Key(r)
	}
	return strconv.Itoa(int(c.Platform[i])) + "\x00" + c.PostID.At(i) + "\x00" + rep
}

// dedupeFn keeps, of the posts sharing a duplicate identity, the first in
// corpus order, as corpus.Build does across files.
func dedupeFn(ident string, posts func(*Post) bool, emit func(Post)) {
	var best Post
	have := false
	var p Post
	for posts(&p) {
		if !have || p.Key < best.Key {
			best, have = p, true
		}
	}
	if have {
		emit(best)
	}
}
