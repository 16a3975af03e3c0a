#!/usr/bin/env bash
# Benchmarks a release build of nuri with wrk:
#   1. GET /api/v1/auth/me with a bearer token   (the JSON API path: token check + user lookup)
#   2. GET /  with a session cookie               (the server-rendered admin dashboard)
#   3. GET /  as a seeded mentor                  (the mentor dashboard: ~40 mentees, their progress)
#   4. GET /api/v1/tasks?per_page=50              (as the seeded company's admin: 20,000 tasks)
# and reports requests/s, p50 and p99 latency, plus the size of the WASM bundle (raw, gzip, brotli).
# Before the server starts, `nuri seed` adds a company of BENCH_USERS people (default 1,000),
# BENCH_MENTORSHIPS mentorships (2,000) with BENCH_TASKS_PER tasks each (10 → 20,000 tasks).
#
# It builds nothing. Build first, e.g. the release binary and the site (see the project README),
# then:   bench/run.sh
#
# Environment:
#   NURI_BIN        release binary     (default: ${CARGO_TARGET_DIR:-target}/release/nuri)
#   NURI_SITE_ROOT  built site         (default: ${CARGO_TARGET_DIR:-target}/site)
#   BENCH_SECONDS   duration per target (default 15)
#   BENCH_THREADS / BENCH_CONNECTIONS   wrk -t / -c (default 2 / 64)
#   RUST_LOG        passed through to the server if set (request logging costs throughput)
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

TARGET_DIR=${CARGO_TARGET_DIR:-target}
NURI_BIN=${NURI_BIN:-$TARGET_DIR/release/nuri}
NURI_SITE_ROOT=${NURI_SITE_ROOT:-$TARGET_DIR/site}
BENCH_SECONDS=${BENCH_SECONDS:-15}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-64}
BENCH_USERS=${BENCH_USERS:-1000}
BENCH_MENTORSHIPS=${BENCH_MENTORSHIPS:-2000}
BENCH_TASKS_PER=${BENCH_TASKS_PER:-10}

ADMIN_EMAIL=bench-admin@example.test
ADMIN_NAME="Bench Admin"
ADMIN_PASSWORD="bench-password-$RANDOM$RANDOM"

die() { printf '\nbench: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench: %s\n' "$*" >&2; }

# --- prerequisites ------------------------------------------------------------------------------

[[ -x $NURI_BIN ]] || die "no nuri binary at $NURI_BIN (build it with 'cargo build --release', or set NURI_BIN)"
[[ -d $NURI_SITE_ROOT ]] || die "no site directory at $NURI_SITE_ROOT (build the site, or set NURI_SITE_ROOT)"
NURI_BIN=$(cd "$(dirname "$NURI_BIN")" && pwd)/$(basename "$NURI_BIN")
NURI_SITE_ROOT=$(cd "$NURI_SITE_ROOT" && pwd)
command -v curl >/dev/null || die "curl is required"

apt_install() {
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "$* is missing and I am not root: apt-get install -y $*"
    sudo=(sudo)
  fi
  note "installing $* with apt-get"
  "${sudo[@]}" apt-get install -y "$@" >/dev/null \
    || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y "$@" >/dev/null; } \
    || die "could not install $*"
}
command -v wrk >/dev/null || apt_install wrk
command -v brotli >/dev/null || apt_install brotli

# --- server -------------------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nuri-bench.XXXXXX")
DATA=$WORK/data
LOG=$WORK/server.log
mkdir -p "$DATA"
SERVER_PID=

cleanup() {
  local status=$?
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s $LOG ]]; then
    printf '\n--- server log (tail) ---\n' >&2
    tail -n 30 "$LOG" >&2 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export NURI_DATA_DIR=$DATA NURI_SITE_ROOT

# The first admin comes from the CLI before the server starts (the setup form is the fallback).
admin_via_cli=1
if ! printf '%s\n' "$ADMIN_PASSWORD" | "$NURI_BIN" admin create --email "$ADMIN_EMAIL" --name "$ADMIN_NAME" >"$WORK/admin.log" 2>&1; then
  note "'nuri admin create' failed; will use the setup form instead:"
  sed 's/^/    /' "$WORK/admin.log" >&2
  admin_via_cli=0
fi

note "seeding $BENCH_USERS people, $BENCH_MENTORSHIPS mentorships, $BENCH_TASKS_PER tasks each"
"$NURI_BIN" seed --users "$BENCH_USERS" --mentorships "$BENCH_MENTORSHIPS" \
  --tasks-per-mentorship "$BENCH_TASKS_PER" >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; die "nuri seed failed"; }
