package cli

import (
	"os"
	"testing"
)

// TestParametersDocCurrent keeps docs/parameters.md equal to what
// `chorus params --markdown` prints (regenerate with
// `go run ./cmd/chorus params --markdown > docs/parameters.md`).
func TestParametersDocCurrent(t *testing.T) {
	want := runCLI(t, "params", "--markdown")
	got, err := os.ReadFile("../../docs/parameters.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Error("docs/parameters.md is stale: run `go run ./cmd/chorus params --markdown > docs/parameters.md`")
	}
}
