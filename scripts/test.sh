#!/usr/bin/env bash
# Every test: formatting and lints, unit and integration tests (SQLite always; PostgreSQL and
# MariaDB when they answer on this machine), HTTP tests, the REST API fuzzed against its OpenAPI
# document (Schemathesis from PyPI, in ~/.cache/nuri-schemathesis), and the Chromium
# end-to-end suite.
source "$(dirname "$0")/lib.sh"

ensure_rust
ensure_hosting
ensure_apt chromium
ensure_node
ensure_python_venv
ensure_jupyter
ensure_guest

# The databases this machine runs, unless the caller chose.
if [ -z "${NURI_TEST_POSTGRES_URL+x}" ] && command -v psql >/dev/null \
   && psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  export NURI_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/postgres"
fi
if [ -z "${NURI_TEST_MYSQL_URL+x}" ] && command -v mysql >/dev/null \
   && mysql -h 127.0.0.1 -uroot -e 'select 1' >/dev/null 2>&1; then
  export NURI_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/mysql"
fi
say "databases: sqlite${NURI_TEST_POSTGRES_URL:+ postgresql}${NURI_TEST_MYSQL_URL:+ mariadb}"

say "cargo fmt --check"
cargo fmt --all -- --check
# The browser suite runs against exactly what the README's first command builds and serves: the
# release binary and the release site (optimised, hashed, precompressed WASM). Cargo tests use
# debug builds.
say "building the release (cargo xtask build --release)"
cargo xtask build --release
# Clippy's lints ride on the test build: `cargo clippy` would type-check every dependency once more
# (10 of CI's minutes on 2 cores) only to lint our crates, while compiling them through clippy-driver
# (what `cargo clippy` itself does: the workspace wrapper and CLIPPY_ARGS) lints them as they build.
# Warnings are errors; every target is linted (benches too), the tests then run.
# An empty wrapper would build without lints and pass silently, hence the check.
rustup component list --installed | grep '^clippy' >/dev/null || rustup component add clippy
CLIPPY_DRIVER="$(rustup which clippy-driver)"
[ -x "$CLIPPY_DRIVER" ] || { echo "clippy-driver not found" >&2; exit 1; }
linted() {
  RUSTC_WORKSPACE_WRAPPER="$CLIPPY_DRIVER" \
    CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}
say "cargo clippy + build the tests"
linted cargo build -p xtask
linted cargo test --workspace --exclude frontend --exclude xtask --all-targets --features app/ssr --no-run
say "cargo test"
linted cargo test --workspace --exclude frontend --exclude xtask --features app/ssr
say "REST API against its OpenAPI document (Schemathesis, release build)"
NURI_BIN="$CARGO_TARGET_DIR/release/nuri" scripts/api-fuzz.sh
say "end-to-end (Chromium, release build)"
NURI_BIN="$CARGO_TARGET_DIR/release/nuri" NURI_SITE_ROOT="$CARGO_TARGET_DIR/site" end2end/run.sh
say "all tests passed"
