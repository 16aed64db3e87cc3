package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// The crash test re-executes the test binary as a writer child
// (TestCrashChild, selected by these environment variables), kills it with
// SIGKILL at seeded random points, and checks the database after every
// kill. CHORUS_CRASH_ITERS and CHORUS_CRASH_SEED make longer or different
// runs: CHORUS_CRASH_ITERS=500 go test -run TestCrashSafety ./internal/store
const (
	envCrashDB    = "CHORUS_STORE_CRASH_CHILD_DB"
	envCrashIters = "CHORUS_CRASH_ITERS"
	envCrashSeed  = "CHORUS_CRASH_SEED"
)

// TestCrashChild is the writer child; it does nothing in a normal run.
// It opens the database, continues after the last event present and, for
// each event i, commits three transactions, acknowledging each on stdout
// once it has returned:
//
//	P i  PutEvent(event i with indicator generation 0)
//	S i  SetIndicators(event i, generation 1 vector and lists)
//	R i  AddRun(run of event i)
func TestCrashChild(t *testing.T) {
	path := os.Getenv(envCrashDB)
	if path == "" {
		t.Skip("crash-test child; run by TestCrashSafety")
	}
	ctx := context.Background()
	s, err := Open(ctx, path, nil)
	if err != nil {
		fmt.Printf("E open: %v\n", err)
		os.Exit(3)
	}
	evs, err := s.ListEvents(ctx)
	if err != nil {
		fmt.Printf("E list: %v\n", err)
		os.Exit(3)
	}
	fmt.Printf("O %d\n", len(evs))
	for i := len(evs); ; i++ {
		if err := s.PutEvent(ctx, genEvent(i, 0)); err != nil {
			fmt.Printf("E put %d: %v\n", i, err)
			os.Exit(3)
		}
		fmt.Printf("P %d\n", i)
		vec, lists := genIndicators(i, 1)
		if err := s.SetIndicators(ctx, genEvent(i, 0).Name, vec, lists); err != nil {
			fmt.Printf("E set %d: %v\n", i, err)
			os.Exit(3)
		}
		fmt.Printf("S %d\n", i)
		if _, err := s.AddRun(ctx, crashRun(i)); err != nil {
			fmt.Printf("E run %d: %v\n", i, err)
			os.Exit(3)
		}
		fmt.Printf("R %d\n", i)
	}
}

func crashRun(i int) Run {
	return Run{Event: genEvent(i, 0).Name, Version: "test", Params: []byte(fmt.Sprintf(`{"i":%d}`, i)),
		ResultDir: fmt.Sprintf("/out/%d", i), Status: RunOK,
		Inputs: []RunInput{{Path: "a.jsonl", SHA256: fmt.Sprintf("%064x", i), Size: int64(i)}, {Path: "b.csv", SHA256: fmt.Sprintf("%064x", i+1), Size: 1}}}
}

// acks is what a child acknowledged before it died.
type acks struct {
	opened   bool
	start    int // first event index this child writes
	put, set int // highest event index acknowledged, -1 for none
	run      int
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestCrashSafety kills a writing child process many times and checks,
// after each kill, that the database opens (integrity check, migrations),
// passes a full PRAGMA integrity_check, holds a prefix ev-0..ev-k-1 of the
// events, that every acknowledged write is present (durability) and that
// every event is complete: exactly the generated description, with the
// indicator vector and lists of one generation, never a mix.
func TestCrashSafety(t *testing.T) {
	if os.Getenv(envCrashDB) != "" {
		t.Skip("inside the child")
	}
	iters := envInt(envCrashIters, 20)
	if testing.Short() || raceEnabled {
		iters = min(iters, 6)
	}
	seed := uint64(envInt(envCrashSeed, 20260322))
	t.Logf("seed %d (%s), %d kills (%s)", seed, envCrashSeed, iters, envCrashIters)
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	path := filepath.Join(t.TempDir(), "crash.db")
	// Events written by a child that died before acknowledging their
	// last step stay in the intermediate state (the next child continues
	// after them).
	partial := map[int]bool{}
	midOpen, total := 0, 0
	for it := range iters {
		// One kill in five lands anywhere in the first 25 ms (process
		// start, Open, migrations); the rest after a random number of
		// acknowledged commits plus a jitter.
		var ackTarget int
		var delay time.Duration
		if rng.IntN(5) == 0 {
			ackTarget, delay = -1, time.Duration(rng.IntN(25000))*time.Microsecond
		} else {
			ackTarget, delay = rng.IntN(40), time.Duration(rng.IntN(800))*time.Microsecond
		}
		a := runAndKill(t, path, ackTarget, delay)
		if !a.opened {
			midOpen++
		}
		k := verifyCrashDB(t, path, a, partial)
		total = k
		if t.Failed() {
			t.Fatalf("kill %d (acks %+v): database inconsistent", it, a)
		}
	}
	t.Logf("%d events after %d kills; %d kills before Open returned; %d events left mid-way", total, iters, midOpen, len(partial))
	if total == 0 {
		t.Fatal("no child ever committed an event: the test did not exercise writes")
	}
}

// runAndKill starts the child, waits for ackTarget acknowledgements (or
// none when -1), sleeps delay, sends SIGKILL and returns every
// acknowledgement the child printed before dying.
func runAndKill(t *testing.T, path string, ackTarget int, delay time.Duration) acks {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashDB+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	a := acks{put: -1, set: -1, run: -1}
	record := func(l string) {
		var i int
		switch {
		case l[0] == 'O':
			fmt.Sscanf(l, "O %d", &a.start)
			a.opened = true
		case l[0] == 'E':
			t.Errorf("child failed: %s", l)
		case l[0] == 'P':
			fmt.Sscanf(l, "P %d", &i)
			a.put = i
		case l[0] == 'S':
			fmt.Sscanf(l, "S %d", &i)
			a.set = i
		case l[0] == 'R':
			fmt.Sscanf(l, "R %d", &i)
			a.run = i
		}
	}
	n := 0
	timeout := time.After(10 * time.Second)
wait:
	for n <= ackTarget {
		select {
		case l, ok := <-lines:
			if !ok {
				break wait
			}
			record(l)
			if l[0] != 'O' {
				n++
			}
		case <-timeout:
			t.Errorf("child made no progress in 10 s")
			break wait
		}
	}
	time.Sleep(delay)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Logf("kill: %v", err)
	}
	for l := range lines {
		record(l)
	}
	werr := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Errorf("child was not killed by the signal: %v", werr)
	}
	return a
}

