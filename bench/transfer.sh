#!/usr/bin/env bash
# One large download and one large upload through Sluice, HAProxy and nginx, and without a proxy.
#
#   bench/transfer.sh [ROUNDS] [TARGETS...]
#     ROUNDS   rounds to run (default 3); the order of the targets rotates every round
#     TARGETS  any of: sluice haproxy nginx direct (default: all four; direct = curl talks
#              to the origin itself: the figure the others are held against)
#   environment:
#     TRANSFER_MB  size of the body in MiB (default 1024)
#     BODY_WARMUP_MB  an unmeasured transfer of this size first, the same way, for every target
#                  (default 256; 0 for none): a JVM compiles its body path on it
#     WARMUP, CONNS, ACCESS_LOG, SLUICE_BIN, SLUICE_START_TIMEOUT, RESULTS_DIR, OUT_DIR
#                  as for compare.sh
#
# Per target, round and direction: start the origin and the proxy, warm up as compare.sh
# does, then move one body of TRANSFER_MB with curl on CPU 0:
#   down  GET of a sparse file the origin nginx serves with sendfile;
#   up    PUT of the same file to upload_sink.py, which answers once it has read the whole
#         body (an nginx origin answers at once, and a proxy may then drop the rest).
# Meanwhile the proxy's RSS is read every 100 ms. Recorded: MiB/s (bytes / curl's total
# time), RSS before and at its peak, the proxy's CPU-seconds. The bytes are checked at both
# ends (curl's count, and the origin's: nginx's $body_bytes_sent or the sink's count); a
# transfer that moved less, or answered other than 200, is counted as an error.
# Output: <run dir>/transfer.csv (one row per target x direction x round), summary.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
own_session "$@"

parse_args "sluice haproxy nginx direct" "$@"
TRANSFER_MB=${TRANSFER_MB:-1024}
[[ $TRANSFER_MB =~ ^[1-9][0-9]*$ ]] || die "TRANSFER_MB must be a positive number (got '$TRANSFER_MB')"
BODY_WARMUP_MB=${BODY_WARMUP_MB:-256}
[[ $BODY_WARMUP_MB =~ ^[0-9]+$ ]] || die "BODY_WARMUP_MB must be a number (got '$BODY_WARMUP_MB')"
check_duration WARMUP "$WARMUP"
require_tools nginx wrk curl python3 ss taskset timeout
require_targets

BYTES=$((TRANSFER_MB * 1024 * 1024))
begin_run transfer
CSV="$OUT/transfer.csv"
python3 "$BENCH_DIR/report.py" columns transfer >"$CSV"
describe_env "$OUT/env.txt"
{
  echo "rounds:   $ROUNDS; targets: ${TARGETS[*]}"
  echo "transfer: $TRANSFER_MB MiB down (nginx origin, sendfile) and up (upload_sink.py), curl; warm-up wrk -t1 -c$CONNS -d$WARMUP, then $BODY_WARMUP_MB MiB the same way"
} >>"$OUT/env.txt"
log "results in $OUT"

# the body: a sparse file, so that neither end waits for a disk; the origin serves it
# from its html/ directory
BODY="$SCRATCH/origin/html/transfer.bin"
mkdir -p "$(dirname "$BODY")"
truncate -s "$BYTES" "$BODY"
WARM_BODY="$SCRATCH/origin/html/warm-up.bin"
truncate -s $((BODY_WARMUP_MB * 1024 * 1024)) "$WARM_BODY"
# nginx's worker drops root for `nobody`: let it through the private scratch directory
chmod go+x "$SCRATCH" "$SCRATCH/origin" "$SCRATCH/origin/html"
chmod go+r "$BODY" "$WARM_BODY"

# sample_rss FILE PID... : the PIDs' summed RSS in kB, every 100 ms, into FILE until stopped
sample_rss() {
  local out=$1; shift
  taskset -cp "$CPU_LOAD" "$BASHPID" >/dev/null
  while :; do rss_kb "$@"; sleep 0.1; done >"$out"
}

# origin_count DIRECTION : the bytes the origin says it sent (down) or read (up), last request
origin_count() {
  if [ "$1" = down ]; then
    awk '{n = $4} END {print n + 0}' "$SCRATCH/origin/logs/transfer.log" 2>/dev/null || echo 0
  else
    awk '{n = $3} END {print n + 0}' "$SCRATCH/sink-requests.log" 2>/dev/null || echo 0
  fi
}

