package cli

import "fmt"

// runStance is a placeholder until the subcommand lands.
func runStance(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "chorus stance: not implemented yet")
	return exitError
}
