package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/stance"
)

// runStance dispatches `chorus stance classify|train`.
func runStance(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(e.stdout, "Usage: chorus stance classify [--json] [--model rules|default|FILE] FILE...")
		fmt.Fprintln(e.stdout, "       chorus stance train --labels labelled.csv --out model.json")
		fmt.Fprintln(e.stdout, "\nclassify prints, per post, who the post says is responsible (asserts, speculates,")
		fmt.Fprintln(e.stdout, "denies, none), its orientation (supportive, opposing, neutral), a confidence and the")
		fmt.Fprintln(e.stdout, "lexicon cues that fired. train fits a model on the labelled set's training split and")
		fmt.Fprintln(e.stdout, "scores it, the rules and the majority class on the held-out split. See docs/stance.md.")
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "classify":
		return runStanceClassify(e, args[1:])
	case "train":
		return runStanceTrain(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "chorus stance: unknown subcommand %q (classify or train)\n", args[0])
	return exitUsage
}

// stanceClassifier picks the classifier named by --model.
func stanceClassifier(name string) (stance.Classifier, string, error) {
	c, n, err := stance.ByName(name)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v (give rules, default or a file written by `chorus stance train`)", config.ErrInvalid, err)
	}
	return c, n, nil
}

// stanceLine is one line of `chorus stance classify --json`.
type stanceLine struct {
	ID          string       `json:"id"`
	Attribution string       `json:"attribution"`
	Orientation string       `json:"orientation"`
	Confidence  float64      `json:"confidence"`
	Cues        []stance.Cue `json:"cues"`
}

func runStanceClassify(e *env, args []string) int {
	cfg := config.Default()
	fs := newFlagSet(e, "stance classify", "[flags] FILE... ('-' reads stdin)")
	cfg.BindFlags(fs, "ingest")
	asJSON := fs.Bool("json", false, "print JSON Lines: {id, attribution, orientation, confidence, cues}")
	modelName := fs.String("model", "", "classifier: rules, default (the embedded trained model) or a model file; empty picks the better one on held-out data (see docs/stance.md)")
	files, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "chorus stance classify: no input files (give one or more paths, or '-' for stdin)")
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		return fail(e, "stance classify", err)
	}
	clf, _, err := stanceClassifier(*modelName)
	if err != nil {
		return fail(e, "stance classify", err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts, err := pipeline.IngestOptions(&cfg, log)
	if err != nil {
		return fail(e, "stance classify", err)
	}
	if len(files) > opts.Limits.MaxFiles && opts.Limits.MaxFiles > 0 {
		return fail(e, "stance classify", fmt.Errorf("%w: %d input files, more than --max-files %d", ingest.ErrLimit, len(files), opts.Limits.MaxFiles))
	}
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	enc := json.NewEncoder(w)
	failed := false
	for _, path := range files {
		_, err := ingest.ReadStream(e.ctx, path, e.stdin, opts, func(p *model.Post) error {
			res := clf.Classify(p.Text, p.Lang)
			id := postID(p)
			if *asJSON {
				cues := res.Cues
				if cues == nil {
					cues = []stance.Cue{}
				}
				return enc.Encode(stanceLine{ID: id, Attribution: res.Attribution, Orientation: res.Orientation,
					Confidence: round3(res.Confidence), Cues: cues})
			}
			writeStanceText(w, id, &res, p.Text)
			return nil
		})
		if err != nil {
			if e.ctx.Err() != nil {
				w.Flush()
				return fail(e, "stance classify", e.ctx.Err())
			}
			fmt.Fprintf(e.stderr, "chorus stance classify: %v\n", err)
			failed = true
		}
	}
	if err := w.Flush(); err != nil {
		return fail(e, "stance classify", err)
	}
	if failed {
		return exitError
	}
	return exitOK
}

// postID is the post's id, or file#line when the export has none.
func postID(p *model.Post) string {
	if p.ID != "" {
		return p.ID
	}
	return p.Source.File + "#" + strconv.FormatInt(p.Source.Line, 10)
}

func round3(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 3, 64), 64)
	return v
}

