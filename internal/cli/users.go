package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
	"golang.org/x/term"
)

// usersGroup is `chorus users`: its subcommands, in help order.
func usersGroup() commandGroup {
	return commandGroup{
		name:   "users",
		intro:  "Manage the users of `chorus serve` (roles: viewer reads; analyst also uploads and\nruns analyses; admin also manages users) and their API tokens.",
		footer: fmt.Sprintf("Users live in the database given by --db, else $%s, else ./%s (the one chorus serve uses).", store.EnvPath, store.DefaultPath),
		subs: []subcommand{
			{"add", "NAME --role viewer|analyst|admin", "create a user; the password is read from stdin (or prompted for on a terminal), never from the command line", runUsersAdd},
			{"list", "[--json]", "list users with their roles", runUsersList},
			{"rm", "NAME", "remove a user with their sessions and API tokens", runUsersRm},
			{"passwd", "NAME [--role ROLE]", "set a user's password (read like add) and optionally role; ends their sessions", runUsersPasswd},
			{"token", "NAME [--label L] | --list [NAME] | --revoke ID", "create an API token for a user (printed once), list tokens, or revoke one", runUsersToken},
		},
	}
}

func runUsers(e *env, args []string) int { return usersGroup().run(e, args) }

func usersSynopsis(name string) string { return usersGroup().synopsis(name) }

// openUsersDB opens the store named by --db.
func openUsersDB(e *env, db string) (*store.Store, error) {
	return store.Open(e.ctx, store.ResolvePath(db, os.Getenv), nil)
}

// readPassword reads a password: on a terminal, prompted twice without
// echo; otherwise the first line of stdin.
func readPassword(e *env, user string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(e.stderr, "password for %s: ", user)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(e.stderr, "again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, server.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on stdin (pipe it in: `printf '%s\\n' \"$PW\" | chorus users add NAME --role ROLE`)")
	}
	return pw, nil
}

func runUsersAdd(e *env, args []string) int {
	fs := newFlagSet(e, "users add", usersSynopsis("add"))
	db := fs.String("db", "", "database (default $CHORUS_DB, else chorus.db)")
	role := fs.String("role", "", "viewer, analyst or admin")
	pos, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "chorus users add: give one user name (the password is read from stdin, never from arguments)")
		return exitUsage
	}
	r, err := store.ParseRole(*role)
	if err != nil {
		fmt.Fprintf(e.stderr, "chorus users add: --role: want viewer, analyst or admin\n")
		return exitUsage
	}
	if err := store.ValidUserName(pos[0]); err != nil {
		return fail(e, "users add", err)
	}
	pw, err := readPassword(e, pos[0])
	if err != nil {
		return fail(e, "users add", err)
	}
	hash, err := server.HashPassword(pw)
	if err != nil {
		return fail(e, "users add", err)
	}
	s, err := openUsersDB(e, *db)
	if err != nil {
		return fail(e, "users add", err)
	}
	defer s.Close()
	if _, err := s.AddUser(e.ctx, store.User{Name: pos[0], Role: r, PasswordHash: hash}); err != nil {
		return fail(e, "users add", err)
	}
	fmt.Fprintf(e.stdout, "user %s added (%s)\n", pos[0], r)
	return exitOK
}

func runUsersList(e *env, args []string) int {
	fs := newFlagSet(e, "users list", usersSynopsis("list"))
	db := fs.String("db", "", "database (default $CHORUS_DB, else chorus.db)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, code := parseFlags(fs, args); code >= 0 {
		return code
	}
	s, err := openUsersDB(e, *db)
	if err != nil {
		return fail(e, "users list", err)
	}
	defer s.Close()
	us, err := s.ListUsers(e.ctx)
	if err != nil {
		return fail(e, "users list", err)
	}
	if *asJSON {
		if us == nil {
			us = []store.User{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(us)
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED")
	for _, u := range us {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role, u.Created.Format(time.RFC3339))
	}
	tw.Flush()
	return exitOK
}

func runUsersRm(e *env, args []string) int {
	fs := newFlagSet(e, "users rm", usersSynopsis("rm"))
	db := fs.String("db", "", "database (default $CHORUS_DB, else chorus.db)")
	pos, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "chorus users rm: give one user name")
		return exitUsage
	}
	s, err := openUsersDB(e, *db)
	if err != nil {
		return fail(e, "users rm", err)
	}
	defer s.Close()
	if err := s.DeleteUser(e.ctx, pos[0]); err != nil {
		return fail(e, "users rm", err)
	}
	fmt.Fprintf(e.stdout, "user %s removed\n", pos[0])
	return exitOK
}