grep '^nuri: seeded' "$WORK/seed.log" >&2 || true
SEED_PASSWORD=$(sed -n 's/^nuri: password for everyone: //p' "$WORK/seed.log")
SEED_ADMIN=$(sed -n 's/^nuri: admin  //p' "$WORK/seed.log")
SEED_MENTOR=$(sed -n 's/^nuri: mentor //p' "$WORK/seed.log")
[[ -n $SEED_PASSWORD && -n $SEED_ADMIN && -n $SEED_MENTOR ]] || die "could not read the seeded credentials"

NURI_LISTEN=127.0.0.1:0 "$NURI_BIN" serve >"$LOG" 2>&1 &
SERVER_PID=$!

BASE=
for _ in $(seq 600); do
  BASE=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$LOG" | grep -oE 'listening on https?://[^[:space:]"<>]+' | head -n1 | sed 's/^listening on //; s/[.,;)]*$//' || true)
  [[ -n $BASE ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "nuri exited during startup"
  sleep 0.1
done
[[ -n $BASE ]] || die "nuri did not print 'listening on http://…' within 60 s"
note "server at $BASE (pid $SERVER_PID, data in $DATA)"

if [[ $admin_via_cli -eq 0 ]]; then
  SETUP_URL=
  for _ in $(seq 100); do
    SETUP_URL=$(grep -oE 'https?://[^[:space:]"<>]+/setup\?token=[A-Za-z0-9_%.~-]+' "$LOG" | head -n1 || true)
    [[ -n $SETUP_URL ]] && break
    sleep 0.1
  done
  [[ -n $SETUP_URL ]] || die "no setup URL in the server output"
  TOKEN=${SETUP_URL##*token=}
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Accept: text/html' -H "Origin: $BASE" \
    --data-urlencode "token=$TOKEN" --data-urlencode "email=$ADMIN_EMAIL" \
    --data-urlencode "name=$ADMIN_NAME" --data-urlencode "password=$ADMIN_PASSWORD" \
    "$BASE/api/fn/setup")
  [[ $code =~ ^(2|3)[0-9][0-9]$ ]] || die "POST /api/fn/setup answered $code"
fi

# --- credentials --------------------------------------------------------------------------------

token_for() { # email, password
  local login_json token
  login_json=$(curl -sS -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' \
    --data "{\"email\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/auth/login")
  token=$(printf '%s' "$login_json" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
  [[ -n $token ]] || die "POST /api/v1/auth/login for $1 gave no access_token: $login_json"
  printf '%s' "$token"
}

cookie_for() { # email, password
  local login_headers cookie
  login_headers=$(curl -sS -D - -o /dev/null -X POST -H 'Accept: text/html' -H "Origin: $BASE" \
    --data-urlencode "email=$1" --data-urlencode "password=$2" \
    "$BASE/api/fn/login" | tr -d '\r')
  cookie=$(printf '%s\n' "$login_headers" | grep -i '^set-cookie:[[:space:]]*nuri_session=' | tail -n1 \
    | sed -E 's/^[Ss][Ee][Tt]-[Cc][Oo][Oo][Kk][Ii][Ee]:[[:space:]]*//; s/;.*$//' || true)
  [[ -n $cookie ]] || die "POST /api/fn/login for $1 set no nuri_session cookie; response headers:
$login_headers"
  printf '%s' "$cookie"
}

ACCESS_TOKEN=$(token_for "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
SESSION_COOKIE=$(cookie_for "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
SEED_ADMIN_TOKEN=$(token_for "$SEED_ADMIN" "$SEED_PASSWORD")
MENTOR_COOKIE=$(cookie_for "$SEED_MENTOR" "$SEED_PASSWORD")

# Each target must answer 200 (and the dashboard must really be the dashboard) before we measure.
check() { # name, expected substring, curl args...
  local name=$1 expect=$2; shift 2
  local body code
  body=$(curl -sS -w '\n%{http_code}' "$@") || die "$name: request failed"
  code=${body##*$'\n'}
  body=${body%$'\n'*}
  [[ $code == 200 ]] || die "$name answered $code, not 200:
${body:0:500}"
  [[ $body == *"$expect"* ]] || die "$name answered 200 but without '$expect' in the body:
${body:0:500}"
}
check "GET /api/v1/auth/me" "$ADMIN_EMAIL" -H "Authorization: Bearer $ACCESS_TOKEN" "$BASE/api/v1/auth/me"
check "GET / (dashboard)" 'data-testid="role"' -H "Cookie: $SESSION_COOKIE" -H 'Accept: text/html' "$BASE/"
check "GET / (mentor dashboard)" 'data-testid="mentor-dashboard"' -H "Cookie: $MENTOR_COOKIE" -H 'Accept: text/html' "$BASE/"
check "GET /api/v1/tasks" '"per_page":50' -H "Authorization: Bearer $SEED_ADMIN_TOKEN" "$BASE/api/v1/tasks?per_page=50"
note "all targets answer 200; benchmarking ${BENCH_SECONDS}s each with $BENCH_THREADS threads, $BENCH_CONNECTIONS connections"

# --- wrk ----------------------------------------------------------------------------------------

# wrk prints latencies as 812.00us / 1.23ms / 1.05s; normalise to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v == "") { print "-"; exit }
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

declare -a ROWS=()
run_wrk() { # label, url, header...
  local label=$1 url=$2; shift 2
  local out=$WORK/wrk-${#ROWS[@]}.txt
  local hdrs=()
  for h in "$@"; do hdrs+=(-H "$h"); done
  printf '\n=== %s ===\n' "$label"
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency "${hdrs[@]}" "$url" | tee "$out"
  local rps p50 p99 non2xx errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2; exit }' "$out")
  p99=$(awk '$1 == "99%" { print $2; exit }' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  errors=$(awk '/Socket errors:/ { sub(/.*Socket errors: */, ""); print }' "$out")
  ROWS+=("$label|${rps:--}|$(to_ms "$p50")|$(to_ms "$p99")|${non2xx:-0}|${errors:-none}")
}

run_wrk "GET /api/v1/auth/me (bearer)" "$BASE/api/v1/auth/me" "Authorization: Bearer $ACCESS_TOKEN"
run_wrk "GET / dashboard (cookie)" "$BASE/" "Cookie: $SESSION_COOKIE" "Accept: text/html"
run_wrk "GET / mentor dashboard (seeded)" "$BASE/" "Cookie: $MENTOR_COOKIE" "Accept: text/html"
run_wrk "GET /api/v1/tasks?per_page=50" "$BASE/api/v1/tasks?per_page=50" "Authorization: Bearer $SEED_ADMIN_TOKEN"

# --- bundle size --------------------------------------------------------------------------------

size_row() {
  local f=$1 raw gz br
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  awk -v n="$(basename "$f")" -v r="$raw" -v g="$gz" -v b="$br" '
    function fmt(x) { return sprintf("%d B (%.1f KiB)", x, x / 1024) }
    BEGIN { printf "  %-16s %24s %24s %24s\n", n, fmt(r), fmt(g), fmt(b) }'
}

# --- summary ------------------------------------------------------------------------------------

printf '\n================================ nuri benchmark ================================\n'
printf '  binary: %s\n  wrk:    -t%s -c%s -d%ss, on %s (%s CPUs)\n\n' \
  "$NURI_BIN" "$BENCH_THREADS" "$BENCH_CONNECTIONS" "$BENCH_SECONDS" "$(uname -sm)" "$(nproc)"
printf '  %-32s %12s %10s %10s %9s  %s\n' "target" "requests/s" "p50 ms" "p99 ms" "non-2xx" "socket errors"
printf '  %-32s %12s %10s %10s %9s  %s\n' "------" "----------" "------" "------" "-------" "-------------"
bad=0
for row in "${ROWS[@]}"; do
  IFS='|' read -r label rps p50 p99 non2xx errors <<<"$row"
  printf '  %-32s %12s %10s %10s %9s  %s\n' "$label" "$rps" "$p50" "$p99" "$non2xx" "$errors"
  [[ $non2xx == 0 ]] || bad=1
done

# `cargo xtask build` puts the assets under pkg/HASH and names the directory in assets.json.
PKG=$NURI_SITE_ROOT/pkg
if [[ -f $NURI_SITE_ROOT/assets.json ]]; then
  PKG=$NURI_SITE_ROOT/$(sed -n 's/.*"pkg_dir":"\([^"]*\)".*/\1/p' "$NURI_SITE_ROOT/assets.json")
fi
printf '\n  WASM bundle (%s):\n' "$PKG"
printf '  %-16s %24s %24s %24s\n' "file" "raw" "gzip -9" "brotli -q 11"
WASM=$PKG/nuri_bg.wasm
if [[ -f $WASM ]]; then
  size_row "$WASM"
else
  printf '  (missing: %s)\n' "$WASM"
  bad=1
fi
for extra in nuri.js nuri.css; do
  [[ -f $PKG/$extra ]] && size_row "$PKG/$extra"
done
printf '================================================================================\n'

if [[ $bad -ne 0 ]]; then
  die "some requests failed (non-2xx responses) or the WASM bundle is missing; the numbers above are not trustworthy"
fi
