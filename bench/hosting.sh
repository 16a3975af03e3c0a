#!/usr/bin/env bash
# Hosting figures (a table; builds the server's bench target in release): create and delete
# orchestration on libvirt's test driver with nuri's own nginx (median, p99), 20 creates at once,
# nuri's memory per hosting; with NURI_BENCH_GUEST=1, the real TCG guest from create to a web
# page answering through nginx.
source "$(dirname "$0")/../scripts/lib.sh"

ensure_hosting
if [ "${NURI_BENCH_GUEST:-0}" = 1 ]; then ensure_guest; fi
exec cargo bench -p server --bench hosting
