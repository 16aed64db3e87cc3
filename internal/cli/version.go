package cli

import (
	"fmt"
	"runtime"

	"github.com/chorus-osint/chorus/internal/version"
)

func runVersion(e *env, args []string) int {
	fmt.Fprintf(e.stdout, "chorus %s (%s, %s/%s)\n", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
