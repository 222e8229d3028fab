#!/usr/bin/env bash
# Prepares the browser and standard-client tests: Debian's Chromium and nginx (never a downloaded
# browser), Prometheus' Python client (the metrics parser test), and from the lock file
# playwright-core, axe-core, the eventsource package and the OpenAPI linter (@redocly/cli).
# Idempotent: does nothing that is already done.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# a text font for the pages and screenshots (icons are SVG: no emoji font is needed)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
# /q/metrics is checked with Prometheus' own parser (text and OpenMetrics)
/usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -q
  $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Debian enables an nginx service on install; the tests run their own nginx on free ports.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  systemctl stop nginx || true
fi

# playwright-core needs Node.js 20 or later (Debian 12's own nodejs package is 18), @redocly/cli 20.19
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "setup.sh: Node.js $(node --version) found; the browser tests need Node.js 20.19 or later" >&2
  exit 1
fi

cd "$here"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/eventsource ] \
    || [ ! -d node_modules/@redocly/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
