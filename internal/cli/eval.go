package cli

import (
	"encoding/json"
	"fmt"

	"github.com/chorus-osint/chorus/internal/eval"
)

func runEval(e *env, args []string) int {
	fs := newFlagSet(e, "eval", "[--json] --labels labels.json RESULT_DIR")
	labels := fs.String("labels", "", "labels file written by chorus synth (required)")
	asJSON := fs.Bool("json", false, "print one JSON document instead of tables")
	pos, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if *labels == "" || len(pos) != 1 {
		fmt.Fprintln(e.stderr, "chorus eval: give --labels labels.json and one RESULT_DIR (the --out of chorus analyze)")
		return exitUsage
	}
	l, err := eval.ReadLabels(*labels)
	if err != nil {
		return fail(e, "eval", err)
	}
	res, err := eval.ReadResultDir(pos[0])
	if err != nil {
		return fail(e, "eval", err)
	}
	rep := eval.Evaluate(l, res)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fail(e, "eval", err)
		}
		return exitOK
	}
	if err := eval.WriteTable(e.stdout, rep); err != nil {
		return fail(e, "eval", err)
	}
	return exitOK
}
