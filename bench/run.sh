#!/usr/bin/env bash
# Every figure of Sluice beside HAProxy and nginx, in one command, and the report.
#
#   bench/run.sh [ROUNDS]     ROUNDS interleaved rounds of every part (default 3)
#
# 1. installs the tools (install.sh: apt-get as root; otherwise it says what to install);
# 2. builds Sluice if its sources changed (the launcher runs ./mvnw -q -B package
#    -DskipTests), on every CPU, before anything is measured;
# 3. measures, each part with the same origin, pinning, warm-up and rounds for every proxy:
#      compare.sh   CPU-s per 100k requests and req/s, keep-alive and pipelined; the warm-up
#      syscalls.sh  syscalls per request, keep-alive and pipelined (and the origin alone)
#      latency.sh   p50/p99/p99.9 at half of HAProxy's keep-alive req/s from compare.sh
#      transfer.sh  1 GiB down and up, beside a direct transfer: MiB/s, RSS growth, CPU
#      idle-mem.sh  RSS (and a JVM's heap) per idle keep-alive connection
#    with the raw data in bench/results/<date>-<time>-run/<part>/;
# 4. writes the report, bench/results/<date>.md, and its chart, bench/results/<date>.png.
#
# environment: what the parts take passes through to them (DURATION, WARMUP, CONNS, DEPTH,
# REQUESTS, METHOD, CLIENTS, TRANSFER_MB, N, DEADLINE, ACCESS_LOG, SLUICE_BIN, ...: see each
# script's --help), and
#   RATE   requests/s for latency.sh (default: half of HAProxy's median keep-alive req/s)
# With the defaults a run takes about 25 minutes.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
[ $# -le 1 ] || die "usage: bench/run.sh [ROUNDS]"
own_session "$@"

parse_args "sluice haproxy nginx" "${1:-3}"
# the settings given, to write the command down as it can be run again
SETTINGS=""
for v in DURATION WARMUP CONNS DEPTH REQUESTS METHOD RATE CLIENTS TRANSFER_MB BODY_WARMUP_MB N DEADLINE \
         ACCESS_LOG SLUICE_BIN SLUICE_START_TIMEOUT CPU_PROXY CPU_LOAD NICE; do
  [ -z "$(printenv "$v")" ] || SETTINGS+="$v=$(printenv "$v") "
done

"$BENCH_DIR/install.sh" >&2 || die "the tools above are missing; install them, then run again"
begin_run run
START=$(date +%s)
describe_env "$OUT/env.txt"
{
  echo "command:    ${SETTINGS}bench/run.sh $ROUNDS"
  echo "rounds:     $ROUNDS, targets in a rotating order"
  echo "warm-up:    $WARMUP"
} >>"$OUT/env.txt"
log "results in $OUT"

# build : the launcher builds Sluice when its sources are newer than the jar, then checks
# the config the runs will use; unpinned, so the build has both CPUs
build() {
  local bin=${SLUICE_BIN:-$ROOT/sluice}
  log "building Sluice if its sources changed, and checking its config"
  "$bin" check --config "$(proxy_conf sluice)" >"$OUT/logs/build.log" 2>&1 ||
    die "Sluice did not build or rejects its config; see $OUT/logs/build.log:
$(tail -20 "$OUT/logs/build.log")"
}

FAILED=()

# part NAME [ARGS...] : bench/NAME.sh ROUNDS ARGS with its output in $OUT/NAME. It runs in
# the background and is waited for, so that Ctrl-C stops it at once (the exit trap stops
# what we started). A part that fails is noted and the next one runs.
part() {
  local name=$1 pid rc=0; shift
  log "== $name ($(( ($(date +%s) - START) / 60 )) min so far)"
  OUT_DIR="$OUT/$name" "$BENCH_DIR/$name.sh" "$ROUNDS" "$@" &
  pid=$!
  STARTED+=("$pid")
  wait "$pid" || rc=$?
  forget "$pid"
  if [ "$rc" != 0 ]; then
    log "$name.sh failed (status $rc); its figures will be missing. See $OUT/$name/"
    FAILED+=("$name")
  fi
}

build
part compare
if [ -z "${RATE:-}" ]; then
  RATE=$(python3 "$BENCH_DIR/report.py" half-rate "$OUT/compare/runs.csv" 2>/dev/null) ||
    { RATE=10000; log "no HAProxy req/s from compare.sh: latency.sh runs at $RATE req/s"; }
fi
export RATE
part syscalls
part latency
part transfer
part idle-mem

DAY=$(date +%F)
rm -f "$BENCH_DIR/results/$DAY.png"        # an older chart of the day must not pass for this one
python3 "$BENCH_DIR/scorecard.py" "$OUT" --md "$BENCH_DIR/results/$DAY.md" \
  --png "$BENCH_DIR/results/$DAY.png" --failed "$(IFS=,; echo "${FAILED[*]}")"
echo
log "report: bench/results/$DAY.md$([ -f "$BENCH_DIR/results/$DAY.png" ] && echo " and $DAY.png"); raw data: $OUT"
log "took $(( ($(date +%s) - START) / 60 )) min $(( ($(date +%s) - START) % 60 )) s"
[ ${#FAILED[@]} -eq 0 ] || die "parts that failed: ${FAILED[*]}"