// verifyCrashDB checks the invariants and returns the number of events.
func verifyCrashDB(t *testing.T, path string, a acks, partial map[int]bool) int {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Errorf("open after kill: %v", err)
		return 0
	}
	defer s.Close()
	var ic string
	if err := s.w.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ic); err != nil || ic != "ok" {
		t.Errorf("integrity_check: %q, %v", ic, err)
	}
	evs, err := s.ListEvents(ctx)
	if err != nil {
		t.Errorf("list: %v", err)
		return 0
	}
	k := len(evs)
	// Durability: every acknowledged PutEvent is there; at most one more
	// (committed, killed before the acknowledgement was printed).
	if a.opened && k < a.put+1 {
		t.Errorf("%d events, but the child acknowledged event %d: a committed write was lost", k, a.put)
	}
	runs, err := s.ListRuns(ctx, "")
	if err != nil {
		t.Errorf("runs: %v", err)
		return k
	}
	runsOf := map[string][]Run{}
	for _, r := range runs {
		runsOf[r.Event] = append(runsOf[r.Event], r)
	}
	for j, ev := range evs {
		// Prefix: ordered by T0, event j is ev-j.
		want := mustNorm(t, genEvent(j, 0))
		if ev.Name != want.Name {
			t.Errorf("event %d is %q, want %q: not a prefix", j, ev.Name, want.Name)
			return k
		}
		g0 := want
		g1 := want
		g1.Indicators, g1.Lists = genIndicators(j, 1)
		g1 = mustNorm(t, g1)
		rs := runsOf[ev.Name]
		last := j == k-1
		switch {
		case sameEvent(ev, g1):
			if len(rs) > 1 {
				t.Errorf("%s: %d runs", ev.Name, len(rs))
			}
			if len(rs) == 0 && !last && !partial[j] {
				t.Errorf("%s: run missing although later events were written and this was never the last event", ev.Name)
			}
			if len(rs) == 0 && last {
				partial[j] = true
			}
		case sameEvent(ev, g0):
			if len(rs) != 0 {
				t.Errorf("%s: run recorded before its indicators", ev.Name)
			}
			if j >= a.start && j <= a.set {
				t.Errorf("%s: SetIndicators was acknowledged but is not in the file", ev.Name)
			}
			if !last && !partial[j] {
				t.Errorf("%s: indicators of generation 0 although later events were written and this was never the last event", ev.Name)
			}
			if last {
				partial[j] = true
			}
		default:
			t.Errorf("%s is incomplete or mixed:\n got  %+v\n want %+v\n  or  %+v", ev.Name, ev, g0, g1)
		}
		if j >= a.start && j <= a.run && len(rs) != 1 {
			t.Errorf("%s: AddRun was acknowledged, %d runs found", ev.Name, len(rs))
		}
		if len(rs) == 1 {
			want := crashRun(j)
			got := rs[0]
			if got.ResultDir != want.ResultDir || string(got.Params) != string(want.Params) || !reflect.DeepEqual(got.Inputs, want.Inputs) {
				t.Errorf("%s: run %+v, want %+v", ev.Name, got, want)
			}
		}
	}
	if len(runs) > k {
		t.Errorf("%d runs for %d events", len(runs), k)
	}
	return k
}
