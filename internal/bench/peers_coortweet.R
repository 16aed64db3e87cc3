#!/usr/bin/env Rscript
# chorus bench --compare: CooRTweet prep_data -> detect_groups -> generate_coordinated_network
#   Rscript peers_coortweet.R posts.csv retweet|hashtag|url TIME_WINDOW MIN_PARTICIPATION edges_out.csv
# Objects: retweet -> retweet_of of retweet rows; hashtag/url -> each hashtag/URL of non-retweet rows.
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; net <- args[2]; tw <- as.numeric(args[3]); mp <- as.integer(args[4]); out <- args[5]
suppressPackageStartupMessages({ library(data.table); library(igraph); library(CooRTweet) })
data.table::setDTthreads(2L)
d <- fread(path, select = c("id", "account", "timestamp", "hashtags", "urls", "retweet_of"),
           colClasses = list(character = c("id", "account", "hashtags", "urls", "retweet_of"),
                             numeric = "timestamp"), na.strings = NULL)
if (net == "retweet") {
  x <- d[retweet_of != "", .(object_id = retweet_of, account_id = account, content_id = id, timestamp_share = timestamp)]
} else {
  col <- if (net == "hashtag") "hashtags" else "urls"
  s <- d[retweet_of == "" & get(col) != ""]
  parts <- strsplit(s[[col]], " ", fixed = TRUE)
  n <- lengths(parts)
  x <- data.table(object_id = unlist(parts), account_id = rep(s$account, n), content_id = rep(s$id, n), timestamp_share = rep(s$timestamp, n))
}
x <- prep_data(x, object_id = "object_id", account_id = "account_id", content_id = "content_id", timestamp_share = "timestamp_share")
res <- detect_groups(x, time_window = tw, min_participation = mp)
g <- generate_coordinated_network(res, edge_weight = 0.5)
e <- as.data.table(igraph::as_data_frame(g, what = "edges"))
fwrite(e[, .(account = from, account_y = to, weight)], out)
