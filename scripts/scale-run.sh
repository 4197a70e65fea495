#!/usr/bin/env bash
# The production-scale run of docs/performance.md: a PostgreSQL source of SYMBOLS symbols x one year
# of regular-hours minute bars (500 symbols: about 51,000,000 bars), each step through the CLI and
# timed (wall seconds and peak RSS from /usr/bin/time): ingest, one history request (a symbol-year
# at 1m, paged as the API pages, and at 1d), the first sync into a mirror, an incremental sync after
# one changed chunk, verify, retention of one month (archived to Parquet, then deleted) and the sync
# that follows it.
#
#   scripts/scale-run.sh SERVER_URL DATABASE [--symbols N] [--partition monthly] [--jar JAR]
#                        [--mirror-since DATE] [--reuse]
#   nice scripts/scale-run.sh postgres://postgres@127.0.0.1:5432 bench_scale
#
# DATABASE is created by the script (it refuses one that exists) and dropped at the end, with the
# mirror and archive in a temporary folder; --reuse skips the creation and the ingest and takes a
# DATABASE an earlier run filled (for a run whose later steps were stopped). --mirror-since mirrors
# only bars from that UTC day on (sync --since), for a machine that cannot afford the full mirror.
# The bars are the bench's (the synthetic generator, streamed a symbol at a time: nothing holds the
# whole set). The year ends yesterday (UTC), so a retention policy of 11 months removes its first
# month. JAVA_OPTS (default -Xmx512m) go to every JVM. Prints one line per step:
# "step <name> <seconds>s rss=<MiB>MiB <details>".
set -euo pipefail
server="${1:?SERVER_URL, e.g. postgres://postgres@127.0.0.1:5432}"; db="${2:?DATABASE, e.g. bench_scale}"; shift 2
symbols=500; partition=""; since=""; reuse=no; jar="$(cd "$(dirname "$0")/.." && pwd)/target/tickvault.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --symbols) symbols="$2"; shift 2 ;;
    --partition) partition="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --mirror-since) since="$2"; shift 2 ;;
    --reuse) reuse=yes; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$db" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "DATABASE must match [a-z][a-z0-9_]*" >&2; exit 2; }
[ -f "$jar" ] || { echo "no jar at $jar: ./mvnw -q -B package -DskipTests" >&2; exit 2; }
url="${server%/}/$db"
java_opts="${JAVA_OPTS:--Xmx512m}"
work=$(mktemp -d /tmp/tickvault-scale.XXXXXX)
mirror="$work/mirror.db"
serve_pid=""

psql_admin() { psql "${server%/}/postgres" -v ON_ERROR_STOP=1 -qAtc "$1"; }
exists=$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$db'")
if [ "$reuse" = no ] && [ -n "$exists" ]; then
  echo "database $db exists: give a new scratch name (it is dropped at the end), or --reuse it" >&2; exit 2
fi
if [ "$reuse" = yes ] && [ -z "$exists" ]; then
  echo "--reuse: no database $db" >&2; exit 2
fi
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  psql_admin "DROP DATABASE IF EXISTS $db" || true
  rm -rf "$work"
}
trap cleanup EXIT
[ "$reuse" = yes ] || psql_admin "CREATE DATABASE $db"

tv() { java $java_opts -jar "$jar" --db "$url" --mirror "$mirror" "$@"; }
# step NAME DETAILS-COMMAND -- CLI ARGS: runs the CLI under /usr/bin/time, fails the run when it fails
step() {
  local name="$1"; shift
  local log="$work/$name.log"
  if ! /usr/bin/time -f '%e %M' -o "$work/$name.time" java $java_opts -jar "$jar" --db "$url" --mirror "$mirror" \
      "$@" > "$log" 2>&1; then
    echo "step $name FAILED:" >&2; tail -20 "$log" >&2; exit 1
  fi
  read -r secs kib < "$work/$name.time"
  echo "step $name ${secs}s rss=$((kib / 1024))MiB $(tail -1 "$log" | cut -c1-160)"
}

to=$(date -u -d yesterday +%F)
from=$(date -u -d "$to + 1 day - 1 year" +%F)
list=$(seq -f 'SC%03g' 0 $((symbols - 1)) | paste -sd, -)
echo "scale run: $symbols symbols, $from .. $to (regular hours, 1Min), database $db, partition ${partition:-none}," \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $java_opts"

if [ "$reuse" = no ]; then
  tv create --source scale --kind generated --timeframe 1Min ${partition:+--partition "$partition"} > /dev/null
  step ingest ingest synthetic --into scale --symbols "$list" --from "$from" --to "$to"
fi
rows=$(psql "$url" -qAtc "SELECT count(*) FROM price_ticks_scale")
# the table and its indexes, with every partition of a partitioned one
echo "rows $rows; table $(psql "$url" -qAtc "SELECT pg_size_pretty(COALESCE((SELECT sum(pg_total_relation_size(relid)) \
  FROM pg_partition_tree('price_ticks_scale')), pg_total_relation_size('price_ticks_scale')))")"

# one history request through the API: the first symbol's year at 1m (every page) and at 1d
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java $java_opts -jar "$jar" --db "$url" serve --port "$port" --source scale > "$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$port"
for interval in 1m 1d; do
  next="/api/market-data/history/SC000?from=$from&to=$to&interval=$interval"
  candles=0; pages=0; start=$(date +%s.%N)
  while [ -n "$next" ] && [ "$next" != null ]; do
    curl -sf "$base$next" -o "$work/page.json"
    candles=$((candles + $(jq '.data | length' "$work/page.json"))); pages=$((pages + 1))
    next=$(jq -r '.metadata.next' "$work/page.json")
  done
  end=$(date +%s.%N)
  printf 'step history-%s %.2fs candles=%s pages=%s\n' "$interval" "$(echo "$end - $start" | bc -l)" "$candles" "$pages"
done
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=""

step sync-first sync --sources scale ${since:+--since "$since"}

# one changed chunk (a day of one symbol, another seed), then the incremental sync
day=$(date -u -d "${since:-$from} + 14 days" +%F) # inside the mirror
tv ingest synthetic --into scale --symbols SC000 --from "$day" --to "$day" --seed 43 > /dev/null
step sync-incremental sync
step verify verify
tv retention set --source scale --keep 11m --archive > /dev/null
step retention retention apply --source scale --archive-dir "$work/archive"
echo "rows after retention $(psql "$url" -qAtc "SELECT count(*) FROM price_ticks_scale")"
step sync-after-retention sync
echo "scale run done"
