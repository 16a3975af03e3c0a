#!/usr/bin/env bash
# JupyterLab runtime figures (a table; builds the server's bench target in release):
#   - start → ready (/api/status answers) over 20 start/stop cycles: median and p95;
#   - a kernel execute of `1+1` until its execute_result, ~500 times through nuri's proxy
#     (server::proxy::forward) and ~500 times straight to the server: median and p99.
source "$(dirname "$0")/../scripts/lib.sh"

ensure_jupyter
exec cargo bench -p server --bench jupyter
