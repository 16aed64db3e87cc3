package bench

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/safefile"
)

// PeerRow is one peer tool's measurement on one network.
type PeerRow struct {
	Tool        string  `json:"tool"`
	Network     string  `json:"network"`
	Status      string  `json:"status"` // ok, failed, timeout, not installed
	WallSeconds float64 `json:"wall_s"`
	CPUSeconds  float64 `json:"cpu_s"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	Detail      string  `json:"detail,omitempty"`
}

//go:embed peers_coortweet.R
var coortweetScript []byte

// peerTimeout bounds each peer run (CHORUS_PEER_TIMEOUT overrides, in s).
func peerTimeout() time.Duration {
	if s := os.Getenv("CHORUS_PEER_TIMEOUT"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 600 * time.Second
}

// comparePeers runs the QUT coordination-network-toolkit and CooRTweet on
// the same posts (converted to their input layouts) at a 60 s window with
// minimum weight / participation 2, when they are installed:
//   - QUT: `python3 -m coordination_network_toolkit` importable (set
//     CHORUS_QUT_PATH to its source tree, added to PYTHONPATH);
//   - CooRTweet: `Rscript` with library(CooRTweet) loadable (R_LIBS).
func comparePeers(ctx context.Context, o Options, postsPath string, n int, notes []string, log *slog.Logger) ([]PeerRow, []string) {
	dir := filepath.Join(o.CacheDir, fmt.Sprintf("peers-%d", n))
	os.MkdirAll(dir, 0o755)
	flat := filepath.Join(dir, "posts.csv")
	if _, err := os.Stat(flat); err != nil {
		if err := writeFlatCSV(ctx, postsPath, flat); err != nil {
			return nil, append(notes, "peer input conversion failed: "+err.Error())
		}
	}
	var rows []PeerRow
	qutEnv := append(os.Environ(), "PYTHONPATH="+os.Getenv("CHORUS_QUT_PATH"))
	probe := exec.CommandContext(ctx, "python3", "-c", "import coordination_network_toolkit")
	probe.Env = qutEnv
	if err := probe.Run(); err != nil {
		rows = append(rows, PeerRow{Tool: "qut-cnt", Status: "not installed", Detail: "python3 cannot import coordination_network_toolkit (set CHORUS_QUT_PATH to its source tree; docs/benchmarks.md)"})
	} else {
		rows = append(rows, runQUT(ctx, dir, flat, qutEnv, log)...)
	}
	if err := exec.CommandContext(ctx, "Rscript", "-e", "suppressPackageStartupMessages(library(CooRTweet))").Run(); err != nil {
		rows = append(rows, PeerRow{Tool: "coortweet", Status: "not installed", Detail: "Rscript cannot load CooRTweet (install it into R_LIBS; docs/benchmarks.md)"})
	} else {
		script := filepath.Join(dir, "coortweet.R")
		os.WriteFile(script, coortweetScript, 0o644)
		for _, net := range []string{"retweet", "hashtag", "url"} {
			rows = append(rows, peerRun(ctx, "coortweet", "co-"+net, "Rscript", []string{script, flat, net, "60", "2", filepath.Join(dir, "coortweet_"+net+".csv")}, nil))
		}
	}
	return rows, notes
}

func runQUT(ctx context.Context, dir, flat string, env []string, log *slog.Logger) []PeerRow {
	links := filepath.Join(dir, "qut_links.csv")
	if err := writeQUTCSV(flat, links); err != nil {
		return []PeerRow{{Tool: "qut-cnt", Status: "failed", Detail: err.Error()}}
	}
	db := filepath.Join(dir, "qut.db")
	os.Remove(db)
	rows := []PeerRow{peerRun(ctx, "qut-cnt", "preprocess", "python3", []string{"-m", "coordination_network_toolkit", db, "preprocess", "--format", "csv", links}, env)}
	if rows[0].Status != "ok" {
		return rows
	}
	exec.CommandContext(ctx, "sqlite3", db, "delete from message_url where url = ''").Run()
	for _, net := range []string{"co_retweet", "co_link"} {
		rows = append(rows, peerRun(ctx, "qut-cnt", net, "python3", []string{"-m", "coordination_network_toolkit", db, "compute", net, "--time_window", "60", "--min_edge_weight", "2", "--n_cpus", strconv.Itoa(numCPU())}, env))
	}
	return rows
}

func peerRun(ctx context.Context, tool, network, exe string, args, env []string) PeerRow {
	ctx, cancel := context.WithTimeout(ctx, peerTimeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = env
	var errOut strings.Builder
	cmd.Stderr = &errOut
	start := time.Now()
	err := cmd.Run()
	row := PeerRow{Tool: tool, Network: network, WallSeconds: time.Since(start).Seconds(), Status: "ok"}
	if m, ok := usage(cmd); ok {
		row.CPUSeconds, row.PeakRSSMB = m.cpu, m.rssMB
	}
	switch {
	case ctx.Err() != nil:
		row.Status = "timeout"
	case err != nil:
		row.Status = "failed"
		msg := errOut.String()
		if len(msg) > 300 {
			msg = msg[len(msg)-300:]
		}
		row.Detail = strings.TrimSpace(msg)
	}
	return row
}

// writeFlatCSV converts any chorus input into the flat layout the peers'
// drivers read: id,account,timestamp,text,hashtags,urls,retweet_of.
func writeFlatCSV(ctx context.Context, in, out string) error {
	return safefile.Write(out, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "account", "timestamp", "text", "hashtags", "urls", "retweet_of"})
		_, err := ingest.ReadFile(ctx, in, ingest.Options{}, func(p *model.Post) error {
			acct := p.AccountID
			if acct == "" {
				acct = p.Handle
			}
			return cw.Write([]string{p.ID, acct, strconv.FormatInt(p.Time.Unix(), 10), p.Text, strings.Join(p.Hashtags, " "), strings.Join(p.URLs, " "), p.RepostOf.PostID})
		})
		cw.Flush()
		if err != nil {
			return err
		}
		return cw.Error()
	})
}

// writeQUTCSV converts the flat CSV into the toolkit's layout
// (message_id,user_id,username,repost_id,reply_id,message,timestamp,urls).
func writeQUTCSV(flat, out string) error {
	f, err := os.Open(flat)
	if err != nil {
		return err
	}
	defer f.Close()
	return safefile.Write(out, func(w io.Writer) error {
		r := csv.NewReader(f)
		cw := csv.NewWriter(w)
		if _, err := r.Read(); err != nil {
			return err
		}
		cw.Write([]string{"message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"})
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			cw.Write([]string{rec[0], rec[1], rec[1], rec[6], "", rec[3], rec[2], rec[5]})
		}
		cw.Flush()
		return cw.Error()
	})
}

func writePeers(w io.Writer, r *Report) {
	any := false
	for _, row := range r.Rows {
		if len(row.Peers) > 0 {
			any = true
		}
	}
	if !any {
		return
	}
	fmt.Fprintln(w, "\nPeers on the same data (60 s window, minimum weight/participation 2):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| posts | tool | network | status | wall s | CPU s | peak RSS MB | chorus full analysis wall ÷ peer |")
	fmt.Fprintln(w, "|---:|---|---|---|---:|---:|---:|---:|")
	for _, row := range r.Rows {
		for _, p := range row.Peers {
			ratio := ""
			if p.Status == "ok" && row.WallSeconds > 0 {
				ratio = fmt.Sprintf("%.2f", row.WallSeconds/p.WallSeconds)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %.1f | %.1f | %.0f | %s |\n", human(row.Posts), p.Tool, p.Network, p.Status, p.WallSeconds, p.CPUSeconds, p.PeakRSSMB, ratio)
		}
	}
}
