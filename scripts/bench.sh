#!/usr/bin/env bash
# The benchmarks (never part of .ci/run or the tests): the compressed size of what pages
# download; the render time of each records page for the ten-year demo patient; wrk on loopback
# against a trivial page, each records page and static files; the institution API: the consent
# check plus its log append and whole API reads in process, and wrk against the API beside a
# bare handler of the same server, on SQLite and on PostgreSQL.
# Prints the figures that docs/performance.md keeps. Run from anywhere:
#   scripts/bench.sh                 release build first (cargo leptos build --release --precompress)
#   SKIP_BUILD=1 scripts/bench.sh    reuse the current release build
#   PARTS="api" scripts/bench.sh     only some parts: sizes, render, pages, first-views, api
#                                    (default all)
# Environment: DURATION (wrk seconds per URL, default 10), CONNECTIONS (default 32),
# RUST_LOG (server log filter, default info as in production; the log goes to /dev/null).
# First views: PATIENTS (default 10000), POLLS_PER_VIEW (the idle warning's background calls per
# page view, default 1: a page read for about 30 seconds), CACHES ("on off": runs with the
# records caches on, then off).
# The PostgreSQL figures use the machine's cluster (.ci/postgres starts it; schema "bench").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-3900}
PARTS=${PARTS:-"sizes render pages first-views api"}
part() { [[ " $PARTS " == *" $1 "* ]]; }
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

