#!/usr/bin/env bash
# Benchmarks a release build of nuri with wrk:
#   1. GET /api/v1/auth/me with a bearer token   (the JSON API path: token check + user lookup)
#   2. GET /  with a session cookie               (the server-rendered admin dashboard)
#   3. GET /  as a seeded mentor                  (the mentor dashboard: ~40 mentees, their progress)
#   4. GET /api/v1/tasks?per_page=50              (as the seeded company's admin: 20,000 tasks)
# and reports requests/s, p50 and p99 latency, plus the size of the WASM bundle (raw, gzip, brotli),
# and nuri's resident memory (RSS) idle after start and idle after the load.
# Side by side, it runs the seeds' own stack on the same machine (../shared/peers/fastapi_seed/app.py, or PEER_APP: FastAPI +
# SQLAlchemy + PyJWT, two uvicorn workers, SQLite, 1,000 users and 20,000 tasks) under the same wrk
# settings, and prints nuri's ratio for auth/me and the 50-task page.
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
#   BENCH_PEER      1 (default) runs the FastAPI peer too; 0 skips it
#   PEER_VENV       its virtualenv (default: ~/.cache/nuri-bench/peer-venv, created when missing
#                   with pip: fastapi uvicorn sqlalchemy pyjwt bcrypt python-multipart)
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
BENCH_PEER=${BENCH_PEER:-1}
PEER_VENV=${PEER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/nuri-bench/peer-venv}
# The peer lives in the team's shared folder beside the clone (not in this repository).
PEER_APP=${PEER_APP:-$ROOT/../shared/peers/fastapi_seed/app.py}

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

PEER_PID=

stop() { # pid
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  stop "$SERVER_PID"
  stop "$PEER_PID"
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

# Resident memory of a process and all its descendants, in KiB.
descendants() { local p; for p in $(pgrep -P "$1" 2>/dev/null || true); do printf '%s\n' "$p"; descendants "$p"; done; }
rss_kib() { # pid
  local total=0 pid kib
  for pid in "$1" $(descendants "$1"); do
    kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${kib:-0}))
  done
  printf '%s' "$total"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
sleep 1
RSS_IDLE_START=$(rss_kib "$SERVER_PID")

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
NURI_ME_ROW=0 NURI_TASKS_ROW=3
sleep 2
RSS_IDLE_AFTER=$(rss_kib "$SERVER_PID")

# --- the FastAPI peer ---------------------------------------------------------------------------

PEER_RSS_IDLE= PEER_RSS_AFTER= PEER_ME_ROW= PEER_TASKS_ROW=
if [[ $BENCH_PEER == 1 ]]; then
  if [[ ! -x $PEER_VENV/bin/uvicorn ]]; then
    command -v python3 >/dev/null || die "python3 is required for the peer (or BENCH_PEER=0)"
    note "creating the peer's virtualenv in $PEER_VENV"
    python3 -m venv "$PEER_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$PEER_VENV/bin/pip" install -q fastapi uvicorn sqlalchemy pyjwt bcrypt python-multipart \
      || die "pip install for the peer failed"
  fi
  PEER_DIR=$WORK/peer
  mkdir -p "$PEER_DIR"
  cp "$PEER_APP" "$PEER_DIR/app.py"
  note "seeding the peer (1,000 users, 20,000 tasks)"
  (cd "$PEER_DIR" && "$PEER_VENV/bin/python" -c 'import app') >"$WORK/peer-seed.log" 2>&1 \
    || { cat "$WORK/peer-seed.log" >&2; die "seeding the peer failed"; }
  PEER_PORT=$("$PEER_VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$PEER_DIR" && exec "$PEER_VENV/bin/uvicorn" app:app --host 127.0.0.1 --port "$PEER_PORT" \
    --workers 2 --no-access-log) >"$WORK/peer.log" 2>&1 &
  PEER_PID=$!
  PEER=http://127.0.0.1:$PEER_PORT
  PEER_TOKEN=
  for _ in $(seq 300); do
    PEER_TOKEN=$(curl -sS -X POST --data 'username=user1@example.com&password=password123' \
      "$PEER/api/v1/auth/login" 2>/dev/null \
      | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' || true)
    [[ -n $PEER_TOKEN ]] && break
    kill -0 "$PEER_PID" 2>/dev/null || { cat "$WORK/peer.log" >&2; die "the peer exited during startup"; }
    sleep 0.2
  done
  [[ -n $PEER_TOKEN ]] || { cat "$WORK/peer.log" >&2; die "the peer gave no token"; }
  check "peer GET /api/v1/auth/me" 'user1@example.com' -H "Authorization: Bearer $PEER_TOKEN" "$PEER/api/v1/auth/me"
  check "peer GET /api/v1/tasks" '"per_page":50' -H "Authorization: Bearer $PEER_TOKEN" "$PEER/api/v1/tasks?per_page=50"
  sleep 1
  PEER_RSS_IDLE=$(rss_kib "$PEER_PID")
  PEER_ME_ROW=${#ROWS[@]}
  run_wrk "peer GET /api/v1/auth/me" "$PEER/api/v1/auth/me" "Authorization: Bearer $PEER_TOKEN"
  PEER_TASKS_ROW=${#ROWS[@]}
  run_wrk "peer GET /api/v1/tasks?per_page=50" "$PEER/api/v1/tasks?per_page=50" "Authorization: Bearer $PEER_TOKEN"
  sleep 2
  PEER_RSS_AFTER=$(rss_kib "$PEER_PID")
  stop "$PEER_PID"
  PEER_PID=
fi

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

rps_of() { local label rps rest; IFS='|' read -r label rps rest <<<"${ROWS[$1]}"; printf '%s' "$rps"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.1fx", a / b; else print "-" }'; }
if [[ -n $PEER_ME_ROW ]]; then
  printf '\n  %-32s %12s %12s %10s\n' "nuri vs the FastAPI peer" "nuri req/s" "peer req/s" "ratio"
  for pair in "auth/me:$NURI_ME_ROW:$PEER_ME_ROW" "tasks?per_page=50:$NURI_TASKS_ROW:$PEER_TASKS_ROW"; do
    IFS=: read -r what n p <<<"$pair"
    printf '  %-32s %12s %12s %10s\n' "$what" "$(rps_of "$n")" "$(rps_of "$p")" "$(ratio "$(rps_of "$n")" "$(rps_of "$p")")"
  done
fi
printf '\n  memory (RSS)                     idle after start   idle after the load\n'
printf '  %-32s %16s %21s\n' "nuri" "$(mib "$RSS_IDLE_START")" "$(mib "$RSS_IDLE_AFTER")"
[[ -n $PEER_RSS_IDLE ]] && printf '  %-32s %16s %21s\n' "peer (uvicorn + 2 workers)" "$(mib "$PEER_RSS_IDLE")" "$(mib "$PEER_RSS_AFTER")"

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
