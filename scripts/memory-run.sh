#!/usr/bin/env bash
# The memory runs of docs/performance.md: every bulk path over ROWS bars (default about 5,000,000:
# 50 symbols x a year of regular-hours minutes) in a JVM with a small heap (default -Xmx256m),
# each reported as ok/FAILED with its wall time and peak RSS (/usr/bin/time), then `serve` under the
# same heap answering PARALLEL (default 50) year-long 1m history requests at once (one page each,
# limit=1000000), with the server's peak RSS and whether every response was complete.
#
#   scripts/memory-run.sh [--symbols N] [--heap 256m] [--parallel 50] [--jar JAR] [--db POSTGRES_URL]
#                         [--serve-only]
#
# The production store is a SQLite file in a temporary folder unless --db names a PostgreSQL
# scratch database (which must hold no tables; its sources are dropped at the end). Paths: generate
# (ingest synthetic), export to CSV, import of that CSV into a second source, compare of the two,
# validate, sync (full), sync (incremental, one changed chunk), verify, backtest (one symbol-year),
# history over HTTP (one year at 1m, one page), then the parallel requests (--serve-only: generate,
# then only these two).
set -euo pipefail
symbols=50; heap=256m; parallel=50; db=""; serve_only=no
jar="$(cd "$(dirname "$0")/.." && pwd)/target/tickvault.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --symbols) symbols="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --serve-only) serve_only=yes; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$jar" ] || { echo "no jar at $jar: ./mvnw -q -B package -DskipTests" >&2; exit 2; }
work=$(mktemp -d /tmp/tickvault-memory.XXXXXX)
db="${db:-$work/prod.db}"
mirror="$work/mirror.db"
serve_pid=""
failed=0
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  if [[ "$db" == postgres* ]]; then
    for s in mem mem_csv; do java -jar "$jar" --db "$db" clean --source "$s" > /dev/null 2>&1 || true; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# run NAME CLI ARGS: one path under the small heap; ok/FAILED, seconds, peak RSS; an OutOfMemoryError is named
run() {
  local name="$1"; shift
  local code=0
  /usr/bin/time -f '%e %M' -o "$work/$name.time" java "-Xmx$heap" -XX:+ExitOnOutOfMemoryError -jar "$jar" \
    --db "$db" --mirror "$mirror" "$@" > "$work/$name.out" 2> "$work/$name.err" || code=$?
  read -r secs kib < <(tail -1 "$work/$name.time")
  local state=ok
  # exit 3 is a command's answer (validate/compare found something), not a failure of the path
  if [ "$code" -ne 0 ] && [ "$code" -ne 3 ]; then state="FAILED(exit $code)"; failed=1; fi
  if grep -q OutOfMemoryError "$work/$name.err"; then state="FAILED(OutOfMemoryError)"; failed=1; fi
  printf '%-22s %-26s %8ss  peak RSS %5d MiB\n' "$name" "$state" "$secs" "$((kib / 1024))"
  [ "$state" = ok ] || tail -5 "$work/$name.err" >&2
}

to=$(date -u -d yesterday +%F)
from=$(date -u -d "$to + 1 day - 1 year" +%F)
list=$(seq -f 'M%03g' 0 $((symbols - 1)) | paste -sd, -)
echo "memory run: $symbols symbols x $from..$to (1Min, regular hours), -Xmx$heap, $(nproc) cores," \
  "load $(cut -d' ' -f1-3 /proc/loadavg), store ${db%%\?*}"
java -jar "$jar" --db "$db" create --source mem --kind generated --timeframe 1Min > /dev/null
run generate ingest synthetic --into mem --symbols "$list" --from "$from" --to "$to"
if [ "$serve_only" = no ]; then
  run export export --source mem --format csv -o "$work/mem.csv"
  echo "rows $(($(wc -l < "$work/mem.csv") - 1)), CSV $(du -m "$work/mem.csv" | cut -f1) MB"
  run import-csv import csv "$work/mem.csv" --source mem_csv --create
  run compare compare --source mem --target mem_csv
  run validate validate --source mem
  run sync-full sync --sources mem
  day=$(date -u -d "$from + 14 days" +%F)
  java -jar "$jar" --db "$db" ingest synthetic --into mem --symbols M000 --from "$day" --to "$day" --seed 43 > /dev/null
  run sync-incremental sync
  run verify verify
  run backtest backtest --source mem --symbol M000 --strategy sma-cross --fast 10 --slow 30 --from "$from" --to "$to"
fi

# serve under the same heap: one year-long request, then PARALLEL at once, each a symbol-year at 1m in one page
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java "-Xmx$heap" -XX:+ExitOnOutOfMemoryError -jar "$jar" --db "$db" serve --port "$port" --source mem \
  > "$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.5; done
req() { echo "http://127.0.0.1:$port/api/market-data/history/$1?from=$from&to=$to&interval=1m&limit=1000000"; }
start=$(date +%s.%N)
curl -sf "$(req M000)" -o "$work/one.json"
printf '%-22s %-26s %8.2fs  %s candles, %s MB\n' history-1m-one-page \
  "$(jq -e '.error == null' "$work/one.json" > /dev/null && echo ok || echo FAILED)" \
  "$(echo "$(date +%s.%N) - $start" | bc -l)" "$(jq '.metadata.count' "$work/one.json")" \
  "$(du -m "$work/one.json" | cut -f1)"
start=$(date +%s.%N); pids=()
for i in $(seq 0 $((parallel - 1))); do
  s=$(printf 'M%03d' $((i % symbols)))
  (curl -s "$(req "$s")" -o "$work/p$i.json" -w '%{http_code}\n' > "$work/p$i.code") &
  pids+=($!)
done
wait "${pids[@]}" || true
secs=$(echo "$(date +%s.%N) - $start" | bc -l)
complete=0; codes=""
for i in $(seq 0 $((parallel - 1))); do
  c=$(cat "$work/p$i.code"); codes="$codes $c"
  if [ "$c" = 200 ] && jq -e '.error == null and .metadata.count > 0' "$work/p$i.json" > /dev/null 2>&1; then
    complete=$((complete + 1))
  fi
done
alive=yes; kill -0 "$serve_pid" 2>/dev/null || alive=no
hwm=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$serve_pid/status" 2>/dev/null || echo "?")
printf '%-22s %-26s %8.2fs  peak RSS %5s MiB; %d of %d complete; statuses:%s\n' "serve-$parallel-parallel" \
  "$([ "$alive" = yes ] && ! grep -q OutOfMemoryError "$work/serve.log" && echo ok || echo FAILED)" "$secs" "$hwm" \
  "$complete" "$parallel" "$(echo $codes | tr ' ' '\n' | sort | uniq -c | awk 'NF {printf " %s x%s", $2, $1}')"
[ "$alive" = yes ] || failed=1
exit "$failed"