if part sizes; then
  step "sizes of what every page downloads (bytes: raw, gzip -9, brotli 11)"
  node - <<'EOF'
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const pkg = 'target/site/pkg';
const files = fs.readdirSync(pkg).filter((n) => /^portal\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/.test(n));
const vendor = ['vendor', 'scripts'].flatMap((d) => fs.readdirSync(path.join('target/site', d)).filter((n) => n.endsWith('.js')).map((n) => path.join('target/site', d, n)));
for (const f of [...files.map((n) => path.join(pkg, n)), ...vendor]) {
  const b = fs.readFileSync(f);
  const gz = zlib.gzipSync(b, { level: 9 }).length;
  const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${path.basename(f)}\t${b.length}\t${gz}\t${br}`);
}
EOF
fi

if part render; then
  step "render time in process (cargo bench --bench records)"
  cargo bench --features ssr --bench records
fi

# rate URL [wrk options…]: "req/s p99 non-2xx" of one wrk run.
rate() {
  local url=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" \
    | awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} /Non-2xx/ {n=$NF}
      END {printf "%s\t%s\t%s\n", r, p, (n == "" ? 0 : n)}'
}
servers=()
trap 'for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; done' EXIT
# wait_for FILE: until the bench server has written it (its set-up done).
wait_for() {
  for _ in $(seq 1 1200); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "the bench server did not start" >&2; exit 1
}
# stop_server: the last bench server started.
stop_server() {
  kill "${servers[-1]}" 2>/dev/null || true
  wait "${servers[-1]}" 2>/dev/null || true
}

if part pages; then
  step "wrk: ${DURATION}s per URL, 2 threads, ${CONNECTIONS} connections, server and wrk on the same cores"
  bench_bin=$(cargo bench --features ssr --bench records --no-run 2>&1 \
    | grep -o 'target/release/deps/records-[0-9a-f]*' | head -1)
  cookie_file=$(mktemp); rm -f "$cookie_file"
  RUST_LOG=${RUST_LOG:-info} "$bench_bin" serve "127.0.0.1:$PORT" "$cookie_file" >/dev/null 2>&1 &
  servers+=($!)
  wait_for "$cookie_file"
  cookie=$(cat "$cookie_file"); rm -f "$cookie_file"
  css=$(cd target/site && ls pkg/portal.*.css | grep -E '^pkg/portal\.[A-Za-z0-9_-]{22}\.css$')
  wasm=$(cd target/site && ls pkg/portal.*.wasm | grep -E '^pkg/portal\.[A-Za-z0-9_-]{22}\.wasm$')
  printf 'url\treq/s\tp99\tnon-2xx\tratio to the trivial page\n'
  trivial=""
  for url in /healthz /no-such-page / /medications /checkups /costs /insurance "/$css" "/$wasm"; do
    read -r rps p99 non2xx < <(rate "http://127.0.0.1:$PORT$url" \
      -H "Cookie: $cookie" -H "Accept-Encoding: br, gzip")
    [ "$url" = /no-such-page ] && trivial=$rps
    ratio=$( [ -n "$trivial" ] && awk -v a="$rps" -v b="$trivial" 'BEGIN {printf "%.2f", a / b}' || echo -)
    printf '%s\t%s\t%s\t%s\t%s\n' "$url" "$rps" "$p99" "$non2xx" "$ratio"
  done
  echo "(the trivial page is the not-found page: the same shell and layout, no data; it answers 404)"
  stop_server
fi

if part first-views; then
  PATIENTS=${PATIENTS:-10000}
  POLLS_PER_VIEW=${POLLS_PER_VIEW:-1}
  fv_bin=$(cargo bench --features ssr --bench first_views --no-run 2>&1 \
    | grep -o 'target/release/deps/first_views-[0-9a-f]*' | head -1)
  script=$(mktemp --suffix=.lua)
  cat >"$script" <<'LUA'
-- One wrk thread: each request takes a random patient's session and asks for the page named
-- (or, for "mix", a random records page), or is the idle warning's background call, at the
-- share given: what many patients each opening a page once look like.
local sessions, page, polls, origin = {}, nil, 0, nil
local pages = { "/", "/medications", "/checkups", "/costs", "/insurance" }
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then sessions[#sessions + 1] = line end
  end
  page, polls, origin = args[2], tonumber(args[3]), args[4]
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + #tostring({}))
end
function request()
  local cookie = sessions[math.random(#sessions)]
  if math.random() < polls then
    return wrk.format("POST", "/api/auth/session_left",
      { ["Cookie"] = cookie, ["Content-Type"] = "application/json", ["Origin"] = origin }, "{}")
  end
  local path = page
  if page == "mix" then path = pages[math.random(#pages)] end
  return wrk.format("GET", path,
    { ["Cookie"] = cookie, ["Accept"] = "text/html", ["Accept-Encoding"] = "br, gzip" })
end
LUA
  polls=$(awk -v p="$POLLS_PER_VIEW" 'BEGIN {printf "%.3f", p / (1 + p)}')
  for caches in ${CACHES:-on off}; do
    step "wrk, first views of ${PATIENTS} patients, records caches ${caches}: ${DURATION}s per page, 2 threads, ${CONNECTIONS} connections, a share of ${polls} idle-warning calls"
    sessions=$(mktemp); rm -f "$sessions"
    server_log=$(mktemp)
    entries=2048; [ "$caches" = off ] && entries=0
    RECORDS_CACHE_ENTRIES=$entries PATIENTS=$PATIENTS RUST_LOG=${RUST_LOG:-info} NO_COLOR=1 \
      "$fv_bin" serve "127.0.0.1:$PORT" "$sessions" >"$server_log" 2>&1 &
    servers+=($!)
    for _ in $(seq 1 36000); do [ -s "$sessions" ] && break; sleep 0.1; done
    [ -s "$sessions" ] || { echo "the bench server did not start" >&2; tail "$server_log" >&2; exit 1; }
    grep -E 'imported|signed in with' "$server_log" || true
    printf 'page\treq/s\tpages/s\tp50\tp99\tnon-2xx\tratio to the trivial page\tcache hits\n'
    trivial=""
    for page in /no-such-page / /medications /checkups /costs /insurance mix; do
      read -r h0 m0 < "$sessions.cache"
      out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$script" "http://127.0.0.1:$PORT" \
        -- "$sessions" "$page" "$polls" "http://localhost:$PORT")
      sleep 1.2
      read -r h1 m1 < "$sessions.cache"
      read -r rps p50 p99 non2xx < <(awk '/Requests\/sec/ {r=$2} /^ +50%/ {m=$2} /^ +99%/ {p=$2}
        /Non-2xx/ {n=$NF} END {printf "%s %s %s %s\n", r, m, p, (n == "" ? 0 : n)}' <<<"$out")
      views=$(awk -v r="$rps" -v s="$polls" 'BEGIN {printf "%.0f", r * (1 - s)}')
      [ "$page" = /no-such-page ] && trivial=$views
      ratio=$(awk -v a="$views" -v b="$trivial" 'BEGIN {printf "%.2f", a / b}')
      hits=$(awk -v h=$((h1 - h0)) -v m=$((m1 - m0)) 'BEGIN {printf (h + m) ? "%.2f" : "-", h / (h + m)}')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$page" "$rps" "$views" "$p50" "$p99" "$non2xx" "$ratio" "$hits"
    done
    echo "(pages/s leaves out the idle-warning calls; the trivial page is the not-found page, answered 404)"
    echo "answers by status (from the server's log):"
    sed 's/\x1b\[[0-9;]*m//g' "$server_log" | grep -o 'status=[0-9]*' | sort | uniq -c
    stop_server
    rm -f "$sessions" "$sessions.cache" "$server_log"
  done
  rm -f "$script"
fi

if part api; then
  BENCH_POSTGRES_URL=${BENCH_POSTGRES_URL:-$(.ci/postgres)}
  export BENCH_POSTGRES_URL
  step "institution API in process (cargo bench --bench institution_api)"
  cargo bench --features ssr --bench institution_api
  api_bin=$(cargo bench --features ssr --bench institution_api --no-run 2>&1 \
    | grep -o 'target/release/deps/institution_api-[0-9a-f]*' | head -1)
  for engine in ${ENGINES:-sqlite postgres}; do
    step "wrk, institution API on $engine: ${DURATION}s per URL, 2 threads, ${CONNECTIONS} connections"
    script=$(mktemp --suffix=.lua); rm -f "$script"
    server_log=$(mktemp)
    RUST_LOG=${RUST_LOG:-info} NO_COLOR=1 "$api_bin" serve "$engine" "127.0.0.1:$PORT" "$script" >"$server_log" 2>&1 &
    servers+=($!)
    wait_for "$script"
    printf 'url\treq/s\tp99\tnon-2xx\tratio to the bare handler\n'
    bare=""
    for url in /healthz /institution/v1/qualification /institution/v1/medications \
      /institution/v1/checkups /institution/v1/cost-notices; do
      if [ "$url" = /healthz ]; then
        read -r rps p99 non2xx < <(rate "http://127.0.0.1:$PORT$url")
        bare=$rps
      else
        read -r rps p99 non2xx < <(rate "http://127.0.0.1:$PORT$url" -s "$script")
      fi
      ratio=$(awk -v a="$rps" -v b="$bare" 'BEGIN {printf "%.3f", a / b}')
      printf '%s\t%s\t%s\t%s\t%s\n' "$url" "$rps" "$p99" "$non2xx" "$ratio"
    done
    stop_server
    echo "answers of the API by status (from the server's log; anything but 200 spoils the run):"
    sed 's/\x1b\[[0-9;]*m//g' "$server_log" | grep 'path=/institution/v1/' \
      | grep -o 'status=[0-9]*' | sort | uniq -c
    grep -m3 -E ' (ERROR|WARN) ' "$server_log" | grep -v 'slow statement' || true
    rm -f "$script" "$server_log"
  done
fi