// writeStanceText writes one tab-separated line: id, attribution,
// orientation, confidence, and the cues as kind:name"text".
func writeStanceText(w io.Writer, id string, res *stance.Result, text string) {
	var b strings.Builder
	for i, c := range res.Cues {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%s%q", c.Kind, c.Name, text[c.Start:c.End])
	}
	fmt.Fprintf(w, "%s\t%s\t%s\t%.3f\t%s\n", id, res.Attribution, res.Orientation, res.Confidence, b.String())
}

func runStanceTrain(e *env, args []string) int {
	fs := newFlagSet(e, "stance train", "--labels labelled.csv --out model.json")
	labels := fs.String("labels", "", "labelled CSV (id,source,lang,text,attribution,orientation,split); trains on split=train, scores on split=test")
	out := fs.String("out", "", "where to write the model JSON")
	kind := fs.String("kind", "", "learner: logreg or cnb; empty picks by cross-validation on the training split")
	bits := fs.Uint("hash-bits", 18, "n-gram hash space is 2^hash-bits")
	epochs := fs.Int("epochs", 300, "full-batch AdaGrad epochs for logreg")
	asJSON := fs.Bool("json", false, "print the training and evaluation report as JSON")
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if *labels == "" || *out == "" || len(rest) > 0 {
		fmt.Fprintln(e.stderr, "chorus stance train: need --labels FILE and --out FILE (and no other arguments)")
		return exitUsage
	}
	f, err := os.Open(*labels)
	if err != nil {
		return fail(e, "stance train", err)
	}
	exs, err := stance.ReadLabelled(f)
	f.Close()
	if err != nil {
		return fail(e, "stance train", fmt.Errorf("%s: %w", *labels, err))
	}
	train, test := stance.SplitExamples(exs)
	m, rep, err := stance.Train(train, stance.TrainOptions{HashBits: *bits, Kind: *kind, Epochs: *epochs})
	if err != nil {
		return fail(e, "stance train", err)
	}
	tmp := *out + ".tmp"
	of, err := os.Create(tmp)
	if err != nil {
		return fail(e, "stance train", err)
	}
	if err := m.WriteJSON(of); err != nil {
		of.Close()
		os.Remove(tmp)
		return fail(e, "stance train", err)
	}
	if err := of.Close(); err != nil {
		os.Remove(tmp)
		return fail(e, "stance train", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fail(e, "stance train", err)
	}
	evals := map[string]stance.Evaluation{
		"model":    stance.Evaluate(m, test),
		"rules":    stance.Evaluate(stance.NewRules(), test),
		"majority": stance.EvaluateMajority(train, test),
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"train": rep, "held_out": evals, "train_n": len(train), "held_out_n": len(test)}); err != nil {
			return fail(e, "stance train", err)
		}
		return exitOK
	}
	fmt.Fprintf(e.stdout, "trained %s (param %g) on %d posts, %d features; wrote %s\n", rep.Chosen.Kind, rep.Chosen.Param, rep.Examples, rep.Features, *out)
	fmt.Fprintln(e.stdout, "cross-validation on the training split (mean of attribution and orientation macro-F1):")
	for _, c := range rep.Candidates {
		fmt.Fprintf(e.stdout, "  %-7s %-8g %.3f\n", c.Kind, c.Param, c.CV)
	}
	fmt.Fprintf(e.stdout, "held-out split (%d posts):\n", len(test))
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  classifier\tlang\tn\tattr acc\tattr macro-F1\torient acc\torient macro-F1")
	for _, name := range []string{"majority", "rules", "model"} {
		ev := evals[name]
		fmt.Fprintf(tw, "  %s\tall\t%d\t%.3f\t%.3f\t%.3f\t%.3f\n", name, ev.Attribution.N, ev.Attribution.Accuracy, ev.Attribution.MacroF1, ev.Orientation.Accuracy, ev.Orientation.MacroF1)
		for _, lang := range []string{"ar", "en", "fr"} {
			a, ok := ev.AttributionByLang[lang]
			if !ok {
				continue
			}
			o := ev.OrientationByLang[lang]
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\n", name, lang, a.N, a.Accuracy, a.MacroF1, o.Accuracy, o.MacroF1)
		}
	}
	tw.Flush()
	return exitOK
}
