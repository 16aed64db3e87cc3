# Times igraph's C Louvain and Leiden (modularity) on the chorus benchmark
# graphs, for the comparison in docs/clusters.md.
#
#   CHORUS_GRAPH_BENCH_DIR=/tmp/gbench go test -run TestWriteBenchGraph ./internal/graph/
#   Rscript internal/graph/testdata/igraph_bench.R /tmp/gbench/lfr_50k_500k.txt /tmp/gbench/lfr_200k_2M.txt
#
# Each input line is "a b w": a 0-based undirected edge and its weight.
# Needs the Debian package r-cran-igraph. Single-threaded, like igraph itself.
suppressMessages(library(igraph))
args <- commandArgs(trailingOnly = TRUE)
reps <- 3
cat(sprintf("igraph %s, R %s\n", as.character(packageVersion("igraph")), getRversion()))
for (path in args) {
  el <- scan(path, what = list(integer(), integer(), numeric()), quiet = TRUE)
  n <- max(el[[1]], el[[2]]) + 1
  g <- make_empty_graph(n = n, directed = FALSE)
  g <- add_edges(g, rbind(el[[1]] + 1, el[[2]] + 1), attr = list(weight = el[[3]]))
  cat(sprintf("%s: %d nodes, %d edges\n", basename(path), vcount(g), ecount(g)))
  for (alg in c("louvain", "leiden")) {
    for (r in seq_len(reps)) {
      set.seed(r)
      t <- system.time({
        cl <- if (alg == "louvain") {
          cluster_louvain(g, weights = E(g)$weight, resolution = 1)
        } else {
          cluster_leiden(g, objective_function = "modularity", weights = E(g)$weight,
                         resolution_parameter = 1, beta = 0.01, n_iterations = 2)
        }
      })
      q <- modularity(g, membership(cl), weights = E(g)$weight)
      cat(sprintf("  %-8s run %d: %.3f s elapsed, %.3f s CPU, Q = %.5f, %d communities\n",
                  alg, r, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], q,
                  length(unique(membership(cl)))))
    }
  }
}
