#!/usr/bin/env bash
# Latency at a fixed request rate, the same rate for Sluice, HAProxy, nginx and the origin alone.
#
#   bench/latency.sh [ROUNDS] [TARGETS...]
#     ROUNDS   rounds to run (default 3); the order of the targets rotates every round
#     TARGETS  any of: sluice haproxy nginx direct (default: all four; direct = the load
#              goes to the origin itself)
#   environment:
#     RATE      requests per second, all clients together (default 10000; run.sh takes
#               half of HAProxy's req/s, measured by compare.sh in the same run)
#     CLIENTS   connections, each sending RATE/CLIENTS requests per second (default 16)
#     DURATION  length of the measured load (default 10s)
#     WARMUP, ACCESS_LOG, SLUICE_BIN, SLUICE_START_TIMEOUT, RESULTS_DIR, OUT_DIR   as for compare.sh
#
# Per target and round: start origin and proxy, warm up as compare.sh does and then with the
# fixed-rate load itself for WARMUP (a JIT recompiles when the shape of the load changes; the
# same for every target), then run
# h2load --h1 at the fixed rate for DURATION with a per-request log (--log-file): p50, p99
# and p99.9 are computed from every request's own time. Each connection sends its next
# request once the previous one is answered, so a stall delays the requests behind it
# instead of showing as one slow request: at half the capacity that happens seldom.
# Errors: h2load's failed and timed-out requests, and every status other than 2xx.
# Output: <run dir>/latency.csv (one row per target x round), per-request logs, summary.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
own_session "$@"

parse_args "sluice haproxy nginx direct" "$@"
RATE=${RATE:-10000}
CLIENTS=${CLIENTS:-16}
DURATION=${DURATION:-10s}
[[ $RATE =~ ^[1-9][0-9]*$ ]] || die "RATE must be a positive whole number of requests/s (got '$RATE')"
[[ $CLIENTS =~ ^[1-9][0-9]*$ ]] || die "CLIENTS must be a positive number (got '$CLIENTS')"
[ $((RATE / CLIENTS)) -ge 1 ] || die "RATE ($RATE) must be at least CLIENTS ($CLIENTS)"
check_duration DURATION "$DURATION"
check_duration WARMUP "$WARMUP"
require_tools nginx wrk h2load curl python3 ss taskset timeout
require_targets

# h2load takes a whole number of requests per second and client
PER_CLIENT=$((RATE / CLIENTS))

begin_run latency
CSV="$OUT/latency.csv"
python3 "$BENCH_DIR/report.py" columns latency >"$CSV"
mkdir -p "$OUT/raw"
describe_env "$OUT/env.txt"
{
  echo "rounds:   $ROUNDS; targets: ${TARGETS[*]}"
  echo "load:     h2load --h1 -t1 -c$CLIENTS --rps $PER_CLIENT -D $(seconds "$DURATION") = $((PER_CLIENT * CLIENTS)) req/s; warm-up wrk -t1 -c$CONNS -d$WARMUP, then the same h2load for $WARMUP"
} >>"$OUT/env.txt"
log "results in $OUT; $((PER_CLIENT * CLIENTS)) requests/s"

# rate_load LOGFILE SECONDS [H2LOAD ARGS...] : h2load at the fixed rate for SECONDS
rate_load() {
  local logf=$1 secs=$2; shift 2
  run_load "$CPU_LOAD" "$logf" $((secs + 60)) \
    h2load --h1 -t1 -c"$CLIENTS" --rps "$PER_CLIENT" -D "$secs" "$@" "$URL" ||
    die "h2load failed (status $?); see $logf"
}

# one TARGET ROUND
one() {
  local target=$1 round=$2 raw secs
  raw="$OUT/raw/$target-r$round"
  secs=$(seconds "$DURATION")
  start_target "$target"
  warm_up "$OUT/logs/$target-warmup-r$round.txt"
  rate_load "$OUT/logs/$target-rate-warmup-r$round.txt" "$(seconds "$WARMUP")"
  rate_load "$raw.h2load" "$secs" --log-file "$raw.requests"
  alive "$SUT_PID" || die "$target exited during the load; see $OUT/logs/"
  python3 "$BENCH_DIR/report.py" latency-row "$raw.h2load" "$raw.requests" \
    --round "$round" --target "$target" --rate "$((PER_CLIENT * CLIENTS))" >>"$CSV" ||
    die "could not read $raw.*"
  gzip -f "$raw.requests"                  # read; kept small
  log "  $(tail -1 "$CSV" | awk -F, '{printf "%s requests at %s/s: p50 %s ms, p99 %s ms, p99.9 %s ms, errors %s", $4, $5, $6, $7, $8, $10}')"
  stop_servers
}

for_rounds one

python3 "$BENCH_DIR/report.py" latency "$CSV" >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
log "raw figures: $CSV"
