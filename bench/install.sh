#!/usr/bin/env bash
# Install the Debian packages the benchmarks in this directory use.
#
#   bench/install.sh
#
# Safe to run again: it installs only what is missing. Debian's haproxy and nginx packages
# would normally start system services; while this script installs them a temporary
# policy-rc.d (only if the system has none) keeps them from starting. Nothing is stopped
# or killed: a haproxy/nginx service you already run is left alone (the benchmarks use
# their own configs on ports 8080 and 9001 and refuse to start if those ports are taken).
set -euo pipefail

# tool -> package:  haproxy, nginx, wrk (HTTP/1.1 load), h2load (nghttp2-client),
# python3 (idle connection opener, tables), curl (sanity checks), ss (iproute2),
# taskset/setsid (util-linux).
PKGS=(haproxy nginx wrk nghttp2-client python3 curl iproute2 util-linux)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "all benchmark packages are installed: ${PKGS[*]}"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]}" >&2
    echo "install them as root, e.g.:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, from bench/install.sh: do not start services\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# haproxy and nginx live in /usr/sbin, which is not on every user's PATH.
export PATH="$PATH:/usr/sbin:/sbin"
echo "haproxy: $(haproxy -v 2>/dev/null | head -1)"
echo "nginx:   $(nginx -v 2>&1)"
echo "wrk:     $(wrk -v 2>&1 | head -1)"
echo "h2load:  $(h2load --version 2>/dev/null | head -1)"
echo "python3: $(python3 --version 2>&1)"
