package cli

import "fmt"

// runSynth is a placeholder until the subcommand lands.
func runSynth(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "chorus synth: not implemented yet")
	return exitError
}
