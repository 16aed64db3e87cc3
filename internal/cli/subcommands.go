package cli

import (
	"fmt"
	"strings"
)

// subcommand is one subcommand of a command group (`chorus events`,
// `chorus users`).
type subcommand struct {
	name, synopsis, summary string
	run                     func(e *env, args []string) int
}

// commandGroup is a command made of subcommands: its help and dispatch.
type commandGroup struct {
	name   string // "events"
	intro  string // the help text between the usage line and the list
	footer string // the help text after the list
	subs   []subcommand
}

// run prints the help (no argument: usage error) or runs the subcommand
// args[0] names.
func (g commandGroup) run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := e.stdout
		fmt.Fprintf(w, "Usage: chorus %s COMMAND [flags]\n\n%s\n\nCommands:\n", g.name, g.intro)
		for _, c := range g.subs {
			fmt.Fprintf(w, "  %-7s %s\n", c.name, c.summary)
		}
		fmt.Fprintf(w, "\n%s\n", g.footer)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	names := make([]string, len(g.subs))
	for i, c := range g.subs {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
		names[i] = c.name
	}
	fmt.Fprintf(e.stderr, "chorus %s: unknown command %q (%s)\n", g.name, args[0], strings.Join(names, ", "))
	return exitUsage
}

// synopsis returns the synopsis of subcommand name ("" when unknown).
func (g commandGroup) synopsis(name string) string {
	for _, c := range g.subs {
		if c.name == name {
			return c.synopsis
		}
	}
	return ""
}