# curl_args DIRECTION NAME FILE : CURL_ARGS := curl's arguments to GET NAME from the origin
# (down) or to PUT FILE to the sink (up), what comes back thrown away
curl_args() {
  CURL_ARGS=(-sS -o /dev/null)
  if [ "$1" = down ]; then CURL_ARGS+=("${URL}$2"); else CURL_ARGS+=(-H 'Expect:' -T "$3" "${URL}upload"); fi
}

# move TARGET DIRECTION ROUND : one transfer, one CSV row
# shellcheck disable=SC2086 # the PID list is meant to be split into words
move() {
  local target=$1 dir=$2 round=$3 logf samples sampler sut="" args
  local rss0="" peak="" cpu="" cpu0 code down up secs got crossed error=0
  logf="$OUT/logs/$target-$dir-r$round.curl"
  samples="$OUT/logs/$target-$dir-r$round.rss"
  curl_args "$dir" transfer.bin "$BODY"
  args=(-w '%{http_code} %{size_download} %{size_upload} %{time_total}\n' "${CURL_ARGS[@]}")
  [ "$target" = direct ] || sut=$(pid_tree "$SUT_PID")   # direct: no proxy to watch
  if [ -n "$sut" ]; then
    rss0=$(rss_kb $sut)
    sample_rss "$samples" $sut &
    sampler=$!
    STARTED+=("$sampler")
    cpu0=$(cpu_ns $sut)
  fi
  # bounded by a slow floor of 10 MiB/s
  run_load "$CPU_LOAD" "$logf" $((TRANSFER_MB / 10 + 60)) curl "${args[@]}" || error=1
  if [ -n "$sut" ]; then
    cpu=$(($(cpu_ns $sut) - cpu0))
    stop_tree "$sampler"
    forget "$sampler"
    peak=$(sort -n "$samples" | tail -1)
  fi
  # curl's -w line (an error message, if any, is on a line of its own)
  read -r code down up secs < <(grep -E '^[0-9]{3} [0-9]+ [0-9]+ [0-9.]+$' "$logf" | tail -1) || true
  got=$([ "$dir" = down ] && echo "${down:-0}" || echo "${up:-0}")
  crossed=$(origin_count "$dir")
  if [ "${code:-}" != 200 ] || [ "$got" != "$BYTES" ] || [ "$crossed" != "$BYTES" ]; then
    error=1
    log "  error: $dir answered '${code:-nothing}'; curl moved $got, the origin $crossed of $BYTES bytes; see $logf"
  fi
  echo "$round,$target,$dir,$BYTES,$got,$crossed,${secs:-},$rss0,$peak,$cpu,$error" >>"$CSV"
  log "  $dir: $(tail -1 "$CSV" | awk -F, '{
    printf "%.0f MiB/s", ($7 > 0 ? $5 / $7 / 1048576 : 0)
    if ($8 != "") printf ", RSS %d kB -> peak %d kB, %.2f CPU-s", $8, $9, $10 / 1e9
    printf ", errors %d", $11 }')"
}

# warm_body DIRECTION LOGFILE : the unmeasured transfer of BODY_WARMUP_MB before the measured one
warm_body() {
  [ "$BODY_WARMUP_MB" -gt 0 ] || return 0
  curl_args "$1" warm-up.bin "$WARM_BODY"
  run_load "$CPU_LOAD" "$2" $((BODY_WARMUP_MB / 10 + 60)) curl "${CURL_ARGS[@]}" ||
    die "the warm-up transfer failed; see $2"
}

# one TARGET ROUND : the download with nginx as the origin, the upload with the sink
one() {
  local dir origin
  for dir in down up; do
    origin=$([ "$dir" = down ] && echo nginx || echo sink)
    # the origin's count must come from this transfer, not an earlier one
    rm -f "$SCRATCH/origin/logs/transfer.log" "$SCRATCH/sink-requests.log"
    start_target "$1" "$origin"
    warm_up "$OUT/logs/$1-$dir-warmup-r$2.txt"
    warm_body "$dir" "$OUT/logs/$1-$dir-body-warmup-r$2.txt"
    move "$1" "$dir" "$2"
    stop_servers
  done
}

for_rounds one

python3 "$BENCH_DIR/report.py" transfer "$CSV" >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
echo
log "raw figures: $CSV"
