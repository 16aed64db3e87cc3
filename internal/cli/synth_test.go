package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunIO(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSynthEvalCommands(t *testing.T) {
	dir := t.TempDir()
	posts, labels := filepath.Join(dir, "p.jsonl.gz"), filepath.Join(dir, "l.json")
	if code, _, stderr := run("synth", "--posts", "5k", "--t0", "2015-11-13T20:20:00Z", "--out", posts, "--labels", labels); code != exitOK {
		t.Fatalf("synth exit %d: %s", code, stderr)
	}
	if code, _, stderr := run("synth", "--posts", "5k", "--out", posts, "--labels", labels); code != exitUsage || !strings.Contains(stderr, "t0") {
		t.Errorf("synth without --t0: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run("synth", "--posts", "lots", "--t0", "2015-11-13T20:20:00Z", "--out", posts, "--labels", labels); code != exitUsage || !strings.Contains(stderr, "100k") {
		t.Errorf("bad --posts: exit %d, %s", code, stderr)
	}
	res := filepath.Join(dir, "out")
	os.Mkdir(res, 0o755)
	os.WriteFile(filepath.Join(res, "results.json"), []byte(`{"clusters":[],"indicators":{}}`), 0o644)
	code, stdout, stderr := run("eval", "--json", "--labels", labels, res)
	if code != exitOK {
		t.Fatalf("eval exit %d: %s", code, stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("eval --json output: %v\n%s", err, stdout)
	}
	if a, _ := rep["accounts"].(map[string]any); a == nil || a["recall"] != 0.0 {
		t.Errorf("empty result: accounts %v", rep["accounts"])
	}
	os.WriteFile(filepath.Join(res, "results.json"), []byte(`{"clusters":[`), 0o644)
	if code, _, stderr := run("eval", "--labels", labels, res); code != exitError || !strings.Contains(stderr, "results.json") {
		t.Errorf("malformed results: exit %d, %s", code, stderr)
	}
	if code, _, _ := run("eval", res); code != exitUsage {
		t.Errorf("eval without --labels: exit %d", code)
	}
}
