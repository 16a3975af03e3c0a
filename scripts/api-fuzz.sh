#!/usr/bin/env bash
# Fuzzes the REST API against its own OpenAPI document with Schemathesis: a fresh nuri on a
# temporary SQLite database, seeded with a small company, signed in as its admin; every check
# (server errors, undocumented statuses and content types, responses that break their schema,
# bodies the schema forbids being accepted, auth that is ignored, stateful sequences through the
# document's links, …). Fails on any finding. Builds nothing.
#
# Environment:
#   NURI_BIN             the binary (default: $CARGO_TARGET_DIR/debug/nuri)
#   API_FUZZ_EXAMPLES    test cases per operation and phase (default 25)
#   API_FUZZ_SEED        Schemathesis' random seed (default: a fixed one, so the test command is
#                        repeatable; `random` draws a new one, printed, to explore further)
#   API_FUZZ_VENV        its virtualenv (default: ~/.cache/nuri-schemathesis; created when missing
#                        with pip from PyPI: schemathesis==$SCHEMATHESIS_VERSION)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SCHEMATHESIS_VERSION=4.32.5
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
NURI_BIN=${NURI_BIN:-$TARGET_DIR/debug/nuri}
EXAMPLES=${API_FUZZ_EXAMPLES:-25}
VENV=${API_FUZZ_VENV:-$HOME/.cache/nuri-schemathesis}

die() { printf 'api-fuzz: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'api-fuzz: %s\n' "$*" >&2; }

[[ -x $NURI_BIN ]] || die "no nuri binary at $NURI_BIN (build it, or set NURI_BIN)"
command -v curl >/dev/null || die "curl is required"

if [[ $("$VENV/bin/st" --version 2>/dev/null || true) != *" $SCHEMATHESIS_VERSION" ]]; then
  note "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
# Works around a CPython 3.11 race in ast.parse between Schemathesis' worker threads (see the
# module's docstring): loaded at interpreter start-up through a .pth file.
site_packages=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
cp "$ROOT/scripts/fuzz/nuri_ast_lock.py" "$site_packages/"
echo "import nuri_ast_lock" >"$site_packages/nuri_ast_lock.pth"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nuri-api-fuzz.XXXXXX")
LOG=$WORK/server.log
SERVER_PID=
cleanup() {
  local status=$?
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # nuri's own nginx (hosting's web addresses) outlives nuri by design; not this run's.
  if [[ -s $WORK/data/nginx/nginx.pid ]]; then
    kill -QUIT "$(cat "$WORK/data/nginx/nginx.pid")" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s $LOG ]]; then
    printf '\n--- server log (errors) ---\n' >&2
    grep -E 'ERROR|WARN|panicked' "$LOG" | tail -n 40 >&2 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Open registration, so that sign-up is exercised too (not only refused). The fuzzer's requests
# come "through a proxy" from another address (X-Forwarded-For below): its many failed sign-ins
# then throttle that address, not the one Schemathesis signs in from when its token is revoked.
export NURI_DATA_DIR=$WORK/data NURI_REGISTRATION=open NURI_LOG_FORMAT=text NURI_TRUST_PROXY=true
export RUST_LOG=${RUST_LOG:-warn}
# Hosting on libvirt's in-process test driver (records only, no guest boots) with nuri's own
# nginx on a free port: the fuzzer creates, stops and deletes hostings like any other record.
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export NURI_HYPERVISORS=test:///default NURI_HOSTING_HTTP_LISTEN=127.0.0.1:$NGINX_PORT

"$NURI_BIN" seed --users 20 --mentorships 8 --tasks-per-mentorship 4 >"$WORK/seed.log" 2>&1 \
  || { cat "$WORK/seed.log" >&2; die "nuri seed failed"; }
PASSWORD=$(sed -n 's/^nuri: password for everyone: //p' "$WORK/seed.log")
ADMIN=$(sed -n 's/^nuri: admin  //p' "$WORK/seed.log")
[[ -n $PASSWORD && -n $ADMIN ]] || die "could not read the seeded admin from: $(cat "$WORK/seed.log")"

NURI_LISTEN=127.0.0.1:0 "$NURI_BIN" serve >"$LOG" 2>&1 &
SERVER_PID=$!
BASE=
for _ in $(seq 300); do
  BASE=$(grep -oE 'listening on http://[0-9.:]+' "$LOG" | head -n1 | sed 's/^listening on //' || true)
  [[ -n $BASE ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "nuri exited during start-up: $(cat "$LOG")"
  sleep 0.1
done
[[ -n $BASE ]] || die "nuri did not say where it listens within 30 s"

code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data "{\"email\":\"$ADMIN\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login")
[[ $code == 200 ]] || die "POST /api/v1/auth/login as $ADMIN answered $code"
note "nuri at $BASE, fuzzing as $ADMIN; $EXAMPLES examples per operation"

# How Schemathesis signs in (as this admin) and what each check may expect live beside this
# script, in schemathesis.toml.
export NURI_FUZZ_EMAIL=$ADMIN NURI_FUZZ_PASSWORD=$PASSWORD
args=(
  --config-file "$ROOT/scripts/schemathesis.toml"
  run "$BASE/api/openapi.json"
  --checks all
  --header "X-Forwarded-For: 192.0.2.1"
  --max-examples "$EXAMPLES"
  --workers 2
  --request-timeout 30
)
SEED=${API_FUZZ_SEED:-20261130}
[[ $SEED != random ]] && args+=(--seed "$SEED")
cd "$WORK"
"$VENV/bin/st" "${args[@]}"
