#!/usr/bin/env bash
# Median latency of GET /api/market-data/history for one symbol, next to the database's own time
# for the same aggregate query (SQLite stores only: run with the sqlite3 shell).
#
#   scripts/measure-history.sh URL STORE.db SYMBOL FROM TO [RUNS]
#   scripts/measure-history.sh http://127.0.0.1:8001 data/tickvault.db AAPL 2024-01-01 2024-12-31 21
#
# Start the server first (java -jar target/tickvault.jar serve --db STORE.db). FROM and TO are
# dates; TO is inclusive, as in the API. Prints one line per interval (1m, 1d): candles, bytes,
# median HTTP time (curl time_total) and median sqlite3 time of the same SQL.
set -euo pipefail
url="${1:?URL}"; db="${2:?STORE.db}"; symbol="${3:?SYMBOL}"; from="${4:?FROM}"; to="${5:?TO}"; runs="${6:-21}"
table="price_ticks_${SOURCE:-synthetic}"
from_us=$(( $(date -u -d "$from" +%s) * 1000000 ))
to_us=$(( ($(date -u -d "$to" +%s) + 86400) * 1000000 ))
enc_symbol=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$symbol")

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for interval in 1m 1d; do
  case "$interval" in 1m) us=60000000 ;; 1d) us=86400000000 ;; esac
  request="$url/api/market-data/history/$enc_symbol?from=$from&to=$to&interval=$interval&limit=1000000"
  curl -sf -o /dev/null "$request" # warm-up
  http=$(for _ in $(seq "$runs"); do curl -sf -o /dev/null -w '%{time_total}\n' "$request"; done | median)
  bytes=$(curl -sf "$request" | wc -c)
  # The SQL BarStore.aggregate runs on SQLite (store/jdbc/JdbcBarStore.java), with the values bound.
  sql="SELECT g.b, (SELECT COALESCE(o.open_price, o.price) FROM $table o WHERE o.symbol = '$symbol' AND o.\"timestamp\" = g.f), g.h, g.l, (SELECT e.price FROM $table e WHERE e.symbol = '$symbol' AND e.\"timestamp\" = g.z), g.v, CASE WHEN g.n = 1 THEN g.w1 WHEN g.v > 0 THEN g.vv / g.v ELSE NULL END, g.tc FROM (SELECT ((\"timestamp\" / $us) * $us) AS b, MIN(\"timestamp\") AS f, MAX(\"timestamp\") AS z, MAX(COALESCE(high_price, price)) AS h, MIN(COALESCE(low_price, price)) AS l, SUM(volume) AS v, COUNT(*) AS n, MAX(vwap) AS w1, SUM(vwap * volume) AS vv, SUM(trade_count) AS tc FROM $table WHERE symbol = '$symbol' AND \"timestamp\" >= $from_us AND \"timestamp\" < $to_us GROUP BY 1) g ORDER BY g.b"
  candles=$(sqlite3 -readonly "$db" "SELECT COUNT(*) FROM ($sql)")
  db_time=$(for _ in $(seq "$runs"); do
    s=$(date +%s.%N); sqlite3 -readonly "$db" "$sql" > /dev/null; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median)
  printf '%s  interval=%s  candles=%s  bytes=%s  http_median=%.3fs  sqlite3_median=%.3fs  ratio=%.2f\n' \
    "$symbol" "$interval" "$candles" "$bytes" "$http" "$db_time" "$(echo "$http / $db_time" | bc -l)"
done
