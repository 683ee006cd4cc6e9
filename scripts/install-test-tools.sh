#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK: Debian's chromium, for the dashboard's
# headless browser test (DashboardBrowserTest). Does nothing when it is already there, so
# `./sluice test` can call it every time. Non-interactive; as root, or through sudo when there is one.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    echo "install-test-tools: /usr/bin/chromium is missing and this is not root (no sudo either);" \
         "install Debian's chromium package, e.g. as root: apt-get install chromium" >&2
    exit 1
  fi
fi

echo "install-test-tools: installing chromium (for the dashboard test)..." >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
