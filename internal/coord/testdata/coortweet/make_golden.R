#!/usr/bin/env Rscript
# Writes the CooRTweet golden edge lists used by golden_coortweet_test.go.
#   R_LIBS=<lib with CooRTweet 2.1.3> Rscript make_golden.R russian_coord_tweets.csv.gz
# For min_participation 1 and 2 at time_window 60: detect_groups, then
# generate_coordinated_network; writes account,account_y,weight (weight = co-share rows).
suppressPackageStartupMessages({ library(data.table); library(igraph); library(CooRTweet) })
args <- commandArgs(trailingOnly = TRUE)
d <- fread(args[1], colClasses = list(character = c("object_id", "account_id", "content_id"), numeric = "timestamp_share"))
for (mp in c(1L, 2L)) {
  res <- detect_groups(data.table::copy(d), time_window = 60, min_participation = mp)
  g <- generate_coordinated_network(res, edge_weight = 0.5)
  e <- as.data.table(igraph::as_data_frame(g, what = "edges"))
  e <- e[, .(account = pmin(from, to), account_y = pmax(from, to), weight)]
  setorder(e, account, account_y)
  fwrite(e, sprintf("coortweet_w60_mp%d.csv", mp))
  cat(sprintf("min_participation %d: %d pair rows, %d edges, %d nodes\n", mp, nrow(res), ecount(g), vcount(g)))
}
