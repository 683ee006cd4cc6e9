#!/usr/bin/env bash
# Install the Debian packages the benchmarks in this directory use.
#
#   bench/install.sh
#
# Safe to run again: it installs only what is missing. Without root it installs nothing and
# prints what to install (and fails if something the benchmarks cannot do without is missing).
# Debian's haproxy and nginx packages would normally start system services; while this
# script installs them a temporary policy-rc.d (only if the system has none) keeps them from
# starting. Nothing is stopped or killed: a haproxy/nginx service you already run is left
# alone (the benchmarks use their own configs on ports 8080 and 9001 and refuse to start if
# those ports are taken).
set -euo pipefail

# needed: haproxy, nginx, wrk (HTTP/1.1 load), h2load (nghttp2-client: exact request counts,
# fixed rates), strace (syscalls where perf cannot count), python3 (the idle connection
# opener, the upload sink, the reports), curl (checks, transfers), ss (iproute2),
# taskset/setsid (util-linux)
NEEDED=(haproxy nginx wrk nghttp2-client strace python3 curl iproute2 util-linux)
# wanted where the distribution has them: perf (linux-perf: exact syscall counts at full
# speed) and chromium (draws the report's chart as a PNG)
WANTED=(linux-perf chromium)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
available() { [ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)"')" ]; }

missing=() optional=()
for p in "${NEEDED[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${WANTED[@]}"; do installed "$p" || optional+=("$p"); done

if [ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
  echo "all benchmark packages are installed: ${NEEDED[*]} ${WANTED[*]}"
elif [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]:-none}; wanted, not needed: ${optional[*]:-none}" >&2
  echo "install them as root, e.g.:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]} ${optional[*]}" >&2
  [ ${#missing[@]} -eq 0 ] || exit 1
else
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, from bench/install.sh: do not start services\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update
  for p in "${optional[@]}"; do
    if available "$p"; then missing+=("$p"); else echo "$p is not available here; going on without it" >&2; fi
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# haproxy and nginx live in /usr/sbin, which is not on every user's PATH.
export PATH="$PATH:/usr/sbin:/sbin"
echo "haproxy:  $(haproxy -v 2>/dev/null | head -1)"
echo "nginx:    $(nginx -v 2>&1)"
echo "wrk:      $(wrk -v 2>&1 | head -1)"
echo "h2load:   $(h2load --version 2>/dev/null | head -1)"
echo "perf:     $(perf --version 2>/dev/null || echo none)"
echo "chromium: $(chromium --version 2>/dev/null || echo none)"
echo "python3:  $(python3 --version 2>&1)"