func runUsersPasswd(e *env, args []string) int {
	fs := newFlagSet(e, "users passwd", usersSynopsis("passwd"))
	db := fs.String("db", "", "database (default $CHORUS_DB, else chorus.db)")
	role := fs.String("role", "", "new role (default: unchanged)")
	pos, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "chorus users passwd: give one user name")
		return exitUsage
	}
	s, err := openUsersDB(e, *db)
	if err != nil {
		return fail(e, "users passwd", err)
	}
	defer s.Close()
	u, err := s.GetUser(e.ctx, pos[0])
	if err != nil {
		return fail(e, "users passwd", err)
	}
	if *role != "" {
		if u.Role, err = store.ParseRole(*role); err != nil {
			return fail(e, "users passwd", err)
		}
	}
	pw, err := readPassword(e, pos[0])
	if err != nil {
		return fail(e, "users passwd", err)
	}
	if u.PasswordHash, err = server.HashPassword(pw); err != nil {
		return fail(e, "users passwd", err)
	}
	if err := s.UpdateUser(e.ctx, u); err != nil {
		return fail(e, "users passwd", err)
	}
	fmt.Fprintf(e.stdout, "user %s updated (%s); their sessions were ended\n", u.Name, u.Role)
	return exitOK
}

func runUsersToken(e *env, args []string) int {
	fs := newFlagSet(e, "users token", usersSynopsis("token"))
	db := fs.String("db", "", "database (default $CHORUS_DB, else chorus.db)")
	label := fs.String("label", "", "a label for the token (where it is used)")
	list := fs.Bool("list", false, "list tokens (of NAME, or of every user)")
	revoke := fs.String("revoke", "", "revoke the token with this id")
	pos, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	s, err := openUsersDB(e, *db)
	if err != nil {
		return fail(e, "users token", err)
	}
	defer s.Close()
	switch {
	case *revoke != "":
		id, err := strconv.ParseInt(*revoke, 10, 64)
		if err != nil {
			fmt.Fprintln(e.stderr, "chorus users token: --revoke takes a token id (see --list)")
			return exitUsage
		}
		if err := s.RevokeToken(e.ctx, id); err != nil {
			return fail(e, "users token", err)
		}
		fmt.Fprintf(e.stdout, "token %d revoked\n", id)
		return exitOK
	case *list:
		user := ""
		if len(pos) > 0 {
			user = pos[0]
		}
		ts, err := s.ListTokens(e.ctx, user)
		if err != nil {
			return fail(e, "users token", err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tLABEL\tCREATED\tREVOKED")
		for _, t := range ts {
			rev := ""
			if t.Revoked != nil {
				rev = t.Revoked.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Name, t.Created.Format(time.RFC3339), rev)
		}
		tw.Flush()
		return exitOK
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "chorus users token: give one user name")
		return exitUsage
	}
	tok, hash := server.NewAPIToken()
	id, err := s.AddToken(e.ctx, pos[0], *label, hash)
	if err != nil {
		return fail(e, "users token", err)
	}
	fmt.Fprintln(e.stdout, tok)
	fmt.Fprintf(e.stderr, "token %d for %s: shown once; send it as 'Authorization: Bearer TOKEN'; revoke with `chorus users token --revoke %d`\n", id, pos[0], id)
	return exitOK
}
