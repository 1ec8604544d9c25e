#!/usr/bin/env bash
# The benchmarks of issue 4 (never part of .ci/run or the tests): the render time of each
# records page for the ten-year demo patient, wrk on loopback against a trivial page, each
# records page and static files, and the compressed size of what pages download.
# Prints the figures that docs/performance.md keeps. Run from anywhere:
#   scripts/bench.sh                 release build first (cargo leptos build --release --precompress)
#   SKIP_BUILD=1 scripts/bench.sh    reuse the current release build
# Environment: DURATION (wrk seconds per URL, default 10), CONNECTIONS (default 32),
# RUST_LOG (server log filter, default info as in production; the log goes to /dev/null).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-3900}
step() { printf '\n==> %s\n' "$*"; }

if ! command -v wrk >/dev/null 2>&1; then
  step "apt-get install wrk"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

if [ "${SKIP_BUILD:-}" != 1 ]; then
  step "release build"
  cargo leptos build --release --precompress
fi
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  commit: $(git rev-parse --short HEAD)"

step "sizes of what every page downloads (bytes: raw, gzip -9, brotli 11)"
node - <<'EOF'
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const pkg = 'target/site/pkg';
const files = fs.readdirSync(pkg).filter((n) => /^portal\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/.test(n));
const vendor = fs.readdirSync('target/site/vendor').filter((n) => n.endsWith('.js')).map((n) => path.join('target/site/vendor', n));
for (const f of [...files.map((n) => path.join(pkg, n)), ...vendor]) {
  const b = fs.readFileSync(f);
  const gz = zlib.gzipSync(b, { level: 9 }).length;
  const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${path.basename(f)}\t${b.length}\t${gz}\t${br}`);
}
EOF

step "render time in process (cargo bench --bench records)"
cargo bench --features ssr --bench records

step "wrk: ${DURATION}s per URL, 2 threads, ${CONNECTIONS} connections, server and wrk on the same cores"
bench_bin=$(cargo bench --features ssr --bench records --no-run 2>&1 \
  | grep -o 'target/release/deps/records-[0-9a-f]*' | head -1)
cookie_file=$(mktemp)
RUST_LOG=${RUST_LOG:-info} "$bench_bin" serve "127.0.0.1:$PORT" "$cookie_file" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$cookie_file"' EXIT
for _ in $(seq 1 600); do [ -s "$cookie_file" ] && break; sleep 0.1; done
[ -s "$cookie_file" ] || { echo "the bench server did not start" >&2; exit 1; }
cookie=$(cat "$cookie_file")
css=$(cd target/site && ls pkg/portal.*.css | grep -E '^pkg/portal\.[A-Za-z0-9_-]{22}\.css$')
wasm=$(cd target/site && ls pkg/portal.*.wasm | grep -E '^pkg/portal\.[A-Za-z0-9_-]{22}\.wasm$')

rate() {
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie" -H "Accept-Encoding: br, gzip" \
    "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} /Non-2xx/ {n=$NF}
      END {printf "%s\t%s\t%s\n", r, p, (n == "" ? 0 : n)}'
}
printf 'url\treq/s\tp99\tnon-2xx\tratio to the trivial page\n'
trivial=""
for url in /healthz /no-such-page / /medications /checkups /costs /insurance "/$css" "/$wasm"; do
  read -r rps p99 non2xx < <(rate "$url")
  [ "$url" = /no-such-page ] && trivial=$rps
  ratio=$( [ -n "$trivial" ] && awk -v a="$rps" -v b="$trivial" 'BEGIN {printf "%.2f", a / b}' || echo -)
  printf '%s\t%s\t%s\t%s\t%s\n' "$url" "$rps" "$p99" "$non2xx" "$ratio"
done
echo "(the trivial page is the not-found page: the same shell and layout, no data; it answers 404)"
