// Command chorus measures whether the online reaction to an event was
// coordinated. See README.md; everything lives behind cli.Run.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/chorus-osint/chorus/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
