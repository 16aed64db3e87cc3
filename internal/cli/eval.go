package cli

import "fmt"

// runEval is a placeholder until the subcommand lands.
func runEval(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "chorus eval: not implemented yet")
	return exitError
}
