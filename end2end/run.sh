#!/usr/bin/env bash
# Runs the end-to-end browser tests. Needs the nuri debug binary and the built site (see
# tests/helpers.js for NURI_BIN / NURI_SITE_ROOT / CHROMIUM_PATH) and Chromium at /usr/bin/chromium.
# Extra arguments go to the test runner, e.g. `end2end/run.sh --test-name-pattern=API`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# (Re)install when node_modules is missing or older than the lockfile.
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi

# Screenshots, page HTML and server logs of the last run's failures land here.
rm -rf .artifacts

status=0
if [[ $# -gt 0 ]]; then
  # Options must come before the files; `npm test -- …` would append them after `tests/`.
  node --test --test-concurrency=1 "$@" tests/ || status=$?
else
  npm test || status=$?
fi
if [[ $status -ne 0 && -d .artifacts ]]; then
  echo "end2end: failure artifacts (screenshots, HTML, server logs) in $(pwd)/.artifacts" >&2
fi
exit "$status"
