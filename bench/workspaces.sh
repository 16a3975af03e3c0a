#!/usr/bin/env bash
# Workspace file figures against a release nuri (NURI_BIN, default the release build):
#   - listing a folder of 10,000 files through GET /api/v1/workspaces/{id}/files: median of 20;
#   - uploading 1 GiB with PUT …/files/content (streamed to disk): throughput against `dd` writing
#     the same amount to the same disk, and how much nuri's resident memory grew meanwhile.
source "$(dirname "$0")/../scripts/lib.sh"
set -euo pipefail

BIN=${NURI_BIN:-$CARGO_TARGET_DIR/release/nuri}
DATA=$(mktemp -d "${TMPDIR:-/tmp}/nuri-bench-ws.XXXXXX")
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
NURI_DATA_DIR=$DATA NURI_LISTEN=127.0.0.1:$PORT NURI_WORKSPACE_QUOTA_MB=4096 "$BIN" serve >"$DATA/log" 2>&1 &
PID=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 100); do curl -sf "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
echo 'bench password 1' | NURI_DATA_DIR=$DATA "$BIN" admin create --email bench@nuri.test --name Bench >/dev/null
TOKEN=$(curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"bench@nuri.test","password":"bench password 1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
AUTH=(-H "Authorization: Bearer $TOKEN")
WS=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/workspaces" -H 'content-type: application/json' -d '{"name":"bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
ROOT=$(ls -d "$DATA"/workspaces/*/"$WS")

mkdir -p "$ROOT/data/many"
python3 - "$ROOT/data/many" <<'PY'
import os, sys
for i in range(10_000):
    with open(os.path.join(sys.argv[1], f"file {i}.csv"), "w") as f:
        f.write("a,b\n1,2\n")
PY
times=()
for _ in $(seq 20); do
  times+=("$(curl -s -o /dev/null -w '%{time_total}' "${AUTH[@]}" "$BASE/api/v1/workspaces/$WS/files?path=data/many")")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 10p)
printf 'list 10,000 files           median %6.1f ms (20 requests)\n' "$(echo "$median * 1000" | bc -l)"

rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
before=$(rss); peak=$before
( while kill -0 "$PID" 2>/dev/null; do r=$(rss); [ "$r" -gt "$(cat "$DATA/peak" 2>/dev/null || echo 0)" ] && echo "$r" >"$DATA/peak"; sleep 0.05; done ) &
WATCH=$!
start=$(date +%s.%N)
head -c 1073741824 /dev/zero | curl -sf -o /dev/null "${AUTH[@]}" -T - -H 'content-type: application/octet-stream' \
  "$BASE/api/v1/workspaces/$WS/files/content?path=data/big.bin"
upload=$(echo "$(date +%s.%N) - $start" | bc -l)
kill "$WATCH" 2>/dev/null || true
peak=$(cat "$DATA/peak" 2>/dev/null || echo "$before")
start=$(date +%s.%N)
dd if=/dev/zero of="$DATA/dd.bin" bs=1M count=1024 conv=fdatasync status=none
dd_time=$(echo "$(date +%s.%N) - $start" | bc -l)
printf 'upload 1 GiB through nuri   %6.0f MiB/s\n' "$(echo "1024 / $upload" | bc -l)"
printf 'dd 1 GiB to the same disk   %6.0f MiB/s\n' "$(echo "1024 / $dd_time" | bc -l)"
printf 'nuri RSS growth             %6.1f MiB (from %d KiB to a peak of %d KiB)\n' \
  "$(echo "($peak - $before) / 1024" | bc -l)" "$before" "$peak"
