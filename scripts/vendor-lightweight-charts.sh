#!/usr/bin/env bash
# Vendors TradingView Lightweight Charts (its standalone production build) into the dashboard's
# static files, so the dashboard works offline and never loads anything from a CDN.
#
#   scripts/vendor-lightweight-charts.sh            # the version pinned below
#   scripts/vendor-lightweight-charts.sh 5.2.1      # another version
#
# Needs npm. Writes src/main/resources/web/vendor/{lightweight-charts.standalone.production.js,
# LICENSE-lightweight-charts, lightweight-charts.VERSION}. Commit the three files.
set -euo pipefail

version="${1:-5.2.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/src/main/resources/web/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
tarball="$(npm pack --silent "lightweight-charts@$version")"
tar -xzf "$tarball"
js="package/dist/lightweight-charts.standalone.production.js"
test -f "$js" || { echo "vendor-lightweight-charts: $js not in the package" >&2; exit 1; }
test -f package/LICENSE || { echo "vendor-lightweight-charts: LICENSE not in the package" >&2; exit 1; }

mkdir -p "$dest"
cp "$js" "$dest/lightweight-charts.standalone.production.js"
cp package/LICENSE "$dest/LICENSE-lightweight-charts"
sha="$(sha256sum "$dest/lightweight-charts.standalone.production.js" | cut -d' ' -f1)"
cat > "$dest/lightweight-charts.VERSION" <<NOTE
lightweight-charts $(node -p "require('./package/package.json').version")
file: dist/lightweight-charts.standalone.production.js of the npm package lightweight-charts
sha256: $sha
license: Apache-2.0 (LICENSE-lightweight-charts); TradingView attribution is shown in the chart
reproduce: scripts/vendor-lightweight-charts.sh $version
NOTE
echo "vendored lightweight-charts $version into $dest"
