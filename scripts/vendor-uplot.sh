#!/usr/bin/env bash
# Fetches uPlot (MIT) from the npm registry into the dashboard's static assets, with its LICENSE.
# Run by hand to change the version; the result is committed, so the build never needs npm.
#   scripts/vendor-uplot.sh [VERSION]
set -euo pipefail

VERSION="${1:-1.6.32}"
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DEST="$ROOT/proxy/src/main/resources/dashboard/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "uplot@$VERSION" >/dev/null)
tar -xzf "$WORK/uplot-$VERSION.tgz" -C "$WORK"
mkdir -p "$DEST"
cp "$WORK/package/dist/uPlot.iife.min.js" "$DEST/uPlot.iife.min.js"
cp "$WORK/package/dist/uPlot.min.css" "$DEST/uPlot.min.css"
cp "$WORK/package/LICENSE" "$DEST/uPlot.LICENSE"
echo "uPlot $VERSION" > "$DEST/uPlot.VERSION"
echo "vendored uPlot $VERSION into ${DEST#"$ROOT"/}"
