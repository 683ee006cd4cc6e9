#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK, from Debian's packages: chromium, for the
# dashboard's headless browser test (DashboardBrowserTest); python3-prometheus-client, the
# Prometheus project's own text-format parser, which reads /metrics in MetricsEndpointTest; and
# tmux, which drives `sluice inspect` in its tests as a person at a terminal would.
# Does nothing when they are there, so `./sluice test` can call it every time.
# Non-interactive; as root, or through sudo when there is one.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import prometheus_client.parser' 2>/dev/null || missing+=(python3-prometheus-client)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    echo "install-test-tools: ${missing[*]} missing and this is not root (no sudo either);" \
         "install those Debian packages, e.g. as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-test-tools: installing ${missing[*]} (for the tests)..." >&2
"${as_root[@]}" apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
